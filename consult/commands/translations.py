"""`flask --app consult translations update|compile`: the nl and en message catalogues."""

from __future__ import annotations

import os
import shutil
import subprocess  # noqa: S404 - runs pybabel, a fixed local command
import sys

from flask.cli import AppGroup

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TRANSLATIONS = os.path.join(ROOT, "translations")
POT = os.path.join(TRANSLATIONS, "messages.pot")

group = AppGroup("translations", help="Extract, update and compile translations.")


def _pybabel(*args: str) -> None:
    exe = shutil.which("pybabel", path=os.path.dirname(sys.executable)) or "pybabel"
    subprocess.run([exe, *args], check=True, cwd=ROOT)  # noqa: S603


@group.command("update")
def update_command() -> None:
    """Extract messages from code and templates and merge them into nl and en."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--no-location", "--sort-output",
             "--project", "consult", "-o", POT, ".")
    for locale in ("nl", "en"):
        po = os.path.join(TRANSLATIONS, locale, "LC_MESSAGES", "messages.po")
        if not os.path.exists(po):
            _pybabel("init", "-i", POT, "-d", TRANSLATIONS, "-l", locale)
    _pybabel("update", "-i", POT, "-d", TRANSLATIONS, "--no-fuzzy-matching", "--ignore-obsolete")
    from ..translation_tools import fill_english

    fill_english(os.path.join(TRANSLATIONS, "en", "LC_MESSAGES", "messages.po"))


@group.command("compile")
def compile_command() -> None:
    """Compile the .po files into .mo files (run by the setup step)."""
    _pybabel("compile", "-d", TRANSLATIONS, "--statistics")
