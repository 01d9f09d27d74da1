"""The evidence store: an interface (:class:`Store`) and its backends (SQLite by default).

Nothing outside this package speaks SQL; callers use :class:`Store`'s methods and the typed
records of :mod:`labourwatch.records`.
"""

from labourwatch.store.base import (
    DEFAULT_DB,
    ENV_DB,
    EXPORT_TABLES,
    TABLES,
    ClaimFilter,
    Store,
    resolve_db_path,
)

__all__ = ["DEFAULT_DB", "ENV_DB", "EXPORT_TABLES", "TABLES", "ClaimFilter", "Store", "resolve_db_path"]
