"""Who may open a page, and who is asking: role checks and the logged-in user."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort
from flask_login import current_user, login_required

from ..models import Role, User

F = TypeVar("F", bound=Callable[..., Any])


def role_required(role: Role) -> Callable[[F], F]:
    """Log in first (anonymous people go to the login page); then 403 without the role."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorator


def role_check(role: Role) -> Callable[[], Any]:
    """The check of `role_required` alone, for a blueprint's `before_request`: None when
    the person may go on, else the login redirect (anonymous) or a 403."""
    return role_required(role)(lambda: None)


def current_actor() -> User:
    """The logged-in person as the `User` itself (not the proxy: the audit log records the
    real object). Only for pages behind a login; anonymous visitors get a 401."""
    user = current_user._get_current_object()
    if not isinstance(user, User):
        abort(401)
    return user


def current_user_or_none() -> User | None:
    """The logged-in person, or None for an anonymous visitor."""
    user = current_user._get_current_object()
    return user if isinstance(user, User) else None
