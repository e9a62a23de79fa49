"""The application as served in the load benchmark, plus a bare `/_bench/hello` route.

Only the benchmark loads this module: the product has no hello route. The hello route
runs through the same app, middleware and gunicorn settings, so the ratio
"consultation page / hello" shows what the page itself costs.

Served over plain HTTP on loopback, so the session cookie may not be `Secure` (a
production deployment serves HTTPS and keeps it). Rate limits are off for the run
(one IP sends everything); the benchmark measures the pages, not the limiter.
"""

from __future__ import annotations

import os

from consult import create_app

os.environ.setdefault("CONSULT_ENV", "production")
app = create_app({"RATELIMIT_ENABLED": False})
app.config["SESSION_COOKIE_SECURE"] = False


@app.get("/_bench/hello")
def bench_hello() -> str:
    return "hello"
