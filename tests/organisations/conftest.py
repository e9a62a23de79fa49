"""Fixtures for the organisation tests: a consultation inside a request."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from consult.models import Consultation
from tests.factories.consultations import build_consultation


@pytest.fixture
def consultation(app: Flask) -> Iterator[Consultation]:
    with app.test_request_context("/"):
        yield build_consultation()


@pytest.fixture
def db_consultation(db_app: Flask) -> Iterator[Consultation]:
    with db_app.test_request_context("/"):
        yield build_consultation()
