"""Extraction on a Dask distributed cluster: the same work as a local process pool, spread
over the machines of a scheduler (``labourwatch extract --cluster tcp://scheduler:8786``).

Documents travel to the workers as ids and texts; what comes back depends on the store. A
PostgreSQL store is written by the workers themselves, each document in its own transaction
(the client only counts); a SQLite file, which only this machine can reach, is written by the
client from the records the workers return. A worker that dies loses nothing: Dask runs its
tasks again elsewhere, and the run id makes a second write of a document a no-op, so each is
written exactly once. Tasks show in Dask's dashboard like any others.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from labourwatch.errors import InputError, LabourwatchError, StoreError
from labourwatch.store import Store

if TYPE_CHECKING:
    from labourwatch.workspace import ExtractOutcome, ExtractTask, Workspace

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
