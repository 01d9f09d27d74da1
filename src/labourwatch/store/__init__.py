"""The evidence store: an interface (:class:`Store`) and its backends (SQLite by default, PostgreSQL
for a team or a cluster).

Nothing outside this package speaks SQL; callers use :class:`Store`'s methods and the typed
records of :mod:`labourwatch.records`.
"""

from labourwatch.store.base import (
    ALL_TABLES,
    DEFAULT_DB,
    ENV_DB,
    EXPORT_TABLES,
    ClaimFilter,
    Store,
    is_postgres,
    resolve_location,
)

__all__ = ["ALL_TABLES", "DEFAULT_DB", "ENV_DB", "EXPORT_TABLES", "ClaimFilter", "Store",
           "is_postgres", "resolve_location"]
