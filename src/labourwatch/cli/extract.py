"""extract and claims: structured evidence from documents, in the store or straight from files."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from labourwatch.cli.app import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    ClusterOption,
    DbOption,
    app,
    cluster_client,
    err,
    fail,
    open_workspace,
    out,
    plain_row,
    print_csv,
    print_json,
    progress_bar,
    report_error,
    say,
    warn,
)
from labourwatch.limits import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from labourwatch.extract import Pipeline
    from labourwatch.records import EvidenceRecord
    from labourwatch.workspace import ExtractOutcome, Workspace

VocabOption = Annotated[
    list[Path] | None,
    typer.Option("--vocab", help="A YAML file extending the vocabularies (repeatable).", show_default=False),
]
CLAIM_COLUMNS = [
    "document_id", "variable", "low", "high", "unit", "per", "qualifier", "source", "place", "year",
    "mention", "quote", "start", "end",
]


def make_pipeline(vocab: list[Path] | None, spacy_model: str | None = None) -> Pipeline:
    """The pipeline for these options; exit 2 with the reason if a vocabulary or model is bad."""
    from labourwatch.errors import InputError
    from labourwatch.extract import load_pipeline

    try:
        return load_pipeline(vocab or [], spacy_model)
    except InputError as exc:
        raise fail(str(exc)) from None


@app.command()
def extract(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Files to extract from directly, without a store.", show_default=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print evidence records as JSON.")] = False,
    as_jsonl: Annotated[bool, typer.Option("--jsonl", help="Print one evidence record per line.")] = False,
    db: DbOption = None,
    force: Annotated[bool, typer.Option("--force", help="Re-extract documents already done.")] = False,
    vocab: VocabOption = None,
    spacy_model: Annotated[str | None, typer.Option(
        "--spacy-model", help="Also take names from this installed spaCy model (opt-in).")] = None,
    timeout: Annotated[float, typer.Option(
        "--timeout", help="Seconds one document may take; then it is reported and skipped.", min=0)
    ] = DEFAULT_TIMEOUT,
    workers: Annotated[int | None, typer.Option(
        "--workers", help="Processes extracting the store's documents (default: all cores).", min=1)
    ] = None,
    cluster: ClusterOption = None,
) -> None:
    """Extract claims, places, names, sectors and ILO indicators (docs: evidence schema)."""
    pipeline = make_pipeline(vocab, spacy_model)
    if files:
        raise typer.Exit(_extract_files(pipeline, files, as_json, as_jsonl))
    from labourwatch.extract import PIPELINE_VERSION

    with open_workspace(db) as ws:
        from labourwatch.parallel import default_jobs

        if cluster:
            outcomes = _on_cluster(ws, cluster, vocab, spacy_model, force, timeout)
        else:
            outcomes = ws.extract(pipeline, force, timeout, workers or default_jobs())
        done, failed, n_claims = report_extraction(outcomes, ws.store.count_pending(force))
        say(f"extracted {done} documents, {n_claims} claims (pipeline {PIPELINE_VERSION}); "
            f"{failed} failed → {ws.location}")
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


def extract_store(
    ws: Workspace, pipeline: Pipeline, force: bool, timeout: float | None = DEFAULT_TIMEOUT,
    workers: int = 1,
) -> tuple[int, int, int]:
    """Run the workspace's extraction, one error line per failed document; (done, failed, claims)."""
    return report_extraction(ws.extract(pipeline, force, timeout, workers), None)


def report_extraction(outcomes: Iterable[ExtractOutcome], total: int | None) -> tuple[int, int, int]:
    """One error line per failed document and a progress bar (with time left) on a terminal;
    (done, failed, claims)."""
    done = failed = n_claims = 0
    with progress_bar("extracting", total) as bar:
        for outcome in outcomes:
            bar.advance()
            if outcome.error:
                failed += 1
                report_error(outcome.document_id, outcome.error)
            else:
                done += 1
                n_claims += outcome.claims
                if outcome.language != "en":
                    warn(not_english(outcome.document_id[:12], outcome.language, outcome.claims))
    return done, failed, n_claims


def _on_cluster(
    ws: Workspace, address: str, vocab: list[Path] | None, spacy_model: str | None, force: bool,
    timeout: float | None,
) -> Iterator[ExtractOutcome]:
    from labourwatch.cluster import PipelineSpec, extract_on_cluster

    spec = PipelineSpec(tuple(str(p.resolve()) for p in vocab or []), spacy_model)
    with cluster_client(address) as client:
        yield from extract_on_cluster(ws, client, spec, force, timeout)


def _extract_files(pipeline: Pipeline, files: list[Path], as_json: bool, as_jsonl: bool) -> int:
    from labourwatch.errors import IngestError
    from labourwatch.workspace import extract_files

    records: list[EvidenceRecord] = []
    failed = 0
    for item in extract_files(pipeline, files):
        if isinstance(item, IngestError):
            failed += 1
            report_error(item.location, item.reason)
        else:
            language = item.record["document"].get("language", "en")
            if language != "en":
                warn(not_english(str(item.path), language, len(item.record["claims"])))
            if as_jsonl:
                sys.stdout.write(json.dumps(item.record, ensure_ascii=False) + "\n")
            else:
                records.append(item.record)
    if as_json:
        one_file = len(files) == 1 and files[0].is_file() and files[0].suffix != ".jsonl"
        single = len(records) == 1 and one_file
        print_json(records[0] if single else records)
    elif not as_jsonl:
        for record in records:
            doc_id = record["document"]["id"]
            rows = [{**c, "mention": c["text"], "document_id": doc_id} for c in record["claims"]]
            print_claims(record["document"]["path"], rows)
    return EXIT_SOME_FAILED if failed else EXIT_OK


def not_english(where: str, language: str, claims: int) -> str:
    said = "another language" if language == "und" else f"language {language!r}"
    return f"{where}: not English ({said}); the extractor reads English, {claims} claims found"


def print_claims(title: str | None, rows: list[dict[str, Any]]) -> None:
    from labourwatch.formatting import bounds

    table = Table(
        "variable", "value", "unit", "source", "place", "mention", title=title, title_justify="left"
    )
    for r in rows:
        plain_row(table,
            r["variable"], bounds(r["low"], r["high"]),
            (r["unit"] or "") + (f"/{r['per']}" if r["per"] else ""),
            Text(r["source"] or ""), r["place"] or "", Text(r["mention"]),
        )
    out.print(table)


@app.command()
def claims(
    db: DbOption = None,
    variable: Annotated[str | None, typer.Option(help="Only this variable.")] = None,
    place: Annotated[str | None, typer.Option(help="Only this place (ISO code or name).")] = None,
    source: Annotated[str | None, typer.Option(help="Sources containing this text.")] = None,
    document: Annotated[str | None, typer.Option(help="Only this document (id prefix).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """List the claims in the store, each with its quote and source."""
    if fmt not in ("table", "csv", "json"):
        raise fail(f"--format must be table, csv or json, not {fmt!r}")
    with open_workspace(db) as ws:
        rows: list[dict[str, Any]] = [dict(c) for c in ws.claims(variable, place, source, document)]
    if fmt == "json":
        print_json(rows)
    elif fmt == "csv":
        print_csv(CLAIM_COLUMNS, ([r.get(k) for k in CLAIM_COLUMNS] for r in rows))
    else:
        print_claims(None, rows)
        say(f"{len(rows)} claims")
    if not rows:
        err.print("no claims match")
