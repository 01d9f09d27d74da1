"""What every SQL backend shares: the evidence store's queries, written once in the SQL that
SQLite and PostgreSQL both speak (``?`` placeholders, ``ON CONFLICT DO NOTHING``, ``RETURNING``),
with the few differences (JSON, row locks, storage types) asked of the backend.

Migrations are one history for both backends (schema*.sql, numbered steps); a backend maps
their storage types and expands their directives (see :meth:`SQLStore._translate`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from abc import abstractmethod
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from importlib import resources
from typing import Any, Protocol, cast

from labourwatch._version import __version__
from labourwatch.errors import AlreadyExists, NotFound, StoreError
from labourwatch.records import (
    CORRECTABLE_CLAIM_FIELDS,
    REVIEW_KINDS,
    REVIEW_STATES,
    AddResult,
    AuditEntry,
    Capture,
    DocumentSummary,
    Extraction,
    IngestedDocument,
    Mismatch,
    NamedMention,
    PlaceCount,
    Review,
    Source,
    StoredCapture,
    StoredClaim,
    StoredDocument,
    StoredEstimate,
    StoredIndicator,
    StoredName,
    User,
)
from labourwatch.store.base import ALL_TABLES, EXPORT_TABLES, ClaimFilter, Store

MIGRATIONS = ("schema.sql", "schema_2.sql", "schema_3.sql", "schema_4.sql", "schema_5.sql", "schema_6.sql",
              "schema_7.sql", "schema_8.sql")
DERIVED = ("sources", "claims", "indicators", "mentions", "sentences", "originals", "captures")
MIN_ID_PREFIX = 6
_HEX = frozenset("0123456789abcdef")
# Directives a migration writes as comment lines (``-- @name table``), each expanded by every
# backend in its own SQL: a table that must refuse UPDATE and DELETE (the audit log, enforced
# with triggers), and a table whose order of insertion must be kept (SQLite's rowid; a column
# where a database has none).
APPEND_ONLY = "append-only"
INSERTION_ORDER = "insertion-order"


class Cursor(Protocol):
    """The DB-API cursor both drivers return."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...

    @property
    def description(self) -> Any: ...


def _like_escape(text: str) -> str:
    """``text`` as a literal inside a LIKE pattern (with ESCAPE '\\'): % and _ match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def text_sha256(text: str) -> str:
    """The hash of a working text (lone surrogates kept, so that every str has one)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def expand_directives(sql: str, expansions: Mapping[str, Callable[[str], list[str]]]) -> str:
    """A migration with each ``-- @name table`` line replaced by ``expansions[name](table)``."""
    lines = []
    for line in sql.splitlines():
        name, _, table = line.removeprefix("-- @").partition(" ")
        lines += expansions[name](table.strip()) if line.startswith("-- @") else [line]
    return "\n".join(lines)


@functools.cache
def migrations() -> list[str]:
    """Ordered schema steps; a store's schema version counts how many have run."""
    folder = resources.files("labourwatch.store")
    return [folder.joinpath(name).read_text("utf-8") for name in MIGRATIONS]


class SQLStore(Store):
    """A store over a SQL database; a backend supplies the connection and the dialect."""

    location: str
    # Exceptions of the driver: a write that could not be done (disk full, locked, connection
    # lost), and a broken unique constraint.
    _operational_errors: tuple[type[Exception], ...]
    _integrity_errors: tuple[type[Exception], ...]
    # Appended to a SELECT that reads rows about to be changed (PostgreSQL's row locks; SQLite
    # needs none: a write transaction holds the whole file).
    _for_update = ""
    _audit_user: bool | None = None

    # -- what a backend supplies ---------------------------------------------------------
    @abstractmethod
    def _execute(self, sql: str, args: Sequence[Any] = ()) -> Cursor: ...

    @abstractmethod
    def _executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Any]:
        """One transaction: committed on success, rolled back on any exception."""

    @abstractmethod
    def _table_columns(self, table: str) -> list[tuple[str, str]]:
        """(name, type) of a table's stored columns in order; type is integer, real, text or bytes."""

    @abstractmethod
    def _json_value(self, column: str, key: str, sql_type: str) -> str:
        """SQL for the value under ``key`` of a JSON object column (NULL if absent or null)."""

    @abstractmethod
    def _json_has(self, column: str, key: str) -> str:
        """SQL that is true where a JSON object column has ``key`` (even with a null value)."""

    def _batched(self) -> AbstractContextManager[Any]:
        """Statements sent without waiting for each answer where the driver can (a server's
        round trips); nothing to do for an embedded database."""
        return contextlib.nullcontext()

    def _storable(self, text: str) -> str:
        """The text as the database can hold it (the same length: offsets keep their meaning)."""
        return text

    def _logged_migration(self, version: int, sql: str) -> None:
        self._audit_user = None  # a step may add the column
        self._run_script(sql)
        self._set_version(version)
        self._log("migrate", None, {"schema_version": version})

    @abstractmethod
    def _run_script(self, sql: str) -> None: ...

    @abstractmethod
    def _set_version(self, version: int) -> None: ...

    def _check_version(self, current: int) -> None:
        if current > len(migrations()):
            raise StoreError(
                f"{self.location}: store schema version {current} is newer than this labourwatch "
                f"({len(migrations())}); upgrade labourwatch"
            )

    def _locked_document(self, column: str, doc_id: str) -> Any:
        """One column of a document's row, locked until the transaction ends (PostgreSQL):
        every writer of a document's items takes it first, so writers take turns."""
        sql = f"SELECT {column} FROM documents WHERE id=?{self._for_update}"
        return self._execute(sql, (doc_id,)).fetchone()

    # -- audit ---------------------------------------------------------------------------
    def _log(
        self, action: str, document_id: str | None, detail: dict[str, Any] | None, user: str | None = None
    ) -> None:
        values = [_now(), action, document_id, json.dumps(detail or {}, ensure_ascii=False), __version__]
        columns = "at, action, document_id, detail, tool_version"
        if self._audit_names_users():
            columns += ', "user"'
            values.append(user)
        self._execute(f"INSERT INTO audit({columns}) VALUES ({','.join('?' * len(values))})", values)

    def _audit_names_users(self) -> bool:
        """Whether the audit table has its user column (schema 4 on): the first migrations
        are logged before it exists."""
        if self._audit_user is None:
            self._audit_user = "user" in {name for name, _ in self._table_columns("audit")}
        return self._audit_user

    def log(self, action: str, document_id: str | None, detail: dict[str, Any], user: str | None) -> None:
        with self.transaction():
            self._log(action, document_id, detail, user)

    def generation(self) -> int:
        return int(self._execute("SELECT COALESCE(MAX(id), 0) FROM audit").fetchone()[0])

    # -- documents -----------------------------------------------------------------------
    def add_document(self, doc: IngestedDocument, user: str | None = None) -> AddResult:
        try:
            return self._add_document(doc, user)
        except self._operational_errors as exc:  # disk full, read-only, locked past the timeout
            raise StoreError(f"{doc.locations[0][0]}: not stored: {exc}") from None

    def _add_document(self, doc: IngestedDocument, user: str | None) -> AddResult:
        now = _now()
        with self.transaction():
            # Insert-or-nothing, not look-then-insert: two writers of the same bytes at once
            # (two machines ingesting one feed) store it once; the second waits, then finds it.
            text = self._storable(doc.text)
            exists = self._execute(
                "INSERT INTO documents(id, title, published, media_type, size, text, status,"
                " publisher, ingested_at, tool_version, text_sha256, text_origin, ocr_confidence,"
                " published_source) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING RETURNING id",
                (doc.id, doc.title, doc.published, doc.media_type, len(doc.original),
                 text, doc.status, doc.publisher, now, __version__, text_sha256(text),
                 doc.text_origin, doc.ocr_confidence, doc.published_source),
            ).fetchone() is None
            if not exists:
                self._execute(
                    "INSERT INTO originals(document_id, content) VALUES (?,?)", (doc.id, doc.original)
                )
            added = 0
            for location, kind in doc.locations:
                cur = self._execute(
                    "INSERT INTO sources(document_id, location, kind, ingested_at)"
                    " VALUES (?,?,?,?) ON CONFLICT DO NOTHING",
                    (doc.id, location, kind, now),
                )
                added += cur.rowcount
            if doc.capture is not None:  # every capture is evidence, even of a page seen before
                self._add_capture(doc.id, doc.capture)
                added += 1
            if not exists:
                self._log("ingest", doc.id, {"location": doc.locations[0][0], "status": doc.status}, user)
                return AddResult.STORED
            if added:
                self._log("ingest", doc.id, {"location": doc.locations[0][0], "new_source": True}, user)
                return AddResult.NEW_SOURCE
            return AddResult.ALREADY

    def _add_capture(self, doc_id: str, capture: Capture) -> None:
        self._execute(
            "INSERT INTO captures(document_id, url, final_url, redirects, status, captured_at, warc,"
            " warc_sha256) VALUES (?,?,?,?,?,?,?,?)",
            (doc_id, capture.url, capture.final_url, json.dumps(capture.redirects), capture.status,
             capture.captured_at, capture.warc, hashlib.sha256(capture.warc).hexdigest()),
        )

    def captures(self, doc_id: str | None = None) -> Iterator[StoredCapture]:
        where, args = (" WHERE document_id=?", [doc_id]) if doc_id else ("", [])
        for row in self._execute(
            "SELECT id, document_id, url, final_url, redirects, status, captured_at, warc"
            f" FROM captures{where} ORDER BY id", args
        ):
            hops = [(int(status), str(url)) for status, url in json.loads(row[4])]
            yield StoredCapture(row[0], row[1], row[2], row[3], hops, row[5], row[6], bytes(row[7]))

    def documents(
        self, query: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[DocumentSummary]:
        where, args = _document_search(query)
        page = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
        rows = self._execute(
            "SELECT id, title, published, media_type, size, status, ingested_at, extracted_at, duplicate_of"
            f" FROM documents{where} ORDER BY ingested_at, rowid{page}",
            args,
        ).fetchall()
        sources: dict[str, list[str]] = defaultdict(list)
        if limit is None and not query:
            found = self._execute("SELECT document_id, location FROM sources ORDER BY id")
        else:
            ids = [r[0] for r in rows]
            found = self._execute(
                "SELECT document_id, location FROM sources"
                f" WHERE document_id IN ({','.join('?' * len(ids))}) ORDER BY id", ids,
            )
        for doc_id, location in found:
            sources[doc_id].append(location)
        return [
            DocumentSummary(
                id=row[0], title=row[1], published=row[2], media_type=row[3], size=row[4], status=row[5],
                ingested_at=row[6], extracted_at=row[7], sources=sources.get(row[0], []),
                duplicate_of=row[8],
            )
            for row in rows
        ]

    def count_documents(self, query: str | None = None) -> int:
        where, args = _document_search(query)
        return int(self._execute(f"SELECT COUNT(*) FROM documents{where}", args).fetchone()[0])

    def count(self, table: str) -> int:
        if table not in ALL_TABLES:
            raise ValueError(f"unknown table {table!r}")
        return int(self._execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def columns(self, table: str) -> list[tuple[str, str]]:
        if table not in EXPORT_TABLES:
            raise ValueError(f"unknown table {table!r}")
        # Bytes columns are exported by their hash: the WARC capture by warc_sha256.
        return [(name, kind) for name, kind in self._table_columns(table) if kind != "bytes"]

    def rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        return self._all_rows(table, [name for name, _ in self.columns(table)])

    def _all_rows(self, table: str, names: list[str]) -> Iterator[tuple[Any, ...]]:
        selected = ", ".join(f'"{name}"' for name in names)
        order = _TABLE_ORDER.get(table, "id")
        yield from (tuple(row) for row in self._stream(f"SELECT {selected} FROM {table} ORDER BY {order}"))

    def _records(self, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows as dicts by column name."""
        cursor = self._execute(sql, args)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def _stream(self, sql: str, args: Sequence[Any] = ()) -> Iterator[Any]:
        """Rows read as they are iterated, not all at once (a backend may override)."""
        yield from self._execute(sql, args)

    def dump(self, table: str) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
        if table not in ALL_TABLES:
            raise ValueError(f"unknown table {table!r}")
        names = [name for name, _ in self._table_columns(table)]
        return names, self._all_rows(table, names)

    def load_from(self, source: Store) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self.transaction():
            for table in ALL_TABLES:
                names, rows = source.dump(table)
                if table == "audit":  # the log goes on from this store's own entries
                    keep = [i for i, name in enumerate(names) if name != "id"]
                    names, rows = [names[i] for i in keep], (tuple(row[i] for i in keep) for row in rows)
                counts[table] = self._load(table, names, rows)
            self._after_load()
            self._log("copy", None, {"from": source.location, "rows": counts})
        return counts

    def _load(self, table: str, names: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
        columns = ", ".join(f'"{name}"' for name in names)
        sql = f"INSERT INTO {table}({columns}) VALUES ({','.join('?' * len(names))})"
        total = 0
        for chunk in _chunks(rows, 1000):
            self._executemany(sql, chunk)
            total += len(chunk)
        return total

    def _after_load(self) -> None:
        """Rows were inserted with their ids (a backend with sequences moves them past)."""

    def resolve_id(self, prefix: str) -> str:
        prefix = prefix.strip().lower()
        if len(prefix) < MIN_ID_PREFIX or not set(prefix) <= _HEX:
            raise NotFound(
                f"document id {prefix!r} is not an id: {MIN_ID_PREFIX} or more hexadecimal characters"
            )
        # A range, not LIKE: the prefix is hex, and the index on id serves it.
        rows = self._execute(
            "SELECT id FROM documents WHERE id >= ? AND id < ? LIMIT 2", (prefix, prefix + "g")
        ).fetchall()
        if not rows:
            raise NotFound(f"no document with id {prefix!r}")
        if len(rows) > 1:
            raise NotFound(f"document id prefix {prefix!r} is ambiguous")
        return str(rows[0][0])

    def document(self, doc_id: str) -> StoredDocument:
        row = self._execute(
            "SELECT id, title, published, media_type, size, text, status, publisher, ingested_at,"
            " tool_version, extracted_at, pipeline_version, text_origin, ocr_confidence, published_source,"
            " duplicate_of FROM documents WHERE id=?",
            (doc_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no document with id {doc_id!r}")
        return StoredDocument(*row)

    def sources(self, doc_id: str) -> list[Source]:
        return [
            Source(*row)
            for row in self._execute(
                "SELECT location, kind, ingested_at FROM sources WHERE document_id=? ORDER BY id", (doc_id,)
            )
        ]

    def original(self, doc_id: str) -> bytes:
        row = self._execute("SELECT content FROM originals WHERE document_id=?", (doc_id,)).fetchone()
        if row is None:
            raise NotFound(f"no original for document {doc_id!r}")
        return bytes(row[0])

    def delete(self, doc_id: str, user: str | None = None, reason: str | None = None) -> None:
        with self.transaction():
            row = self._locked_document("title", doc_id)
            if row is None:
                raise NotFound(f"no document with id {doc_id!r}")
            self._promote_first_copy(doc_id)
            self._execute("DELETE FROM documents WHERE id=?", (doc_id,))
            self._log("delete", doc_id, {"title": row[0], "reason": reason}, user)

    def _promote_first_copy(self, doc_id: str) -> None:
        """Before a document goes, its first copy takes its place, so that the other copies
        still count once, through it."""
        first = self._execute(
            "SELECT id FROM documents WHERE duplicate_of=? ORDER BY rowid LIMIT 1",
            (doc_id,),
        ).fetchone()
        if first is not None:
            self._execute("UPDATE documents SET duplicate_of=? WHERE duplicate_of=? AND id<>?",
                          (first[0], doc_id, first[0]))
            self._execute("UPDATE documents SET duplicate_of=NULL WHERE id=?", (first[0],))

    # -- settings --------------------------------------------------------------------------
    def setting(self, key: str) -> str | None:
        row = self._execute("SELECT value FROM settings WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str | None, user: str | None = None) -> None:
        with self.transaction():
            self._execute("DELETE FROM settings WHERE key=?", (key,))
            if value is not None:
                self._execute("INSERT INTO settings(key, value) VALUES (?,?)", (key, value))
            self._log("setting", None, {"key": key, "value": value}, user)

    def nationality_counts(self) -> Counter[str]:
        nationality = self._reviewed("nationality")
        return Counter({str(r[0]): int(r[1]) for r in self._execute(
            f"SELECT {nationality}, COUNT(*) FROM claims c WHERE c.review_state <> 'rejected'"
            f" AND {nationality} IS NOT NULL GROUP BY {nationality}")})

    # -- near-copies -----------------------------------------------------------------------
    def unsigned_documents(self) -> list[str]:
        return [r[0] for r in self._execute(
            "SELECT id FROM documents WHERE id NOT IN (SELECT document_id FROM signatures) ORDER BY rowid")]

    def signature_candidates(self, bands: list[str]) -> list[tuple[str, str, str | None]]:
        if not bands:
            return []
        return [(r[0], r[1], r[2]) for r in self._execute(
            "SELECT d.id, s.minhash, d.duplicate_of FROM documents d"
            " JOIN signatures s ON s.document_id = d.id WHERE d.id IN"
            f" (SELECT document_id FROM signature_bands WHERE band IN ({','.join('?' * len(bands))}))"
            " ORDER BY d.rowid", bands)]

    def save_signature(self, doc_id: str, minhash: str, bands: list[str], copy_of: str | None) -> None:
        with self.transaction():
            if self._locked_document("id", doc_id) is None:
                raise NotFound(f"no document with id {doc_id!r}")
            self._execute("INSERT INTO signatures(document_id, minhash) VALUES (?,?) ON CONFLICT DO NOTHING",
                          (doc_id, minhash))
            self._executemany(
                "INSERT INTO signature_bands(band, document_id) VALUES (?,?) ON CONFLICT DO NOTHING",
                [(band, doc_id) for band in bands])
            if copy_of is not None:
                self._execute("UPDATE documents SET duplicate_of=? WHERE id=?", (copy_of, doc_id))
                self._log("near_copy", doc_id, {"copy_of": copy_of}, None)

    def verify(self) -> Iterator[Mismatch]:
        rows = self._execute(
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
        for capture_id, doc_id, warc, stored_hash in self._execute(
            "SELECT id, document_id, warc, warc_sha256 FROM captures"
        ):
            if hashlib.sha256(bytes(warc)).hexdigest() != stored_hash:
                yield Mismatch(doc_id, None, f"capture {capture_id} changed: its WARC hash differs")
        for table in DERIVED:  # rows left behind by a deletion with foreign keys off
            for (doc_id,) in self._execute(
                f"SELECT DISTINCT document_id FROM {table}"
                " WHERE document_id NOT IN (SELECT id FROM documents)"
            ):
                yield Mismatch(str(doc_id), None, f"{table} rows of a document that is not in the store")

    def audit(self) -> list[AuditEntry]:
        return [
            AuditEntry(*row)
            for row in self._execute(
                'SELECT id, at, action, document_id, detail, tool_version, "user" FROM audit ORDER BY id'
            )
        ]

    # -- extraction ----------------------------------------------------------------------
    def pending(self, force: bool = False) -> list[str]:
        return [r[0] for r in self._execute(f"SELECT id FROM documents{_pending(force)} ORDER BY rowid")]

    def count_pending(self, force: bool = False) -> int:
        return int(self._execute(f"SELECT COUNT(*) FROM documents{_pending(force)}").fetchone()[0])

    def save_extraction(
        self, doc_id: str, extraction: Extraction, user: str | None = None, run: str | None = None
    ) -> bool:
        try:
            return self._save_extraction(doc_id, extraction, user, run)
        except self._operational_errors as exc:
            raise StoreError(f"{doc_id}: extraction not stored: {exc}") from None

    def _save_extraction(
        self, doc_id: str, extraction: Extraction, user: str | None, run: str | None
    ) -> bool:
        record = extraction.record
        with self._batched(), self.transaction():
            # The document's row is locked first (by every writer of its items), so that two
            # workers, or a worker and a reviewer, take turns; a run's second try is a no-op.
            row = self._locked_document("extraction_run", doc_id)
            if row is None:
                raise NotFound(f"no document with id {doc_id!r}")
            if run is not None and row[0] == run:
                return False
            kept = self._keep_reviewed(doc_id)
            self._executemany(
                'INSERT INTO claims(document_id, start, "end", mention, quote, quote_start, variable, low,'
                " high, unit, per, qualifier, source, place, year, nationality)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(doc_id, c["start"], c["end"], c["text"], c["quote"], c["quote_start"], c["variable"],
                  c["low"], c["high"], c["unit"], c["per"], c["qualifier"], c["source"], c["place"],
                  c["year"], c.get("nationality")) for c in record["claims"]
                 if ("claims", c["start"], c["end"], c["variable"]) not in kept],
            )
            self._executemany(
                'INSERT INTO indicators(document_id, indicator, start, "end", quote) VALUES (?,?,?,?,?)',
                [(doc_id, i["indicator"], i["start"], i["end"], i["quote"]) for i in record["indicators"]
                 if ("indicators", i["start"], i["end"], i["indicator"]) not in kept],
            )
            self._executemany(
                'INSERT INTO mentions(document_id, kind, name, start, "end", place_kind, country, lat, lon)'
                " VALUES (?,?,?,?,?,?,?,?,?)",
                [row for row in _mention_rows(doc_id, extraction) if ("mentions", row[3], row[4], row[1])
                 not in kept],
            )
            self._executemany(
                'INSERT INTO sentences(document_id, start, "end") VALUES (?,?,?) ON CONFLICT DO NOTHING',
                [(doc_id, s, e) for s, e in extraction.sentences],
            )
            self._execute(
                "UPDATE documents SET extracted_at=?, pipeline_version=?, extraction_run=? WHERE id=?",
                (_now(), extraction.pipeline_version, run, doc_id),
            )
            self._log("extract", doc_id, {"pipeline_version": extraction.pipeline_version,
                                           "claims": len(record["claims"]),
                                           "indicators": len(record["indicators"]),
                                           "kept_reviewed": len(kept)}, user)
        return True

    def _keep_reviewed(self, doc_id: str) -> set[tuple[str, int, int, str]]:
        """Delete a document's unreviewed machine items; return the keys of those kept (one
        query for the three tables: a round trip per statement is what a server costs)."""
        for table in ("claims", "indicators", "mentions"):
            self._execute(
                f"DELETE FROM {table}"
                " WHERE document_id=? AND review_state='unreviewed' AND origin='extractor'",
                (doc_id,),
            )
        self._execute("DELETE FROM sentences WHERE document_id=?", (doc_id,))
        rows = self._execute(
            """SELECT 'claims', start, "end", variable FROM claims WHERE document_id=?"""
            """ UNION ALL SELECT 'indicators', start, "end", indicator FROM indicators WHERE document_id=?"""
            """ UNION ALL SELECT 'mentions', start, "end", kind FROM mentions WHERE document_id=?""",
            (doc_id, doc_id, doc_id),
        )
        return {(str(table), int(start), int(end), str(value)) for table, start, end, value in rows}

    # -- queries -------------------------------------------------------------------------
    def claims(
        self, where: ClaimFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> list[StoredClaim]:
        if limit is not None:  # a page: ids from the indexes (skipped rows are not read), then rows
            return self.claims_by_id(self.claim_ids(where, limit, offset))
        condition, args = self._claim_condition(where)
        return [_claim(row) for row in self._records(
            f"SELECT {_CLAIM_COLUMNS} FROM claims c JOIN documents d ON d.id = c.document_id"
            f" WHERE {condition} {_CLAIM_ORDER}", args)]

    def claim_ids(
        self, where: ClaimFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> list[int]:
        condition, args = self._claim_condition(where)
        page = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return [row[0] for row in self._execute(
            f"SELECT c.id FROM claims c JOIN documents d ON d.id = c.document_id WHERE {condition}"
            f" {_CLAIM_ORDER}{page}", args)]

    def claims_by_id(self, ids: list[int]) -> list[StoredClaim]:
        if not ids:
            return []
        rows = {row["id"]: row for row in self._records(
            f"SELECT {_CLAIM_COLUMNS} FROM claims c JOIN documents d ON d.id = c.document_id"
            f" WHERE c.id IN ({','.join('?' * len(ids))})", ids)}
        return [_claim(rows[i]) for i in ids if i in rows]

    def count_claims(self, where: ClaimFilter | None = None) -> int:
        condition, args = self._claim_condition(where)
        return int(self._execute(
            f"SELECT COUNT(*) FROM claims c JOIN documents d ON d.id = c.document_id WHERE {condition}", args
        ).fetchone()[0])

    def claim(self, claim_id: int) -> StoredClaim:
        rows = self._records(
            f"SELECT {_CLAIM_COLUMNS} FROM claims c JOIN documents d ON d.id = c.document_id WHERE c.id=?",
            (claim_id,),
        )
        if not rows:
            raise NotFound(f"no claim with id {claim_id}")
        return _claim(rows[0])

    def add_claim(self, doc_id: str, claim: dict[str, Any], user: str) -> int:
        with self.transaction():
            row = self._locked_document("text", doc_id)
            if row is None:
                raise NotFound(f"no document with id {doc_id!r}")
            text: str = row[0]
            start, end = int(claim["start"]), int(claim["end"])
            quote_start, quote_end = self._sentence_around(doc_id, text, start, end)
            cur = self._execute(
                'INSERT INTO claims(document_id, start, "end", mention, quote, quote_start, variable, low,'
                " high, unit, per, qualifier, source, place, year, nationality, origin, review_state,"
                " reviewed_by, reviewed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'editor','accepted',?,?)"
                " RETURNING id",
                (doc_id, start, end, text[start:end], text[quote_start:quote_end], quote_start,
                 *(claim.get(f) for f in CORRECTABLE_CLAIM_FIELDS), user, _now()),
            )
            claim_id = int(cur.fetchone()[0])
            self._log("add_claim", doc_id, {"claim": claim_id, "values": claim}, user)
            return claim_id

    def _sentence_around(self, doc_id: str, text: str, start: int, end: int) -> tuple[int, int]:
        row = self._execute(
            'SELECT start, "end" FROM sentences WHERE document_id=? AND start<=? ORDER BY start DESC LIMIT 1',
            (doc_id, start),
        ).fetchone()
        if row is not None and row[1] >= end:
            return int(row[0]), int(row[1])
        return start, end

    def review(
        self, kind: str, item_id: int, state: str, user: str, corrected: dict[str, Any] | None = None
    ) -> None:
        if kind not in REVIEW_KINDS or state not in REVIEW_STATES:
            raise ValueError(f"cannot review a {kind!r} as {state!r}")
        table = _REVIEW_TABLES[kind]
        with self.transaction():
            row = self._execute(
                f"SELECT document_id, review_state, corrected FROM {table} WHERE id=?"
                + (" AND kind IN ('organisation', 'person')" if kind == "name" else "") + self._for_update,
                (item_id,),
            ).fetchone()
            if row is None:
                raise NotFound(f"no {kind} with id {item_id}")
            before = json.loads(row[2]) if row[2] else None
            after = _corrections_after(state, before, corrected)
            self._execute(
                f"UPDATE {table} SET review_state=?, reviewed_by=?, reviewed_at=?, corrected=? WHERE id=?",
                (state, None if state == "unreviewed" else user, None if state == "unreviewed" else _now(),
                 json.dumps(after, ensure_ascii=False) if after else None, item_id),
            )
            self._log("review", row[0], {"kind": kind, "id": item_id, "from": row[1], "to": state,
                                         "corrected_before": before, "corrected_after": after}, user)

    def review_counts(self) -> dict[str, Counter[str]]:
        counts: dict[str, Counter[str]] = {}
        for kind, table in _REVIEW_TABLES.items():
            only = " WHERE kind IN ('organisation', 'person')" if kind == "name" else ""
            counts[kind] = Counter(dict(self._execute(
                f"SELECT review_state, COUNT(*) FROM {table}{only} GROUP BY review_state").fetchall()))
        return counts

    def indicators(self, document: str | None = None) -> list[StoredIndicator]:
        where, args = ("WHERE document_id=?", [document]) if document else ("", [])
        rows = self._execute(
            f'SELECT id, document_id, indicator, start, "end", quote, {_REVIEW_COLUMNS} FROM indicators'
            f" {where} ORDER BY document_id, start", args,
        )
        return [StoredIndicator(*row[:6], **_review(row[6:])) for row in rows]

    def names(self, document: str | None = None) -> list[StoredName]:
        where, args = (" AND document_id=?", [document]) if document else ("", [])
        rows = self._execute(
            f'SELECT id, document_id, kind, name, start, "end", {_REVIEW_COLUMNS} FROM mentions'
            f" WHERE kind IN ('organisation', 'person'){where} ORDER BY document_id, start", args,
        )
        return [StoredName(*row[:6], **_review(row[6:])) for row in rows]

    def indicator_counts(self) -> dict[str, Counter[str]]:
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for doc_id, code, n in self._execute(
            f"SELECT document_id, COALESCE({self._json_value('corrected', 'indicator', 'TEXT')}, indicator),"
            " COUNT(*)"
            " FROM indicators WHERE review_state != 'rejected' GROUP BY 1, 2"
        ):
            counts[doc_id][code] = n
        return dict(counts)

    def place_counts(self, kinds: tuple[str, ...] = ("country", "city")) -> list[PlaceCount]:
        marks = ",".join("?" * len(kinds))
        return [
            PlaceCount(*row)
            for row in self._execute(
                "SELECT name, place_kind, country, MAX(lat), MAX(lon), COUNT(*) FROM mentions"
                f" WHERE kind = 'place' AND place_kind IN ({marks}) GROUP BY name, place_kind, country",
                kinds,
            )
        ]

    def named_mentions(self) -> Iterator[NamedMention]:
        # The sentence holding a mention is the stored sentence that starts last at or before it.
        rows = self._execute(
            "SELECT m.kind, m.name, m.document_id, d.title,"
            " (SELECT substr(d.text, s.start + 1, s.end - s.start) FROM sentences s"
            "   WHERE s.document_id = m.document_id AND s.start <= m.start"
            "   ORDER BY s.start DESC LIMIT 1) AS quote,"
            " substr(d.text, m.start + 1, m.end - m.start) AS mention"
            " FROM mentions m JOIN documents d ON d.id = m.document_id"
            " WHERE m.kind IN ('organisation', 'person') AND m.review_state != 'rejected'"
            " ORDER BY m.kind, m.name, m.document_id, m.start"
        )
        for kind, name, doc_id, title, quote, mention in rows:
            yield NamedMention(kind, name, doc_id, title, quote or mention)

    def _reviewed(self, column: str, sql_type: str = "TEXT") -> str:
        """The SQL for a claim's value as reviewed: the correction where there is one (even null)."""
        return (f"(CASE WHEN c.corrected IS NULL OR NOT {self._json_has('c.corrected', column)}"
                f" THEN c.{column} ELSE {self._json_value('c.corrected', column, sql_type)} END)")


    def _claim_condition(self, where: ClaimFilter | None) -> tuple[str, list[Any]]:
        """The WHERE clause of a claim query (over ``claims c JOIN documents d``) and its values."""
        where = where or ClaimFilter()
        conditions: list[str] = ["1=1"]
        args: list[Any] = []
        fields = [(template, column, value) for template, column, value in (
            ("{} = ?", "variable", where.variable),
            ("upper({}) = upper(?)", "place", where.place),
            ("{} LIKE ? ESCAPE '\\'", "source", f"%{_like_escape(where.source)}%" if where.source else None),
            ("({0} IS NULL OR upper({0}) = upper(?))", "nationality", where.nationality),
        ) if value]
        if fields:
            # Uncorrected claims (nearly all) are matched on their columns, which the indexes serve;
            # only the corrected ones need their reviewed values worked out.
            plain = " AND ".join(t.format(f"c.{column}") for t, column, _ in fields)
            reviewed = " AND ".join(t.format(self._reviewed(column)) for t, column, _ in fields)
            conditions.append(
                f"c.id IN (SELECT c.id FROM claims c WHERE c.corrected IS NULL AND {plain}"
                f" UNION ALL SELECT c.id FROM claims c WHERE c.corrected IS NOT NULL AND {reviewed})"
            )
            args += [value for *_, value in fields] * 2
        if where.year is not None:
            year = self._reviewed("year", "INTEGER")
            conditions.append(f"COALESCE({year}, CAST(substr(d.published, 1, 4) AS INTEGER)) = ?")
            args.append(where.year)
        if where.document:
            conditions.append("c.document_id LIKE ? ESCAPE '\\'")
            args.append(_like_escape(where.document.lower()) + "%")
        if not where.copies:
            conditions.append("d.duplicate_of IS NULL")
        if where.states is not None:
            conditions.append(f"c.review_state IN ({','.join('?' * len(where.states))})")
            args.extend(where.states)
        return " AND ".join(conditions), args

    # -- users -----------------------------------------------------------------------------
    # -- estimates -----------------------------------------------------------------------
    def save_estimate(
        self, label: str, method: str, origin: dict[str, Any], inputs: dict[str, Any], result: dict[str, Any],
        user: str | None = None,
    ) -> int:
        as_json = (json.dumps(x, ensure_ascii=False) for x in (origin, inputs, result))
        row = (label, _now(), method, *as_json, user)
        with self.transaction():
            cur = self._execute(
                'INSERT INTO estimates(label, created_at, method, origin, inputs, result, "user")'
                " VALUES (?,?,?,?,?,?,?) RETURNING id", row)
            estimate_id = int(cur.fetchone()[0])
            self._log("estimate", None, {"id": estimate_id, "label": label, "method": method}, user)
        return estimate_id

    def estimates(self) -> list[StoredEstimate]:
        rows = self._execute('SELECT id, label, created_at, method, origin, inputs, result, "user"'
                             " FROM estimates ORDER BY id")
        return [StoredEstimate(int(r[0]), r[1], r[2], r[3], json.loads(r[4]), json.loads(r[5]),
                               json.loads(r[6]), r[7]) for r in rows]

    def add_user(self, name: str, role: str, password_hash: str, by: str | None = None) -> User:
        with self.transaction():
            try:
                cur = self._execute(
                    "INSERT INTO users(name, role, password_hash, created_at) VALUES (?,?,?,?) RETURNING id",
                    (name, role, password_hash, _now()),
                )
                user_id = int(cur.fetchone()[0])
            except self._integrity_errors:
                raise AlreadyExists(f"user {name!r} exists already") from None
            self._log("add_user", None, {"name": name, "role": role}, by)
        return self._user_by_id(user_id)

    def users(self) -> list[User]:
        return [_user(r) for r in self._execute(f"SELECT {_USER_COLUMNS} FROM users ORDER BY id")]

    def user(self, name: str) -> tuple[User, str]:
        row = self._execute(f"SELECT {_USER_COLUMNS}, password_hash FROM users WHERE name=?",
                                (name,)).fetchone()
        if row is None:
            raise NotFound(f"no user {name!r}")
        return _user(row), str(row[5])

    def _user_by_id(self, user_id: int) -> User:
        row = self._execute(f"SELECT {_USER_COLUMNS} FROM users WHERE id=?", (user_id,)).fetchone()
        return _user(row)

    def update_user(
        self, name: str, by: str | None, *, role: str | None = None, password_hash: str | None = None,
        active: bool | None = None,
    ) -> User:
        user, _ = self.user(name)
        with self.transaction():
            if role is not None:
                self._execute("UPDATE users SET role=? WHERE id=?", (role, user.id))
            if active is not None:
                self._execute("UPDATE users SET active=? WHERE id=?", (int(active), user.id))
            if password_hash is not None:
                self._execute("UPDATE users SET password_hash=? WHERE id=?", (password_hash, user.id))
            if password_hash is not None or active is False:  # a new password ends every session
                self._execute("DELETE FROM sessions WHERE user_id=?", (user.id,))
                self._execute("DELETE FROM tokens WHERE user_id=?", (user.id,))
            self._log("update_user", None, {"name": name, "role": role, "active": active,
                                            "password_changed": password_hash is not None}, by)
        return self._user_by_id(user.id)

    def add_session(self, token_hash: str, user_id: int, csrf: str, expires_at: str) -> None:
        with self.transaction():
            self._execute("DELETE FROM sessions WHERE expires_at < ?", (_now(),))
            self._execute(
                "INSERT INTO sessions(token_hash, user_id, csrf, created_at, expires_at) VALUES (?,?,?,?,?)",
                (token_hash, user_id, csrf, _now(), expires_at),
            )

    def session(self, token_hash: str, now: str) -> tuple[User, str] | None:
        row = self._execute(
            f"SELECT {_SESSION_USER}, s.csrf FROM sessions s"
            " JOIN users u ON u.id = s.user_id WHERE s.token_hash=? AND s.expires_at > ? AND u.active = 1",
            (token_hash, now),
        ).fetchone()
        return None if row is None else (_user(row), str(row[5]))

    def end_session(self, token_hash: str) -> None:
        with self.transaction():
            self._execute("DELETE FROM sessions WHERE token_hash=?", (token_hash,))

    def add_token(self, token_hash: str, user_id: int, label: str | None, by: str | None) -> None:
        with self.transaction():
            self._execute(
                "INSERT INTO tokens(user_id, token_hash, label, created_at) VALUES (?,?,?,?)",
                (user_id, token_hash, label, _now()),
            )
            self._log("add_token", None, {"user_id": user_id, "label": label}, by)

    def token_user(self, token_hash: str) -> User | None:
        row = self._execute(
            f"SELECT {_SESSION_USER} FROM tokens t"
            " JOIN users u ON u.id = t.user_id WHERE t.token_hash=? AND u.active = 1",
            (token_hash,),
        ).fetchone()
        return None if row is None else _user(row)


_USER_COLUMNS = "id, name, role, created_at, active"
_SESSION_USER = "u.id, u.name, u.role, u.created_at, u.active"


def _user(row: Sequence[Any]) -> User:
    return User(int(row[0]), str(row[1]), str(row[2]), str(row[3]), bool(row[4]))


# The order rows are read in: of insertion (documents), or by key where a table has no id.
_TABLE_ORDER = {"documents": "rowid", "settings": "key", "sentences": "document_id, start",
                "originals": "document_id", "sessions": "token_hash", "signatures": "document_id",
                "signature_bands": "band, document_id"}


def _chunks(rows: Iterable[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
_REVIEW_TABLES = {"claim": "claims", "indicator": "indicators", "name": "mentions"}
_REVIEW_COLUMNS = "review_state, reviewed_by, reviewed_at, origin, corrected"


def _review(row: Sequence[Any]) -> dict[str, Any]:
    """The review of an item from its _REVIEW_COLUMNS."""
    state, by, at, origin, corrected = row
    return {"review": Review(state, by, at, origin),
            "corrected": json.loads(corrected) if corrected else None}


def _corrections_after(
    state: str, before: dict[str, Any] | None, corrected: dict[str, Any] | None
) -> dict[str, Any] | None:
    """Corrections kept after a review: merged on ``corrected``, cleared on ``accepted`` (the
    machine's values stand) and ``unreviewed``, kept as they were on ``rejected``."""
    if state == "corrected":
        if not corrected:
            raise ValueError("a correction needs the corrected values")
        return {**(before or {}), **corrected}
    return before if state == "rejected" else None


# By date: documents_published and claims_document_start give this order without a sort.
_CLAIM_ORDER = "ORDER BY d.published NULLS FIRST, d.id, c.start"  # SQLite's order, asked of every backend
_CLAIM_COLUMNS = (
    "c.id, c.document_id, c.start, c.end, c.mention, c.quote, c.quote_start, c.variable, c.low, c.high,"
    " c.unit, c.per, c.qualifier, c.source, c.place, c.year, c.nationality, d.title AS document_title,"
    " d.published AS document_published, c.origin, c.review_state, c.reviewed_by, c.reviewed_at,"
    " c.corrected"
)


def _claim(row: dict[str, Any]) -> StoredClaim:
    """A claim row with its corrections laid over what the machine read."""
    claim = dict(row)
    corrected = json.loads(claim.pop("corrected")) if claim["corrected"] else None
    claim["extracted"] = None
    if corrected:
        claim["extracted"] = {k: claim[k] for k in corrected}
        claim.update(corrected)
    return cast(StoredClaim, claim)


def _pending(force: bool) -> str:
    return "" if force else " WHERE extracted_at IS NULL"


def _document_search(query: str | None) -> tuple[str, list[Any]]:
    if not query:
        return "", []
    pattern = f"%{_like_escape(query)}%"
    return " WHERE title LIKE ? ESCAPE '\\' OR text LIKE ? ESCAPE '\\'", [pattern, pattern]


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
