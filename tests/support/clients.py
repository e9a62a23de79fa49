"""A test client whose requests run as a server runs them: without the test's app context.

Tests hold an app context (and so a database session) around their whole body, to set
data up and to check it afterwards. Flask's own test client runs each request inside
whatever context the test holds: the view then shares the test's session, and an object
it reads stays attached after the request ends. A real server (gunicorn, `flask run`)
never does that: it pushes an app context per request and tears it down, closing the
session, before the response body is sent. A streamed body that reads a lazy relation
after the view returned works in the shared-session test and sends an empty file on a
server.

`ServerLikeClient.open` therefore:

1. commits the test's session, so what the test set up is in the database (a request on
   its own session cannot see uncommitted rows; on SQLite it would wait for the test's
   write lock);
2. runs the request, and reads its whole body, in a fresh `contextvars.Context()`: no app
   context is current there, so Flask pushes its own app context and session and tears
   them down exactly as a server does; a streamed body is read after that teardown, as a
   server reads it;
3. closes the request's input stream (Werkzeug's test client leaves a large multipart
   body's temporary file open) and expires the test session's objects afterwards, so
   the test reads what the request wrote, not what it held before.

`make_app` (tests/support/apps.py) makes it every test app's `test_client_class`, so
`app.test_client()` and the `client` fixture both behave this way.
"""

from __future__ import annotations

import contextvars
from typing import Any

from flask import has_app_context
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from consult.extensions import db


class ServerLikeClient(FlaskClient):
    """A FlaskClient whose requests run outside the test's app context (see the module)."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        shared = has_app_context()
        if shared:
            db.session.commit()
        kwargs["buffered"] = True
        response = contextvars.Context().run(super().open, *args, **kwargs)
        for answered in (response, *response.history):
            # Werkzeug spools a multipart body over 500 KB into a temporary file that it
            # never closes (a server closes its own input): close it, so no
            # ResourceWarning fails the run.
            answered.request.environ["wsgi.input"].close()
        if shared:
            db.session.expire_all()
        return response
