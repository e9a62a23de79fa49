"""Demo data for a local site: `flask --app consult demo load` (consult/commands/demo.py).

`steps.STEPS` lists every step, in order; each adds only what is missing and returns
lines to print, so loading twice changes nothing the second time. Only the commands
import this package (an import-linter contract in pyproject.toml).

    progress.py       the `Progress` callback every step receives, and progress bars
    accounts.py       the catalogues and one account per role
    events.py         a tasting and a workshop
    consultations.py  an open consultation with every question kind, and a closed one
    responses.py      thousands of synthetic responses from planted opinion groups
    links.py          the tasting's before and after questionnaires
    steps.py          the ordered list of steps, and `load_demo_data`
"""
