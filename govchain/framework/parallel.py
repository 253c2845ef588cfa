"""CPU-bound work on every core, in order, with bounded memory: :func:`map_ahead`.

Hashing millions of records is the one place GovChain is CPU-bound (keccak in C, driven from
Python: the interpreter is the limit). :func:`map_ahead` runs a function over a stream of chunks
in worker processes — a few chunks ahead of the caller, never the whole stream — and yields the
results in order, so the caller's own work (sending transactions, writing the index) overlaps the
hashing of the next chunks. Workers are *spawned* (a fresh interpreter: no copy of the caller's
threads, sockets or database handles) and import only the function's module.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cpu_count() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def map_ahead(fn: Callable[[T], R], items: Iterable[T], workers: int | None = None) -> Iterator[R]:
    """``fn(item)`` for each item, in order. With more than one worker and more than one item,
    in ``workers`` spawned processes, at most ``workers + 1`` items submitted and not yet
    yielded; otherwise inline. ``fn`` must be a module-level function (it is pickled)."""
    count = cpu_count() if workers is None else workers
    stream = iter(items)
    head = list(islice(stream, 2))
    if count <= 1 or len(head) < 2:
        yield from map(fn, chain(head, stream))
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(count, mp_context=context) as pool:
        pending: deque[Future[R]] = deque()
        try:
            for item in chain(head, stream):
                pending.append(pool.submit(fn, item))
                if len(pending) > count:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
