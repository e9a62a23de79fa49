"""API root: the OpenAPI document. Area modules are imported here to register routes."""

from __future__ import annotations

from flask import Response, jsonify

from . import openapi
from .blueprint import bp


@bp.get("/openapi.json")
def openapi_json() -> Response:
    return jsonify(openapi.document())


openapi.PATHS["/api/v1/openapi.json"] = {
    "get": {
        "summary": "This document",
        "responses": {"200": {"description": "The OpenAPI document"}},
    }
}

from . import consultations, events  # noqa: E402, F401 - they register their routes
