"""An export that fails part way is logged as an error and ends visibly incomplete.

The CSV and JSON exports stream in their own app context (the request's session is gone
when a server sends the body); the workbook is written whole before the response. The
clients here run each request as a server does (tests/support/clients.py).
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from consult.models import Consultation
from consult.services.consultations import exports
from tests.support.responding import PROFILE, respond

from .test_officials import as_official

FAILED_EN = "EXPORT FAILED: this file is incomplete. Please download it again."


@pytest.fixture
def broken_after_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """The records fail after the first one, as a lost database connection would."""
    real = exports.iter_records

    def failing(*args: Any, **kwargs: Any) -> Iterator[Any]:
        records = real(*args, **kwargs)
        yield next(records)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(exports, "iter_records", failing)


def _two_responses(app, make_consultation: Callable[..., Consultation]) -> Consultation:
    c = make_consultation()
    for _ in range(2):
        respond(app.test_client(), c, dict(PROFILE, consent="publish_anonymously"))
    return c


def test_a_csv_that_fails_part_way_ends_with_a_failure_row_and_logs_an_error(
    app, make_user, make_consultation, broken_after_one, caplog: pytest.LogCaptureFixture
) -> None:
    c = _two_responses(app, make_consultation)
    official = as_official(app, make_user)
    with caplog.at_level(logging.ERROR):
        answer = official.get(f"/officials/consultations/{c.slug}/export.csv?lang=en")
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[-1] == [FAILED_EN]
    # what was buffered when it failed is lost; never the header and both responses
    assert len([r for r in rows if len(r) > 1]) < 3
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors and errors[0].exc_info and "database went away" in str(errors[0].exc_info[1])


def test_a_json_export_that_fails_part_way_is_not_valid_json(
    app, make_user, make_consultation, broken_after_one, caplog: pytest.LogCaptureFixture
) -> None:
    c = _two_responses(app, make_consultation)
    official = as_official(app, make_user)
    with caplog.at_level(logging.ERROR):
        answer = official.get(f"/officials/consultations/{c.slug}/export.json?public=1&lang=en")
    text = answer.get_data(as_text=True)
    assert text.rstrip().endswith(FAILED_EN)
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    assert any(r.levelno == logging.ERROR and r.exc_info for r in caplog.records)


def test_the_failure_notice_is_in_the_officials_language(
    app, make_user, make_consultation, broken_after_one
) -> None:
    c = _two_responses(app, make_consultation)
    official = as_official(app, make_user)
    text = official.get(f"/officials/consultations/{c.slug}/export.csv?lang=nl"
                        ).get_data(as_text=True)
    assert text.rstrip().endswith("onvolledig. Download het opnieuw.")


def test_a_workbook_that_fails_is_a_server_error_not_a_file(
    app, make_user, make_consultation, broken_after_one, caplog: pytest.LogCaptureFixture
) -> None:
    c = _two_responses(app, make_consultation)
    official = as_official(app, make_user)
    with caplog.at_level(logging.ERROR):
        answer = official.get(f"/officials/consultations/{c.slug}/export.xlsx")
    assert answer.status_code == 500
    assert "attachment" not in answer.headers.get("Content-Disposition", "")
    assert any(r.levelno == logging.ERROR and r.exc_info for r in caplog.records)


def test_the_exports_do_not_depend_on_the_requests_session(
    app, make_user, make_consultation
) -> None:
    """Each export reads every response after the request's session has closed."""
    c = _two_responses(app, make_consultation)
    official = as_official(app, make_user)
    base = f"/officials/consultations/{c.slug}/export"
    rows = list(csv.reader(io.StringIO(
        official.get(base + ".csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 3
    assert len(json.loads(official.get(base + ".json").get_data())["responses"]) == 2
    answer = official.get(base + ".xlsx")
    assert answer.headers["Cache-Control"] == "no-store"  # never kept by any cache
    assert answer.headers["Content-Disposition"].startswith("attachment")
