"""Fixtures for the before/after links of a tasting."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask, g


def _forget_cached_user() -> None:
    g.pop("_login_user", None)


@pytest.fixture
def app(app_factory: Callable[..., Flask]) -> Iterator[Flask]:
    made = app_factory()
    made.before_request(_forget_cached_user)
    with made.app_context():
        yield made


@pytest.fixture
def db_app(app_factory: Callable[..., Flask], backend: str) -> Iterator[Flask]:
    made = app_factory(backend)
    made.before_request(_forget_cached_user)
    with made.app_context():
        yield made
