"""The store interface: what every backend (SQLite today) offers its callers.

Callers (the workspace, the report, screening) use only these methods and the typed records
of :mod:`labourwatch.records`; no SQL leaves a backend. A new backend implements this class
and passes the one store test suite (tests/test_store.py).
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

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

DEFAULT_DB = "labourwatch.db"
ENV_DB = "LABOURWATCH_DB"
TABLES = frozenset({"documents", "sources", "claims", "indicators", "mentions", "sentences", "audit"})


def resolve_db_path(db: str | os.PathLike[str] | None) -> Path:
    """``--db`` wins, then ``$LABOURWATCH_DB``, then ``./labourwatch.db``."""
    return Path(db or os.environ.get(ENV_DB) or DEFAULT_DB)


class Store(ABC):
    """An evidence store. Use as a context manager or call :meth:`close`.

    ``Store.open(location)`` picks the backend from the location (a file path: SQLite).
    """

    location: str

    @classmethod
    def open(cls, location: str | os.PathLike[str] | None = None, *, create: bool = True) -> Store:
        """Open (and migrate) the store at ``location``; ``create=False`` requires it to exist."""
        from labourwatch.store.sqlite import SQLiteStore

        return SQLiteStore.connect(resolve_db_path(location), create=create)

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    @abstractmethod
    def schema_version(self) -> int: ...

    # -- documents -------------------------------------------------------------------------
    @abstractmethod
    def add_document(self, doc: IngestedDocument) -> AddResult:
        """Store a document and its source in one transaction; idempotent on identical bytes."""

    @abstractmethod
    def documents(self) -> list[DocumentSummary]:
        """Every document without its text, in the order of ingestion."""

    @abstractmethod
    def document(self, doc_id: str) -> StoredDocument:
        """One document with its text; :class:`NotFound` if there is none."""

    @abstractmethod
    def sources(self, doc_id: str) -> list[Source]:
        """Every place the document was read from, first first."""

    @abstractmethod
    def original(self, doc_id: str) -> bytes:
        """The original bytes, as ingested."""

    @abstractmethod
    def resolve_id(self, prefix: str) -> str:
        """A full document id from a unique prefix; :class:`NotFound` otherwise."""

    @abstractmethod
    def delete(self, doc_id: str) -> None:
        """Delete a document and all derived from it, in one transaction (audited)."""

    @abstractmethod
    def verify(self) -> Iterator[Mismatch]:
        """Re-hash every stored original; yield each one that no longer matches its id."""

    @abstractmethod
    def audit(self) -> list[AuditEntry]:
        """The append-only log, oldest first."""

    @abstractmethod
    def count(self, table: str) -> int:
        """Rows in one of :data:`TABLES`."""

    # -- extraction ------------------------------------------------------------------------
    @abstractmethod
    def pending(self, force: bool = False) -> list[str]:
        """Ids of documents not yet extracted (all of them with ``force``)."""

    @abstractmethod
    def save_extraction(self, doc_id: str, extraction: Extraction) -> None:
        """Replace a document's claims, indicators, mentions and sentences in one transaction."""

    # -- queries ---------------------------------------------------------------------------
    @abstractmethod
    def claims(
        self,
        variable: str | None = None,
        place: str | None = None,
        source: str | None = None,
        document: str | None = None,
    ) -> list[StoredClaim]:
        """Claims with their document's title and date, by date; filters combine.

        ``place`` matches the ISO code case-insensitively, ``source`` any part of the source,
        ``document`` an id prefix.
        """

    @abstractmethod
    def indicator_counts(self) -> dict[str, Counter[str]]:
        """Per document id, how many passages show each indicator."""

    @abstractmethod
    def place_counts(self, kinds: tuple[str, ...] = ("country", "city")) -> list[PlaceCount]:
        """Places of the given kinds named in the evidence, with how often."""

    @abstractmethod
    def named_mentions(self) -> Iterator[NamedMention]:
        """Mentions of organisations and people, by kind and name, each with its sentence."""
