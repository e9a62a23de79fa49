"""Officials see how clearly the groups stand apart and can choose the number of groups."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from consult import jobs
from consult.extensions import db
from consult.models import AnalysisRun, AnalysisStatus, Consultation, Role
from tests.factories.insights import add_response, two_camps
from tests.support.sessions import login


def _url(c: Consultation, tail: str = "") -> str:
    return f"/officials/consultations/{c.slug}/analysis{tail}"


def _runs() -> list[AnalysisRun]:
    db.session.expire_all()
    return list(db.session.scalars(select(AnalysisRun).order_by(AnalysisRun.id)))


def _three_camps(consultation: Consultation) -> None:
    two_camps(consultation, per_camp=12)
    for _ in range(12):
        add_response(consultation, category="government", votes=[1, -1], rating=3, likert=3)
    db.session.commit()


def test_an_official_chooses_the_number_of_groups_and_sees_each_fit(
    client: FlaskClient, make_user, consultation: Consultation,
) -> None:
    make_user("ambtenaar@example.nl", role=Role.OFFICIAL)
    login(client, "ambtenaar@example.nl")
    _three_camps(consultation)
    client.post(_url(consultation, "/refresh"))
    jobs.wait_for_threads()
    first = _runs()[-1]
    assert first.status == AnalysisStatus.DONE and first.parameters["k"] is None
    assert first.results["k"] >= 2 and first.results["strength"]["level"] in (
        "strong", "moderate", "weak")
    page = client.get(_url(consultation) + "?lang=en").get_data(as_text=True)
    assert "How clearly do the groups stand apart?" in page
    assert "How well each number of groups fits" in page and 'name="k"' in page

    client.post(_url(consultation, "/refresh"), data={"k": "1"})
    jobs.wait_for_threads()
    chosen = _runs()[-1]
    assert chosen.parameters["k"] == 1 and chosen.results["k"] == 1
    assert chosen.results["silhouettes"]  # every k's fit is still shown
    page = client.get(_url(consultation) + "?lang=nl").get_data(as_text=True)
    assert "Alle respondenten staan in één groep, zoals gevraagd." in page


def test_a_bad_choice_is_refused_in_the_person_s_language(
    client: FlaskClient, make_user, consultation: Consultation,
) -> None:
    make_user("ambtenaar@example.nl", role=Role.OFFICIAL)
    login(client, "ambtenaar@example.nl")
    page = client.post(_url(consultation, "/refresh") + "?lang=nl", data={"k": "9"},
                       follow_redirects=True)
    assert page.status_code == 200
    assert "Kies tussen 1 en 5 groepen, of laat de analyse kiezen." in page.get_data(as_text=True)
    assert _runs() == []
