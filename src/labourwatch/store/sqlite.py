"""The SQLite backend: one file of plain tables, one transaction per document, an append-only
audit enforced by triggers. The embedded default: nothing to install or run."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from labourwatch.errors import StoreError, StoreNotFound
from labourwatch.store.sql import (
    APPEND_ONLY,
    INSERTION_ORDER,
    Cursor,
    SQLStore,
    expand_directives,
    migrations,
    text_sha256,
)

_COLUMN_TYPES = {"INTEGER": "integer", "REAL": "real", "TEXT": "text", "BLOB": "bytes"}


class SQLiteStore(SQLStore):
    """A store in one SQLite file (WAL mode; readable with any SQLite tool)."""

    _operational_errors = (sqlite3.OperationalError,)
    _integrity_errors = (sqlite3.IntegrityError,)

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.location = str(path)

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def connect(cls, target: Path, *, create: bool = True) -> SQLiteStore:
        if not create and not target.exists():
            raise StoreNotFound(f"{target}: no such store")
        try:
            if target.parent and not target.parent.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, one transaction per document.
            conn = sqlite3.connect(target, isolation_level=None, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable at checkpoints, atomic always
            conn.execute("PRAGMA foreign_keys=ON")
            conn.create_function("sha256_text", 1, text_sha256, deterministic=True)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{target}: cannot open the store: {exc}") from None
        store = cls(conn, target)
        try:
            store._migrate()
        except sqlite3.Error as exc:  # a read-only file or folder, a full disk, not a database
            conn.close()
            raise StoreError(f"{target}: cannot prepare the store: {exc}") from None
        except StoreError:
            conn.close()
            raise
        return store

    def close(self) -> None:
        self.conn.close()

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        current = self.schema_version
        self._check_version(current)
        for version, sql in enumerate(migrations()[current:], start=current + 1):
            with self.transaction():
                self._logged_migration(version, sql)

    def _run_script(self, sql: str) -> None:
        for statement in _split_sql(_translate(sql)):
            self.conn.execute(statement)

    def _set_version(self, version: int) -> None:
        self.conn.execute(f"PRAGMA user_version={int(version)}")

    # -- the dialect ---------------------------------------------------------------------
    def _execute(self, sql: str, args: Sequence[Any] = ()) -> Cursor:
        return self.conn.execute(sql, args)

    def _executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def transaction(self) -> _Transaction:
        return _Transaction(self.conn)

    def _table_columns(self, table: str) -> list[tuple[str, str]]:
        return [(row[1], _COLUMN_TYPES.get(row[2].upper(), "text"))
                for row in self.conn.execute(f"PRAGMA table_info({table})")]

    def _json_value(self, column: str, key: str, sql_type: str) -> str:
        return f"json_extract({column}, '$.{key}')"  # typed already: JSON numbers are numbers

    def _json_has(self, column: str, key: str) -> str:
        return f"(json_type({column}, '$.{key}') IS NOT NULL)"  # 'null' for a null value


def _append_only(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table}",
        f"BEGIN SELECT RAISE(ABORT, '{table} log is append-only'); END;",
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table}",
        f"BEGIN SELECT RAISE(ABORT, '{table} log is append-only'); END;",
    ]


def _translate(sql: str) -> str:
    """A migration's directives in SQLite: the append-only triggers (rowid needs no column)."""
    return expand_directives(sql, {APPEND_ONLY: _append_only, INSERTION_ORDER: lambda table: []})


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception (KeyboardInterrupt included)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        elif self.conn.in_transaction:  # SQLite rolls back by itself on some errors (a full disk)
            self.conn.execute("ROLLBACK")


def _split_sql(script: str) -> list[str]:
    """Split a schema script into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buf: list[str] = []
    for line in script.splitlines():
        if line.strip().startswith("--") and not buf:
            continue
        buf.append(line)
        chunk = "\n".join(buf)
        if sqlite3.complete_statement(chunk):
            statements.append(chunk.strip())
            buf = []
    return [s for s in statements if s]
