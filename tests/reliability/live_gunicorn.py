"""A real gunicorn on a free loopback port, and a small cookie-keeping HTTP client."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Gunicorn:
    """`gunicorn wsgi:app` with `workers` sync workers (2 by default), on the given database."""

    def __init__(self, database_url: str, instance: Path, secret_key: str,
                 workers: int = 2) -> None:
        self.port = free_port()
        self.worker_count = workers
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.update({
            "CONSULT_ENV": "development",  # plain HTTP on loopback: no Secure cookies
            "CONSULT_SECRET_KEY": secret_key,
            "CONSULT_DATABASE_URL": database_url,
            "CONSULT_INSTANCE_PATH": str(instance),
            "CONSULT_RATELIMIT_ENABLED": "0",
            "CONSULT_MAIL_BACKEND": "outbox",
            "PYTHONPATH": str(ROOT),
        })
        self.log = instance / "gunicorn.log"
        instance.mkdir(parents=True, exist_ok=True)
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--timeout", "30",
                 "--graceful-timeout", "5", "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self._wait_until_serving(45)

    def _wait_until_serving(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn stopped:\n" + self.log.read_text())
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as answer:
                    if answer.status == 200 and len(self.workers()) == self.worker_count:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not serve in time:\n" + self.log.read_text())

    def workers(self) -> list[int]:
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    def kill_a_worker(self) -> int:
        """SIGKILL one worker (as the OOM killer would); gunicorn starts a new one."""
        victim = self.workers()[0]
        os.kill(victim, signal.SIGKILL)
        return victim

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


class Browser:
    """One visitor: keeps cookies, never follows redirects, English."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect())

    def _open(self, path: str, data: dict[str, Any] | None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body,
                                         headers={"Accept-Language": "en"})
        try:
            with self.opener.open(request, timeout=30) as answer:
                return answer.status, answer.headers.get("Location", ""), answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode()

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(path, None)

    def download(self, path: str, data: dict[str, Any] | None = None
                 ) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and the whole body as bytes (GET, or POST when `data` is given).
        A chunked body cut off by the server raises http.client.IncompleteRead."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body,
                                         headers={"Accept-Language": "en"})
        try:
            with self.opener.open(request, timeout=120) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def post(self, path: str, data: dict[str, Any]) -> tuple[int, str, str]:
        return self._open(path, data)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    if match is None:
        match = re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)
