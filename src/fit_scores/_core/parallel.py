"""Work on several threads for long inputs: how many threads, and a map that keeps order.

numpy and pyarrow let go of the interpreter in their loops, so independent
parts of a long input (chunks of rows, columns) run at once on several
threads. A record or a short table runs on the calling thread: no thread is
started. Nothing here is shared between calls (each call has its own pool).

Examples
--------
>>> workers_for(1000, 8)
1
>>> map_in_order(lambda x: x * x, [1, 2, 3], workers=1)
[1, 4, 9]
>>> map_beside(lambda: "side", lambda x: -x, [1, 2], workers=2)
('side', [-1, -2])
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["MAX_WORKERS", "PARALLEL_ROWS", "map_beside", "map_in_order", "workers_for"]

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

#: Inputs of at least this many rows are worked on by several threads ...
PARALLEL_ROWS = 1 << 16
#: ... at most this many (and no more than the machine's processors).
MAX_WORKERS = 4


def workers_for(n_rows: int, n_tasks: int) -> int:
    """The threads for ``n_tasks`` parts of an input of ``n_rows`` rows (1: no threads)."""
    if n_rows < PARALLEL_ROWS:
        return 1
    return max(1, min(n_tasks, MAX_WORKERS, os.cpu_count() or 1))


def map_in_order(fn: Callable[[T], R], items: Iterable[T], *, workers: int) -> list[R]:
    """``[fn(x) for x in items]``, on ``workers`` threads when more than one."""
    if workers <= 1:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(fn, items))


def map_beside(
    side: Callable[[], S], fn: Callable[[T], R], items: Iterable[T], *, workers: int
) -> tuple[S, list[R]]:
    """``side()`` and ``[fn(x) for x in items]``, at once on ``workers`` threads when more than one.

    ``side`` is started first, so that a long task beside many short ones
    keeps one thread while the others take the items. With one worker,
    ``side()`` runs first, then the items, on the calling thread.
    """
    if workers <= 1:
        first = side()
        return first, [fn(x) for x in items]
    with ThreadPoolExecutor(workers) as pool:
        future = pool.submit(side)
        results = list(pool.map(fn, items))
        return future.result(), results
