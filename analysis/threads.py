"""One BLAS / OpenMP thread for the small matrix work of the analysis.

On small inputs (samples, 100 base clusters) extra threads cost more than they gain, and on a
busy 2-core machine they were measured 30x slower. ``threadpoolctl`` finds the libraries by
scanning the process (about 40 ms on a loaded machine), so the controller is made once.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import lru_cache, wraps
from typing import Any, ParamSpec, TypeVar

from threadpoolctl import ThreadpoolController

__all__ = ["one_thread", "single_threaded"]

P = ParamSpec("P")
R = TypeVar("R")


@lru_cache(maxsize=1)
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


def one_thread() -> AbstractContextManager[Any]:
    """A context in which BLAS and OpenMP use one thread."""
    return _controller().limit(limits=1)


def single_threaded(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` with BLAS and OpenMP held to one thread (measured faster: see
    benchmarks/README.md)."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with one_thread():
            return func(*args, **kwargs)

    return wrapper
