"""Configuration order: defaults, then instance/config.py, then CONSULT_* variables, then tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from consult import create_app
from consult.config import ConfigError


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "instance"
    folder.mkdir()
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(folder))
    for name in ("ENV", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "MAIL_SERVER", "MAIL_PORT"):
        monkeypatch.delenv("CONSULT_" + name, raising=False)
    return folder


def test_defaults_use_sqlite_in_the_instance_folder_and_dutch(instance: Path) -> None:
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'consult.sqlite3'}"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "nl"
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "Europe/Amsterdam"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_instance_config_overrides_defaults_and_environment_overrides_both(
    instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (instance / "config.py").write_text(
        "MAIL_SERVER = 'smtp.instance.example'\nMAIL_PORT = 2525\nMAIL_SENDER = 'from-instance'\n"
    )
    monkeypatch.setenv("CONSULT_MAIL_SERVER", "smtp.env.example")
    monkeypatch.setenv("CONSULT_REDIS_URL", "redis://127.0.0.1:6379/3")
    app = create_app()
    assert app.config["MAIL_SERVER"] == "smtp.env.example"  # environment wins
    assert app.config["MAIL_PORT"] == 2525  # instance file wins over the default
    assert app.config["MAIL_SENDER"] == "from-instance"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"


def test_test_config_comes_last(instance: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONSULT_MAIL_SERVER", "smtp.env.example")
    app = create_app({"MAIL_SERVER": "smtp.test.example"})
    assert app.config["MAIL_SERVER"] == "smtp.test.example"


def test_environment_values_are_typed(instance: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONSULT_MAIL_PORT", "587")
    monkeypatch.setenv("CONSULT_MAIL_USE_TLS", "true")
    app = create_app()
    assert app.config["MAIL_PORT"] == 587
    assert app.config["MAIL_USE_TLS"] is True


def test_a_malformed_number_names_the_variable(
    instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSULT_MAIL_PORT", "twenty-five")
    with pytest.raises(ConfigError, match="CONSULT_MAIL_PORT"):
        create_app()


def test_postgresql_urls_use_psycopg_3(instance: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONSULT_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_development_makes_a_secret_key_once_and_keeps_it(instance: Path) -> None:
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second
    assert len(first) >= 32
    assert (instance / "secret_key").read_text().strip() == first


def test_production_refuses_to_start_without_a_secret_key(
    instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSULT_ENV", "production")
    with pytest.raises(ConfigError, match="CONSULT_SECRET_KEY"):
        create_app()
    assert not (instance / "secret_key").exists()


def test_production_with_a_secret_key_sets_secure_cookies(
    instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSULT_ENV", "production")
    monkeypatch.setenv("CONSULT_SECRET_KEY", "x" * 40)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
