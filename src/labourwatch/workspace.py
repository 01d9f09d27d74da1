"""The application layer: an evidence workspace over one store.

Every use case lives here — ingest these paths, extract what is pending, query, model, report —
so that the CLI, the Python API and a web server call the same functions::

    >>> import labourwatch
    >>> with labourwatch.open("labourwatch.db") as ws:
    ...     ws.figures(variable="workers_abroad")        # plain objects
    ...     ws.frame("claims")                          # a pandas DataFrame, if pandas is installed
    ...     print(ws.money_flow(state_share=0.8).summary())
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labourwatch.analysis.figures import Group, Value, group_values, timeline, values_from_claims
from labourwatch.errors import IngestError, InputError, LabourwatchError, StoreError
from labourwatch.ingest import DEFAULT_MAX_BYTES, CapturePolicy, Fetcher, Skipped, iter_files, read_documents
from labourwatch.ingest.pipeline import display_path, read_upload
from labourwatch.limits import DEFAULT_TIMEOUT, TimeBudgetExceeded, time_budget
from labourwatch.parallel import can_fork, forked_pool
from labourwatch.records import (
    REVIEWED_STATES,
    AuditEntry,
    DocumentMeta,
    DocumentSummary,
    EvidenceRecord,
    Extraction,
    IngestedDocument,
    Mismatch,
    Source,
    StoredClaim,
    StoredDocument,
)
from labourwatch.review import check_variable
from labourwatch.store import ClaimFilter, Store

if TYPE_CHECKING:
    from labourwatch.analysis.moneyflow import MoneyFlowResult
    from labourwatch.extract import Pipeline
    from labourwatch.report import ReportData

YearRange = tuple[int | None, int | None]
AUTO = "auto"  # the sending state the store is about: as set, else the nationality its claims most say
ANY = "any"  # every claim, whoever's workers it counts


def counted_states(include_unreviewed: bool = True) -> tuple[str, ...]:
    """The review states whose claims count in figures, the model and the report: accepted and
    corrected ones, unreviewed ones unless asked not to, never rejected ones."""
    return REVIEWED_STATES + (("unreviewed",) if include_unreviewed else ())


@dataclass(frozen=True)
class IngestOutcome:
    """What happened to one input: a document stored (or already known), or an error."""

    location: str
    document: IngestedDocument | None = None
    result: str | None = None  # an AddResult's value: stored, already stored, …
    error: str | None = None
    skipped: str | None = None  # a file type or "page resources": passed over on purpose


@dataclass(frozen=True)
class ExtractOutcome:
    """One document extracted (with how many claims), or the reason it failed."""

    document_id: str
    claims: int = 0
    error: str | None = None
    language: str = "en"  # the extractor reads English; another language gets a warning


@dataclass(frozen=True)
class FileEvidence:
    """The evidence record of a document read straight from a file (no store)."""

    path: Path
    document: IngestedDocument
    record: EvidenceRecord


def ingest_documents(
    paths: Iterable[str | os.PathLike[str]],
    max_bytes: int,
    follow_links: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> Iterator[IngestedDocument | IngestError | Skipped]:
    """Every document under ``paths``, the error that stopped one input, or a file passed over.
    Reading one file (a JSON Lines file: one line) may take ``timeout`` seconds."""
    for item in iter_files(paths, follow_links):
        if isinstance(item, IngestError | Skipped):
            yield item
        elif item.suffix.lower() == ".jsonl":  # streamed; each line is bounded by max_bytes
            yield from read_documents(item, max_bytes)
        else:
            try:
                with time_budget(timeout, display_path(item)):
                    documents = list(read_documents(item, max_bytes))
            except TimeBudgetExceeded as exc:
                documents = [IngestError(display_path(item), str(exc).split(": ", 1)[-1])]
            yield from documents


def extract_files(
    pipeline: Pipeline, paths: Iterable[str | os.PathLike[str]], max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[FileEvidence | IngestError]:
    """Evidence records for files, without a store; an IngestError for each input that fails."""
    from labourwatch.extract import evidence_record

    for doc in ingest_documents(paths, max_bytes):
        if isinstance(doc, Skipped):
            continue
        if isinstance(doc, IngestError):
            yield doc
            continue
        location, kind = doc.locations[0]
        try:
            extracted = pipeline(doc.text)
        except LabourwatchError as exc:
            yield IngestError(location, f"extraction failed: {exc}")
            continue
        path = location.rsplit(":", 1)[0] if kind == "jsonl" else location
        meta: DocumentMeta = {"id": doc.id, "path": path, "title": doc.title, "published": doc.published,
                              "published_source": doc.published_source}
        if kind == "jsonl":
            meta["line"] = int(location.rsplit(":", 1)[1])
        yield FileEvidence(Path(path), doc, evidence_record(extracted, meta))


@dataclass(frozen=True)
class ExtractTask:
    """What a worker needs to extract one stored document: no store, no connection."""

    document_id: str
    text: str
    title: str | None
    published: str | None


ExtractResult = tuple[str, Extraction | None, str | None]  # (id, extraction, error)


def extract_one(pipeline: Pipeline, timeout: float | None, task: ExtractTask) -> ExtractResult:
    """One document's extraction, or the reason it failed; touches no store."""
    from labourwatch.extract import PIPELINE_VERSION, evidence_record, sentence_spans

    meta: DocumentMeta = {"id": task.document_id, "path": None, "title": task.title,
                          "published": task.published}
    try:
        with time_budget(timeout, task.document_id):
            doc = pipeline(task.text)
    except LabourwatchError as exc:  # one bad document must not stop the others
        return task.document_id, None, f"extraction failed: {exc}"
    record = evidence_record(doc, meta)
    return task.document_id, Extraction(record, sentence_spans(doc), PIPELINE_VERSION), None


POOL_BATCH = 256  # documents read from the store and handed to the pool at a time


def _extract_in_pool(
    pipeline: Pipeline, timeout: float | None, tasks: Iterator[ExtractTask], workers: int
) -> Iterator[ExtractResult]:
    """Results in the order of ``tasks``, computed in ``workers`` forked processes (each
    inherits the loaded pipeline), reading the documents a batch at a time so that memory
    does not grow with the store."""
    with forked_pool(_extract_task, (pipeline, timeout), workers) as imap:
        while batch := list(itertools.islice(tasks, POOL_BATCH)):
            yield from imap(batch, 4)


def _extract_task(state: tuple[Pipeline, float | None], task: ExtractTask) -> ExtractResult:
    pipeline, timeout = state
    return extract_one(pipeline, timeout, task)


class Workspace:
    """An evidence store with the use cases over it: ingest, extract, query, model, report."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def open(cls, location: str | os.PathLike[str] | None = None, *, create: bool = False) -> Workspace:
        """The store at ``location`` (``$LABOURWATCH_DB`` or ``./labourwatch.db`` by default)."""
        return cls(Store.open(location, create=create))

    @property
    def location(self) -> str:
        return self.store.location

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- evidence in -----------------------------------------------------------------------
    def ingest(
        self,
        paths: Iterable[str | os.PathLike[str]],
        max_bytes: int = DEFAULT_MAX_BYTES,
        follow_links: bool = False,
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> Iterator[IngestOutcome]:
        """Ingest every document under ``paths``; each commits on its own, so an interruption
        leaves finished documents intact and no partial one. Links out of a folder are not
        followed unless ``follow_links``."""
        yield from self.store_documents(ingest_documents(paths, max_bytes, follow_links, timeout))

    def capture(
        self, urls: Iterable[str], policy: CapturePolicy | None = None, user: str | None = None
    ) -> Iterator[IngestOutcome]:
        """Fetch each URL (politely: robots.txt, a delay between requests to a host), keep the
        HTTP exchange as WARC records and store the page as a document."""
        with Fetcher(policy or CapturePolicy()) as fetcher:
            for url in urls:
                yield from self.store_documents(fetcher.capture(url), user)

    def ingest_upload(
        self, name: str, data: bytes, user: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> list[IngestOutcome]:
        """Ingest the bytes of a file a user sent (``upload:NAME`` as its source)."""
        return list(self.store_documents(read_upload(name, data, max_bytes), user))

    def store_documents(
        self, items: Iterable[IngestedDocument | IngestError | Skipped], user: str | None = None
    ) -> Iterator[IngestOutcome]:
        """Each document in its own transaction: an interruption leaves the finished ones
        intact and no partial one."""
        for item in items:
            if isinstance(item, Skipped):
                yield IngestOutcome(item.location, skipped=item.kind)
                continue
            if isinstance(item, IngestError):
                yield IngestOutcome(item.location, error=item.reason)
                continue
            try:
                result = self.store.add_document(item, user)
            except StoreError as exc:  # the store is full or locked: this document is not in it
                yield IngestOutcome(item.locations[0][0], error=str(exc).split(": ", 1)[-1])
                continue
            if result.value == "stored":
                self.link_copy(item.id, item.text)
            yield IngestOutcome(item.locations[0][0], document=item, result=result.value)

    def link_copy(self, doc_id: str, text: str) -> str | None:
        """Sign a stored document (MinHash) and, if it is a near-copy of an earlier one (a
        syndicated story), mark it so; returns the document it copies, or None."""
        from labourwatch.ingest.neardup import SIMILARITY, Signature, signature

        sig = signature(text)
        bands = sig.bands if sig else []
        copy_of = None
        for other, minhash, root in self.store.signature_candidates(bands):
            if other != doc_id and sig and sig.similarity(Signature.loads(minhash)) >= SIMILARITY:
                copy_of = root or other  # the first of the copies: every copy points to it
                break
        self.store.save_signature(doc_id, sig.dumps() if sig else "", bands, copy_of)
        return copy_of

    def link_copies(self) -> int:
        """Sign the documents stored before signatures were kept; returns how many are copies."""
        return sum(self.link_copy(doc_id, self.store.document(doc_id).text) is not None
                   for doc_id in self.store.unsigned_documents())

    def extract(
        self,
        pipeline: Pipeline | None = None,
        force: bool = False,
        timeout: float | None = DEFAULT_TIMEOUT,
        workers: int = 1,
        only: Iterable[str] | None = None,
        user: str | None = None,
    ) -> Iterator[ExtractOutcome]:
        """Extract each pending document (all with ``force``), each saved in its own transaction;
        one that takes longer than ``timeout`` seconds is reported as failed, nothing stored for it.
        ``workers`` > 1 extracts in that many processes; this process alone writes the store."""
        from labourwatch.extract import Pipeline

        pipeline = pipeline or Pipeline()
        self.link_copies()
        pending = self.store.pending(force)
        if only is not None:
            wanted = set(only)
            pending = [doc_id for doc_id in pending if doc_id in wanted]
        tasks = (self.extract_task(doc_id) for doc_id in pending)
        if workers > 1 and len(pending) >= 2 * workers and can_fork():
            results = _extract_in_pool(pipeline, timeout, tasks, workers)
        else:
            results = (extract_one(pipeline, timeout, task) for task in tasks)
        for doc_id, extraction, error in results:
            if extraction is None:
                yield ExtractOutcome(doc_id, error=error)
                continue
            try:
                self.store.save_extraction(doc_id, extraction, user)
            except StoreError as exc:
                yield ExtractOutcome(doc_id, error=str(exc).split(": ", 1)[-1])
                continue
            language = extraction.record["document"].get("language", "en")
            yield ExtractOutcome(doc_id, claims=len(extraction.record["claims"]), language=language)

    def extract_task(self, doc_id: str) -> ExtractTask:
        """What a worker needs to extract one stored document."""
        stored = self.store.document(doc_id)
        return ExtractTask(doc_id, stored.text, stored.title, stored.published)

    def delete(self, doc_id: str, user: str | None = None, reason: str | None = None) -> StoredDocument:
        """Delete a document (id or unique prefix) and all derived from it; returns what it was.
        The audit log keeps its title, the reason and who deleted it."""
        full = self.store.resolve_id(doc_id)
        doc = self.store.document(full)
        self.store.delete(full, user, reason)
        return doc

    # -- documents -------------------------------------------------------------------------
    def documents(self) -> list[DocumentSummary]:
        return self.store.documents()

    def document(self, doc_id: str) -> tuple[StoredDocument, list[Source]]:
        """A document (id or unique prefix) with its sources."""
        full = self.store.resolve_id(doc_id)
        return self.store.document(full), self.store.sources(full)

    def verify(self) -> list[Mismatch]:
        return list(self.store.verify())

    def audit(self) -> list[AuditEntry]:
        return self.store.audit()

    def count(self, table: str) -> int:
        return self.store.count(table)

    # -- queries and analyses --------------------------------------------------------------
    def claims(
        self,
        variable: str | None = None,
        place: str | None = None,
        source: str | None = None,
        document: str | None = None,
        year: int | None = None,
        states: tuple[str, ...] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[StoredClaim]:
        """Claims as reviewed (every review state unless ``states`` says which)."""
        where = self.claim_filter(variable=variable, place=place, source=source, document=document,
                                  year=year, states=states)
        return self.store.claims(where, limit, offset)

    @staticmethod
    def claim_filter(place: str | None = None, **filters: Any) -> ClaimFilter:
        """The filter of :meth:`claims`: a known variable, a place name read as its ISO code."""
        check_variable(filters.get("variable"))
        return ClaimFilter(place=_place(place), **filters)

    def count_claims(self, **filters: Any) -> int:
        return self.store.count_claims(self.claim_filter(**filters))

    # -- what the store is about ------------------------------------------------------------
    def sending_state(self) -> str | None:
        """The state whose workers the figures count: as set, else the nationality the
        store's claims most often say (None for a store whose claims never say one)."""
        stored = self.store.setting("sending_state")
        if stored:
            return stored
        counts = self.store.nationality_counts()
        return counts.most_common(1)[0][0] if counts else None

    def set_sending_state(self, country: str | None, user: str | None = None) -> str | None:
        """Set the sending state (a name or code; None: back to the claims' most common)."""
        from labourwatch.review import country_code

        code = country_code(country) if country else None
        self.store.set_setting("sending_state", code, user)
        return code

    def _nationality(self, nationality: str | None) -> str | None:
        if nationality in (None, ANY):
            return None
        if nationality == AUTO:
            return self.sending_state()
        return _place(nationality)

    def values(
        self,
        variable: str | None = None,
        place: str | None = None,
        years: YearRange = (None, None),
        include_unreviewed: bool = True,
        nationality: str | None = AUTO,
        copies: bool = False,
    ) -> list[Value]:
        """Claims as figures, within the years given (ends included); rejected claims never.
        Only the claims about ``nationality``'s workers, or that never say whose (``AUTO``:
        the store's sending state; ``ANY``: all); a near-copy's claims not again (``copies``)."""
        check_variable(variable)
        where = ClaimFilter(variable, _place(place), states=counted_states(include_unreviewed),
                            nationality=self._nationality(nationality), copies=copies)
        return values_from_claims(self.store.claims(where), years)

    def figures(
        self,
        variable: str | None = None,
        place: str | None = None,
        years: YearRange = (None, None),
        by_year: bool = True,
        include_unreviewed: bool = True,
        nationality: str | None = AUTO,
    ) -> list[Group]:
        return group_values(self.values(variable, place, years, include_unreviewed, nationality), by_year)

    def timeline(
        self, variable: str = "workers_abroad", place: str | None = None, include_unreviewed: bool = True,
        nationality: str | None = AUTO,
    ) -> list[Value]:
        values = self.values(variable, place, include_unreviewed=include_unreviewed, nationality=nationality)
        return timeline(values).get(variable, [])

    # -- review ----------------------------------------------------------------------------
    def review(
        self, kind: str, item_id: int, state: str, user: str, corrected: dict[str, Any] | None = None
    ) -> None:
        """Accept, correct, reject (or reset) a claim, indicator or name; the machine's reading
        is kept beside any correction, and the audit log says who did it."""
        from labourwatch.review import check_review

        self.store.review(kind, item_id, state, user, check_review(kind, state, corrected))

    def add_claim(self, doc_id: str, start: int, end: int, fields: dict[str, Any], user: str) -> int:
        """A claim a person read at ``start:end`` of a document's text (the figure's words)."""
        from labourwatch.review import check_claim_fields

        full = self.store.resolve_id(doc_id)
        length = len(self.store.document(full).text)
        if not 0 <= start < end <= length or end - start > 500:
            raise InputError(
                f"selection {start}–{end} is not a passage of the document ({length} characters)"
            )
        checked = check_claim_fields(fields, partial=False)
        return self.store.add_claim(full, {"start": start, "end": end, **checked}, user)


    def money_flow(
        self, include_unreviewed: bool = True, nationality: str | None = AUTO, **kwargs: Any
    ) -> MoneyFlowResult:
        """See :func:`labourwatch.analysis.moneyflow.money_flow` for the arguments."""
        from labourwatch.analysis.moneyflow import money_flow

        values = self.values(include_unreviewed=include_unreviewed, nationality=nationality)
        if kwargs.get("place"):
            kwargs["place"] = _place(kwargs["place"])  # "Poland" or "PL"
        return money_flow(values, **kwargs)

    def report_data(self, seed: int = 1, include_unreviewed: bool = True) -> ReportData:
        from labourwatch.report import gather

        return gather(self.store, seed=seed, states=counted_states(include_unreviewed),
                      nationality=self._nationality(AUTO))

    def write_reports(
        self,
        html: Path | None = None,
        md: Path | None = None,
        seed: int = 1,
        include_unreviewed: bool = True,
        include_paths: bool = False,
    ) -> ReportData:
        """Write the HTML and/or Markdown report of the whole store; returns what they show.
        Sources are shown by file name unless ``include_paths`` (folders can reveal a source)."""
        from labourwatch.report import render_html, render_markdown

        data = self.report_data(seed, include_unreviewed)
        data.meta["include_paths"] = include_paths
        for path, render in ((html, render_html), (md, render_markdown)):
            if path:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(render(data), encoding="utf-8")
        return data

    def indicators(self) -> list[dict[str, Any]]:
        """Passages showing ILO indicators (as reviewed; rejected ones left out)."""
        return [i.to_dict() | {"review": i.review.state}
                for i in self.store.indicators() if i.review.state != "rejected"]

    def entities(self) -> list[dict[str, Any]]:
        """Places, organisations and people named in the evidence, with how often."""
        rows: list[dict[str, Any]] = [
            {"kind": "place", "name": p.name, "place_kind": p.kind, "country": p.country,
             "mentions": p.mentions}
            for p in self.store.place_counts(("country", "region", "city", "site"))
        ]
        counts: dict[tuple[str, str], set[str]] = {}
        mentions: dict[tuple[str, str], int] = {}
        for n in self.store.names():
            if n.review.state == "rejected":
                continue
            key = (n.kind, n.reviewed_name)
            counts.setdefault(key, set()).add(n.document_id)
            mentions[key] = mentions.get(key, 0) + 1
        rows += [{"kind": kind, "name": name, "place_kind": None, "country": None,
                  "mentions": mentions[(kind, name)], "documents": len(docs)}
                 for (kind, name), docs in sorted(counts.items())]
        return rows

    def frame(self, what: str = "claims", **filters: Any) -> Any:
        """``documents``, ``claims``, ``figures``, ``timeline``, ``indicators`` or ``entities``
        as a pandas DataFrame."""
        try:
            import pandas as pd
        except ImportError as exc:
            raise ImportError("frame() needs pandas: pip install pandas") from exc
        rows: list[Any]
        if what == "documents":
            rows = [d.to_dict() for d in self.documents()]
        elif what == "claims":
            rows = list(self.claims(**filters))
        elif what == "figures":
            rows = [{k: v for k, v in g.to_dict().items() if k != "values"} for g in self.figures(**filters)]
        elif what == "timeline":
            rows = [asdict(v) for v in self.timeline(**filters)]
        elif what == "indicators":
            rows = self.indicators()
        elif what == "entities":
            rows = self.entities()
        else:
            raise ValueError(
                f"unknown frame {what!r}: documents, claims, figures, timeline, indicators or entities"
            )
        return pd.DataFrame(rows)


def _place(place: str | None) -> str | None:
    """A place filter as an ISO code: names and codes both work ("Russia", "RU", "rus")."""
    if not place:
        return None
    from labourwatch.review import country_code

    try:
        return country_code(place)
    except InputError:  # not a country: a region code the extractor gave, matched as written
        return place
