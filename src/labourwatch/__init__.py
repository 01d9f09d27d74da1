"""labourwatch: evidence on state-sponsored forced labour, traceable to its quotes."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "open"]


def open(path: str | None = None):  # noqa: A001 - mirrors sqlite3.connect / builtins.open by design
    """Open an evidence store (``./labourwatch.db`` by default) for the Python API."""
    from labourwatch.api import Evidence

    return Evidence.open(path)
