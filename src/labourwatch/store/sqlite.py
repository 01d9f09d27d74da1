"""The SQLite backend: one file of plain tables (schema*.sql), one transaction per document,
an append-only audit enforced by triggers. The only module that speaks SQL to SQLite."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, cast

from labourwatch._version import __version__
from labourwatch.errors import NotFound, StoreError, StoreNotFound
from labourwatch.records import (
    AddResult,
    AuditEntry,
    DocumentSummary,
    Extraction,
    IngestedDocument,
    Mismatch,
    NamedMention,
    PlaceCount,
    Source,
    StoredClaim,
    StoredDocument,
)
from labourwatch.store.base import TABLES, Store

MIGRATIONS = ("schema.sql", "schema_2.sql", "schema_3.sql")
DERIVED = ("sources", "claims", "indicators", "mentions", "sentences", "originals")
MIN_ID_PREFIX = 6
_HEX = frozenset("0123456789abcdef")


def _like_escape(text: str) -> str:
    """``text`` as a literal inside a LIKE pattern (with ESCAPE '\\'): % and _ match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def text_sha256(text: str) -> str:
    """The hash of a working text (lone surrogates kept, so that every str has one)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _migrations() -> list[str]:
    """Ordered schema steps; the store's ``user_version`` counts how many have run."""
    folder = resources.files("labourwatch.store")
    return [folder.joinpath(name).read_text("utf-8") for name in MIGRATIONS]


class SQLiteStore(Store):
    """A store in one SQLite file (WAL mode; readable with any SQLite tool)."""

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
            conn.row_factory = sqlite3.Row
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
        return store

    def close(self) -> None:
        self.conn.close()

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        steps = _migrations()
        current = self.schema_version
        if current > len(steps):
            raise StoreError(
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
        try:
            return self._add_document(doc)
        except sqlite3.OperationalError as exc:  # disk full, read-only, locked past the timeout
            raise StoreError(f"{doc.locations[0][0]}: not stored: {exc}") from None

    def _add_document(self, doc: IngestedDocument) -> AddResult:
        now = _now()
        with self.transaction():
            exists = self.conn.execute("SELECT 1 FROM documents WHERE id=?", (doc.id,)).fetchone()
            if not exists:
                self.conn.execute(
                    "INSERT INTO documents(id, title, published, media_type, size, text, status,"
                    " publisher, ingested_at, tool_version, text_sha256) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (doc.id, doc.title, doc.published, doc.media_type, len(doc.original),
                     doc.text, doc.status, doc.publisher, now, __version__, text_sha256(doc.text)),
                )
                self.conn.execute(
                    "INSERT INTO originals(document_id, content) VALUES (?,?)", (doc.id, doc.original)
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

    def documents(self) -> list[DocumentSummary]:
        sources: dict[str, list[str]] = defaultdict(list)
        for doc_id, location in self.conn.execute("SELECT document_id, location FROM sources ORDER BY id"):
            sources[doc_id].append(location)
        return [
            DocumentSummary(
                id=row[0], title=row[1], published=row[2], media_type=row[3], size=row[4], status=row[5],
                ingested_at=row[6], extracted_at=row[7], sources=sources.get(row[0], []),
            )
            for row in self.conn.execute(
                "SELECT id, title, published, media_type, size, status, ingested_at, extracted_at"
                " FROM documents ORDER BY ingested_at, rowid"
            )
        ]

    def count(self, table: str) -> int:
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}")
        return int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def resolve_id(self, prefix: str) -> str:
        prefix = prefix.strip().lower()
        if len(prefix) < MIN_ID_PREFIX or not set(prefix) <= _HEX:
            raise NotFound(
                f"document id {prefix!r} is not an id: {MIN_ID_PREFIX} or more hexadecimal characters"
            )
        # A range, not LIKE: the prefix is hex, and the index on id serves it.
        rows = self.conn.execute(
            "SELECT id FROM documents WHERE id >= ? AND id < ? LIMIT 2", (prefix, prefix + "g")
        ).fetchall()
        if not rows:
            raise NotFound(f"no document with id {prefix!r}")
        if len(rows) > 1:
            raise NotFound(f"document id prefix {prefix!r} is ambiguous")
        return str(rows[0][0])

    def document(self, doc_id: str) -> StoredDocument:
        row = self.conn.execute(
            "SELECT id, title, published, media_type, size, text, status, publisher, ingested_at,"
            " tool_version, extracted_at, pipeline_version FROM documents WHERE id=?",
            (doc_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no document with id {doc_id!r}")
        return StoredDocument(*row)

    def sources(self, doc_id: str) -> list[Source]:
        return [
            Source(*row)
            for row in self.conn.execute(
                "SELECT location, kind, ingested_at FROM sources WHERE document_id=? ORDER BY id", (doc_id,)
            )
        ]

    def original(self, doc_id: str) -> bytes:
        row = self.conn.execute("SELECT content FROM originals WHERE document_id=?", (doc_id,)).fetchone()
        if row is None:
            raise NotFound(f"no original for document {doc_id!r}")
        return bytes(row[0])

    def delete(self, doc_id: str) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM documents WHERE id=?", (doc_id,))
            self._log("delete", doc_id, None)

    def verify(self) -> Iterator[Mismatch]:
        rows = self.conn.execute(
            "SELECT d.id, o.content, d.text, d.text_sha256 FROM documents d"
            " LEFT JOIN originals o ON o.document_id=d.id"
        )
        for doc_id, content, text, stored_text_hash in rows:
            if content is None:
                yield Mismatch(doc_id, None, "original missing")
                continue
            if not isinstance(content, bytes):
                yield Mismatch(doc_id, None, "original stored as text, not as the original bytes")
                content = str(content).encode("utf-8", "surrogatepass")
            actual = hashlib.sha256(content).hexdigest()
            if actual != doc_id:
                yield Mismatch(doc_id, actual, "original changed: hash differs")
            if stored_text_hash and text_sha256(text) != stored_text_hash:
                yield Mismatch(doc_id, text_sha256(text), "working text changed since it was read")
        for table in DERIVED:  # rows left behind by a deletion with foreign keys off
            for (doc_id,) in self.conn.execute(
                f"SELECT DISTINCT document_id FROM {table}"
                " WHERE document_id NOT IN (SELECT id FROM documents)"
            ):
                yield Mismatch(str(doc_id), None, f"{table} rows of a document that is not in the store")

    def audit(self) -> list[AuditEntry]:
        return [
            AuditEntry(*row)
            for row in self.conn.execute(
                "SELECT id, at, action, document_id, detail, tool_version FROM audit ORDER BY id"
            )
        ]

    # -- extraction ----------------------------------------------------------------------
    def pending(self, force: bool = False) -> list[str]:
        where = "" if force else " WHERE extracted_at IS NULL"
        return [r[0] for r in self.conn.execute(f"SELECT id FROM documents{where} ORDER BY rowid")]

    def save_extraction(self, doc_id: str, extraction: Extraction) -> None:
        try:
            self._save_extraction(doc_id, extraction)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{doc_id}: extraction not stored: {exc}") from None

    def _save_extraction(self, doc_id: str, extraction: Extraction) -> None:
        record = extraction.record
        with self.transaction():
            for table in ("claims", "indicators", "mentions", "sentences"):
                self.conn.execute(f"DELETE FROM {table} WHERE document_id=?", (doc_id,))
            self.conn.executemany(
                "INSERT INTO claims(document_id, start, end, mention, quote, quote_start, variable, low,"
                " high, unit, per, qualifier, source, place, year) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(doc_id, c["start"], c["end"], c["text"], c["quote"], c["quote_start"], c["variable"],
                  c["low"], c["high"], c["unit"], c["per"], c["qualifier"], c["source"], c["place"],
                  c["year"]) for c in record["claims"]],
            )
            self.conn.executemany(
                "INSERT INTO indicators(document_id, indicator, start, end, quote) VALUES (?,?,?,?,?)",
                [(doc_id, i["indicator"], i["start"], i["end"], i["quote"]) for i in record["indicators"]],
            )
            self.conn.executemany(
                "INSERT INTO mentions(document_id, kind, name, start, end, place_kind, country, lat, lon)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                _mention_rows(doc_id, extraction),
            )
            self.conn.executemany(
                "INSERT OR IGNORE INTO sentences(document_id, start, end) VALUES (?,?,?)",
                [(doc_id, s, e) for s, e in extraction.sentences],
            )
            self.conn.execute(
                "UPDATE documents SET extracted_at=?, pipeline_version=? WHERE id=?",
                (_now(), extraction.pipeline_version, doc_id),
            )
            self._log("extract", doc_id, {"pipeline_version": extraction.pipeline_version,
                                           "claims": len(record["claims"]),
                                           "indicators": len(record["indicators"])})

    # -- queries -------------------------------------------------------------------------
    def claims(
        self,
        variable: str | None = None,
        place: str | None = None,
        source: str | None = None,
        document: str | None = None,
    ) -> list[StoredClaim]:
        sql = ("SELECT c.id, c.document_id, c.start, c.end, c.mention, c.quote, c.quote_start,"
               " c.variable, c.low, c.high, c.unit, c.per, c.qualifier, c.source, c.place, c.year,"
               " d.title AS document_title, d.published AS document_published"
               " FROM claims c JOIN documents d ON d.id = c.document_id WHERE 1=1")
        args: list[Any] = []
        if variable:
            sql += " AND c.variable = ?"
            args.append(variable)
        if place:
            sql += " AND upper(c.place) = upper(?)"
            args.append(place)
        if source:
            sql += " AND c.source LIKE ? ESCAPE '\\'"
            args.append(f"%{_like_escape(source)}%")
        if document:
            sql += " AND c.document_id LIKE ? ESCAPE '\\'"
            args.append(_like_escape(document.lower()) + "%")
        sql += " ORDER BY d.published, c.document_id, c.start"
        return [cast(StoredClaim, dict(r)) for r in self.conn.execute(sql, args)]

    def indicator_counts(self) -> dict[str, Counter[str]]:
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for doc_id, code, n in self.conn.execute(
            "SELECT document_id, indicator, COUNT(*) FROM indicators GROUP BY document_id, indicator"
        ):
            counts[doc_id][code] = n
        return dict(counts)

    def place_counts(self, kinds: tuple[str, ...] = ("country", "city")) -> list[PlaceCount]:
        marks = ",".join("?" * len(kinds))
        return [
            PlaceCount(*row)
            for row in self.conn.execute(
                "SELECT name, place_kind, country, lat, lon, COUNT(*) FROM mentions WHERE kind = 'place'"
                f" AND place_kind IN ({marks}) GROUP BY name, place_kind, country",
                kinds,
            )
        ]

    def named_mentions(self) -> Iterator[NamedMention]:
        # The sentence holding a mention is the stored sentence that starts last at or before it.
        rows = self.conn.execute(
            "SELECT m.kind, m.name, m.document_id, d.title,"
            " (SELECT substr(d.text, s.start + 1, s.end - s.start) FROM sentences s"
            "   WHERE s.document_id = m.document_id AND s.start <= m.start"
            "   ORDER BY s.start DESC LIMIT 1) AS quote,"
            " substr(d.text, m.start + 1, m.end - m.start) AS mention"
            " FROM mentions m JOIN documents d ON d.id = m.document_id"
            " WHERE m.kind IN ('organisation', 'person') ORDER BY m.kind, m.name, m.document_id, m.start"
        )
        for kind, name, doc_id, title, quote, mention in rows:
            yield NamedMention(kind, name, doc_id, title, quote or mention)


def _mention_rows(doc_id: str, extraction: Extraction) -> list[tuple[Any, ...]]:
    record = extraction.record
    rows: list[tuple[Any, ...]] = []
    for p in record["places"]:
        rows += [(doc_id, "place", p["name"], s, e, p["kind"], p["country"], p["lat"], p["lon"])
                 for s, e in p["mentions"]]
    for kind, key in (("organisation", "organisations"), ("person", "people"), ("sector", "sectors")):
        for x in record[key]:  # type: ignore[literal-required]
            rows += [(doc_id, kind, x["name"], s, e, None, None, None, None) for s, e in x["mentions"]]
    return rows


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
