"""Downloads whose body is sent after the view has returned: streams and temporary files.

A server sends a response body after the request's app context has been torn down, and
with it the request's database session: an object the view loaded is detached by then,
and a lazy relation read from a streamed generator raises `DetachedInstanceError` after
the headers (200) went out, leaving an empty or cut-off file that looks like a download.

Two safe shapes:

- `own_context_stream`: the generator pushes its own app context (so its own session)
  for as long as it runs and reloads what it needs by id inside it. An error while
  streaming is logged with its traceback (`logger.exception`) and the file ends with
  the given failure line, so it is visibly incomplete (a CSV row that says so; JSON
  that no parser accepts), never a valid-looking empty or short file.
- `prepared_file`: the view writes the whole file before the response (an error there is
  an ordinary 500, logged by Flask); the body is read from the open temporary file,
  which is already unlinked, so nothing is left behind whatever the client does.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from typing import AnyStr

from flask import Response, current_app, send_file
from flask_babel import force_locale

log = logging.getLogger(__name__)


def own_context_stream(produce: Callable[[], Iterator[AnyStr]], locale: str,
                       failure: AnyStr) -> Iterator[AnyStr]:
    """Run `produce()` in a fresh app context of the current app, in `locale`.

    `produce` must load everything from the database itself (by id), never use an object
    the view loaded. `failure` is sent last when producing fails part way.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def body() -> Iterator[AnyStr]:
        with app.app_context(), force_locale(locale):
            try:
                yield from produce()
            except Exception:
                log.exception("A streamed download failed part way; the file ends with a "
                              "failure notice")
                yield failure

    return body()


def prepared_file(write: Callable[[str], None], suffix: str, mimetype: str,
                  download_name: str) -> Response:
    """Call `write(path)` for a new temporary file, then send that file as an attachment."""
    handle, path = tempfile.mkstemp(suffix=suffix, prefix="consult-download-")
    os.close(handle)
    try:
        write(path)
        opened = open(path, "rb")  # noqa: SIM115 - send_file closes it with the response
    finally:
        os.unlink(path)
    return send_file(opened, mimetype=mimetype, as_attachment=True,
                     download_name=download_name, max_age=0)
