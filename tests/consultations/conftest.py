"""Fixtures for consultation tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from consult.models import Consultation
from tests.factories.consultations import build_consultation


@pytest.fixture
def make_consultation(app: Flask) -> Callable[..., Consultation]:
    return build_consultation


@pytest.fixture
def db_consultation(db_app: Flask) -> Iterator[Consultation]:
    """An open consultation on each backend, inside a request (services translate)."""
    with db_app.test_request_context("/"):
        yield build_consultation()
