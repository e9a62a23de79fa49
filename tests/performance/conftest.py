"""Shared by the performance tests: each starts and ends with empty page caches."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from consult.blueprints import anonymous_pages
from consult.services.consultations import page_cache as consultation_cache


@pytest.fixture
def fresh_page_caches() -> Iterator[None]:
    """No kept anonymous page and no kept consultation page before or after the test."""
    anonymous_pages.clear()
    consultation_cache.clear()
    yield
    anonymous_pages.clear()
    consultation_cache.clear()
