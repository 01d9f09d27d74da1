"""The SQLite backend: one file of plain tables (schema*.sql), one transaction per document,
an append-only audit enforced by triggers. The only module that speaks SQL to SQLite."""

from __future__ import annotations

import functools
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
from labourwatch.errors import AlreadyExists, NotFound, StoreError, StoreNotFound
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
    StoredIndicator,
    StoredName,
    User,
)
from labourwatch.store.base import EXPORT_TABLES, TABLES, ClaimFilter, Store

MIGRATIONS = ("schema.sql", "schema_2.sql", "schema_3.sql", "schema_4.sql", "schema_5.sql")
DERIVED = ("sources", "claims", "indicators", "mentions", "sentences", "originals", "captures")
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


@functools.cache
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
        self._audit_user: bool | None = None

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
            self._audit_user = None  # a step may add the column
            with self.transaction():
                for statement in _split_sql(sql):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version={version}")
                self._log("migrate", None, {"schema_version": version})

    # -- transactions --------------------------------------------------------------------
    def transaction(self) -> _Transaction:
        return _Transaction(self.conn)

    def _log(
        self, action: str, document_id: str | None, detail: dict[str, Any] | None, user: str | None = None
    ) -> None:
        values = [_now(), action, document_id, json.dumps(detail or {}, ensure_ascii=False), __version__]
        columns = "at, action, document_id, detail, tool_version"
        if self._audit_names_users():
            columns += ", user"
            values.append(user)
        self.conn.execute(f"INSERT INTO audit({columns}) VALUES ({','.join('?' * len(values))})", values)

    def _audit_names_users(self) -> bool:
        """Whether the audit table has its user column (schema 4 on): the first migrations
        are logged before it exists."""
        if self._audit_user is None:
            columns = {row[1] for row in self.conn.execute("PRAGMA table_info(audit)")}
            self._audit_user = "user" in columns
        return self._audit_user

    def log(self, action: str, document_id: str | None, detail: dict[str, Any], user: str | None) -> None:
        with self.transaction():
            self._log(action, document_id, detail, user)

    def generation(self) -> int:
        return int(self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit").fetchone()[0])

    # -- documents -----------------------------------------------------------------------
    def add_document(self, doc: IngestedDocument, user: str | None = None) -> AddResult:
        try:
            return self._add_document(doc, user)
        except sqlite3.OperationalError as exc:  # disk full, read-only, locked past the timeout
            raise StoreError(f"{doc.locations[0][0]}: not stored: {exc}") from None

    def _add_document(self, doc: IngestedDocument, user: str | None) -> AddResult:
        now = _now()
        with self.transaction():
            exists = self.conn.execute("SELECT 1 FROM documents WHERE id=?", (doc.id,)).fetchone()
            if not exists:
                self.conn.execute(
                    "INSERT INTO documents(id, title, published, media_type, size, text, status,"
                    " publisher, ingested_at, tool_version, text_sha256, text_origin, ocr_confidence,"
                    " published_source) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (doc.id, doc.title, doc.published, doc.media_type, len(doc.original),
                     doc.text, doc.status, doc.publisher, now, __version__, text_sha256(doc.text),
                     doc.text_origin, doc.ocr_confidence, doc.published_source),
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
        self.conn.execute(
            "INSERT INTO captures(document_id, url, final_url, redirects, status, captured_at, warc,"
            " warc_sha256) VALUES (?,?,?,?,?,?,?,?)",
            (doc_id, capture.url, capture.final_url, json.dumps(capture.redirects), capture.status,
             capture.captured_at, capture.warc, hashlib.sha256(capture.warc).hexdigest()),
        )

    def captures(self, doc_id: str | None = None) -> Iterator[StoredCapture]:
        where, args = (" WHERE document_id=?", [doc_id]) if doc_id else ("", [])
        for row in self.conn.execute(
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
        rows = self.conn.execute(
            "SELECT id, title, published, media_type, size, status, ingested_at, extracted_at"
            f" FROM documents{where} ORDER BY ingested_at, rowid{page}",
            args,
        ).fetchall()
        sources: dict[str, list[str]] = defaultdict(list)
        if limit is None and not query:
            found = self.conn.execute("SELECT document_id, location FROM sources ORDER BY id")
        else:
            ids = [r[0] for r in rows]
            found = self.conn.execute(
                "SELECT document_id, location FROM sources"
                f" WHERE document_id IN ({','.join('?' * len(ids))}) ORDER BY id", ids,
            )
        for doc_id, location in found:
            sources[doc_id].append(location)
        return [
            DocumentSummary(
                id=row[0], title=row[1], published=row[2], media_type=row[3], size=row[4], status=row[5],
                ingested_at=row[6], extracted_at=row[7], sources=sources.get(row[0], []),
            )
            for row in rows
        ]

    def count_documents(self, query: str | None = None) -> int:
        where, args = _document_search(query)
        return int(self.conn.execute(f"SELECT COUNT(*) FROM documents{where}", args).fetchone()[0])

    def count(self, table: str) -> int:
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}")
        return int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def columns(self, table: str) -> list[tuple[str, str]]:
        if table not in EXPORT_TABLES:
            raise ValueError(f"unknown table {table!r}")
        # Bytes columns are exported by their hash: the WARC capture by warc_sha256.
        return [(row[1], _COLUMN_TYPES.get(row[2].upper(), "text"))
                for row in self.conn.execute(f"PRAGMA table_info({table})") if row[2].upper() != "BLOB"]

    def rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        names = ", ".join(f'"{name}"' for name, _ in self.columns(table))
        order = "document_id, start" if table == "sentences" else "rowid"  # sentences has no rowid
        yield from (tuple(row) for row in self.conn.execute(f"SELECT {names} FROM {table} ORDER BY {order}"))

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
            " tool_version, extracted_at, pipeline_version, text_origin, ocr_confidence, published_source"
            " FROM documents WHERE id=?",
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

    def delete(self, doc_id: str, user: str | None = None, reason: str | None = None) -> None:
        with self.transaction():
            row = self.conn.execute("SELECT title FROM documents WHERE id=?", (doc_id,)).fetchone()
            if row is None:
                raise NotFound(f"no document with id {doc_id!r}")
            self.conn.execute("DELETE FROM documents WHERE id=?", (doc_id,))
            self._log("delete", doc_id, {"title": row[0], "reason": reason}, user)

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
        for capture_id, doc_id, warc, stored_hash in self.conn.execute(
            "SELECT id, document_id, warc, warc_sha256 FROM captures"
        ):
            if hashlib.sha256(bytes(warc)).hexdigest() != stored_hash:
                yield Mismatch(doc_id, None, f"capture {capture_id} changed: its WARC hash differs")
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
                "SELECT id, at, action, document_id, detail, tool_version, user FROM audit ORDER BY id"
            )
        ]

    # -- extraction ----------------------------------------------------------------------
    def pending(self, force: bool = False) -> list[str]:
        where = "" if force else " WHERE extracted_at IS NULL"
        return [r[0] for r in self.conn.execute(f"SELECT id FROM documents{where} ORDER BY rowid")]

    def save_extraction(self, doc_id: str, extraction: Extraction, user: str | None = None) -> None:
        try:
            self._save_extraction(doc_id, extraction, user)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{doc_id}: extraction not stored: {exc}") from None

    def _save_extraction(self, doc_id: str, extraction: Extraction, user: str | None) -> None:
        record = extraction.record
        with self.transaction():
            kept = self._keep_reviewed(doc_id)
            self.conn.executemany(
                "INSERT INTO claims(document_id, start, end, mention, quote, quote_start, variable, low,"
                " high, unit, per, qualifier, source, place, year) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(doc_id, c["start"], c["end"], c["text"], c["quote"], c["quote_start"], c["variable"],
                  c["low"], c["high"], c["unit"], c["per"], c["qualifier"], c["source"], c["place"],
                  c["year"]) for c in record["claims"]
                 if ("claims", c["start"], c["end"], c["variable"]) not in kept],
            )
            self.conn.executemany(
                "INSERT INTO indicators(document_id, indicator, start, end, quote) VALUES (?,?,?,?,?)",
                [(doc_id, i["indicator"], i["start"], i["end"], i["quote"]) for i in record["indicators"]
                 if ("indicators", i["start"], i["end"], i["indicator"]) not in kept],
            )
            self.conn.executemany(
                "INSERT INTO mentions(document_id, kind, name, start, end, place_kind, country, lat, lon)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                [row for row in _mention_rows(doc_id, extraction) if ("mentions", row[3], row[4], row[1])
                 not in kept],
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
                                           "indicators": len(record["indicators"]),
                                           "kept_reviewed": len(kept)}, user)

    def _keep_reviewed(self, doc_id: str) -> set[tuple[str, int, int, str]]:
        """Delete a document's unreviewed machine items; return the keys of those kept."""
        kept: set[tuple[str, int, int, str]] = set()
        for table, key in (("claims", "variable"), ("indicators", "indicator"), ("mentions", "kind")):
            self.conn.execute(
                f"DELETE FROM {table} WHERE document_id=?"
                " AND review_state='unreviewed' AND origin='extractor'",
                (doc_id,),
            )
            kept.update(
                (table, start, end, value)
                for start, end, value in self.conn.execute(
                    f"SELECT start, end, {key} FROM {table} WHERE document_id=?", (doc_id,)
                )
            )
        self.conn.execute("DELETE FROM sentences WHERE document_id=?", (doc_id,))
        return kept

    # -- queries -------------------------------------------------------------------------
    def claims(
        self, where: ClaimFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> list[StoredClaim]:
        if limit is not None:  # a page: ids from the indexes (skipped rows are not read), then rows
            return self.claims_by_id(self.claim_ids(where, limit, offset))
        condition, args = _claim_condition(where)
        return [_claim(row) for row in self.conn.execute(
            f"SELECT {_CLAIM_COLUMNS} FROM claims c JOIN documents d ON d.id = c.document_id"
            f" WHERE {condition} {_CLAIM_ORDER}", args)]

    def claim_ids(
        self, where: ClaimFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> list[int]:
        condition, args = _claim_condition(where)
        page = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return [row[0] for row in self.conn.execute(
            f"SELECT c.id FROM claims c JOIN documents d ON d.id = c.document_id WHERE {condition}"
            f" {_CLAIM_ORDER}{page}", args)]

    def claims_by_id(self, ids: list[int]) -> list[StoredClaim]:
        rows = {row["id"]: row for row in self.conn.execute(
            f"SELECT {_CLAIM_COLUMNS} FROM claims c JOIN documents d ON d.id = c.document_id"
            f" WHERE c.id IN ({','.join('?' * len(ids))})", ids)}
        return [_claim(rows[i]) for i in ids if i in rows]

    def count_claims(self, where: ClaimFilter | None = None) -> int:
        condition, args = _claim_condition(where)
        return int(self.conn.execute(
            f"SELECT COUNT(*) FROM claims c JOIN documents d ON d.id = c.document_id WHERE {condition}", args
        ).fetchone()[0])

    def claim(self, claim_id: int) -> StoredClaim:
        row = self.conn.execute(
            f"SELECT {_CLAIM_COLUMNS} FROM claims c JOIN documents d ON d.id = c.document_id WHERE c.id=?",
            (claim_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no claim with id {claim_id}")
        return _claim(row)

    def add_claim(self, doc_id: str, claim: dict[str, Any], user: str) -> int:
        with self.transaction():
            row = self.conn.execute("SELECT text FROM documents WHERE id=?", (doc_id,)).fetchone()
            if row is None:
                raise NotFound(f"no document with id {doc_id!r}")
            text: str = row[0]
            start, end = int(claim["start"]), int(claim["end"])
            quote_start, quote_end = self._sentence_around(doc_id, text, start, end)
            cur = self.conn.execute(
                "INSERT INTO claims(document_id, start, end, mention, quote, quote_start, variable, low,"
                " high, unit, per, qualifier, source, place, year, origin, review_state, reviewed_by,"
                " reviewed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'editor','accepted',?,?)",
                (doc_id, start, end, text[start:end], text[quote_start:quote_end], quote_start,
                 *(claim.get(f) for f in CORRECTABLE_CLAIM_FIELDS), user, _now()),
            )
            claim_id = int(cur.lastrowid or 0)
            self._log("add_claim", doc_id, {"claim": claim_id, "values": claim}, user)
            return claim_id

    def _sentence_around(self, doc_id: str, text: str, start: int, end: int) -> tuple[int, int]:
        row = self.conn.execute(
            "SELECT start, end FROM sentences WHERE document_id=? AND start<=? ORDER BY start DESC LIMIT 1",
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
            row = self.conn.execute(
                f"SELECT document_id, review_state, corrected FROM {table} WHERE id=?"
                + (" AND kind IN ('organisation', 'person')" if kind == "name" else ""),
                (item_id,),
            ).fetchone()
            if row is None:
                raise NotFound(f"no {kind} with id {item_id}")
            before = json.loads(row[2]) if row[2] else None
            after = _corrections_after(state, before, corrected)
            self.conn.execute(
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
            counts[kind] = Counter(dict(self.conn.execute(
                f"SELECT review_state, COUNT(*) FROM {table}{only} GROUP BY review_state").fetchall()))
        return counts

    def indicators(self, document: str | None = None) -> list[StoredIndicator]:
        where, args = ("WHERE document_id=?", [document]) if document else ("", [])
        rows = self.conn.execute(
            f"SELECT id, document_id, indicator, start, end, quote, {_REVIEW_COLUMNS} FROM indicators"
            f" {where} ORDER BY document_id, start", args,
        )
        return [StoredIndicator(*row[:6], **_review(row[6:])) for row in rows]

    def names(self, document: str | None = None) -> list[StoredName]:
        where, args = (" AND document_id=?", [document]) if document else ("", [])
        rows = self.conn.execute(
            f"SELECT id, document_id, kind, name, start, end, {_REVIEW_COLUMNS} FROM mentions"
            f" WHERE kind IN ('organisation', 'person'){where} ORDER BY document_id, start", args,
        )
        return [StoredName(*row[:6], **_review(row[6:])) for row in rows]

    def indicator_counts(self) -> dict[str, Counter[str]]:
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for doc_id, code, n in self.conn.execute(
            "SELECT document_id, COALESCE(json_extract(corrected, '$.indicator'), indicator), COUNT(*)"
            " FROM indicators WHERE review_state != 'rejected' GROUP BY 1, 2"
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
            " WHERE m.kind IN ('organisation', 'person') AND m.review_state != 'rejected'"
            " ORDER BY m.kind, m.name, m.document_id, m.start"
        )
        for kind, name, doc_id, title, quote, mention in rows:
            yield NamedMention(kind, name, doc_id, title, quote or mention)

    # -- users -----------------------------------------------------------------------------
    def add_user(self, name: str, role: str, password_hash: str, by: str | None = None) -> User:
        with self.transaction():
            try:
                cur = self.conn.execute(
                    "INSERT INTO users(name, role, password_hash, created_at) VALUES (?,?,?,?)",
                    (name, role, password_hash, _now()),
                )
            except sqlite3.IntegrityError:
                raise AlreadyExists(f"user {name!r} exists already") from None
            self._log("add_user", None, {"name": name, "role": role}, by)
        return self._user_by_id(int(cur.lastrowid or 0))

    def users(self) -> list[User]:
        return [_user(r) for r in self.conn.execute(f"SELECT {_USER_COLUMNS} FROM users ORDER BY id")]

    def user(self, name: str) -> tuple[User, str]:
        row = self.conn.execute(f"SELECT {_USER_COLUMNS}, password_hash FROM users WHERE name=?",
                                (name,)).fetchone()
        if row is None:
            raise NotFound(f"no user {name!r}")
        return _user(row), str(row[5])

    def _user_by_id(self, user_id: int) -> User:
        row = self.conn.execute(f"SELECT {_USER_COLUMNS} FROM users WHERE id=?", (user_id,)).fetchone()
        return _user(row)

    def update_user(
        self, name: str, by: str | None, *, role: str | None = None, password_hash: str | None = None,
        active: bool | None = None,
    ) -> User:
        user, _ = self.user(name)
        with self.transaction():
            if role is not None:
                self.conn.execute("UPDATE users SET role=? WHERE id=?", (role, user.id))
            if active is not None:
                self.conn.execute("UPDATE users SET active=? WHERE id=?", (int(active), user.id))
            if password_hash is not None:
                self.conn.execute("UPDATE users SET password_hash=? WHERE id=?", (password_hash, user.id))
            if password_hash is not None or active is False:  # a new password ends every session
                self.conn.execute("DELETE FROM sessions WHERE user_id=?", (user.id,))
                self.conn.execute("DELETE FROM tokens WHERE user_id=?", (user.id,))
            self._log("update_user", None, {"name": name, "role": role, "active": active,
                                            "password_changed": password_hash is not None}, by)
        return self._user_by_id(user.id)

    def add_session(self, token_hash: str, user_id: int, csrf: str, expires_at: str) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM sessions WHERE expires_at < ?", (_now(),))
            self.conn.execute(
                "INSERT INTO sessions(token_hash, user_id, csrf, created_at, expires_at) VALUES (?,?,?,?,?)",
                (token_hash, user_id, csrf, _now(), expires_at),
            )

    def session(self, token_hash: str, now: str) -> tuple[User, str] | None:
        row = self.conn.execute(
            f"SELECT {_SESSION_USER}, s.csrf FROM sessions s"
            " JOIN users u ON u.id = s.user_id WHERE s.token_hash=? AND s.expires_at > ? AND u.active",
            (token_hash, now),
        ).fetchone()
        return None if row is None else (_user(row), str(row[5]))

    def end_session(self, token_hash: str) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM sessions WHERE token_hash=?", (token_hash,))

    def add_token(self, token_hash: str, user_id: int, label: str | None, by: str | None) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO tokens(user_id, token_hash, label, created_at) VALUES (?,?,?,?)",
                (user_id, token_hash, label, _now()),
            )
            self._log("add_token", None, {"user_id": user_id, "label": label}, by)

    def token_user(self, token_hash: str) -> User | None:
        row = self.conn.execute(
            f"SELECT {_SESSION_USER} FROM tokens t"
            " JOIN users u ON u.id = t.user_id WHERE t.token_hash=? AND u.active",
            (token_hash,),
        ).fetchone()
        return None if row is None else _user(row)


_USER_COLUMNS = "id, name, role, created_at, active"
_SESSION_USER = "u.id, u.name, u.role, u.created_at, u.active"


def _user(row: sqlite3.Row | tuple[Any, ...]) -> User:
    return User(int(row[0]), str(row[1]), str(row[2]), str(row[3]), bool(row[4]))


_COLUMN_TYPES = {"INTEGER": "integer", "REAL": "real", "TEXT": "text"}
_REVIEW_TABLES = {"claim": "claims", "indicator": "indicators", "name": "mentions"}
_REVIEW_COLUMNS = "review_state, reviewed_by, reviewed_at, origin, corrected"


def _review(row: sqlite3.Row | tuple[Any, ...]) -> dict[str, Any]:
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
_CLAIM_ORDER = "ORDER BY d.published, d.id, c.start"
_CLAIM_COLUMNS = (
    "c.id, c.document_id, c.start, c.end, c.mention, c.quote, c.quote_start, c.variable, c.low, c.high,"
    " c.unit, c.per, c.qualifier, c.source, c.place, c.year, d.title AS document_title,"
    " d.published AS document_published, c.origin, c.review_state, c.reviewed_by, c.reviewed_at,"
    " c.corrected"
)


def _claim(row: sqlite3.Row) -> StoredClaim:
    """A claim row with its corrections laid over what the machine read."""
    claim = dict(row)
    corrected = json.loads(claim.pop("corrected")) if claim["corrected"] else None
    claim["extracted"] = None
    if corrected:
        claim["extracted"] = {k: claim[k] for k in corrected}
        claim.update(corrected)
    return cast(StoredClaim, claim)


def _reviewed(column: str) -> str:
    """The SQL for a claim's value as reviewed: the correction where there is one (even null)."""
    return (f"(CASE WHEN c.corrected IS NULL OR json_type(c.corrected, '$.{column}') IS NULL"
            f" THEN c.{column} ELSE json_extract(c.corrected, '$.{column}') END)")


def _claim_condition(where: ClaimFilter | None) -> tuple[str, list[Any]]:
    """The WHERE clause of a claim query (over ``claims c JOIN documents d``) and its values."""
    where = where or ClaimFilter()
    conditions: list[str] = ["1=1"]
    args: list[Any] = []
    fields = [(template, column, value) for template, column, value in (
        ("{} = ?", "variable", where.variable),
        ("upper({}) = upper(?)", "place", where.place),
        ("{} LIKE ? ESCAPE '\\'", "source", f"%{_like_escape(where.source)}%" if where.source else None),
    ) if value]
    if fields:
        # Uncorrected claims (nearly all) are matched on their columns, which the indexes serve;
        # only the corrected ones need their reviewed values worked out.
        plain = " AND ".join(t.format(f"c.{column}") for t, column, _ in fields)
        reviewed = " AND ".join(t.format(_reviewed(column)) for t, column, _ in fields)
        conditions.append(
            f"c.id IN (SELECT c.id FROM claims c WHERE c.corrected IS NULL AND {plain}"
            f" UNION ALL SELECT c.id FROM claims c WHERE c.corrected IS NOT NULL AND {reviewed})"
        )
        args += [value for *_, value in fields] * 2
    if where.year is not None:
        conditions.append(f"COALESCE({_reviewed('year')}, CAST(substr(d.published, 1, 4) AS INTEGER)) = ?")
        args.append(where.year)
    if where.document:
        conditions.append("c.document_id LIKE ? ESCAPE '\\'")
        args.append(_like_escape(where.document.lower()) + "%")
    if where.states is not None:
        conditions.append(f"c.review_state IN ({','.join('?' * len(where.states))})")
        args.extend(where.states)
    return " AND ".join(conditions), args


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
