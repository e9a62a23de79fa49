"""Factories for test data: plain functions that add rows and flush (the test commits).

- `users`: `new_user` (any role, confirmed or not, with or without a real password) and
  `official_user` (the one official who owns the consultations);
- `consultations`: `build_consultation` (one question of every kind) and `q`;
- `events`: `make_event_in_db`, `adult` (a registrant) and `later`;
- `insights`: `add_response` and `two_camps` (responses inserted straight, for analysis).

Fixtures stay in the conftest.py files; they call these.
"""
