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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labourwatch.errors import StoreError
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
    StoredCapture,
    StoredClaim,
    StoredDocument,
    StoredEstimate,
    StoredIndicator,
    StoredName,
    User,
)

DEFAULT_DB = "labourwatch.db"
ENV_DB = "LABOURWATCH_DB"
# The evidence tables an export writes, in this order. Users, sessions and tokens are never
# exported (password and token hashes); originals and WARC captures are bytes, exported as
# WARC (``export warc``), and stand in the tables by their SHA-256.
EXPORT_TABLES = ("documents", "sources", "captures", "claims", "indicators", "mentions", "sentences", "audit")
# Every table, in an order that respects their references: what ``store copy`` moves.
ALL_TABLES = ("documents", "originals", "sources", "captures", "claims", "indicators", "mentions",
              "sentences", "signatures", "signature_bands", "settings", "users", "sessions", "tokens",
              "estimates", "audit")
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


@dataclass(frozen=True)
class ClaimFilter:
    """Which claims a query returns; every field narrows it, ``None`` means any.

    ``place`` matches the ISO code case-insensitively, ``source`` any part of the source,
    ``document`` an id prefix, ``states`` the review states (rejected claims only when asked).
    ``nationality`` keeps the claims about that nationality's workers and those that never say
    whose; ``copies=False`` leaves out the claims of documents that copy another (a syndicated
    story counts once). Variable, place, source, year and nationality are matched on the
    reviewed values.
    """

    variable: str | None = None
    place: str | None = None
    source: str | None = None
    document: str | None = None
    year: int | None = None
    states: tuple[str, ...] | None = None
    nationality: str | None = None
    copies: bool = True


def resolve_location(db: str | os.PathLike[str] | None) -> str:
    """The store's location as given (``--db``, then ``$LABOURWATCH_DB``, then the default):
    a PostgreSQL URL, or a SQLite file's path."""
    return str(db or os.environ.get(ENV_DB) or DEFAULT_DB)


def is_postgres(location: str) -> bool:
    return location.startswith(POSTGRES_SCHEMES)


class Store(ABC):
    """An evidence store. Use as a context manager or call :meth:`close`.

    ``Store.open(location)`` picks the backend from the location: a ``postgresql://`` URL
    (PostgreSQL), otherwise a file path (SQLite).
    """

    location: str  # for people: a path, or a URL without its password

    @property
    def shared_location(self) -> str | None:
        """Where other processes and machines open this same store (with credentials), or
        None for a store only this machine's processes write through this one (SQLite)."""
        return None

    @classmethod
    def open(cls, location: str | os.PathLike[str] | None = None, *, create: bool = True) -> Store:
        """Open (and migrate) the store at ``location``; ``create=False`` requires it to exist."""
        target = resolve_location(location)
        if is_postgres(target):
            try:
                from labourwatch.store.postgres import PostgresStore
            except ImportError:
                raise StoreError(
                    "a PostgreSQL store needs psycopg: pip install 'labourwatch[scale]'"
                ) from None

            return PostgresStore.connect(target, create=create)
        from labourwatch.store.sqlite import SQLiteStore

        return SQLiteStore.connect(Path(target), create=create)

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
    def generation(self) -> int:
        """A number that grows with every change to the store (for caches)."""

    @abstractmethod
    def log(self, action: str, document_id: str | None, detail: dict[str, Any], user: str | None) -> None:
        """Append one entry to the audit log in its own transaction."""

    @abstractmethod
    def add_document(self, doc: IngestedDocument, user: str | None = None) -> AddResult:
        """Store a document and its source in one transaction; idempotent on identical bytes."""

    @abstractmethod
    def documents(
        self, query: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[DocumentSummary]:
        """Documents without their text, in the order of ingestion; ``query`` is a phrase
        looked for in the title and the text."""

    @abstractmethod
    def count_documents(self, query: str | None = None) -> int: ...

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
    def delete(self, doc_id: str, user: str | None = None, reason: str | None = None) -> None:
        """Delete a document and all derived from it, in one transaction (audited)."""

    @abstractmethod
    def verify(self) -> Iterator[Mismatch]:
        """Re-hash every stored original; yield each one that no longer matches its id."""

    @abstractmethod
    def audit(self) -> list[AuditEntry]:
        """The append-only log, oldest first."""

    @abstractmethod
    def count(self, table: str) -> int:
        """Rows in one of :data:`ALL_TABLES`."""

    @abstractmethod
    def captures(self, doc_id: str | None = None) -> Iterator[StoredCapture]:
        """Web captures (of one document, or all), oldest first."""

    @abstractmethod
    def columns(self, table: str) -> list[tuple[str, str]]:
        """(name, type) of each column one of :data:`EXPORT_TABLES` exports; type is one of
        text, integer, real."""

    @abstractmethod
    def rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        """Every row of one of :data:`EXPORT_TABLES`, in :meth:`columns` order, streamed."""

    @abstractmethod
    def dump(self, table: str) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
        """Every stored column of one of :data:`ALL_TABLES` (bytes included) and its rows,
        streamed in the order they were written: what :meth:`load_from` reads."""

    @abstractmethod
    def load_from(self, source: Store) -> dict[str, int]:
        """Copy every table of ``source`` (of the same schema version) into this empty store,
        ids kept, in one transaction; rows copied per table."""

    # -- extraction ------------------------------------------------------------------------
    @abstractmethod
    def pending(self, force: bool = False) -> list[str]:
        """Ids of documents not yet extracted (all of them with ``force``)."""

    @abstractmethod
    def count_pending(self, force: bool = False) -> int:
        """How many :meth:`pending` would return, without reading them."""

    @abstractmethod
    def save_extraction(
        self, doc_id: str, extraction: Extraction, user: str | None = None, run: str | None = None
    ) -> bool:
        """Replace a document's claims, indicators, mentions and sentences in one transaction,
        keeping every item a person reviewed or added (and not adding it again).

        ``run`` names one extraction run: a second save of the document in the same run (a
        task retried after its worker died) writes nothing and returns False."""

    # -- queries ---------------------------------------------------------------------------
    @abstractmethod
    def claims(
        self, where: ClaimFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> list[StoredClaim]:
        """Claims with their document's title and date, by date; the reviewed values, with
        what the machine read under ``extracted`` where a person corrected them."""

    @abstractmethod
    def count_claims(self, where: ClaimFilter | None = None) -> int: ...

    @abstractmethod
    def claim_ids(
        self, where: ClaimFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> list[int]:
        """The ids of :meth:`claims`, in the same order (cheap to keep for paging)."""

    @abstractmethod
    def claims_by_id(self, ids: list[int]) -> list[StoredClaim]:
        """These claims, in the order of ``ids`` (ids not in the store are left out)."""

    @abstractmethod
    def claim(self, claim_id: int) -> StoredClaim:
        """One claim; :class:`NotFound` if there is none."""

    @abstractmethod
    def add_claim(self, doc_id: str, claim: dict[str, Any], user: str) -> int:
        """A claim a person read in the document (``start``/``end`` of the figure, the
        correctable fields); accepted by its author. Returns its id."""

    @abstractmethod
    def review(
        self, kind: str, item_id: int, state: str, user: str, corrected: dict[str, Any] | None = None
    ) -> None:
        """Set the review state of a claim, indicator or name (audited with before and after).

        ``corrected`` (for state ``corrected``) holds only the corrected fields, merged into
        earlier corrections; ``accepted`` takes the machine's values as they are."""

    @abstractmethod
    def review_counts(self) -> dict[str, Counter[str]]:
        """Per kind (claim, indicator, name), how many items are in each review state."""

    @abstractmethod
    def indicators(self, document: str | None = None) -> list[StoredIndicator]: ...

    @abstractmethod
    def names(self, document: str | None = None) -> list[StoredName]:
        """Mentions of organisations and people."""

    @abstractmethod
    def indicator_counts(self) -> dict[str, Counter[str]]:
        """Per document id, how many passages show each indicator."""

    @abstractmethod
    def place_counts(self, kinds: tuple[str, ...] = ("country", "city")) -> list[PlaceCount]:
        """Places of the given kinds named in the evidence, with how often."""

    @abstractmethod
    def named_mentions(self) -> Iterator[NamedMention]:
        """Mentions of organisations and people, by kind and name, each with its sentence."""

    # -- settings ----------------------------------------------------------------------------
    @abstractmethod
    def setting(self, key: str) -> str | None:
        """A setting of the store (``sending_state``), or None where it was never set."""

    @abstractmethod
    def set_setting(self, key: str, value: str | None, user: str | None = None) -> None:
        """Set (None: unset) a setting; the audit log says who did."""

    @abstractmethod
    def nationality_counts(self) -> Counter[str]:
        """How many counted claims say each nationality (reviewed values; rejected ones left out)."""

    # -- near-copies -------------------------------------------------------------------------
    @abstractmethod
    def unsigned_documents(self) -> list[str]:
        """Ids of the documents with no MinHash signature yet, in the order they were stored."""

    @abstractmethod
    def signature_candidates(self, bands: list[str]) -> list[tuple[str, str, str | None]]:
        """(id, signature, duplicate_of) of each document sharing one of ``bands``, oldest first."""

    @abstractmethod
    def save_signature(self, doc_id: str, minhash: str, bands: list[str], copy_of: str | None) -> None:
        """Keep a document's signature and band keys, and the document it copies, if any."""

    # -- estimates -------------------------------------------------------------------------
    @abstractmethod
    def save_estimate(
        self, label: str, method: str, origin: dict[str, Any], inputs: dict[str, Any], result: dict[str, Any],
        user: str | None = None,
    ) -> int:
        """Keep a population estimate with its inputs; its id."""

    @abstractmethod
    def estimates(self) -> list[StoredEstimate]:
        """The saved estimates, oldest first."""

    # -- users -----------------------------------------------------------------------------
    @abstractmethod
    def add_user(self, name: str, role: str, password_hash: str, by: str | None = None) -> User:
        """A new user; :class:`StoreError` if the name is taken."""

    @abstractmethod
    def users(self) -> list[User]: ...

    @abstractmethod
    def user(self, name: str) -> tuple[User, str]:
        """A user and their password hash; :class:`NotFound` if there is none."""

    @abstractmethod
    def update_user(
        self, name: str, by: str | None, *, role: str | None = None, password_hash: str | None = None,
        active: bool | None = None,
    ) -> User:
        """Change a user's role, password or access (ending their sessions on a password change)."""

    @abstractmethod
    def add_session(self, token_hash: str, user_id: int, csrf: str, expires_at: str) -> None: ...

    @abstractmethod
    def session(self, token_hash: str, now: str) -> tuple[User, str] | None:
        """The user and CSRF token of a live session."""

    @abstractmethod
    def end_session(self, token_hash: str) -> None: ...

    @abstractmethod
    def add_token(self, token_hash: str, user_id: int, label: str | None, by: str | None) -> None: ...

    @abstractmethod
    def token_user(self, token_hash: str) -> User | None: ...
