"""Events: the public list (filled in by the events work)."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("events", __name__, url_prefix="/events")


@bp.get("/")
def index() -> str:
    return render_template("events/index.html", events=[])
