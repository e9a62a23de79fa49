"""The Flask extensions, created unbound; `create_app` binds them to an app."""

from __future__ import annotations

from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


class ResilientLimiter(Limiter):
    """Flask-Limiter, counting in each worker's memory while its Redis is unreachable.

    `in_memory_fallback_enabled`: when the storage fails, the limiter logs a warning
    ("Rate limit storage unreachable") and keeps every limit in this process's memory,
    so a login answers instead of a 500; it checks the storage again with a growing
    pause (1, 2, 4... seconds) and goes back to Redis when it answers. `swallow_errors`
    logs any other failure of the limiter instead of failing the request.
    """

    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        # A new app has a new storage: whatever failed before (another app in the same
        # process, as in tests) says nothing about it.
        self._storage_dead = False

    def storage_answers(self) -> bool:
        """Whether the rate-limit storage answers now (Redis is pinged)."""
        try:
            return bool(self.storage.check())
        except Exception:  # noqa: BLE001 - any failure means "not answering"
            return False


limiter = ResilientLimiter(
    key_func=get_remote_address, default_limits=[],
    in_memory_fallback_enabled=True, swallow_errors=True,
)
