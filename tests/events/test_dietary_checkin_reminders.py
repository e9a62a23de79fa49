"""Dietary notes (only the event's organisers, purged after N days, idempotently),
check-in (a code works once and says so the second time), reminders (once)."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from consult.extensions import db
from consult.mail import read_outbox
from consult.models import DietaryNote, Registration, RegistrationStatus, Role, utcnow
from consult.services.events import registration as reg_service
from consult.services.events.checkin import check_in
from consult.services.events.reminders import send_reminders
from consult.services.events.retention import purge_expired
from tests.factories.events import adult, make_event_in_db
from tests.factories.users import new_user
from tests.support.sessions import log_in

NOTE = "Allergic to celery (secret)"


def _with_note(app: Flask, **event_overrides: object) -> tuple[int, object, object]:
    owner = new_user("owner@example.nl", Role.ORGANISER)
    event = make_event_in_db(owner, tasting=True, **event_overrides)
    reg_service.register(event, adult(dietary_note=NOTE, dietary_consent=True))
    db.session.commit()
    return event.id, owner, event


def _notes() -> int:
    return int(db.session.scalar(select(func.count()).select_from(DietaryNote)) or 0)


def test_the_note_is_stored_apart_with_consent_and_its_time(rdb_app: Flask) -> None:
    _with_note(rdb_app)
    note = db.session.scalars(select(DietaryNote)).one()
    assert note.note == NOTE and note.consent_given is True and note.consent_at is not None
    registration = db.session.scalars(select(Registration)).one()
    assert not hasattr(registration, "dietary_note")


def test_only_that_events_organisers_read_the_dietary_notes(rdb_app: Flask) -> None:
    event_id, owner, _ = _with_note(rdb_app)
    other_organiser = new_user("other@example.nl", Role.ORGANISER)
    admin = new_user("admin@example.nl", Role.ADMIN)
    citizen = new_user("piet@example.nl")  # even the person who wrote it, logged in
    db.session.commit()
    url = f"/organise/events/{event_id}/dietary-notes"

    allowed = rdb_app.test_client()
    log_in(allowed, owner)  # type: ignore[arg-type]
    response = allowed.get(url)
    assert response.status_code == 200 and NOTE in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"  # behind login: never cached

    for user in (other_organiser, admin, citizen):
        client = rdb_app.test_client()
        log_in(client, user)
        response = client.get(url)
        assert response.status_code == 403, user
        assert NOTE not in response.get_data(as_text=True)
    anonymous = rdb_app.test_client().get(url)
    assert anonymous.status_code == 403 and NOTE not in anonymous.get_data(as_text=True)
    assert rdb_app.test_client().get("/organise/events/999999/dietary-notes").status_code == 404
    # Nor does it appear on the registrations page, the CSV, or the API.
    for path in (f"/organise/events/{event_id}/registrations",
                 f"/organise/events/{event_id}/registrations.csv",
                 f"/organise/events/{event_id}/attendance", "/api/v1/events"):
        assert NOTE not in allowed.get(path).get_data(as_text=True)


def test_notes_are_purged_n_days_after_the_event_and_purging_is_idempotent(
    rdb_app: Flask,
) -> None:
    start = utcnow() - timedelta(days=40)
    event_id, _, event = _with_note(rdb_app, registration_closes_at=None)
    # Move the event into the past (registration happened before it).
    event.starts_at, event.ends_at = start, start + timedelta(hours=2)  # type: ignore[attr-defined]
    db.session.commit()
    ends = start + timedelta(hours=2)

    assert purge_expired(ends + timedelta(days=29, hours=23)) == 0
    assert _notes() == 1
    assert purge_expired(ends + timedelta(days=30)) == 1
    db.session.commit()
    assert _notes() == 0
    assert purge_expired(ends + timedelta(days=30)) == 0  # again: nothing more
    owner_page = rdb_app.test_client()
    log_in(owner_page, event.organisers[0])  # type: ignore[attr-defined]
    assert NOTE not in owner_page.get(
        f"/organise/events/{event_id}/dietary-notes").get_data(as_text=True)


def test_purge_command_runs_twice_without_harm(rdb_app: Flask) -> None:
    _, _, event = _with_note(rdb_app, dietary_purge_days=0)
    event.starts_at = utcnow() - timedelta(hours=3)  # type: ignore[attr-defined]
    event.ends_at = utcnow() - timedelta(hours=1)  # type: ignore[attr-defined]
    db.session.commit()
    runner = rdb_app.test_cli_runner()
    first = runner.invoke(args=["purge-expired"])
    assert first.exit_code == 0 and "events: 1 removed" in first.output
    second = runner.invoke(args=["purge-expired"])
    assert second.exit_code == 0 and "events: 0 removed" in second.output
    assert _notes() == 0


def test_a_checkin_code_works_once_and_says_so_the_second_time(rdb_app: Flask) -> None:
    owner = new_user("owner@example.nl", Role.ORGANISER)
    owner.display_name = "Olga Organiser"
    event = make_event_in_db(owner)
    registration, _ = reg_service.register(event, adult(name="Piet Proever"))
    db.session.commit()
    code = registration.checkin_code
    client = rdb_app.test_client()
    log_in(client, owner)
    url = f"/organise/events/{event.id}/checkin?lang=en"

    typed = f"{code[:4].lower()} {code[4:].lower()}"  # as typed on a phone
    first = client.post(url, data={"code": typed}).get_data(as_text=True)
    assert "Welcome, Piet Proever" in first and "Checked in." in first
    db.session.refresh(registration)
    assert registration.status == RegistrationStatus.ATTENDED
    assert registration.checked_in_by_id == owner.id

    second = client.post(url, data={"code": f"{code[:4]}-{code[4:]}"})
    page = second.get_data(as_text=True)
    assert "This code has been used already" in page
    assert "Piet Proever was checked in at" in page and "by Olga Organiser" in page

    unknown = client.post(url, data={"code": "AAAA-AAAA"})
    assert unknown.status_code == 400
    assert "No registration for this event has this code." in unknown.get_data(as_text=True)
    too_long = client.post(url, data={"code": "A" * 40})
    assert too_long.status_code == 400
    assert "Use at most 20 characters." in too_long.get_data(as_text=True)


def test_a_scanned_qr_link_fills_in_the_code(rdb_app: Flask) -> None:
    owner = new_user("owner@example.nl", Role.ORGANISER)
    event = make_event_in_db(owner)
    registration, _ = reg_service.register(event, adult())
    db.session.commit()
    client = rdb_app.test_client()
    log_in(client, owner)
    code = f"{registration.checkin_code[:4]}-{registration.checkin_code[4:]}"
    page = client.get(f"/organise/events/{event.id}/checkin?code={code}").get_data(as_text=True)
    assert f'value="{code}"' in page
    db.session.refresh(registration)
    assert registration.checked_in_at is None  # a GET never checks in


def test_waitlisted_people_cannot_be_checked_in(rdb_app: Flask) -> None:
    owner = new_user("owner@example.nl", Role.ORGANISER)
    event = make_event_in_db(owner, capacity=1)
    reg_service.register(event, adult("a@example.nl"))
    waiting, _ = reg_service.register(event, adult("b@example.nl"))
    db.session.commit()
    import pytest

    from consult.services import DomainError

    with pytest.raises(DomainError, match="not confirmed"):
        check_in(event, waiting.checkin_code, owner)


def test_reminders_are_sent_once_n_hours_before(rdb_app: Flask) -> None:
    owner = new_user("owner@example.nl", Role.ORGANISER)
    event = make_event_in_db(owner, capacity=1, reminder_hours=24)
    reg_service.register(event, adult("a@example.nl"))
    reg_service.register(event, adult("b@example.nl"))  # waiting: no reminder
    db.session.commit()
    outbox = rdb_app.config["MAIL_OUTBOX"]
    before = len(read_outbox(outbox))
    assert send_reminders(event.starts_at - timedelta(hours=25)) == 0
    assert send_reminders(event.starts_at - timedelta(hours=23)) == 1
    db.session.commit()
    assert send_reminders(event.starts_at - timedelta(hours=22)) == 0
    mails = read_outbox(outbox)[before:]
    assert [m["To"] for m in mails] == ["a@example.nl"]
    assert mails[0]["Subject"].startswith("Reminder")
    result = rdb_app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "0 reminders sent" in result.output
