"""Creating the app is enough to register every area (as `flask purge-expired` needs)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json
from consult import create_app
create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
from consult.services import privacy
print(json.dumps([[a.name, a.exporter is not None, a.eraser is not None, a.purge is not None]
                  for a in privacy.areas()]))
"""


def test_a_new_app_has_every_area_registered_once_with_all_three_functions(
    tmp_path: Path,
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[2],
        env={"CONSULT_INSTANCE_PATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    areas = json.loads(result.stdout.strip().splitlines()[-1])
    assert areas == [["account", True, True, True], ["outbox", True, True, True],
                     ["events", True, True, True], ["consultations", True, True, True],
                     ["follow", True, True, True]]
