"""Locust: anonymous respondents answering the demo's open consultation, start to receipt.

Each simulated person opens the consultation, fills "about you" and every question page
from the HTML (CSRF token read from the page), reviews and submits, and expects the 302
to the receipt; then starts again as a new person (fresh cookies). No think time: each
user is a closed loop, like wrk's connections. The slug comes from CONSULT_BENCH_SLUG.

The users are FastHttpUsers (geventhttpclient, written in C where it counts): on a
two-core machine the load generator shares the server's cores, and the requests-based
HttpUser cost it about a quarter of them.
"""

from __future__ import annotations

import os
from urllib.parse import urlencode

from forms import csrf_token, fill  # benchmarks/load is on the path when run by run.py
from locust import FastHttpUser, constant, events, task

SLUG = os.environ.get("CONSULT_BENCH_SLUG", "kweekvlees-in-nederland")
COMPLETED = {"submissions": 0, "failed": 0}


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class Respondent(FastHttpUser):
    wait_time = constant(0)
    network_timeout = 60.0
    connection_timeout = 60.0

    def _post(self, path: str, data: dict, name: str) -> str | None:
        with self.client.post(path, data=urlencode(data, doseq=True), headers=FORM,
                              allow_redirects=False, name=name,
                              catch_response=True) as result:
            if result.status_code != 302:
                result.failure(f"expected a 302, got {result.status_code}")
                return None
            result.success()
            return str(result.headers["Location"]).removeprefix(self.host)

    @task
    def respond(self) -> None:
        self.client.cookiejar.clear()
        base = f"/consultations/{SLUG}"
        page = self.client.get(base, name="consultation page")
        form = self.client.get(f"{base}/respond", name="GET about you")
        if page.status_code != 200 or form.status_code != 200:
            COMPLETED["failed"] += 1
            return
        location = self._post(f"{base}/respond", fill(form.text), "POST about you")
        while location and "/respond/" in location:
            html = self.client.get(location, name="GET question page").text
            location = self._post(location, fill(html), "POST question page")
        if not location or not location.endswith("/review"):
            COMPLETED["failed"] += 1
            return
        review = self.client.get(location, name="GET review")
        receipt = self._post(location, {"csrf_token": csrf_token(review.text), "website": ""},
                             "POST submit")
        if receipt and "/receipt/" in receipt:
            COMPLETED["submissions"] += 1
        else:
            COMPLETED["failed"] += 1


@events.quitting.add_listener
def _report(environment, **_kwargs) -> None:  # type: ignore[no-untyped-def]
    path = os.environ.get("CONSULT_BENCH_COMPLETED")
    if path:
        import json

        with open(path, "w") as out:
            json.dump(COMPLETED, out)
