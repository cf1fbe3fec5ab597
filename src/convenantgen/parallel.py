"""Spread CPU-bound work (rendering DOCX, normalising PDFs) over the cores.

Worker processes are forked, so they start at once and see the work as it is in the parent:
the items are not pickled, only their indices; the results come back in input order, so the
output does not depend on which worker finished first. Small amounts of work, one core, or a
platform without ``fork`` run in the calling process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a pool costs more than it saves.
MIN_ITEMS = 12
# The work in the parent when the pool forks (read by the children, never sent).
_WORK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _worker_signals() -> None:
    # The workers inherit the command's handlers, which turn SIGTERM into KeyboardInterrupt
    # for cleanup. The pool ends its workers with SIGTERM when done, so they must just stop;
    # Ctrl-C is for the parent, which stops the pool.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(bounds: tuple[int, int]) -> list[Any]:
    assert _WORK is not None
    func, items = _WORK
    return [func(items[i]) for i in range(*bounds)]


def parallel_map(
    func: Callable[[T], R],
    items: Sequence[T],
    workers: int | None = None,
    *,
    min_items: int = MIN_ITEMS,
    while_waiting: Callable[[], None] | None = None,
) -> list[R]:
    """``[func(x) for x in items]``, in ``workers`` processes (default: the cores); in this
    process when there are fewer than ``min_items`` items (lower it for heavy items).

    ``while_waiting`` is called in this process while the workers run (after they were
    forked, so they do not see what it does): other work that would otherwise wait its turn.
    """
    global _WORK
    workers = max(1, min(workers or cores(), len(items)))
    if (
        workers == 1
        or len(items) < min_items
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        results = [func(x) for x in items]
        if while_waiting is not None:
            while_waiting()
        return results
    # A few chunks per worker, so a worker that gets the long documents does not hold up the end.
    size = max(1, -(-len(items) // (workers * 4))) if len(items) >= MIN_ITEMS else 1
    bounds = [(i, min(i + size, len(items))) for i in range(0, len(items), size)]
    _WORK = (func, items)
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_signals) as pool:
            pending = pool.map_async(_run, bounds, chunksize=1)
            if while_waiting is not None:
                while_waiting()
            chunks = pending.get()
    finally:
        _WORK = None
    return [result for chunk in chunks for result in chunk]
