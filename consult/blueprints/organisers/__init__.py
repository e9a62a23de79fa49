"""Organisers' pages: their events, registrations, check-in and attendance."""
