"""How many worker processes this machine gives us."""

from __future__ import annotations

import os


def default_jobs() -> int:
    """The cores this process may run on (the affinity mask where there is one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
