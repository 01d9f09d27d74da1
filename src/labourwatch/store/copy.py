"""Moving a whole store between backends (SQLite ↔ PostgreSQL), every hash checked after."""

from __future__ import annotations

import os
from dataclasses import dataclass

from labourwatch.errors import StoreError
from labourwatch.records import Mismatch
from labourwatch.store.base import ALL_TABLES, Store


@dataclass(frozen=True)
class CopyResult:
    """What was copied (rows per table) and what ``verify`` found in the copy (nothing, when
    every original, working text and capture arrived as it was)."""

    source: str
    target: str
    rows: dict[str, int]
    mismatches: list[Mismatch]


def copy_store(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> CopyResult:
    """Copy the store at ``source`` into a new or empty store at ``target`` (ids, reviews,
    users and the audit log kept), in one transaction, then verify the copy."""
    with Store.open(source, create=False) as origin, Store.open(target) as copy:
        if origin.schema_version != copy.schema_version:
            raise StoreError(f"{origin.location}: schema version {origin.schema_version}, "
                             f"{copy.location} has {copy.schema_version}")
        if any(copy.count(table) for table in ("documents", "users")):
            raise StoreError(f"{copy.location}: not empty; copy into a new store")
        rows = copy.load_from(origin)
        # The audit log holds this store's own entries besides the copied ones.
        counts_differ = [t for t in ALL_TABLES if t != "audit" and copy.count(t) != rows[t]]
        mismatches = list(copy.verify())
        if counts_differ:
            raise StoreError(f"{copy.location}: rows missing after the copy in {', '.join(counts_differ)}")
        return CopyResult(origin.location, copy.location, rows, mismatches)
