"""Bad input gets a clear outcome and never changes what is stored; consent is respected."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import (
    Answer,
    Consultation,
    ConsultationStatus,
    ModerationStatus,
    QuestionKind,
    RespondentCategory,
    Response,
    ResponseStatus,
    StatementVote,
    VerificationStatus,
    utcnow,
)
from tests.factories.consultations import q
from tests.factories.organisations import declared_organisation, respond_for
from tests.factories.users import new_user
from tests.support.responding import PROFILE, page_answers, respond
from tests.support.sessions import log_in

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def stored_snapshot() -> list[tuple]:
    db.session.expire_all()
    answers = db.session.execute(
        select(Answer.response_id, Answer.question_id, Answer.value, Answer.number,
               Answer.text).order_by(Answer.id)).all()
    votes = db.session.execute(select(StatementVote.response_id, StatementVote.statement_id,
                                      StatementVote.vote).order_by(StatementVote.id)).all()
    responses = db.session.execute(select(Response.id, Response.status, Response.category,
                                          Response.organisation_name)).all()
    return [tuple(r) for r in [*answers, *votes, *responses]]


def test_a_forged_question_id_gets_400_and_nothing_changes(
    client: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    respond(client, c)
    before = stored_snapshot()
    result = client.post(f"/consultations/{c.slug}/respond/3", data={"q99999": "hallo"})
    assert result.status_code == 400
    assert "does not exist" in result.get_data(as_text=True) or \
        "niet bestaat" in result.get_data(as_text=True)
    assert stored_snapshot() == before


def test_a_forged_option_id_gets_400_and_nothing_changes(
    client: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    respond(client, c)
    before = stored_snapshot()
    single = q(c, QuestionKind.SINGLE_CHOICE)
    ranking = q(c, QuestionKind.RANKING)
    statements = q(c, QuestionKind.STATEMENTS)
    for page, data in [
        (2, {f"q{single.id}": "123456"}),
        (2, {f"q{single.id}": str(single.options[0].id), f"q{ranking.id}-o99999": "1"}),
        (1, {**page_answers(c)[1], f"q{statements.id}-s99999": "1"}),
        (1, {**page_answers(c)[1], f"q{q(c, QuestionKind.LIKERT).id}": "7"}),
    ]:
        result = client.post(f"/consultations/{c.slug}/respond/{page}", data=data)
        assert result.status_code == 400, data
    assert client.post(f"/consultations/{c.slug}/respond",
                       data=dict(PROFILE, category="alien")).status_code == 400
    assert stored_snapshot() == before


def test_ranking_that_is_not_a_permutation_is_a_field_error(
    client: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    respond(client, c, submit=False)
    before = stored_snapshot()
    ranking = q(c, QuestionKind.RANKING)
    single = q(c, QuestionKind.SINGLE_CHOICE)
    data = {f"q{single.id}": str(single.options[0].id)}
    data.update({f"q{ranking.id}-o{o.id}": "1" for o in ranking.options})
    result = client.post(f"/consultations/{c.slug}/respond/2", data=data)
    assert result.status_code == 200
    assert "different place" in result.get_data(as_text=True) or \
        "andere plaats" in result.get_data(as_text=True)
    assert stored_snapshot() == before


def test_too_many_choices_is_a_field_error(
    client: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    respond(client, c, submit=False)
    multiple = q(c, QuestionKind.MULTIPLE_CHOICE)
    single = q(c, QuestionKind.SINGLE_CHOICE)
    result = client.post(f"/consultations/{c.slug}/respond/2", data={
        f"q{single.id}": str(single.options[0].id),
        f"q{multiple.id}": [str(o.id) for o in multiple.options]})
    assert result.status_code == 200
    assert 'checked' in result.get_data(as_text=True)
    assert db.session.scalar(select(Answer).filter_by(question_id=multiple.id)) is None


def test_submitting_after_the_close_is_refused_and_the_response_is_kept(
    client: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    respond(client, c)
    before = stored_snapshot()
    c.closes_at = utcnow()
    db.session.commit()
    assert c.effective_status() == ConsultationStatus.CLOSED
    open_text = q(c, QuestionKind.OPEN_TEXT)
    for url, data in [
        (f"/consultations/{c.slug}/respond/3", {f"q{open_text.id}": "te laat"}),
        (f"/consultations/{c.slug}/review", {}),
        (f"/consultations/{c.slug}/withdraw", {}),
        (f"/consultations/{c.slug}/respond", PROFILE),
    ]:
        result = client.post(url, data=data)
        assert result.status_code == 403
        assert "only while it is open" in result.get_data(as_text=True) or \
            "zolang zij open is" in result.get_data(as_text=True)
    assert stored_snapshot() == before


def test_an_account_only_consultation_sends_anonymous_people_to_log_in(
    client: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    from consult.models import Audience

    c = make_consultation(audience=Audience.ACCOUNT)
    result = client.post(f"/consultations/{c.slug}/respond", data=PROFILE)
    assert result.status_code == 302 and "/account/login" in result.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_html_and_script_in_every_field_are_stored_as_text_and_shown_escaped(
    app, client: FlaskClient, make_consultation: Callable[..., Consultation], make_user
) -> None:
    c = make_consultation()
    profile = dict(PROFILE, category="company", organisation_name=SCRIPT,
                   consent="publish_with_name", email="a@example.nl")
    respond(client, c, profile, text=SCRIPT)
    statements = q(c, QuestionKind.STATEMENTS)
    client.post(f"/consultations/{c.slug}/respond/1",
                data={**page_answers(c)[1], f"q{statements.id}-new": SCRIPT})
    response = db.session.scalar(select(Response))
    assert response.organisation_name == SCRIPT
    for answer in db.session.scalars(select(Answer).where(Answer.text.is_not(None))):
        answer.moderation = ModerationStatus.APPROVED
    db.session.commit()
    pages = [client.get(f"/consultations/{c.slug}/review"),
             app.test_client().get(f"/consultations/{c.slug}/responses")]
    for page in pages:
        html = page.get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html
    # Forged HTML in choice fields is refused, not stored.
    single = q(c, QuestionKind.SINGLE_CHOICE)
    assert client.post(f"/consultations/{c.slug}/respond/2",
                       data={f"q{single.id}": SCRIPT}).status_code == 400
    assert client.post(f"/consultations/{c.slug}/respond",
                       data=dict(profile, province=SCRIPT)).status_code == 400
    assert client.get(f"/consultations/{c.slug}/responses?q={SCRIPT}").status_code == 200


def test_do_not_publish_never_appears_on_public_pages(
    app, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    secret = dict(PROFILE, category="civil_society", organisation_name="Stille Stichting",
                  consent="do_not_publish")
    respond(app.test_client(), c, secret, text="Mijn geheime mening")
    for answer in db.session.scalars(select(Answer).where(Answer.text.is_not(None))):
        answer.moderation = ModerationStatus.APPROVED
    c.closes_at = utcnow()
    c.report_summary_nl = "Samenvatting"
    c.status = ConsultationStatus.REPORT_PUBLISHED
    db.session.commit()
    public = app.test_client()
    for url in (f"/consultations/{c.slug}", f"/consultations/{c.slug}/responses",
                f"/consultations/{c.slug}/responses?q=geheime",
                f"/consultations/{c.slug}/report", "/api/v1/consultations/" + c.slug,
                f"/api/v1/consultations/{c.slug}/responses",
                f"/api/v1/consultations/{c.slug}/results"):
        body = public.get(url).get_data(as_text=True)
        assert "Stille Stichting" not in body and "geheime mening" not in body, url
    api = public.get(f"/api/v1/consultations/{c.slug}/results").get_json()
    assert api["responses"]["total"] == 0


def test_an_organisation_shows_its_name_only_with_consent(
    app, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    user = new_user("wur@example.nl")
    wageningen = declared_organisation(user, "Universiteit Wageningen",
                                       RespondentCategory.KNOWLEDGE_INSTITUTION,
                                       VerificationStatus.VERIFIED)
    db.session.commit()
    speaker = app.test_client()
    log_in(speaker, user)
    respond_for(speaker, c, wageningen, text="Met naam")
    respond(app.test_client(), c, dict(PROFILE, category="company",
                                        organisation_name="Naamloos BV",
                                        consent="publish_anonymously"), text="Zonder naam")
    for answer in db.session.scalars(select(Answer).where(Answer.text.is_not(None))):
        answer.moderation = ModerationStatus.APPROVED
    db.session.commit()
    page = app.test_client().get(f"/consultations/{c.slug}/responses").get_data(as_text=True)
    assert "Universiteit Wageningen" in page
    assert "Naamloos BV" not in page and "Zonder naam" in page
    assert ("Knowledge institution" in page or "Kennisinstelling" in page)
    assert ("Company" in page or "Bedrijf" in page)


def test_an_organisation_must_give_its_name(
    client: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    result = client.post(f"/consultations/{c.slug}/respond",
                         data=dict(PROFILE, category="company"))
    assert result.status_code == 200
    assert 'href="#organisation_name"' in result.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_a_filled_honeypot_looks_accepted_but_is_marked_spam(
    client: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    respond(client, c, submit=False)
    result = client.post(f"/consultations/{c.slug}/review", data={"website": "http://spam"})
    assert result.status_code == 302 and "/receipt/" in result.headers["Location"]
    response = db.session.scalar(select(Response))
    assert response.status == ResponseStatus.SUBMITTED and response.is_spam
    api = client.get(f"/api/v1/consultations/{c.slug}/results").get_json()
    assert api["responses"]["total"] == 0


def test_submissions_are_rate_limited(app_factory, tmp_path) -> None:
    from tests.factories.consultations import build_consultation

    app = app_factory(RATELIMIT_ENABLED=True, CONSULTATION_SUBMIT_LIMIT="2 per minute")
    with app.app_context():
        c = build_consultation()
        client = app.test_client()
        respond(client, c, submit=False)
        codes = [client.post(f"/consultations/{c.slug}/review").status_code for _ in range(3)]
    assert codes[:2] == [302, 302] and codes[2] == 429


def test_search_wildcards_are_taken_literally(
    app, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    respond(app.test_client(), c, text="Honderd procent eens")
    for answer in db.session.scalars(select(Answer).where(Answer.text.is_not(None))):
        answer.moderation = ModerationStatus.APPROVED
    db.session.commit()
    client = app.test_client()
    assert "Honderd procent" in client.get(
        f"/consultations/{c.slug}/responses?q=procent").get_data(as_text=True)
    assert "Honderd procent" not in client.get(
        f"/consultations/{c.slug}/responses?q=%25").get_data(as_text=True)


def test_one_response_proposes_at_most_three_statements(
    client: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    from consult.models import Statement

    c = make_consultation()
    respond(client, c, submit=False)
    statements = q(c, QuestionKind.STATEMENTS)
    codes = []
    for n in range(4):
        result = client.post(f"/consultations/{c.slug}/respond/1",
                             data={**page_answers(c)[1], f"q{statements.id}-new": f"Stelling {n}"})
        codes.append(result.status_code)
    assert codes == [302, 302, 302, 200]
    assert db.session.scalar(select(func.count()).select_from(Statement).where(
        Statement.proposed_by_response_id.is_not(None))) == 3
