"""The records that flow between packages: documents → evidence records → stored rows.

This module is a leaf: it imports nothing from labourwatch, so ingestion, extraction, the
store, the analyses and the views can all share it without importing one another.
The evidence contract (``labourwatch/evidence/1``, docs/evidence-schema.md) is spelled out
here as ``TypedDict``s; the variable names and indicator codes are defined here once.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, NotRequired, TypedDict

SCHEMA = "labourwatch/evidence/1"


@dataclass(frozen=True)
class Variable:
    name: str
    meaning: str
    unit: str


VARIABLES: dict[str, Variable] = {
    v.name: v
    for v in (
        Variable("workers_abroad", "workers the state has sent abroad, in all or in one country/region",
                 "person"),
        Variable("workers_at_site", "workers at one named site, company or city", "person"),
        Variable("host_countries", "countries that host the workers", "country"),
        Variable("revenue", "money the state earns from the workers (per year, or cumulative)", "USD"),
        Variable("employer_pay", "what an employer pays for one worker", "USD per month"),
        Variable("worker_pay", "what one worker receives", "USD per month"),
        Variable("worker_share", "the share of their wages the workers keep", "percent"),
        Variable("state_share", "the share of the wages the state or its agents take", "percent"),
        Variable("work_hours", "working hours", "hour per day"),
        Variable("days_off", "days off", "day per month"),
        Variable("victims", "people in forced labour or modern slavery, overall", "person"),
        Variable("repatriated", "workers sent home (for instance under UN sanctions)", "person"),
        Variable("other", "any other figure (population, food, prices …)", "any"),
    )
}
WORKER_COUNTS = ("workers_abroad", "workers_at_site")

# The ILO's eleven indicators of forced labour, in the ILO's order.
INDICATORS: dict[str, str] = {
    "abuse_of_vulnerability": "abuse of vulnerability",
    "deception": "deception",
    "restriction_of_movement": "restriction of movement",
    "isolation": "isolation",
    "physical_sexual_violence": "physical and sexual violence",
    "intimidation_threats": "intimidation and threats",
    "retention_of_documents": "retention of identity documents",
    "withholding_of_wages": "withholding of wages",
    "debt_bondage": "debt bondage",
    "abusive_conditions": "abusive working and living conditions",
    "excessive_overtime": "excessive overtime",
}


# -- the evidence contract ---------------------------------------------------------------
class DocumentMeta(TypedDict):
    id: str
    path: str | None
    title: str | None
    published: str | None
    published_source: NotRequired[str | None]  # metadata | dateline: where ``published`` came from
    text: NotRequired[str]
    line: NotRequired[int]  # the line of a JSON Lines file
    language: NotRequired[str]  # "en", a code guessed from the script ("ru", "ko"), or "und"


class ClaimRecord(TypedDict):
    start: int
    end: int
    text: str
    quote: str
    quote_start: int
    variable: str
    low: float | None
    high: float | None
    unit: str | None
    per: str | None
    qualifier: str | None
    source: str | None
    place: str | None
    year: int | None
    nationality: NotRequired[str | None]  # whose workers it counts (ISO code); null where unsaid


class IndicatorRecord(TypedDict):
    indicator: str
    start: int
    end: int
    quote: str
    cue: str
    cue_start: int
    cue_end: int


class PlaceRecord(TypedDict):
    name: str
    kind: str
    country: str | None
    lat: float | None
    lon: float | None
    mentions: list[list[int]]


class NameRecord(TypedDict):
    name: str
    mentions: list[list[int]]


class EvidenceRecord(TypedDict):
    schema: str
    document: DocumentMeta
    claims: list[ClaimRecord]
    indicators: list[IndicatorRecord]
    places: list[PlaceRecord]
    organisations: list[NameRecord]
    people: list[NameRecord]
    sectors: list[NameRecord]


@dataclass(frozen=True)
class Extraction:
    """What the store keeps of one extraction: the record, and the sentence spans that
    quotes of names and places are cut from."""

    record: EvidenceRecord
    sentences: list[tuple[int, int]]
    pipeline_version: str


# -- ingestion ---------------------------------------------------------------------------
@dataclass
class IngestedDocument:
    """A document read from its original bytes, ready for the store."""

    original: bytes
    text: str
    media_type: str
    locations: list[tuple[str, str]]  # (where it came from, kind: file | jsonl | url)
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    status: str = "ok"  # ok | needs_ocr | needs_browser
    notes: list[str] = field(default_factory=list)  # what the reader had to do: shown as warnings
    text_origin: str = "text"  # text | ocr
    ocr_confidence: float | None = None  # mean word confidence of OCR text, 0-100
    published_source: str | None = None  # metadata | dateline: where ``published`` came from
    capture: Capture | None = None  # the HTTP exchange, for a page fetched by URL
    id: str = field(init=False)

    def __post_init__(self) -> None:
        self.id = hashlib.sha256(self.original).hexdigest()


@dataclass(frozen=True)
class Capture:
    """A page fetched by URL: the HTTP exchange as WARC records, kept with the document."""

    url: str
    final_url: str
    redirects: list[tuple[int, str]]  # (status, location) of each hop before the final response
    status: int
    captured_at: str  # UTC, ISO 8601
    warc: bytes  # request and response records, each a gzip member


@dataclass(frozen=True)
class StoredCapture:
    id: int
    document_id: str
    url: str
    final_url: str
    redirects: list[tuple[int, str]]
    status: int
    captured_at: str
    warc: bytes


# -- what the store gives back -----------------------------------------------------------
class AddResult(Enum):
    STORED = "stored"
    NEW_SOURCE = "already stored (new source recorded)"
    ALREADY = "already stored"


@dataclass(frozen=True)
class DocumentSummary:
    """A stored document without its text, with the places it was read from."""

    id: str
    title: str | None
    published: str | None
    media_type: str
    size: int
    status: str
    ingested_at: str
    extracted_at: str | None
    sources: list[str]
    duplicate_of: str | None = None  # the document this one is a near-copy of

    @property
    def n_sources(self) -> int:
        return len(self.sources)

    @property
    def location(self) -> str | None:
        return self.sources[0] if self.sources else None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "n_sources": self.n_sources, "location": self.location}


@dataclass(frozen=True)
class StoredDocument:
    """A stored document with its working text and metadata."""

    id: str
    title: str | None
    published: str | None
    media_type: str
    size: int
    text: str
    status: str
    publisher: str | None
    ingested_at: str
    tool_version: str
    extracted_at: str | None
    pipeline_version: str | None
    text_origin: str = "text"  # text | ocr
    ocr_confidence: float | None = None
    published_source: str | None = None  # metadata | dateline
    duplicate_of: str | None = None  # the document this one is a near-copy of (a syndicated story)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Source:
    location: str
    kind: str
    ingested_at: str


class StoredClaim(TypedDict):
    """A claim as stored, with its document's title and date."""

    id: int
    document_id: str
    start: int
    end: int
    mention: str
    quote: str
    quote_start: int
    variable: str
    low: float | None
    high: float | None
    unit: str | None
    per: str | None
    qualifier: str | None
    source: str | None
    place: str | None
    year: int | None
    nationality: NotRequired[str | None]  # whose workers it counts (ISO code); null where unsaid
    document_title: str | None
    document_published: str | None
    origin: NotRequired[str]  # extractor | editor (added by a person)
    review_state: NotRequired[str]  # one of REVIEW_STATES
    reviewed_by: NotRequired[str | None]
    reviewed_at: NotRequired[str | None]
    extracted: NotRequired[dict[str, Any] | None]  # what the machine read, where a person corrected it


# -- review ------------------------------------------------------------------------------
REVIEW_STATES = ("unreviewed", "accepted", "corrected", "rejected")
REVIEWED_STATES = ("accepted", "corrected")
COUNTED_STATES = (*REVIEWED_STATES, "unreviewed")  # what figures use by default: never rejected claims
# What a person may correct in a claim; the extracted columns are never overwritten.
CORRECTABLE_CLAIM_FIELDS = ("variable", "low", "high", "unit", "per", "qualifier", "source", "place", "year",
                            "nationality")
REVIEW_KINDS = ("claim", "indicator", "name")
ROLES = ("viewer", "editor", "admin")


@dataclass(frozen=True)
class Review:
    """Who reviewed an item, when, and how."""

    state: str = "unreviewed"
    by: str | None = None
    at: str | None = None
    origin: str = "extractor"


@dataclass(frozen=True)
class Reviewed:
    """An item a person can review: its review, and the fields they corrected (the item's own
    fields keep what the machine read)."""

    review: Review = field(default_factory=Review, kw_only=True)
    corrected: dict[str, Any] | None = field(default=None, kw_only=True)

    def reviewed(self, name: str) -> Any:
        """A field as reviewed: the correction where there is one."""
        return (self.corrected or {}).get(name, getattr(self, name))


@dataclass(frozen=True)
class StoredIndicator(Reviewed):
    """A passage showing one of the ILO indicators, with its review."""

    id: int
    document_id: str
    indicator: str
    start: int
    end: int
    quote: str

    @property
    def code(self) -> str:
        """The indicator as reviewed (a person may correct the code)."""
        return str(self.reviewed("indicator"))

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "indicator": self.code, "extracted_indicator": self.indicator}


@dataclass(frozen=True)
class StoredName(Reviewed):
    """One mention of an organisation or person, with its review."""

    id: int
    document_id: str
    kind: str
    name: str
    start: int
    end: int

    @property
    def reviewed_name(self) -> str:
        return str(self.reviewed("name"))

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "name": self.reviewed_name, "extracted_name": self.name}


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    created_at: str
    active: bool = True

    def can(self, role: str) -> bool:
        """Whether this user holds ``role`` or a stronger one (viewer < editor < admin)."""
        return self.active and ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class PlaceCount:
    """A place named in the evidence, with how often."""

    name: str
    kind: str
    country: str | None
    lat: float | None
    lon: float | None
    mentions: int


@dataclass(frozen=True)
class NamedMention:
    """One mention of an organisation or person, with the stored sentence that holds it."""

    kind: str  # organisation | person
    name: str
    document_id: str
    document_title: str | None
    quote: str


@dataclass(frozen=True)
class StoredEstimate:
    """A population estimate kept in the store with what it was made from."""

    id: int
    label: str
    created_at: str
    method: str
    origin: dict[str, Any]  # {"file": ..., "sha256": ...} or {"store": ..., "lists_by": ...}
    inputs: dict[str, Any]  # {"lists": [...], "histories": {"101": 12, ...}}
    result: dict[str, Any]  # as `estimate mse --json` prints it
    user: str | None


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    action: str
    document_id: str | None
    detail: str
    tool_version: str
    user: str | None = None


@dataclass(frozen=True)
class Mismatch:
    """A stored original that no longer matches its id (or is missing)."""

    document_id: str
    actual: str | None
    reason: str
