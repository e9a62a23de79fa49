"""Flask-Login wiring: sessions carry "<user id>:<session version>"."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from consult.services.accounts.auth import load_session_user

from ...models import User


def init_login(manager: LoginManager) -> None:
    manager.login_view = "accounts.login"
    manager.login_message = _l("Please log in to open this page.")
    manager.login_message_category = "info"
    manager.session_protection = "basic"

    @manager.user_loader
    def load_user(session_id: str) -> User | None:
        return load_session_user(session_id)
