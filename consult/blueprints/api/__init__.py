"""The open-data JSON API under /api/v1/, described by /api/v1/openapi.json.

Each area adds a module here that registers its routes on `bp` and its paths and
schemas in `openapi.PATHS` / `openapi.SCHEMAS`; `views` imports them all.
"""
