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
        "paths": dict(sorted(PATHS.items())),
        "components": {"schemas": SCHEMAS},
    }
