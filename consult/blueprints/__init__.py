"""The blueprints, one package per area of the site."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import paging
    from .accounts.views import bp as accounts
    from .admin.views import bp as admin
    from .api.views import bp as api
    from .consultations.views import bp as consultations
    from .events.views import bp as events
    from .follow.views import bp as follow
    from .insights import coding as _coding  # noqa: F401 - its views join the blueprint
    from .insights.views import bp as insights
    from .officials.views import bp as officials
    from .organisers.views import bp as organisers
    from .privacy.views import bp as privacy
    from .public.views import bp as public

    app.register_blueprint(public)
    app.register_blueprint(accounts)
    app.register_blueprint(consultations)
    app.register_blueprint(events)
    app.register_blueprint(follow)
    app.register_blueprint(organisers)
    app.register_blueprint(officials)
    app.register_blueprint(insights)
    app.register_blueprint(api)
    app.register_blueprint(privacy)
    app.register_blueprint(admin)
    paging.init_app(app)
