"""Officials' analysis pages: stored runs only, the refresh job, access, downloads, annual."""

from __future__ import annotations

import csv
import io
import json

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult import jobs
from consult.extensions import db
from consult.models import AnalysisRun, AnalysisStatus, Consultation, PublicationConsent, Role
from consult.services.insights import run as analysis
from tests.factories.insights import add_response, two_camps
from tests.support.sessions import login


def _runs() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(AnalysisRun)) or 0


def _official(client: FlaskClient, make_user) -> None:
    make_user("ambtenaar@example.nl", role=Role.OFFICIAL)
    login(client, "ambtenaar@example.nl")


def _url(c: Consultation, tail: str = "") -> str:
    return f"/officials/consultations/{c.slug}/analysis{tail}"


def test_page_shows_the_stored_run_and_a_get_never_runs_one(
    client: FlaskClient, make_user, consultation: Consultation,
) -> None:
    _official(client, make_user)
    page = client.get(_url(consultation))
    assert page.status_code == 200 and b"There is no analysis of this consultation yet" in page.data
    two_camps(consultation)
    add_response(consultation, category="company", votes=[-1, -1], rating=1, likert=1,
                 consent=PublicationConsent.DO_NOT_PUBLISH, text="Verborgen-zin-tweeenveertig")
    analysis.run(consultation)
    db.session.commit()
    before = _runs()
    page = client.get(_url(consultation))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and _runs() == before
    assert "Opinion map" in html and "<svg" in html and 'role="img"' in html
    assert "Group A" in html and "Group B" in html
    assert "Verborgen-zin-tweeenveertig" not in html
    assert "style=" not in html and "<script>" not in html
    # the page leads with its story in the page's language only, before the map
    assert html.index("In short") < html.index("Opinion map")
    assert "Group A (" in html and "Groep A (" not in html
    dutch = client.get(_url(consultation, "?lang=nl")).get_data(as_text=True)
    assert "Meningenkaart" in dutch and "Analyse vernieuwen" in dutch
    assert dutch.index("In het kort") < dutch.index("Meningenkaart")
    assert "Groep A (" in dutch and "Group A (" not in dutch and "<h3>English</h3>" not in dutch
    points = client.get(_url(consultation, "/points"))
    assert points.status_code == 200 and points.data.count(b"<tr><th scope=\"row\">") == 31
    assert _runs() == before


def test_refresh_queues_a_job_that_a_thread_runs(
    client: FlaskClient, make_user, consultation: Consultation,
) -> None:
    _official(client, make_user)
    two_camps(consultation)
    response = client.post(_url(consultation, "/refresh"))
    assert response.status_code == 302 and response.location.endswith(_url(consultation))
    jobs.wait_for_threads()
    db.session.expire_all()
    run = db.session.scalar(select(AnalysisRun))
    assert run.status == AnalysisStatus.DONE and run.results["k"] == 2
    assert run.created_by_id is not None
    page = client.get(_url(consultation)).get_data(as_text=True)
    assert "Group B" in page and "An analysis is queued" not in page


def test_a_second_refresh_while_one_is_queued_adds_nothing(
    client: FlaskClient, make_user, consultation: Consultation, monkeypatch,
) -> None:
    _official(client, make_user)
    queued: list[tuple] = []
    monkeypatch.setattr(jobs, "enqueue", lambda *args: queued.append(args) or "job")
    client.post(_url(consultation, "/refresh"))
    client.post(_url(consultation, "/refresh"), follow_redirects=True)
    assert len(queued) == 1 and queued[0][0] == "consult.services.insights.run.run_by_id"
    assert _runs() == 1
    page = client.get(_url(consultation)).get_data(as_text=True)
    assert "An analysis is queued." in page and "Refresh this page" in page
    # the queued job, run by hand, finishes the same run
    analysis.run_by_id(queued[0][1])
    db.session.commit()
    assert db.session.get(AnalysisRun, queued[0][1]).status == AnalysisStatus.DONE


def test_only_officials_see_the_analysis(client: FlaskClient, make_user,
                                         consultation: Consultation) -> None:
    paths = [_url(consultation), _url(consultation, ".json"), _url(consultation, ".csv"),
             "/officials/annual"]
    for path in paths:
        anonymous = client.get(path)
        assert anonymous.status_code == 302 and "/account/login" in anonymous.location
    assert client.post(_url(consultation, "/refresh")).status_code == 302
    make_user("burger@example.nl")
    login(client, "burger@example.nl")
    for path in paths:
        assert client.get(path).status_code == 403
    assert client.post(_url(consultation, "/refresh")).status_code == 403
    assert _runs() == 0


def test_downloads_hold_the_snapshot_and_only_ids_and_groups(
    client: FlaskClient, make_user, consultation: Consultation,
) -> None:
    _official(client, make_user)
    assert client.get(_url(consultation, ".csv")).status_code == 404
    two_camps(consultation, per_camp=6)
    run = analysis.run(consultation)
    db.session.commit()
    as_csv = client.get(_url(consultation, ".csv"))
    assert as_csv.mimetype == "text/csv" and "attachment" in as_csv.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(as_csv.get_data(as_text=True))))
    assert rows[0] == ["response_public_id", "group"] and len(rows) == 13
    assert all(len(r) == 2 and r[1] in {"A", "B"} for r in rows[1:])
    assert {r[0] for r in rows[1:]} == set(run.results["respondents"])
    as_json = json.loads(client.get(_url(consultation, ".json")).data)
    assert as_json["run"] == run.id and as_json["results"]["k"] == 2
    assert set(as_json) >= {"parameters", "versions", "timings", "results"}


def test_bad_data_page_shows_a_message(client: FlaskClient, make_user,
                                       consultation: Consultation) -> None:
    _official(client, make_user)
    analysis.run(consultation)
    db.session.commit()
    page = client.get(_url(consultation))
    assert page.status_code == 200
    assert b"There are no submitted responses to analyse yet." in page.data
    assert client.get("/officials/consultations/no-such-thing/analysis").status_code == 404


def test_failed_run_shows_a_plain_message(client: FlaskClient, make_user,
                                          consultation: Consultation, monkeypatch) -> None:
    _official(client, make_user)
    monkeypatch.setattr(analysis, "compute", lambda *a, **k: 1 / 0)
    analysis.run(consultation)
    db.session.commit()
    page = client.get(_url(consultation)).get_data(as_text=True)
    assert "could not be completed" in page and "ZeroDivisionError" not in page


def test_shift_table_renders_for_a_linked_pair(client: FlaskClient, make_user,
                                               consultation: Consultation) -> None:
    from tests.factories.events import make_event_in_db

    _official(client, make_user)
    two_camps(consultation)
    analysis.run(consultation)
    organiser = make_user("organiser@example.nl", role=Role.ORGANISER)
    make_event_in_db(organiser, tasting=True, before_consultation_id=consultation.id,
                     after_consultation_id=consultation.id)
    db.session.commit()
    page = client.get(_url(consultation)).get_data(as_text=True)
    assert "Before and after the tasting" in page
    assert "Fewer than 5 participants of the tasting answered both" in page  # no accounts


def test_annual_overview_lists_consultations_with_groups(
    client: FlaskClient, make_user, consultation: Consultation,
) -> None:
    _official(client, make_user)
    two_camps(consultation)
    for _ in range(2):
        add_response(consultation, category="government", votes=[1, 1], rating=5, likert=5)
    analysis.run(consultation)
    db.session.commit()
    year = consultation.opens_at.year
    page = client.get(f"/officials/annual/{year}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"Annual overview {year}" in html and "Cultivated meat in the Netherlands" in html
    assert "Main opinion groups" in html and "Group A" in html
    assert "fewer than 5" in html  # the two government bodies
    assert "There were no events in this year." in html
    assert client.get("/officials/annual").status_code == 200
    empty = client.get(f"/officials/annual/{year - 5}").get_data(as_text=True)
    assert "No consultation was open in this year." in empty
    assert client.get("/officials/annual/99999").status_code == 404
    assert "Jaaroverzicht" in client.get(f"/officials/annual/{year}?lang=nl").get_data(
        as_text=True)


def test_analyse_command(app: Flask, consultation: Consultation) -> None:
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["analyse", "no-such-slug"])
    assert unknown.exit_code == 1 and "No consultation with the slug 'no-such-slug'" in \
        unknown.output
    two_camps(consultation)
    result = runner.invoke(args=["analyse", consultation.slug])
    assert result.exit_code == 0, result.output
    assert "30 responses" in result.output and "2 group(s)" in result.output
    assert "summary" in result.output  # the progress bar (stderr) names the steps
    assert "Group A" in result.output
    assert _runs() == 1


def test_the_story_names_what_changed_at_the_tasting_in_the_pages_language(
    client: FlaskClient, make_user, consultation: Consultation,
) -> None:
    from datetime import timedelta

    from consult.models import Registration, RegistrationStatus, utcnow
    from tests.factories.events import make_event_in_db

    _official(client, make_user)
    organiser = make_user("organiser@example.nl", role=Role.ORGANISER)
    start = utcnow() - timedelta(days=3)
    event = make_event_in_db(organiser, tasting=True, before_consultation_id=consultation.id,
                             after_consultation_id=consultation.id, starts_at=start,
                             ends_at=start + timedelta(hours=2), capacity=20,
                             title_nl="Proeverij in Delft", title_en="Tasting in Delft")
    for n in range(12):
        registration = Registration(
            event_id=event.id, email=f"p{n}@example.nl", status=RegistrationStatus.ATTENDED,
            checkin_code=f"D{n:05d}", cancel_token_hash=f"{n:064d}", checked_in_at=start)
        db.session.add(registration)
        db.session.flush()
        for rnd, vote, likert in (("before", -1, 2), ("after", 1, 4 + n % 2)):
            response = add_response(consultation, votes=[vote, 1], rating=3, likert=likert)
            response.registration_id, response.survey_round = registration.id, rnd
    two_camps(consultation)
    analysis.run(consultation)
    db.session.commit()
    english = client.get(_url(consultation, "?lang=en")).get_data(as_text=True)
    story = english[english.index("In short"):english.index("Opinion map")]
    assert "What changed at the tasting" in story
    assert ("At the tasting “Tasting in Delft” of " in story
            and "12 people who were checked in answered before and after." in story)
    assert ("After the tasting, participants agreed more with “Cultivated meat is safe” "
            "(from -1.00 to 1.00 on a scale from -1 to +1).") in story
    assert "I would taste it" in story  # 2 -> 4 or 5: also a clear change
    dutch = client.get(_url(consultation, "?lang=nl")).get_data(as_text=True)
    story = dutch[dutch.index("In het kort"):dutch.index("Meningenkaart")]
    assert "Bij de proeverij ‘Proeverij in Delft’ van " in story
    assert ("Na de proeverij waren deelnemers het meer eens met ‘Kweekvlees is veilig’ "
            "(van -1,00 naar 1,00 op een schaal van -1 tot +1).") in story
    assert "Tasting" not in story and "agreed" not in story
    table = dutch[dutch.index("Voor en na de proeverij: Proeverij in Delft"):]
    assert "&lt; 0,001" in table, table[:3000]  # the exact sign test on 12 of 12 moving up
