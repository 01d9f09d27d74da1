"""SQLite evidence store: schema migrations, one transaction per document, append-only audit."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any

from labourwatch import __version__
from labourwatch.ingest.model import IngestedDocument

DEFAULT_DB = "labourwatch.db"
ENV_DB = "LABOURWATCH_DB"


def resolve_db_path(db: str | os.PathLike[str] | None) -> Path:
    """``--db`` wins, then ``$LABOURWATCH_DB``, then ``./labourwatch.db``."""
    return Path(db or os.environ.get(ENV_DB) or DEFAULT_DB)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _migrations() -> list[str]:
    """Ordered schema steps; the store's ``user_version`` counts how many have run."""
    return [resources.files("labourwatch.store").joinpath("schema.sql").read_text("utf-8")]


class AddResult(Enum):
    STORED = "stored"
    NEW_SOURCE = "already stored (new source recorded)"
    ALREADY = "already stored"


@dataclass(frozen=True)
class Mismatch:
    document_id: str
    actual: str | None
    reason: str


class Store:
    """A labourwatch store. Use as a context manager or call :meth:`close`."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, create: bool = True) -> Store:
        target = resolve_db_path(path)
        if not create and not target.exists():
            raise FileNotFoundError(f"{target}: no such store")
        if target.parent and not target.parent.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, one transaction per document.
        conn = sqlite3.connect(target, isolation_level=None, timeout=30)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable at checkpoints, atomic always
        conn.execute("PRAGMA foreign_keys=ON")
        store = cls(conn, target)
        store._migrate()
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        steps = _migrations()
        current = self.schema_version
        if current > len(steps):
            raise RuntimeError(
                f"{self.path}: store schema version {current} is newer than this labourwatch "
                f"({len(steps)}); upgrade labourwatch"
            )
        for version, sql in enumerate(steps[current:], start=current + 1):
            with self.transaction():
                for statement in _split_sql(sql):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version={version}")
                self._log("migrate", None, {"schema_version": version})

    # -- transactions --------------------------------------------------------------------
    def transaction(self) -> _Transaction:
        return _Transaction(self.conn)

    def _log(self, action: str, document_id: str | None, detail: dict[str, Any] | None) -> None:
        self.conn.execute(
            "INSERT INTO audit(at, action, document_id, detail, tool_version) VALUES (?,?,?,?,?)",
            (_now(), action, document_id, json.dumps(detail or {}, ensure_ascii=False), __version__),
        )

    # -- documents -----------------------------------------------------------------------
    def add_document(self, doc: IngestedDocument) -> AddResult:
        """Store a document and its source in one transaction; idempotent on identical bytes."""
        now = _now()
        with self.transaction():
            exists = self.conn.execute(
                "SELECT 1 FROM documents WHERE id=?", (doc.id,)
            ).fetchone()
            if not exists:
                self.conn.execute(
                    "INSERT INTO documents(id, title, published, media_type, size, text, status,"
                    " publisher, ingested_at, tool_version) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (doc.id, doc.title, doc.published, doc.media_type, len(doc.original),
                     doc.text, doc.status, doc.publisher, now, __version__),
                )
                self.conn.execute(
                    "INSERT INTO originals(document_id, content) VALUES (?,?)",
                    (doc.id, doc.original),
                )
            added = 0
            for location, kind in doc.locations:
                cur = self.conn.execute(
                    "INSERT OR IGNORE INTO sources(document_id, location, kind, ingested_at)"
                    " VALUES (?,?,?,?)",
                    (doc.id, location, kind, now),
                )
                added += cur.rowcount
            if not exists:
                self._log("ingest", doc.id, {"location": doc.locations[0][0], "status": doc.status})
                return AddResult.STORED
            if added:
                self._log("ingest", doc.id, {"location": doc.locations[0][0], "new_source": True})
                return AddResult.NEW_SOURCE
            return AddResult.ALREADY

    def documents(self) -> Iterator[sqlite3.Row]:
        yield from self.conn.execute(
            "SELECT d.id, d.title, d.published, d.media_type, d.size, d.status, d.ingested_at,"
            " d.extracted_at, (SELECT COUNT(*) FROM sources s WHERE s.document_id=d.id) AS n_sources,"
            " (SELECT location FROM sources s WHERE s.document_id=d.id ORDER BY s.id LIMIT 1)"
            " AS location FROM documents d ORDER BY d.ingested_at, d.rowid"
        )

    def count(self, table: str) -> int:
        if table not in {"documents", "sources", "claims", "indicators", "mentions", "audit"}:
            raise ValueError(table)
        return int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def resolve_id(self, prefix: str) -> str:
        """A full document id from a unique prefix (at least 4 hex characters)."""
        if len(prefix) < 4:
            raise KeyError(f"document id prefix {prefix!r} is too short (4 characters at least)")
        rows = self.conn.execute(
            "SELECT id FROM documents WHERE id LIKE ? LIMIT 2", (prefix.lower() + "%",)
        ).fetchall()
        if not rows:
            raise KeyError(f"no document with id {prefix!r}")
        if len(rows) > 1:
            raise KeyError(f"document id prefix {prefix!r} is ambiguous")
        return str(rows[0][0])

    def document(self, doc_id: str) -> sqlite3.Row:
        row = self.conn.execute("SELECT * FROM documents WHERE id=?", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(f"no document with id {doc_id!r}")
        return row

    def sources(self, doc_id: str) -> list[sqlite3.Row]:
        return self.conn.execute(
            "SELECT location, kind, ingested_at FROM sources WHERE document_id=? ORDER BY id",
            (doc_id,),
        ).fetchall()

    def original(self, doc_id: str) -> bytes:
        row = self.conn.execute(
            "SELECT content FROM originals WHERE document_id=?", (doc_id,)
        ).fetchone()
        if row is None:
            raise KeyError(f"no original for document {doc_id!r}")
        return bytes(row[0])

    def delete(self, doc_id: str) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM documents WHERE id=?", (doc_id,))
            self._log("delete", doc_id, None)

    def verify(self) -> Iterator[Mismatch]:
        """Re-hash every stored original; yield each one that no longer matches its id."""
        rows = self.conn.execute(
            "SELECT d.id, o.content FROM documents d LEFT JOIN originals o ON o.document_id=d.id"
        )
        for doc_id, content in rows:
            if content is None:
                yield Mismatch(doc_id, None, "original missing")
                continue
            actual = hashlib.sha256(bytes(content)).hexdigest()
            if actual != doc_id:
                yield Mismatch(doc_id, actual, "original changed: hash differs")

    def audit(self) -> list[sqlite3.Row]:
        return self.conn.execute("SELECT * FROM audit ORDER BY id").fetchall()


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception (KeyboardInterrupt included)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def _split_sql(script: str) -> list[str]:
    """Split a schema script into statements, keeping trigger bodies whole."""
    statements, buf = [], []
    for line in script.splitlines():
        if line.strip().startswith("--") and not buf:
            continue
        buf.append(line)
        chunk = "\n".join(buf)
        if sqlite3.complete_statement(chunk):
            statements.append(chunk.strip())
            buf = []
    return [s for s in statements if s]


def save_extraction(store: Store, doc_id: str, record: dict[str, Any], pipeline_version: str) -> None:
    """Replace a document's claims, indicators and mentions in one transaction."""
    conn = store.conn
    with store.transaction():
        for table in ("claims", "indicators", "mentions"):
            conn.execute(f"DELETE FROM {table} WHERE document_id=?", (doc_id,))
        conn.executemany(
            "INSERT INTO claims(document_id, start, end, mention, quote, quote_start, variable, low,"
            " high, unit, per, qualifier, source, place, year) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(doc_id, c["start"], c["end"], c["text"], c["quote"], c["quote_start"], c["variable"],
              c["low"], c["high"], c["unit"], c["per"], c["qualifier"], c["source"], c["place"],
              c["year"]) for c in record["claims"]],
        )
        conn.executemany(
            "INSERT INTO indicators(document_id, indicator, start, end, quote) VALUES (?,?,?,?,?)",
            [(doc_id, i["indicator"], i["start"], i["end"], i["quote"]) for i in record["indicators"]],
        )
        rows = []
        for p in record["places"]:
            rows += [(doc_id, "place", p["name"], s, e, p["kind"], p["country"], p["lat"], p["lon"])
                     for s, e in p["mentions"]]
        for kind, key in (("organisation", "organisations"), ("person", "people"), ("sector", "sectors")):
            for x in record[key]:
                rows += [(doc_id, kind, x["name"], s, e, None, None, None, None) for s, e in x["mentions"]]
        conn.executemany(
            "INSERT INTO mentions(document_id, kind, name, start, end, place_kind, country, lat, lon)"
            " VALUES (?,?,?,?,?,?,?,?,?)", rows,
        )
        conn.execute(
            "UPDATE documents SET extracted_at=?, pipeline_version=? WHERE id=?",
            (_now(), pipeline_version, doc_id),
        )
        store._log("extract", doc_id, {"pipeline_version": pipeline_version,
                                        "claims": len(record["claims"]),
                                        "indicators": len(record["indicators"])})


def documents_to_extract(store: Store, force: bool = False) -> list[str]:
    where = "" if force else " WHERE extracted_at IS NULL"
    return [r[0] for r in store.conn.execute(f"SELECT id FROM documents{where} ORDER BY rowid")]


def query_claims(
    store: Store,
    variable: str | None = None,
    place: str | None = None,
    source: str | None = None,
    document: str | None = None,
) -> list[dict[str, Any]]:
    sql = ("SELECT c.*, d.title AS document_title, d.published AS document_published"
           " FROM claims c JOIN documents d ON d.id = c.document_id WHERE 1=1")
    args: list[Any] = []
    if variable:
        sql += " AND c.variable = ?"
        args.append(variable)
    if place:
        sql += " AND upper(c.place) = upper(?)"
        args.append(place)
    if source:
        sql += " AND c.source LIKE ?"
        args.append(f"%{source}%")
    if document:
        sql += " AND c.document_id LIKE ?"
        args.append(document.lower() + "%")
    sql += " ORDER BY d.published, c.document_id, c.start"
    return [dict(r) for r in store.conn.execute(sql, args)]
