"""ingest, documents, show, verify: putting evidence in and checking it is intact."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from labourwatch.cli.app import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    DbOption,
    JsonOption,
    app,
    err,
    fail,
    out,
    report_error,
)
from labourwatch.ingest import DEFAULT_MAX_BYTES, ingest_into
from labourwatch.store import Store


def run_ingest(store: Store, paths: list[Path], max_bytes: int, quiet: bool = False) -> Counter:
    """Ingest with a progress bar on a terminal; one error line per failed input."""
    counts: Counter = Counter()
    progress = Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[last]}"),
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    )
    with progress:
        task = progress.add_task("ingest", total=None, last="")
        for outcome in ingest_into(store, paths, max_bytes):
            if outcome.error:
                counts["failed"] += 1
                report_error(outcome.location, outcome.error)
            else:
                assert outcome.document is not None and outcome.result is not None
                counts[outcome.result] += 1
                if outcome.document.status == "needs_ocr":
                    counts["needs_ocr"] += 1
                    err.print(f"warning: {outcome.location}: no text layer (needs OCR); stored")
                if outcome.result != "stored" and not quiet:
                    out.print(f"{outcome.location}: {outcome.result}")
            progress.update(task, advance=1, last=Path(outcome.location).name[:40])
    return counts


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    db: DbOption = None,
    max_size: Annotated[
        int, typer.Option("--max-size", help="Largest file accepted, in bytes.", min=1)
    ] = DEFAULT_MAX_BYTES,
) -> None:
    """Store documents (txt, md, html, pdf, jsonl) with their original bytes and provenance."""
    with Store.open(db) as store:
        counts = run_ingest(store, paths, max_size)
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nothing to ingest"
    out.print(f"{summary} → {store.path}")
    raise typer.Exit(EXIT_SOME_FAILED if counts["failed"] else EXIT_OK)


@app.command()
def documents(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the stored documents."""
    with _open_existing(db) as store:
        rows = [dict(r) for r in store.documents()]
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("id", "title", "published", "type", "status", "sources", "extracted")
    for r in rows:
        table.add_row(
            r["id"][:12],
            (r["title"] or "")[:60],
            r["published"] or "",
            r["media_type"].split("/")[-1],
            r["status"],
            str(r["n_sources"]),
            "yes" if r["extracted_at"] else "no",
        )
    out.print(table)
    out.print(f"{len(rows)} documents")


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="Document id or a unique prefix.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one document: metadata, sources and text."""
    with _open_existing(db) as store:
        full = _resolve(store, doc_id)
        doc = dict(store.document(full))
        sources = [dict(s) for s in store.sources(full)]
    if as_json:
        out.print_json(json.dumps({**doc, "sources": sources}, ensure_ascii=False))
        return
    for key in (
        "id",
        "title",
        "published",
        "media_type",
        "size",
        "status",
        "publisher",
        "ingested_at",
        "extracted_at",
    ):
        if doc.get(key) is not None:
            out.print(f"[bold]{key}[/bold]: {doc[key]}", markup=True)
    for s in sources:
        out.print(f"[bold]source[/bold]: {s['location']} ({s['kind']}, {s['ingested_at']})", markup=True)
    out.print()
    out.print(doc["text"], markup=False)


@app.command()
def verify(db: DbOption = None) -> None:
    """Re-hash every stored original; exit 1 if any no longer matches its id."""
    with _open_existing(db) as store:
        total = store.count("documents")
        bad = list(store.verify())
    for m in bad:
        report_error(m.document_id, m.reason + (f" (now {m.actual})" if m.actual else ""))
    out.print(f"{total - len(bad)} of {total} originals intact")
    raise typer.Exit(EXIT_SOME_FAILED if bad else EXIT_OK)


@app.command()
def delete(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="Document id or a unique prefix.")],
    db: DbOption = None,
) -> None:
    """Delete one document with its original, sources and extraction (logged in the audit)."""
    with _open_existing(db) as store:
        full = _resolve(store, doc_id)
        title = store.document(full)["title"]
        store.delete(full)
    out.print(f"deleted {full[:12]} ({title or 'untitled'})")


def _resolve(store: Store, doc_id: str) -> str:
    """A full document id from an id or unique prefix; exit 1 with the reason otherwise."""
    try:
        return store.resolve_id(doc_id)
    except KeyError as exc:
        raise fail(str(exc.args[0]), EXIT_SOME_FAILED) from None


def _open_existing(db: str | None) -> Store:
    try:
        return Store.open(db, create=False)
    except FileNotFoundError as exc:
        raise fail(f"{exc.args[0]} (run `labourwatch ingest` first or pass --db)") from None
