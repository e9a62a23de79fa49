"""How a demo step reports progress: `progress(label, total)` returns `advance(n)`.

`ProgressBars` draws a bar per step on stderr (the command's choice); tests pass a
function that does nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

Advance = Callable[[int], None]
Progress = Callable[[str, int], Advance]


class ProgressBars:
    """A progress bar per step, on stderr, that shows only when there is much to do."""

    def __call__(self, label: str, total: int) -> Advance:
        from tqdm import tqdm

        bar = tqdm(total=total, desc=label, file=sys.stderr, disable=total < 200, leave=False)

        def advance(n: int = 1) -> None:
            bar.update(n)
            if bar.n >= total:
                bar.close()

        return advance
