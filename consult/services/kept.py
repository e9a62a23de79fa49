"""Copies a worker keeps in memory, the newest few by key (least recently used dropped).

The consultation page's fixed part, the question structure and the rendered anonymous
pages each keep theirs in a `KeptCopies`; the key holds what makes a copy stale (a
version, a language), so nothing is ever invalidated by hand, only cleared in tests.
Thread-safe: a worker with threads shares one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class KeptCopies(Generic[V]):
    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._copies: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        """The copy kept under `key`, or None."""
        with self._lock:
            found = self._copies.get(key)
            if found is not None:
                self._copies.move_to_end(key)
            return found

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        """The copy kept under `key`, made (outside the lock) and kept when missing."""
        found = self.get(key)
        if found is not None:
            return found
        made = make()
        with self._lock:
            self._copies[key] = made
            while len(self._copies) > self.max_entries:
                self._copies.popitem(last=False)
        return made

    def clear(self) -> None:
        with self._lock:
            self._copies.clear()
