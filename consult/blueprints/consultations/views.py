"""Consultations: the public list (filled in by the consultations work)."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("consultations", __name__, url_prefix="/consultations")


@bp.get("/")
def index() -> str:
    return render_template("consultations/index.html", consultations=[])
