"""Fixtures for the before/after links of a tasting: the shared ones in tests/conftest.py."""
