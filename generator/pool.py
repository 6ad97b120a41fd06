"""The one way docs2client spreads work over processes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def map_in_processes(function: Callable[[T], R], items: list[T], workers: int, chunksize: int = 1) -> list[R]:
    """``[function(item) for item in items]`` on ``workers`` processes, in order.
    If a worker dies (killed, out of memory), the batch is finished in this process
    instead of failing the build.  ``function`` must be importable by name."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(function, items, chunksize=chunksize))
    except BrokenProcessPool:
        return [function(item) for item in items]
