"""labourwatch: evidence on state-sponsored forced labour, traceable to its quotes.

    >>> import labourwatch
    >>> with labourwatch.open("labourwatch.db") as ws:      # a Workspace over the store
    ...     for outcome in ws.ingest(["reports/"]): ...
    ...     for outcome in ws.extract(): ...
    ...     print(ws.money_flow(state_share=0.8).summary())
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from labourwatch._version import __version__
from labourwatch.errors import LabourwatchError

if TYPE_CHECKING:
    from labourwatch.analysis.mse import estimate
    from labourwatch.extract import Pipeline
    from labourwatch.screen import Screener
    from labourwatch.workspace import Workspace

__all__ = ["LabourwatchError", "Pipeline", "Screener", "Workspace", "__version__", "estimate", "open"]

# The heavy parts (spaCy, numpy, scipy) load on first use, so that `import labourwatch` is quick.
_LAZY = {
    "Workspace": "labourwatch.workspace",
    "Pipeline": "labourwatch.extract",
    "Screener": "labourwatch.screen",
    "estimate": "labourwatch.analysis.mse",
}


def open(path: str | os.PathLike[str] | None = None, *, create: bool = False) -> Workspace:  # noqa: A001
    """Open an evidence store (``./labourwatch.db`` by default) as a :class:`Workspace`."""
    from labourwatch.workspace import Workspace

    return Workspace.open(path, create=create)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'labourwatch' has no attribute {name!r}")
