"""The privacy areas are registered by `create_app`, in one order, however many apps."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from consult.services import outbox_privacy, privacy
from consult.services.consultations import privacy as consultations_privacy
from consult.services.events import retention
from consult.services.follow import subscriptions as follow_privacy
from tests.support.apps import make_app

ORDER = [privacy.ACCOUNT_AREA, outbox_privacy.AREA, retention.AREA, consultations_privacy.AREA,
         follow_privacy.AREA]


@pytest.fixture
def registry() -> Iterator[None]:
    saved = dict(privacy._AREAS)
    yield
    privacy._AREAS.clear()
    privacy._AREAS.update(saved)


def test_every_new_app_leaves_each_area_once_in_the_same_order(
    app_factory: Callable[..., Flask], tmp_path: Path
) -> None:
    app_factory()
    make_app(tmp_path / "second")
    assert privacy.areas() == ORDER
    assert [a.name for a in privacy.areas()] == ["account", "outbox", "events", "consultations",
                                                 "follow"]


def test_registering_again_restores_the_order_and_changes_nothing_after(
    app_factory: Callable[..., Flask], registry: None
) -> None:
    app_factory()
    privacy.register("account", exporter=lambda user: {})  # moves to the end, replaced
    assert [a.name for a in privacy.areas()] == ["outbox", "events", "consultations", "follow",
                                                 "account"]
    privacy.register_areas(ORDER)
    assert privacy.areas() == ORDER
    privacy.register_areas(ORDER)
    assert privacy.areas() == ORDER
