"""Fixtures for the privacy tests: the world of two people (tests/privacy_integration/world.py),
on SQLite and on PostgreSQL when CONSULT_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import pytest
from flask import Flask

from tests.privacy_integration.world import World, seed_people


@pytest.fixture
def world(db_app: Flask) -> World:
    return seed_people(db_app)
