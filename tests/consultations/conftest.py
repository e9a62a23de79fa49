"""Fixtures for consultation tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from consult.models import Consultation
from tests.factories.consultations import build_consultation


@pytest.fixture
def make_consultation(app: Flask) -> Callable[..., Consultation]:
    return build_consultation
