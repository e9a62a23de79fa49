"""`make screenshots`: serve the demo and photograph the main pages at 375 and 1280 px.

A temporary instance folder gets a fresh demo database (`flask db upgrade`, `flask demo
load`); gunicorn serves it on a free loopback port; Debian's chromium (Playwright) opens
the home page, a question page, check-your-answers, the tasting ticket, the official's
overview and a published report, as the demo accounts, and saves full-page PNGs into
docs/screenshots/ as <page>-<width>.png (Dutch, the site's default language) and
<page>-<width>-en.png (English). The README shows them. Nothing outside the temporary
folder and docs/screenshots/ is touched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.reliability.live_gunicorn import Gunicorn  # noqa: E402

PYTHON = sys.executable
OUT = ROOT / "docs" / "screenshots"
WIDTHS = (375, 1280)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
SLUG = "kweekvlees-in-nederland"
REPORTED_SLUG = "kweekvlees-eerste-ronde"
CITIZEN = ("burger@consult.example", "demo-burger-2026")
OFFICIAL = ("ambtenaar@consult.example", "demo-ambtenaar-2026")


def environment(instance: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "CONSULT_INSTANCE_PATH": str(instance),
        "CONSULT_DATABASE_URL": f"sqlite:///{instance / 'demo.sqlite3'}",
        "CONSULT_SECRET_KEY": "screenshots-only",
        "CONSULT_ENV": "development",  # plain HTTP on loopback: cookies without Secure
        "CONSULT_MAIL_BACKEND": "outbox",
        "CONSULT_RATELIMIT_ENABLED": "false",
        "PYTHONPATH": str(ROOT),
    })
    return env


def build_demo(env: dict[str, str]) -> None:
    flask = [PYTHON, "-m", "flask", "--app", "consult"]
    for command in (["translations", "compile"], ["db", "upgrade"], ["demo", "load"]):
        subprocess.run(flask + command, env=env, cwd=ROOT, check=True, timeout=900,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def log_in(page: Any, url: str, who: tuple[str, str]) -> None:
    page.goto(url + "/account/login")
    page.fill("#email", who[0])
    page.fill("#password", who[1])
    with page.expect_navigation():
        page.press("#password", "Enter")


def submit(page: Any, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).first.click()


def tick_everything(page: Any) -> None:
    """The first choice of every group, and every box outside a group (the consents)."""
    for group in page.locator("main fieldset").all():
        for kind in ("radio", "checkbox"):
            choices = group.locator(f"input[type={kind}]")
            if choices.count() and choices.first.is_visible():
                choices.first.check()
    for box in page.locator("main input[type=checkbox]:not(fieldset input)").all():
        if box.is_visible():
            box.check()


def answer_every_page(page: Any, url: str) -> None:
    """Answer the demo consultation's pages, so check-your-answers has answers to show."""
    for number in range(1, 6):
        page.goto(f"{url}/consultations/{SLUG}/respond/{number}?lang=nl")
        if f"/respond/{number}" not in page.url:
            break
        tick_everything(page)
        for area in page.locator("main textarea").all():
            area.fill("Duidelijke etiketten, zodat ik zelf kan kiezen.")
        for place, select in enumerate(page.locator("main .ranking select").all(), start=1):
            select.select_option(str(place))
        button = page.get_by_role("button", name="Opslaan en verder")
        if not button.count():
            break
        with page.expect_navigation():
            button.click()


def register_for_the_tasting(page: Any, url: str) -> str:
    """Register the demo citizen for the demo tasting; the ticket's address."""
    page.goto(url + "/events/?lang=nl")
    page.get_by_role("link", name="Proeverij").first.click()
    page.wait_for_load_state()
    event_url = page.url.split("?")[0]
    page.goto(event_url + "/register")
    for field in page.locator("main input[type=text], main input[type=tel]").all():
        if not field.input_value():
            field.fill("Bea Burger")
    for name, value in (("-day", "14"), ("-month", "3"), ("-year", "1985")):
        found = page.locator(f"input[name$='{name}']")
        if found.count():
            found.first.fill(value)
    birth = page.locator("input[type=date]")
    if birth.count():
        birth.first.fill("1985-03-14")
    tick_everything(page)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    return event_url + "/mine"


def shoot(page: Any, name: str, path: str, langs: tuple[str, ...]) -> list[Path]:
    """The page at `path` in each language at each width; Dutch files have no suffix."""
    taken = []
    for lang in langs:
        separator = "&" if "?" in path else "?"
        page.goto(f"{path}{separator}lang={lang}")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(150)
            suffix = "" if lang == "nl" else f"-{lang}"
            target = OUT / f"{name}-{width}{suffix}.png"
            page.screenshot(path=str(target), full_page=True)
            taken.append(target)
    return taken


def photograph(url: str, langs: tuple[str, ...]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    taken: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        page = context.new_page()
        taken += shoot(page, "home", f"{url}/", langs)

        log_in(page, url, CITIZEN)
        page.goto(f"{url}/consultations/{SLUG}/respond?lang=nl")
        if page.url.split("?")[0].endswith("/respond"):  # about you first
            tick_everything(page)
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_load_state()
        taken += shoot(page, "question", f"{url}/consultations/{SLUG}/respond/1", langs)
        answer_every_page(page, url)
        taken += shoot(page, "check-your-answers", f"{url}/consultations/{SLUG}/review", langs)
        ticket = register_for_the_tasting(page, url)
        taken += shoot(page, "tasting-ticket", ticket, langs)
        context.clear_cookies()

        log_in(page, url, OFFICIAL)  # lands on the official's overview
        taken += shoot(page, "official-dashboard", f"{url}/account/overview", langs)
        taken += shoot(page, "report", f"{url}/consultations/{REPORTED_SLUG}/report", langs)
        browser.close()
    return taken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("nl", "en"), action="append",
                        help="a language to photograph (repeat; default: nl and en)")
    args = parser.parse_args(argv)
    if CHROMIUM is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="consult-screenshots-") as folder:
        instance = Path(folder)
        env = environment(instance)
        print("building the demo database ...", file=sys.stderr)
        build_demo(env)
        server = Gunicorn(env["CONSULT_DATABASE_URL"], instance, env["CONSULT_SECRET_KEY"])
        try:
            taken = photograph(server.url, tuple(args.lang or ("nl", "en")))
        finally:
            server.stop()
    for path in taken:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
