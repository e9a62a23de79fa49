"""The migrations build exactly the models' schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from consult.extensions import db
from tests.support.apps import PG_URL, make_app, need, reset_postgres


@pytest.fixture
def empty_app(tmp_path: Path, backend: str) -> Flask:
    url = None
    if backend == "postgresql":
        need(bool(PG_URL), "PostgreSQL: set CONSULT_TEST_DATABASE_URL")
        reset_postgres(PG_URL)
        url = PG_URL
    return make_app(tmp_path, url)


def differences(app: Flask) -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        return list(compare_metadata(context, db.metadata))


def test_upgrade_of_an_empty_database_gives_the_models_schema(empty_app: Flask) -> None:
    with empty_app.app_context():
        upgrade()
        assert differences(empty_app) == []
        assert "alembic_version" in inspect(db.engine).get_table_names()
    with empty_app.app_context():
        db.engine.dispose()


def test_downgrade_to_base_and_up_again(empty_app: Flask) -> None:
    with empty_app.app_context():
        upgrade()
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
        assert differences(empty_app) == []
        db.engine.dispose()


def test_upgrade_brings_an_older_database_to_head(empty_app: Flask) -> None:
    with empty_app.app_context():
        upgrade(revision="0001_foundation")
        upgrade()
        assert differences(empty_app) == []
        db.engine.dispose()
