"""Worker processes: how many this machine gives us, and pools that share state by forking."""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

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


class Mapper(Protocol):
    """Where independent pieces of work run: this machine's cores or a cluster's.

    ``map(func, state, items)`` yields ``func(state, item)`` for each item, in order, as they
    finish; ``state`` (an index, a data set) is sent to each worker once, not with each item.
    """

    def map(self, func: Callable[[S, T], R], state: S, items: Sequence[T]) -> Iterator[R]: ...


class LocalMapper:
    """``jobs`` forked processes on this machine (one: in this process)."""

    def __init__(self, jobs: int | None = None, min_items: int = 2) -> None:
        self.jobs = default_jobs() if jobs is None else jobs
        self.min_items = min_items  # below this, forking costs more than it saves

    def map(self, func: Callable[[S, T], R], state: S, items: Sequence[T]) -> Iterator[R]:
        if self.jobs <= 1 or len(items) < self.min_items or not can_fork():
            yield from (func(state, item) for item in items)
            return
        with forked_pool(func, state, self.jobs) as imap:
            yield from imap(items, max(1, len(items) // (self.jobs * 8)))
