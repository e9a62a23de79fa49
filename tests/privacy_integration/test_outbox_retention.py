"""The outbox holds addresses: sent mails lose their body at once and their rows go after
MAIL_SENT_DAYS, failed ones after MAIL_FAILED_DAYS, pending ones never; "download my
data" lists the mails to the person, and deleting the account deletes them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from consult.extensions import db
from consult.mail import send_mail
from consult.models import User, utcnow
from consult.models.mail import MailStatus, OutgoingMail
from consult.services import privacy
from tests.factories.users import PASSWORD
from tests.support.mail import Outbox
from tests.support.sessions import login


def _queue(app: Flask, to: str, template: str = "password_changed") -> int:
    with app.test_request_context("/"):
        send_mail(to, template, "en")
    db.session.commit()  # delivered at once: MAIL_DELIVERY is "after-commit" in tests
    return int(db.session.scalar(select(OutgoingMail.id).order_by(OutgoingMail.id.desc())))


def _age(mail_id: int, days: float, **values: object) -> None:
    then = utcnow() - timedelta(days=days)
    changes: dict[str, object] = {"created_at": then, "sent_at": then, **values}
    db.session.execute(update(OutgoingMail).where(OutgoingMail.id == mail_id).values(changes))
    db.session.commit()


def test_purge_keeps_recent_and_pending_mails_and_removes_old_sent_and_failed(
    app: Flask, outbox: Outbox
) -> None:
    old_sent, new_sent = _queue(app, "a@example.nl"), _queue(app, "b@example.nl")
    old_failed, new_failed = _queue(app, "c@example.nl"), _queue(app, "d@example.nl")
    old_pending = _queue(app, "e@example.nl")
    assert len(outbox.mails) == 5
    sent = db.session.get(OutgoingMail, new_sent)
    assert sent is not None and sent.status == MailStatus.SENT and sent.message == b""
    _age(old_sent, 8)
    _age(new_sent, 6)
    _age(old_failed, 31, status=MailStatus.FAILED)
    _age(new_failed, 29, status=MailStatus.FAILED)
    _age(old_pending, 60, status=MailStatus.PENDING, sent_at=None)

    assert privacy.purge_expired()["outbox"] == 2
    left = set(db.session.scalars(select(OutgoingMail.id)))
    assert left == {new_sent, new_failed, old_pending}
    assert privacy.purge_expired()["outbox"] == 0  # twice removes nothing more


def test_my_data_lists_my_mails_and_deleting_the_account_deletes_them(
    app: Flask, client: FlaskClient, outbox: Outbox, make_user: Callable[..., User]
) -> None:
    anna = make_user("anna@example.nl")
    _queue(app, "Anna@Example.nl")
    other = _queue(app, "bob@example.nl")
    data = privacy.export_user(db.session.get(User, anna.id))
    assert [m["template"] for m in data["areas"]["outbox"]["mails"]] == ["password_changed"]
    db.session.rollback()

    login(client, "anna@example.nl")
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 302
    rows = list(db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)))
    # Bob's mail stays; of Anna's only the "account deleted" mail, queued after the erase.
    assert [(r.id == other, r.recipient, r.template) for r in rows] == [
        (True, "bob@example.nl", "password_changed"),
        (False, "anna@example.nl", "account_deleted"),
    ]
    assert outbox.last()["Subject"] == "Uw account is verwijderd"  # in her language (nl)
