"""Helpers for tests that are not factories: building an app, mail, sessions, page drivers.

- `apps`: `make_app`, `reset_postgres`, `need` and the service URLs from the environment;
- `mail`: `Outbox`, the mails the app wrote;
- `sessions`: `log_in` (by session, any user) and `login` (through the login form);
- `responding`: answering a consultation through the respondent pages;
- `security_world` and `crawl`: the security suite's world of one of everything, and every
  URL and form of the app found from it.
"""
