"""The PostgreSQL backend: the same tables and migrations as SQLite, for a team or a cluster.

Selected by a ``postgresql://`` location (``--db`` or ``$LABOURWATCH_DB``). Connections come
from one psycopg pool per server and process; each store holds one while it is open. Writers
on many machines are kept apart by the database: a document is inserted or found in one
statement, its items are written under a lock on its row, and the audit log refuses UPDATE,
DELETE and TRUNCATE in triggers.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from labourwatch.errors import StoreError, StoreNotFound
from labourwatch.store.base import ALL_TABLES
from labourwatch.store.sql import (
    APPEND_ONLY,
    INSERTION_ORDER,
    Cursor,
    SQLStore,
    expand_directives,
    migrations,
)

POOL_SIZE = int(os.environ.get("LABOURWATCH_PG_POOL", "20"))
_MIGRATION_LOCK = 0x6C77  # pg_advisory_xact_lock key: one process migrates at a time
_COLUMN_TYPES = {"integer": "integer", "bigint": "integer", "double precision": "real", "bytea": "bytes"}
_POOLS: dict[str, ConnectionPool] = {}
_POOLS_LOCK = threading.Lock()

# Functions the migrations use, created before them (and again by each, harmlessly).
_PRELUDE = """
CREATE TABLE IF NOT EXISTS labourwatch_schema (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
CREATE OR REPLACE FUNCTION sha256_text(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE
    AS $$ SELECT encode(sha256(convert_to(t, 'UTF8')), 'hex') $$;
CREATE OR REPLACE FUNCTION labourwatch_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '% log is append-only', TG_TABLE_NAME; END $$;
"""


def redact(location: str) -> str:
    """A PostgreSQL URL without its password (for messages and the audit log)."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", location)


class PostgresStore(SQLStore):
    """A store in a PostgreSQL database (its public schema, or the search_path's first)."""

    _operational_errors = (psycopg.OperationalError,)
    _integrity_errors = (psycopg.IntegrityError,)
    _for_update = " FOR UPDATE"

    def __init__(self, pool: ConnectionPool, conn: psycopg.Connection[Any], location: str) -> None:
        self.pool = pool
        self.conn = conn
        self.dsn = location
        self.location = redact(location)

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def connect(cls, dsn: str, *, create: bool = True) -> PostgresStore:
        try:
            pool = _pool(dsn)
            conn = pool.getconn(timeout=30)
        except (PoolTimeout, psycopg.Error) as exc:
            raise StoreError(f"{redact(dsn)}: cannot connect: {_reason(exc)}") from None
        store = cls(pool, conn, dsn)
        try:
            if not create and not store._exists():
                raise StoreNotFound(f"{store.location}: no labourwatch store in this database")
            store._migrate()
        except psycopg.Error as exc:
            store.close()
            raise StoreError(f"{store.location}: cannot prepare the store: {_reason(exc)}") from None
        except StoreError:
            store.close()
            raise
        return store

    @property
    def shared_location(self) -> str:
        return self.dsn

    def close(self) -> None:
        if self.conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            self.conn.rollback()  # a generator left open: its cursor's transaction ends here
        self.pool.putconn(self.conn)

    def _exists(self) -> bool:
        row = self.conn.execute("SELECT to_regclass('labourwatch_schema') IS NOT NULL").fetchone()
        return bool(row and row[0])

    @property
    def schema_version(self) -> int:
        if not self._exists():
            return 0
        row = self.conn.execute("SELECT version FROM labourwatch_schema").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        if self._exists() and self.schema_version == len(migrations()):
            return  # the common case, without taking the lock
        with self.transaction():
            # Two processes opening a new store at once: the second waits, then finds it done.
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            self.conn.execute(_PRELUDE)
            current = self.schema_version
            self._check_version(current)
            for version, sql in enumerate(migrations()[current:], start=current + 1):
                self._logged_migration(version, sql)

    def _run_script(self, sql: str) -> None:
        self.conn.execute(_translate(sql).encode())  # no parameters: several statements at once

    def _set_version(self, version: int) -> None:
        self.conn.execute(
            "INSERT INTO labourwatch_schema(id, version) VALUES (1, %s)"
            " ON CONFLICT (id) DO UPDATE SET version = excluded.version", (version,)
        )

    # -- the dialect ---------------------------------------------------------------------
    def _execute(self, sql: str, args: Sequence[Any] = ()) -> Cursor:
        return self.conn.execute(_placeholders(sql), args)

    def _executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(_placeholders(sql), list(rows))

    def _stream(self, sql: str, args: Sequence[Any] = ()) -> Iterator[Any]:
        # A server-side cursor: a table of originals is read a thousand rows at a time.
        with self.conn.transaction(), self.conn.cursor(name="labourwatch_stream") as cursor:
            cursor.itersize = 1000
            cursor.execute(_placeholders(sql), args)
            yield from cursor

    def _batched(self) -> AbstractContextManager[Any]:
        return self.conn.pipeline()

    def transaction(self) -> AbstractContextManager[psycopg.Transaction]:
        return self.conn.transaction()

    def _table_columns(self, table: str) -> list[tuple[str, str]]:
        # rowid (the order of insertion) is the database's, not the evidence's: never copied.
        return [(name, _COLUMN_TYPES.get(kind, "text")) for name, kind in self.conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = %s AND column_name != 'rowid'"
            " ORDER BY ordinal_position", (table,))]

    def _json_value(self, column: str, key: str, sql_type: str) -> str:
        cast = {"INTEGER": "::integer", "REAL": "::double precision"}.get(sql_type, "")
        return f"(({column})::jsonb ->> '{key}'){cast}"

    def _json_has(self, column: str, key: str) -> str:
        return f"((({column})::jsonb -> '{key}') IS NOT NULL)"  # a JSON null is not SQL NULL

    def _storable(self, text: str) -> str:
        # PostgreSQL text holds neither NUL nor lone surrogates; one character for one keeps
        # every offset into the text.
        return _UNSTORABLE.sub("\ufffd", text)

    def _after_load(self) -> None:
        for table in ALL_TABLES:
            if "id" in {name for name, kind in self._table_columns(table) if kind == "integer"}:
                self.conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false)"
                    f" FROM {table}"
                )


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


@functools.cache
def _placeholders(sql: str) -> str:
    """The shared SQL's ``?`` placeholders as psycopg's ``%s`` (a literal % doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


def _append_only(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}",
        "    FOR EACH ROW EXECUTE FUNCTION labourwatch_append_only();",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}",
        "    FOR EACH STATEMENT EXECUTE FUNCTION labourwatch_append_only();",
    ]


def _insertion_order(table: str) -> list[str]:
    return [f"ALTER TABLE {table} ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE;"]


def _translate(sql: str) -> str:
    """A migration in PostgreSQL: SQLite's storage types mapped, its directives expanded."""
    text = expand_directives(sql, {APPEND_ONLY: _append_only, INSERTION_ORDER: _insertion_order})
    text = re.sub(r"\bINTEGER PRIMARY KEY\b", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", text)
    text = re.sub(r"\bBLOB\b", "BYTEA", text)
    text = re.sub(r"\bREAL\b", "DOUBLE PRECISION", text)
    return re.sub(r"\)\s*WITHOUT ROWID", ")", text)


def _pool(dsn: str) -> ConnectionPool:
    with _POOLS_LOCK:
        pool = _POOLS.get(dsn)
        if pool is None or pool.closed:
            # One connection first, so that a wrong address or password fails at once with
            # the server's reason (the pool would retry in the background until its timeout).
            psycopg.connect(dsn, connect_timeout=10).close()
            pool = ConnectionPool(dsn, min_size=1, max_size=POOL_SIZE, kwargs={"autocommit": True},
                                  open=True, name="labourwatch")
            _POOLS[dsn] = pool
        return pool


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
