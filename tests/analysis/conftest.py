"""Fixtures for the opinion-analysis tests: each compact Pol.is conversation in turn."""

from __future__ import annotations

import pytest

from tests.analysis.polis import POLIS_NAMES, PolisConversation, load_polis


@pytest.fixture(params=POLIS_NAMES)
def polis(request: pytest.FixtureRequest) -> PolisConversation:
    return load_polis(request.param)
