"""Run the analysis command line: ``python -m analysis cluster FILE.csv``."""

from __future__ import annotations

import sys

from analysis.cli import main

sys.exit(main())
