"""The evidence store: one SQLite file of plain tables (see schema.sql)."""

from labourwatch.store.db import (
    DEFAULT_DB,
    AddResult,
    Store,
    documents_to_extract,
    query_claims,
    resolve_db_path,
    save_extraction,
)

__all__ = [
    "DEFAULT_DB",
    "AddResult",
    "Store",
    "documents_to_extract",
    "query_claims",
    "resolve_db_path",
    "save_extraction",
]
