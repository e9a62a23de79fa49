"""Subscriptions are personal data: in "download my data", gone with the account, and
unconfirmed ones purged by `data purge-expired`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import NoticeDelivery, Subscription, User, utcnow
from consult.services import privacy
from consult.services.catalogue import ensure_catalogues
from consult.services.consultations import editing
from consult.services.follow import notices, subscriptions, targets
from tests.factories.consultations import build_consultation
from tests.factories.users import PASSWORD, official_user
from tests.follow.world import TOPIC, follower
from tests.support.sessions import log_in


@pytest.fixture(autouse=True)
def _catalogues(app: Flask) -> None:
    ensure_catalogues()
    db.session.commit()


def _count(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_my_data_lists_what_i_follow_and_the_notices_sent(
    client: FlaskClient, make_user: Callable[..., User],
) -> None:
    user = make_user("anna@example.nl")
    consultation = build_consultation(slug="kweek", opened=False)
    follower("anna@example.nl", TOPIC, "nl")  # asked without logging in, same address
    subscriptions.follow_as(user, targets.parse("tastings"))
    editing.open_now(official_user(), consultation)
    db.session.commit()
    assert notices.send_due() == 1
    log_in(client, user)
    response = client.post("/account/my-data")
    assert response.status_code == 200
    data = json.loads(response.data)["areas"]["follow"]["subscriptions"]
    assert [(s["follows"], s["topic"], s["language"]) for s in data] == [
        ("topic", "cultivated-meat-fish", "nl"), ("tastings", None, "nl")]
    assert data[0]["notices_sent"] == [f"opened:{consultation.id}"]
    assert data[0]["confirmed_at"] is not None


def test_deleting_the_account_removes_its_subscriptions_and_their_deliveries(
    app: Flask, make_user: Callable[..., User],
) -> None:
    user = make_user("anna@example.nl")
    consultation = build_consultation(slug="kweek", opened=False)
    subscriptions.follow_as(user, targets.parse(TOPIC))
    follower("anna@example.nl", "tastings")
    follower("someone@example.nl", TOPIC)
    editing.open_now(official_user(), consultation)
    db.session.commit()
    assert notices.send_due() == 2
    privacy.delete_account(user, PASSWORD)
    db.session.commit()
    assert list(db.session.scalars(select(Subscription.email))) == ["someone@example.nl"]
    assert _count(NoticeDelivery) == 1


def test_unconfirmed_subscriptions_are_purged_after_their_days(app: Flask) -> None:
    subscriptions.ask("late@example.nl", "en", targets.parse(TOPIC))
    follower("kept@example.nl", TOPIC)
    db.session.commit()
    days = app.config["FOLLOW_UNCONFIRMED_DAYS"]
    assert privacy.purge_expired(utcnow() + timedelta(days=days - 1))["follow"] == 0
    counts = privacy.purge_expired(utcnow() + timedelta(days=days, hours=1))
    db.session.commit()
    assert counts["follow"] == 1
    assert list(db.session.scalars(select(Subscription.email))) == ["kept@example.nl"]
    assert privacy.purge_expired(utcnow() + timedelta(days=days, hours=1))["follow"] == 0
