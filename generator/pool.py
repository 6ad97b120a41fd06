"""The one way docs2client spreads work over processes.

Workers never outlive the build: each one asks the kernel to kill it when the
process that started it dies (Linux ``PR_SET_PDEATHSIG``; elsewhere a thread
that polls ``os.getppid()``), so ``kill -9`` of a build leaves no worker behind.
Ctrl-C is the parent's alone: workers ignore SIGINT, and the parent, on any
exception (Ctrl-C included) or when its caller stops early, kills its workers
instead of waiting for the work queued for nobody.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARENT_POLL_SECONDS = 0.25  # how often a worker without PR_SET_PDEATHSIG looks for its parent
_PR_SET_PDEATHSIG = 1


@contextmanager
def process_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A ``ProcessPoolExecutor`` whose workers die with this process.  Leaving the
    block normally waits for the work submitted; leaving it by an exception (or a
    generator closed early) kills the workers instead."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_watch_parent, initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _stop(pool: ProcessPoolExecutor) -> None:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()
    for process in processes:
        process.join(timeout=5)
    if manager is not None:
        # Once it has seen its workers gone it closes its wake-up pipe; waiting for
        # that keeps the interpreter's exit hook from writing into the closed pipe
        # (a traceback at exit on Python 3.11).
        manager.join(timeout=5)


def _watch_parent(parent: int) -> None:
    """Worker initializer: exit when ``parent`` dies; leave Ctrl-C to the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not _die_with_parent():
        threading.Thread(target=_poll_parent, args=(parent,), name="parent-watch", daemon=True).start()
    if os.getppid() != parent:  # it died before the watch began
        os._exit(1)


def _die_with_parent() -> bool:
    """Ask Linux to SIGKILL this process when its parent dies; False elsewhere.
    (The kernel means the parent *thread* that forked: pools are made and used by
    the thread that asks for them, so that thread outlives its workers.)"""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _poll_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def map_in_processes(function: Callable[[T], R], items: list[T], workers: int, chunksize: int = 1) -> list[R]:
    """``[function(item) for item in items]`` on ``workers`` processes, in order."""
    return list(imap_in_processes(function, items, workers, chunksize))


def imap_in_processes(function: Callable[[T], R], items: list[T], workers: int, chunksize: int = 1) -> Iterator[R]:
    """``function(item) for item in items`` on ``workers`` processes, yielded in order
    as they are done.  If a worker dies (killed, out of memory), the items not yet
    yielded are done in this process instead of failing the build.  ``function``
    must be importable by name."""
    from concurrent.futures.process import BrokenProcessPool

    done = 0
    try:
        with process_pool(workers) as pool:
            for result in pool.map(function, items, chunksize=chunksize):
                yield result
                done += 1
    except BrokenProcessPool:
        pass
    for item in items[done:]:
        yield function(item)
