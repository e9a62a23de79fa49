"""Every message of code and templates is translated in nl and en: none missing, empty or fuzzy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from consult.translation_tools import catalogue_problems

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def fresh_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Extract the messages anew, so a string added without updating the catalogues shows."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "-q", "extract", "-F", "babel.cfg", "-k", "_l", "--no-location",
         "-o", str(pot), "."],
        check=True, cwd=ROOT,
    )
    return pot


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_catalogue_is_complete(fresh_template: Path, locale: str) -> None:
    po = ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
    problems = catalogue_problems(str(po), str(fresh_template))
    assert problems == [], (
        f"{len(problems)} {locale} messages need work "
        "(run `flask --app consult translations update` and translate):\n" + "\n".join(problems)
    )


def test_a_missing_message_is_caught(tmp_path: Path, fresh_template: Path) -> None:
    """The check itself can fail: a catalogue lacking a message is reported."""
    from babel.messages.pofile import read_po, write_po

    with open(ROOT / "translations" / "nl" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalogue = read_po(handle)
    first = next(m for m in catalogue if m.id)
    catalogue.delete(first.id, first.context)
    damaged = tmp_path / "damaged.po"
    with open(damaged, "wb") as handle:
        write_po(handle, catalogue)
    assert catalogue_problems(str(damaged), str(fresh_template)) == [f"missing: {first.id!r}"]


def test_compiled_catalogues_exist() -> None:
    for locale in ("nl", "en"):
        assert os.path.exists(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.mo"), (
            "run `flask --app consult translations compile` (make does this)"
        )
