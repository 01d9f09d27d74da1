"""Work on a Dask distributed cluster: the same work as a local process pool, spread over the
machines of a scheduler (``labourwatch extract|ingest|screen|estimate mse --cluster
tcp://scheduler:8786``).

Extraction and ingest are below; screening and bootstraps run through :class:`DaskMapper`.

Documents travel to the workers as ids and texts; what comes back depends on the store. A
PostgreSQL store is written by the workers themselves, each document in its own transaction
(the client only counts); a SQLite file, which only this machine can reach, is written by the
client from the records the workers return. A worker that dies loses nothing: Dask runs its
tasks again elsewhere, and the run id makes a second write of a document a no-op, so each is
written exactly once. Tasks show in Dask's dashboard like any others.
"""

from __future__ import annotations

import copy
import itertools
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from labourwatch.errors import IngestError, InputError, LabourwatchError, StoreError
from labourwatch.ingest import iter_files
from labourwatch.ingest.pipeline import display_path, read_documents, read_limited
from labourwatch.records import IngestedDocument
from labourwatch.store import Store

if TYPE_CHECKING:
    from labourwatch.workspace import ExtractOutcome, ExtractTask, IngestOutcome, Workspace

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

BATCH = 16  # documents per task: large enough to amortise a task, small enough to spread
IN_FLIGHT_PER_THREAD = 2  # tasks queued per worker thread: texts are read as they are needed


@dataclass(frozen=True)
class PipelineSpec:
    """How a worker builds its pipeline (vocabulary files must be readable where it runs)."""

    vocab: tuple[str, ...] = ()
    spacy_model: str | None = None


@dataclass(frozen=True)
class BatchResult:
    """One document's outcome on a worker: written to the store there, or the extraction to
    write here (``extraction`` set only for a store the workers cannot reach)."""

    document_id: str
    claims: int = 0
    language: str = "en"
    error: str | None = None
    written: bool = False
    extraction: Any = None


def connect(address: str) -> Any:
    """A Dask client for the scheduler at ``address``; :class:`InputError` if none answers."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError("--cluster needs Dask: pip install 'labourwatch[scale]'") from None
    try:
        return Client(address, timeout=10)
    except (OSError, TimeoutError) as exc:
        raise InputError(f"{address}: no Dask scheduler answers: {exc}") from None


class DaskMapper:
    """A :class:`~labourwatch.parallel.Mapper` over a Dask cluster: the shared state is
    scattered to every worker once; items travel in batches, a bounded number in flight, and
    results come back in order."""

    def __init__(self, client: Any, batch: int = BATCH) -> None:
        self.client = client
        self.batch = batch

    def map(self, func: Callable[[S, T], R], state: S, items: Iterable[T]) -> Iterator[R]:
        shared = self.client.scatter(state, broadcast=True, hash=False)
        in_flight = max(1, sum(self.client.nthreads().values())) * IN_FLIGHT_PER_THREAD
        it = iter(items)
        batches = iter(lambda: list(itertools.islice(it, self.batch)), [])
        window = [self._submit(func, shared, b) for b in itertools.islice(batches, in_flight)]
        while window:
            yield from window.pop(0).result()
            window.extend(self._submit(func, shared, b) for b in itertools.islice(batches, 1))

    def _submit(self, func: Callable[[S, T], R], shared: Any, items: list[T]) -> Any:
        return self.client.submit(_apply, func, shared, items, pure=False)


def _apply(func: Callable[[S, T], R], state: S, items: list[T]) -> list[R]:
    return [func(state, item) for item in items]


def extract_on_cluster(
    ws: Workspace, client: Any, spec: PipelineSpec, force: bool = False, timeout: float | None = None,
    run: str | None = None, batch: int = BATCH,
) -> Iterator[ExtractOutcome]:
    """Extract the store's pending documents (all with ``force``) on the cluster behind
    ``client``; one outcome per document, as batches finish."""
    from distributed import as_completed

    from labourwatch.workspace import ExtractOutcome

    run = run or uuid.uuid4().hex
    pending = ws.store.pending(force)
    batches = (pending[i:i + batch] for i in range(0, len(pending), batch))
    target = ws.store.shared_location
    in_flight = max(1, sum(client.nthreads().values())) * IN_FLIGHT_PER_THREAD

    def submit(ids: list[str]) -> Any:
        # Workers that reach the store read the texts themselves: only ids leave this machine.
        tasks: list[str] | list[ExtractTask] = ids if target else [ws.extract_task(i) for i in ids]
        # pure=False: a retried batch is the same task to Dask only through its retries.
        return client.submit(extract_batch, tasks, spec, target, timeout, run, pure=False)

    queue = as_completed([submit(ids) for ids in _take(batches, in_flight)])
    for future in queue:
        for result in future.result():
            yield _outcome(ws, result, run, ExtractOutcome)
        for ids in _take(batches, 1):
            queue.add(submit(ids))


def _take(batches: Iterator[list[str]], n: int) -> list[list[str]]:
    return [ids for _, ids in zip(range(n), batches, strict=False)]


def _outcome(ws: Workspace, result: BatchResult, run: str, outcome: type[ExtractOutcome]) -> ExtractOutcome:
    if result.error is None and result.extraction is not None:  # the client writes (SQLite)
        try:
            ws.store.save_extraction(result.document_id, result.extraction, run=run)
        except StoreError as exc:
            return outcome(result.document_id, error=str(exc).split(": ", 1)[-1])
    return outcome(result.document_id, result.claims, result.error, result.language)


@dataclass(frozen=True)
class IngestSpec:
    """What a worker needs to read files sent to it, and where it stores them (None: it
    returns the documents for the client to store)."""

    target: str | None
    timeout: float | None


@dataclass(frozen=True)
class FileBytes:
    """One file's bytes, read on the client (the only machine that sees its folders)."""

    location: str
    suffix: str
    data: bytes


def ingest_on_cluster(
    ws: Workspace, client: Any, paths: Iterable[str], max_bytes: int, follow_links: bool = False,
    timeout: float | None = None,
) -> Iterator[IngestOutcome]:
    """Ingest files with their reading (HTML, PDF, Word, OCR) done on the cluster: the client
    walks the folders and sends each file's bytes; workers read them and store the documents
    in PostgreSQL themselves, or send them back for a SQLite store. JSON Lines files, already
    text, are read here as they stream; what cannot be read is reported first."""
    walked = list(iter_files(paths, follow_links))  # paths only: the bytes are read as sent
    files = [item for item in walked if isinstance(item, Path)]
    yield from ws.store_documents(item for item in walked if not isinstance(item, Path))
    for path in (f for f in files if f.suffix.lower() == ".jsonl"):
        yield from ws.store_documents(read_documents(path, max_bytes))
    unread: list[IngestError] = []
    sent = _file_bytes((f for f in files if f.suffix.lower() != ".jsonl"), max_bytes, unread)
    spec = IngestSpec(ws.store.shared_location, timeout)
    for outcomes in DaskMapper(client, batch=4).map(read_on_worker, spec, sent):
        for outcome in outcomes:
            if outcome.result is None and outcome.document is not None:  # the client stores
                yield from ws.store_documents([outcome.document])
            else:
                yield outcome
    yield from ws.store_documents(unread)


def _file_bytes(files: Iterable[Path], max_bytes: int, unread: list[IngestError]) -> Iterator[FileBytes]:
    """Each file's bytes as the cluster asks for them; a file over the limit or unreadable is
    kept in ``unread`` to be reported."""
    for path in files:
        try:
            data = read_limited(path, max_bytes)
        except OSError as exc:
            data = IngestError(display_path(path), f"cannot read: {exc.strerror or exc}")
        if isinstance(data, IngestError):
            unread.append(data)
        else:
            yield FileBytes(display_path(path), path.suffix.lower(), data)


# -- on the worker ---------------------------------------------------------------------------
_STORES: dict[str, Store] = {}


def extract_batch(
    tasks: list[str] | list[ExtractTask], spec: PipelineSpec, target: str | None, timeout: float | None,
    run: str,
) -> list[BatchResult]:
    """Runs on a worker: extract each document (by id from ``target``, a PostgreSQL store, and
    written back there), or each task's text with the extractions returned for the client to
    write (``target`` None)."""
    from labourwatch.extract import load_pipeline
    from labourwatch.workspace import ExtractTask, extract_one

    pipeline = load_pipeline(spec.vocab, spec.spacy_model)  # built once per worker process
    results = []
    for item in tasks:
        if isinstance(item, ExtractTask):
            task = item
        else:
            stored = _store(str(target)).document(item)
            task = ExtractTask(item, stored.text, stored.title, stored.published)
        doc_id, extraction, error = extract_one(pipeline, timeout, task)
        if extraction is None:
            results.append(BatchResult(doc_id, error=error))
            continue
        claims = len(extraction.record["claims"])
        language = extraction.record["document"].get("language", "en")
        if target is None:
            results.append(BatchResult(doc_id, claims, language, extraction=extraction))
            continue
        try:
            written = _store(target).save_extraction(doc_id, extraction, run=run)
        except LabourwatchError as exc:
            results.append(BatchResult(doc_id, error=str(exc).split(": ", 1)[-1]))
            continue
        results.append(BatchResult(doc_id, claims, language, written=written))
    return results


def _store(location: str) -> Store:
    """The worker's connection to the store, kept for the tasks that follow."""
    if location not in _STORES:
        _STORES[location] = Store.open(location, create=False)
    return _STORES[location]


def read_on_worker(spec: IngestSpec, file: FileBytes) -> list[IngestOutcome]:
    """Runs on a worker: the documents in one file's bytes, stored there (PostgreSQL) and
    returned without their bytes and text, or returned whole for the client to store."""
    from labourwatch.ingest.readers import read_bytes
    from labourwatch.limits import TimeBudgetExceeded, time_budget
    from labourwatch.workspace import IngestOutcome

    try:
        # Bounded only where the worker runs tasks in its main thread (Dask uses a pool).
        with time_budget(spec.timeout, file.location):
            items = list(read_bytes(file.suffix, file.data, file.location))
    except (IngestError, TimeBudgetExceeded) as exc:
        reason = exc.reason if isinstance(exc, IngestError) else str(exc).split(": ", 1)[-1]
        return [IngestOutcome(file.location, error=reason)]
    if spec.target is None:
        return [IngestOutcome(file.location, error=item.reason) if isinstance(item, IngestError)
                else IngestOutcome(file.location, document=item) for item in items]
    ws_store = _store(spec.target)
    outcomes = []
    for item in items:
        if isinstance(item, IngestError):
            outcomes.append(IngestOutcome(item.location, error=item.reason))
            continue
        try:
            result = ws_store.add_document(item)
        except StoreError as exc:
            outcomes.append(IngestOutcome(item.locations[0][0], error=str(exc).split(": ", 1)[-1]))
            continue
        location = item.locations[0][0]
        outcomes.append(IngestOutcome(location, document=_without_content(item), result=result.value))
    return outcomes


def _without_content(doc: IngestedDocument) -> IngestedDocument:
    """The document's metadata (its id, notes and status) without the bytes and text, which
    are in the store already and need not travel back."""
    light = copy.copy(doc)
    light.original, light.text = b"", ""
    return light
