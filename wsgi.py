"""The WSGI entry point for production servers: `gunicorn wsgi:app`.

Served this way the app runs as production unless CONSULT_ENV says otherwise, and then
refuses to start without CONSULT_SECRET_KEY.
"""

import os

from consult import create_app

os.environ.setdefault("CONSULT_ENV", "production")
app = create_app()
