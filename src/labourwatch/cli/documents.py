"""ingest, documents, show, verify, delete: putting evidence in and checking it is intact."""

from __future__ import annotations

import itertools
import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from labourwatch.cli.app import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    ClusterOption,
    DbOption,
    JsonOption,
    app,
    cluster_client,
    err,
    fail,
    open_workspace,
    out,
    plain_row,
    print_json,
    report_error,
    say,
    warn,
)
from labourwatch.ingest.capture import CapturePolicy, is_url
from labourwatch.ingest.ocr import ENV_OCR_LANG
from labourwatch.ingest.pipeline import DEFAULT_MAX_BYTES
from labourwatch.limits import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from labourwatch.workspace import IngestOutcome, Workspace




def run_ingest(
    ws: Workspace, paths: list[Path], max_bytes: int, quiet: bool = False, follow_links: bool = False,
    timeout: float | None = None, urls: list[str] | None = None, policy: CapturePolicy | None = None,
    client: Any = None,
) -> Counter[str]:
    """Ingest files and capture URLs with a progress bar on a terminal: one line per failed
    input, a warning per note, and a summary of what was passed over, never one line per
    unchanged file."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    counts: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    progress = Progress(
        TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.fields[last]}", markup=False),
        console=err, transient=True, disable=quiet or not err.is_terminal,
    )
    outcomes = (_read_on_cluster(ws, client, paths, max_bytes, follow_links, timeout) if client and paths
                else ws.ingest(paths, max_bytes, follow_links, timeout) if paths else iter(()))
    captured = ws.capture(urls, policy) if urls else iter(())
    with progress:
        task = progress.add_task("ingest", total=None, last="")
        for outcome in itertools.chain(outcomes, captured):
            if outcome.skipped:
                skipped[outcome.skipped] += 1
                continue
            _count_outcome(outcome, counts)
            progress.update(task, advance=1, last=Path(outcome.location).name[:40])
    if skipped and not quiet:
        say(skipped_summary(skipped))
    return counts


def _read_on_cluster(
    ws: Workspace, client: Any, paths: list[Path], max_bytes: int, follow_links: bool, timeout: float | None,
) -> Iterator[IngestOutcome]:
    from labourwatch.cluster import ingest_on_cluster

    return ingest_on_cluster(ws, client, [str(p) for p in paths], max_bytes, follow_links, timeout)


def _count_outcome(outcome: IngestOutcome, counts: Counter[str]) -> None:
    if outcome.error or outcome.document is None or outcome.result is None:
        counts["failed"] += 1
        report_error(outcome.location, outcome.error or "not stored")
        return
    counts[outcome.result] += 1
    for note in outcome.document.notes:
        warn(f"{outcome.location}: {note}")
    if outcome.document.status == "needs_ocr":
        counts["needs_ocr"] += 1
        warn(f"{outcome.location}: no text layer (needs OCR); stored")
    elif outcome.document.status == "needs_browser":
        counts["needs_browser"] += 1
        warn(f"{outcome.location}: needs a browser (its text is written by scripts); stored, not extractable")


def skipped_summary(skipped: Counter[str]) -> str:
    """"skipped 3 unsupported files: .csv, .docx (2); 1 folder of page resources"."""
    resources = skipped.pop("page resources", 0)
    parts = []
    if skipped:
        kinds = ", ".join(f"{kind} ({n})" if n > 1 else kind for kind, n in sorted(skipped.items()))
        total = sum(skipped.values())
        parts.append(f"skipped {total} unsupported file{'s' if total != 1 else ''}: {kinds}")
    if resources:
        parts.append(f"skipped {resources} folder{'s' if resources != 1 else ''} of a saved page's "
                     "resources (_files)")
    return "; ".join(parts)


def read_url_list(path: Path) -> list[str]:
    """URLs in a text file, one per line; blank lines and # comments ignored."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"{path}: cannot read the URL list: {exc}") from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@app.command()
def ingest(
    paths: Annotated[list[str] | None, typer.Argument(
        help="Files, folders (searched recursively) or web addresses (http://, https://).")] = None,
    db: DbOption = None,
    urls_file: Annotated[Path | None, typer.Option(
        "--urls", help="A text file of web addresses to capture, one per line.")] = None,
    max_size: Annotated[
        int, typer.Option("--max-size", help="Largest file or web response accepted, in bytes.", min=1)
    ] = DEFAULT_MAX_BYTES,
    follow_links: Annotated[bool, typer.Option(
        "--follow-links", help="Follow symbolic links that lead out of the folders given.")] = False,
    timeout: Annotated[float, typer.Option(
        "--timeout", help="Seconds one file may take to read; then it is reported and skipped.", min=0)
    ] = DEFAULT_TIMEOUT,
    delay: Annotated[float, typer.Option(
        "--delay", help="Seconds between two requests to one web host.", min=0)] = 1.0,
    fetch_timeout: Annotated[float, typer.Option(
        "--fetch-timeout", help="Seconds a web capture may take, redirects included.", min=0.1)] = 30.0,
    ocr_lang: Annotated[str | None, typer.Option(
        "--ocr-lang", help="Tesseract languages for scans, joined by + (default eng; e.g. eng+kor+rus).",
        envvar=ENV_OCR_LANG)] = None,
    cluster: ClusterOption = None,
) -> None:
    """Store documents (txt, md, html, pdf, docx, eml, jsonl, scanned images) with their original
    bytes and provenance; capture web pages by URL with their HTTP exchange as WARC."""
    if ocr_lang:
        os.environ[ENV_OCR_LANG] = ocr_lang  # the readers (and worker processes) read it from there
    items = list(paths or [])
    urls = [item for item in items if is_url(item)] + (read_url_list(urls_file) if urls_file else [])
    files = [Path(item) for item in items if not is_url(item)]
    if not files and not urls:
        raise fail("nothing to ingest: give files, folders or URLs (or --urls FILE)")
    policy = CapturePolicy(max_bytes=max_size, timeout=fetch_timeout, delay=delay)
    with open_workspace(db, create=True) as ws, cluster_client(cluster) as client:
        counts = run_ingest(ws, files, max_size, follow_links=follow_links, timeout=timeout, urls=urls,
                            policy=policy, client=client)
        location = ws.location
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nothing to ingest"
    say(f"{summary} → {location}")
    raise typer.Exit(EXIT_SOME_FAILED if counts["failed"] else EXIT_OK)


@app.command()
def documents(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the stored documents."""
    with open_workspace(db) as ws:
        rows = ws.documents()
    if as_json:
        out.print_json(json.dumps([r.to_dict() for r in rows], ensure_ascii=False))
        return
    table = Table("id", "title", "published", "type", "status", "sources", "extracted")
    for r in rows:
        plain_row(table,
            r.id[:12], (r.title or "")[:60], r.published or "", r.media_type.split("/")[-1], r.status,
            str(r.n_sources), "yes" if r.extracted_at else "no",
        )
    out.print(table)
    say(f"{len(rows)} documents")


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="Document id or a unique prefix.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one document: metadata, sources and text."""
    from labourwatch.errors import NotFound

    with open_workspace(db) as ws:
        try:
            doc, sources = ws.document(doc_id)
        except NotFound as exc:
            raise fail(str(exc), EXIT_SOME_FAILED) from None
        captures = list(ws.store.captures(doc.id))
    if as_json:
        payload = {**doc.to_dict(), "sources": [vars(s) for s in sources],
                   "captures": [{k: v for k, v in vars(c).items() if k != "warc"} for c in captures]}
        out.print_json(json.dumps(payload, ensure_ascii=False))
        return
    fields = doc.to_dict()
    for key in ("id", "title", "published", "media_type", "size", "status", "publisher", "ingested_at",
                "extracted_at", "text_origin", "ocr_confidence"):
        if fields.get(key) is not None:
            say(f"{key}: {fields[key]}")
    for s in sources:
        say(f"source: {s.location} ({s.kind}, {s.ingested_at})")
    for c in captures:
        hops = "".join(f" ← {status} {url}" for status, url in reversed(c.redirects))
        say(f"capture: {c.captured_at} HTTP {c.status} {c.final_url}{hops} (WARC {len(c.warc):,} bytes)")
    say("")
    say(doc.text)


@app.command()
def verify(db: DbOption = None) -> None:
    """Re-hash every stored original; exit 1 if any no longer matches its id."""
    with open_workspace(db) as ws:
        total = ws.count("documents")
        bad = ws.verify()
    for m in bad:
        report_error(m.document_id, m.reason + (f" (now {m.actual})" if m.actual else ""))
    broken = {m.document_id for m in bad if m.reason.startswith(("original", "working text"))}
    say(f"{total - len(broken)} of {total} originals intact" + (f"; {len(bad)} problems" if bad else ""))
    raise typer.Exit(EXIT_SOME_FAILED if bad else EXIT_OK)


@app.command()
def delete(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="Document id or a unique prefix.")],
    db: DbOption = None,
    reason: Annotated[str | None, typer.Option(help="Why: kept in the audit log with the title.")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete one document with its original, sources and extraction (logged in the audit)."""
    from labourwatch.errors import NotFound

    with open_workspace(db) as ws:
        try:
            doc, _ = ws.document(doc_id)
            question = f"Delete {doc.id[:12]} ({doc.title or 'untitled'}) and all read from it?"
            if not yes and not _confirm(question):
                raise fail(f"{doc.id[:12]}: not deleted (answer y, or pass --yes)", EXIT_SOME_FAILED)
            ws.delete(doc.id, reason=reason)
        except NotFound as exc:
            raise fail(str(exc), EXIT_SOME_FAILED) from None
    say(f"deleted {doc.id[:12]} ({doc.title or 'untitled'})")


def _confirm(question: str) -> bool:
    try:
        return bool(typer.confirm(question, default=False))
    except typer.Abort:  # no terminal, or end of input
        return False


@app.command()
def audit(
    db: DbOption = None,
    last: Annotated[int | None, typer.Option(help="Only the last N entries.", min=1)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The store's append-only log: what was done, when, by whom."""
    from dataclasses import asdict

    with open_workspace(db) as ws:
        entries = ws.audit()
    if last:
        entries = entries[-last:]
    if as_json:
        print_json([asdict(e) for e in entries])
        return
    table = Table("at", "who", "action", "document", "detail")
    for e in entries:
        plain_row(table, e.at, e.user or "(command line)", e.action, (e.document_id or "")[:12], e.detail)
    out.print(table)
