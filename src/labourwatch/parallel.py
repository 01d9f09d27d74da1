"""Worker processes: how many this machine gives us, and pools that share state by forking."""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """The cores this process may run on (the affinity mask where there is one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# What the forked processes of a pool call, and the state they call it with: set in the parent
# before the fork, so that the state (a loaded pipeline, a long text) is shared copy-on-write
# and never pickled; only the items and the results travel.
_FORKED: tuple[Callable[[Any, Any], Any], Any] | None = None


def can_fork() -> bool:
    """Whether this process may start a forked pool (a pool's own workers may not)."""
    return "fork" in mp.get_all_start_methods() and not mp.current_process().daemon


@contextmanager
def forked_pool(
    func: Callable[[S, T], R], state: S, processes: int
) -> Iterator[Callable[[Iterable[T], int], Iterator[R]]]:
    """``imap(items, chunksize)``: ``func(state, item)`` for each item, in order, computed in
    ``processes`` forked processes that inherit ``state``."""
    global _FORKED
    previous, _FORKED = _FORKED, (func, state)
    try:
        with mp.get_context("fork").Pool(processes) as pool:
            yield lambda items, chunksize: pool.imap(_call_forked, items, chunksize)
    finally:
        _FORKED = previous


def _call_forked(item: Any) -> Any:
    assert _FORKED is not None, "called outside a forked pool"
    func, state = _FORKED
    return func(state, item)
