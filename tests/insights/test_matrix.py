"""The respondents x items matrix: what counts, how answers become scores, NaN for gaps."""

from __future__ import annotations

import math

import numpy as np

from consult.extensions import db
from consult.models import (
    ModerationStatus,
    PublicationConsent,
    RespondentCategory,
    ResponseStatus,
    VerificationStatus,
)
from consult.services.insights.matrix import build_matrix, rating_score
from tests.factories.insights import add_response
from tests.factories.organisations import declared_organisation


def test_ratings_map_to_scores_and_bad_values_to_nan() -> None:
    assert [rating_score(r) for r in (1, 2, 3, 4, 5)] == [-1.0, -0.5, 0.0, 0.5, 1.0]
    for bad in (0, 6, "3", None, True, float("nan")):
        assert math.isnan(rating_score(bad))


def test_matrix_holds_votes_ratings_and_nan_where_unanswered(db_consultation) -> None:
    c = db_consultation
    first = add_response(c, votes=[1, None], rating={"safety": 5, "justice": 2}, likert=4)
    second = add_response(c, votes=[-1, 0])
    db.session.commit()
    m = build_matrix(c)
    assert m.response_ids == [first.id, second.id]
    keys = [i.key for i in m.items]
    kinds = [i.kind for i in m.items]
    assert kinds.count("statement") == 2 and kinds.count("principle") == 7
    assert kinds.count("likert") == 1
    row = dict(zip(keys, m.values[0], strict=True))
    s1, s2 = [k for k, kind in zip(keys, kinds, strict=True) if kind == "statement"]
    assert row[s1] == 1.0 and math.isnan(row[s2])
    safety = next(k for k in keys if k.endswith(":safety"))
    justice = next(k for k in keys if k.endswith(":justice"))
    naturalness = next(k for k in keys if k.endswith(":naturalness"))
    assert row[safety] == 1.0 and row[justice] == -0.5 and math.isnan(row[naturalness])
    likert = next(k for k in keys if k.startswith("l"))
    assert row[likert] == 0.5
    # the second respondent answered only the statements: every rating cell is NaN
    assert m.values[1, kinds.index("statement")] == -1.0
    assert np.isnan(m.values[1, [j for j, k in enumerate(kinds) if k != "statement"]]).all()


def test_drafts_withdrawn_and_spam_are_not_counted(db_consultation) -> None:
    c = db_consultation
    kept = add_response(c, votes=[1, 1])
    add_response(c, votes=[1, 1], status=ResponseStatus.DRAFT)
    add_response(c, votes=[1, 1], status=ResponseStatus.WITHDRAWN)
    add_response(c, votes=[1, 1], spam=True)
    do_not_publish = add_response(c, votes=[-1, -1],
                                  consent=PublicationConsent.DO_NOT_PUBLISH)
    db.session.commit()
    m = build_matrix(c)
    # "do not publish" still counts for the analysis; it only never shows
    assert m.response_ids == [kept.id, do_not_publish.id]


def test_texts_are_quotable_only_with_consent_and_approval(db_consultation) -> None:
    c = db_consultation
    named = add_response(c, text="named", consent=PublicationConsent.PUBLISH_WITH_NAME,
                         category="company", organisation="Bedrijf BV")
    named.organisation_id = declared_organisation(
        None, "Bedrijf BV", RespondentCategory.COMPANY, VerificationStatus.VERIFIED).id
    add_response(c, text="typed name", consent=PublicationConsent.PUBLISH_WITH_NAME,
                 category="company", organisation="Onbekend BV")
    add_response(c, text="anonymous")
    add_response(c, text="secret", consent=PublicationConsent.DO_NOT_PUBLISH)
    add_response(c, text="pending", moderation=ModerationStatus.PENDING)
    add_response(c, text="hidden", moderation=ModerationStatus.HIDDEN)
    db.session.commit()
    texts = {t.text: t for t in build_matrix(c).texts}
    assert set(texts) == {"named", "typed name", "anonymous", "secret", "pending"}  # not hidden
    assert texts["named"].quotable and texts["named"].name == "Bedrijf BV"
    # a name of no verified organisation is never quoted with the text
    assert texts["typed name"].quotable and texts["typed name"].name is None
    assert texts["anonymous"].quotable and texts["anonymous"].name is None
    assert not texts["secret"].quotable and texts["secret"].name is None
    assert not texts["pending"].quotable
