"""The one way docs2client spreads work over processes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def map_in_processes(function: Callable[[T], R], items: list[T], workers: int, chunksize: int = 1) -> list[R]:
    """``[function(item) for item in items]`` on ``workers`` processes, in order."""
    return list(imap_in_processes(function, items, workers, chunksize))


def imap_in_processes(function: Callable[[T], R], items: list[T], workers: int, chunksize: int = 1) -> Iterator[R]:
    """``function(item) for item in items`` on ``workers`` processes, yielded in order
    as they are done.  If a worker dies (killed, out of memory), the items not yet
    yielded are done in this process instead of failing the build.  ``function``
    must be importable by name."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for result in pool.map(function, items, chunksize=chunksize):
                yield result
                done += 1
    except BrokenProcessPool:
        pass
    for item in items[done:]:
        yield function(item)
