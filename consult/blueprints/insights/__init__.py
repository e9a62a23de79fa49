"""Officials' opinion-analysis pages and the annual overview (under /officials)."""
