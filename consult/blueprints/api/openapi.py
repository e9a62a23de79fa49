"""The OpenAPI 3.1 document of the open-data API, assembled from each module's parts."""

from __future__ import annotations

from typing import Any

from ... import __version__

#: path -> path item; each API module adds its own.
PATHS: dict[str, dict[str, Any]] = {}
#: schema name -> JSON schema; each API module adds its own.
SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": {
        "type": "object",
        "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
        "required": ["error", "status"],
    },
}


#: Every operation can answer these: a malformed request (for example a NUL byte in a
#: parameter, refused before any view runs) and too many requests.
COMMON_RESPONSES: dict[str, dict[str, Any]] = {
    "400": {
        "description": "The request is malformed",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    },
    "429": {
        "description": "Too many requests; try again later",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    },
}


def _with_common_responses(paths: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for path, item in sorted(paths.items()):
        out[path] = {
            method: {**operation,
                     "responses": {**COMMON_RESPONSES, **operation.get("responses", {})}}
            for method, operation in item.items()
        }
    return out


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Consult open data",
            "version": __version__,
            "description": (
                "Open data of the societal dialogue on biotechnology: consultations, "
                "aggregated results, published responses and events. Nothing a respondent "
                "did not consent to publish is ever included."
            ),
            "license": {"name": "CC0-1.0", "identifier": "CC0-1.0"},
        },
        "servers": [{"url": "/"}],
        "paths": _with_common_responses(PATHS),
        "components": {"schemas": SCHEMAS},
    }
