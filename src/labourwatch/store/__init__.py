"""The evidence store: one SQLite file of plain tables (see schema.sql)."""

from labourwatch.store.db import DEFAULT_DB, AddResult, Store, resolve_db_path

__all__ = ["DEFAULT_DB", "AddResult", "Store", "resolve_db_path"]
