"""Bounds on the work one document may cause: a time budget, checked by the clock."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from labourwatch.errors import LabourwatchError

DEFAULT_TIMEOUT = 300.0  # seconds for one document: generous; a 500-page report takes ~20


class TimeBudgetExceeded(LabourwatchError):
    """One document took longer than its time budget; nothing was stored for it."""


@contextmanager
def time_budget(seconds: float | None, what: str) -> Iterator[None]:
    """Raise TimeBudgetExceeded in this block once ``seconds`` have passed.

    A timer signal interrupts pure-Python and most library work alike. It can be armed only
    in the main thread of a process with SIGALRM (Unix); elsewhere the block runs unbounded.
    """
    usable = (seconds and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeBudgetExceeded(f"{what}: over the time budget of {seconds:g} s; nothing stored")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, float(seconds or 0))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
