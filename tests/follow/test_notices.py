"""The notices: each kind, in the follower's language, with the unsubscribe headers,
once per event and follower, and sent by the job and the command."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult import jobs
from consult.extensions import db
from consult.models import ConsultationStatus, NoticeDelivery, Role, User, utcnow
from consult.services.catalogue import ensure_catalogues
from consult.services.consultations import editing
from consult.services.follow import notices
from tests.factories.consultations import build_consultation
from tests.factories.events import make_event_in_db
from tests.factories.users import official_user
from tests.follow.world import TOPIC, follower, notices_to
from tests.support.mail import Outbox
from tests.support.sessions import log_in


@pytest.fixture(autouse=True)
def _catalogues(app: Flask) -> None:
    ensure_catalogues()
    db.session.commit()


def _subjects(outbox: Outbox, email: str) -> list[str]:
    return [str(m["Subject"]) for m in notices_to(outbox, email)]


def test_a_consultation_opening_is_mailed_once_in_each_follower_s_language(
    app: Flask, outbox: Outbox,
) -> None:
    consultation = build_consultation(slug="kweek", opened=False)
    follower("nora@example.nl", "consultation:kweek", "nl")
    follower("ed@example.nl", TOPIC, "en")
    assert notices.send_due() == 0  # scheduled: nothing is due yet
    editing.open_now(official_user(), consultation)
    db.session.commit()

    assert notices.send_due() == 2
    assert _subjects(outbox, "nora@example.nl") == ["Nu open: Kweekvlees in Nederland"]
    assert _subjects(outbox, "ed@example.nl") == ["Open now: Cultivated meat in the Netherlands"]
    [dutch] = notices_to(outbox, "nora@example.nl")
    assert dutch["Content-Language"] == "nl"
    assert "U krijgt deze mail omdat u de consultatie" in outbox.body(dutch)
    assert notices.send_due() == 0  # a second run (a retry, cron again) sends nothing
    assert len(outbox.mails) == 4  # two confirmations, two notices


def test_every_notice_carries_a_one_click_unsubscribe(app: Flask, outbox: Outbox) -> None:
    build_consultation(slug="kweek")
    subscription = follower("nora@example.nl", "consultation:kweek", "nl")
    # Confirmed after the opening: the opening is old news; the report will be new.
    assert notices.send_due() == 0
    consultation = editing.by_slug("kweek")
    assert consultation is not None
    official = official_user()
    editing.close_now(official, consultation)
    editing.save_report(official, consultation, {"report_summary_nl": "Wat we hoorden."})
    editing.publish_report(official, consultation)
    db.session.commit()
    assert notices.send_due() == 1
    [mail] = notices_to(outbox, "nora@example.nl")
    assert mail["Subject"] == "Verslag gepubliceerd: Kweekvlees in Nederland"
    url = f"https://consult.test/follow/unsubscribe/{subscription.unsubscribe_token}"
    assert mail["List-Unsubscribe"] == f"<{url}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = outbox.body(mail)
    assert f"/follow/unsubscribe/{subscription.unsubscribe_token}" in body
    assert "/consultations/kweek/report" in body


def test_a_week_before_the_close_followers_are_reminded(app: Flask, outbox: Outbox) -> None:
    consultation = build_consultation(slug="kweek", opened=False)
    follower("ed@example.nl", TOPIC, "en")
    editing.open_now(official_user(), consultation)
    db.session.commit()
    assert notices.send_due() == 1  # opened
    assert consultation.closes_at is not None
    assert notices.send_due(consultation.closes_at - timedelta(days=8)) == 0
    assert notices.send_due(consultation.closes_at - timedelta(days=6)) == 1
    assert notices.send_due(consultation.closes_at - timedelta(days=5)) == 0
    assert _subjects(outbox, "ed@example.nl") == [
        "Open now: Cultivated meat in the Netherlands",
        "One more week: Cultivated meat in the Netherlands"]
    assert consultation.effective_status() == ConsultationStatus.OPEN


def test_a_tasting_taking_registrations_is_mailed_to_those_following_the_tastings(
    app: Flask, outbox: Outbox, make_user: Callable[..., User],
) -> None:
    follower("proef@example.nl", "tastings", "nl")
    follower("ed@example.nl", TOPIC, "en")  # follows a topic, not the tastings
    organiser = make_user("org@example.nl", role=Role.ORGANISER)
    tasting = make_event_in_db(organiser, tasting=True,
                               registration_opens_at=utcnow() + timedelta(days=2))
    make_event_in_db(organiser)  # a workshop: no notice
    db.session.commit()
    assert notices.send_due() == 0  # registration opens in two days
    assert notices.send_due(utcnow() + timedelta(days=2, minutes=1)) == 1
    [mail] = notices_to(outbox, "proef@example.nl")
    assert mail["Subject"] == "Aanmelden kan: Werkplaats kweekvlees"
    assert f"/events/{tasting.id}" in outbox.body(mail)
    assert not notices_to(outbox, "ed@example.nl")


def test_an_address_following_a_consultation_and_its_topic_gets_one_mail(
    app: Flask, outbox: Outbox,
) -> None:
    consultation = build_consultation(slug="kweek", opened=False)
    follower("both@example.nl", TOPIC)
    follower("both@example.nl", "consultation:kweek")
    editing.open_now(official_user(), consultation)
    db.session.commit()
    assert notices.send_due() == 1
    assert notices.send_due() == 0
    assert len(notices_to(outbox, "both@example.nl")) == 1
    # Both subscriptions count the notice as delivered: no second mail after either goes.
    assert db.session.scalar(select(func.count()).select_from(NoticeDelivery)) == 2


def test_a_mail_that_fails_gives_its_claim_back_and_goes_on_the_next_run(
    app: Flask, outbox: Outbox, monkeypatch: pytest.MonkeyPatch,
) -> None:
    consultation = build_consultation(slug="kweek", opened=False)
    follower("ed@example.nl", TOPIC)
    editing.open_now(official_user(), consultation)
    db.session.commit()

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("the mail server is down")

    monkeypatch.setattr(notices, "send_mail", broken)
    assert notices.send_due() == 0
    assert db.session.scalar(select(func.count()).select_from(NoticeDelivery)) == 0
    monkeypatch.undo()
    assert notices.send_due() == 1
    assert len(notices_to(outbox, "ed@example.nl")) == 1


def test_a_claim_left_by_a_dead_worker_is_taken_over_later(app: Flask, outbox: Outbox) -> None:
    consultation = build_consultation(slug="kweek", opened=False)
    subscription = follower("ed@example.nl", TOPIC)
    editing.open_now(official_user(), consultation)
    db.session.commit()
    now = utcnow()
    assert notices.claim(subscription.id, f"opened:{consultation.id}", now)  # then it "died"
    assert notices.send_due(now + timedelta(minutes=1)) == 0  # another worker's claim
    assert notices.send_due(now + notices.STALE_CLAIM + timedelta(minutes=1)) == 1
    assert len(notices_to(outbox, "ed@example.nl")) == 1


def test_opening_a_consultation_starts_the_notice_job(
    app: Flask, outbox: Outbox, client: FlaskClient,
) -> None:
    consultation = build_consultation(slug="kweek", opened=False)
    follower("ed@example.nl", TOPIC)
    official = db.session.get(User, consultation.created_by_id)
    assert official is not None
    log_in(client, official)
    response = client.post("/officials/consultations/kweek/status/open")
    assert response.status_code == 302
    jobs.wait_for_threads()
    assert _subjects(outbox, "ed@example.nl") == ["Open now: Cultivated meat in the Netherlands"]


def test_the_command_sends_what_is_due(app: Flask, outbox: Outbox) -> None:
    consultation = build_consultation(slug="kweek", opened=False)
    follower("ed@example.nl", TOPIC)
    editing.open_now(official_user(), consultation)
    db.session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["follow", "send-notices"]).output == "1 notices sent.\n"
    assert runner.invoke(args=["follow", "send-notices"]).output == "0 notices sent.\n"
    assert len(notices_to(outbox, "ed@example.nl")) == 1
