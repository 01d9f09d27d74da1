"""extract and claims: structured evidence from documents, in the store or straight from files."""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from labourwatch.cli.app import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    DbOption,
    app,
    err,
    fail,
    out,
    print_csv,
    print_json,
    report_error,
)
from labourwatch.cli.documents import _open_existing
from labourwatch.extract import PIPELINE_VERSION, Pipeline, evidence_record
from labourwatch.extract.model_names import ModelNameError
from labourwatch.extract.vocabulary import VocabularyError, user_vocab_paths
from labourwatch.ingest import DEFAULT_MAX_BYTES, IngestError, iter_files, read_documents
from labourwatch.store import Store, documents_to_extract, query_claims, save_extraction

VocabOption = Annotated[
    list[Path] | None,
    typer.Option("--vocab", help="A YAML file extending the vocabularies (repeatable).", show_default=False),
]
CLAIM_COLUMNS = [
    "document_id",
    "variable",
    "low",
    "high",
    "unit",
    "per",
    "qualifier",
    "source",
    "place",
    "year",
    "mention",
    "quote",
    "start",
    "end",
]


def make_pipeline(vocab: list[Path] | None, spacy_model: str | None = None) -> Pipeline:
    try:
        explicit = tuple(str(p) for p in vocab or [])
        return _cached_pipeline(explicit, tuple(user_vocab_fingerprint(vocab or [])), spacy_model)
    except (VocabularyError, ModelNameError) as exc:
        raise fail(str(exc)) from None


def user_vocab_fingerprint(paths: list[Path]) -> list[tuple[str, bytes]]:
    """Each vocabulary file with its content, so a cached pipeline is rebuilt when one changes."""
    out = []
    for p in user_vocab_paths(paths):
        try:
            out.append((str(p), p.read_bytes()))
        except OSError:
            out.append((str(p), b""))  # loading it reports the error
    return out


@lru_cache(maxsize=4)
def _cached_pipeline(
    explicit: tuple[str, ...], fingerprint: tuple[tuple[str, bytes], ...], spacy_model: str | None
) -> Pipeline:
    """``fingerprint`` (every vocabulary file, $LABOURWATCH_VOCAB's too, with its content) is
    the cache key; the pipeline itself adds the environment's files to ``explicit``."""
    return Pipeline(list(explicit), spacy_model)


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
) -> None:
    """Extract claims, places, names, sectors and ILO indicators (docs: evidence schema)."""
    pipeline = make_pipeline(vocab, spacy_model)
    if files:
        raise typer.Exit(_extract_files(pipeline, files, as_json, as_jsonl))
    with _open_existing(db) as store:
        done, failed, n_claims = extract_store(store, pipeline, force)
        out.print(
            f"extracted {done} documents, {n_claims} claims "
            f"(pipeline {PIPELINE_VERSION}); {failed} failed → {store.path}"
        )
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


def extract_store(store: Store, pipeline: Pipeline, force: bool) -> tuple[int, int, int]:
    """Extract each pending document in its own transaction; (done, failed, claims)."""
    done = failed = n_claims = 0
    for doc_id in documents_to_extract(store, force):
        row = store.document(doc_id)
        try:
            doc = pipeline(row["text"])
            record = evidence_record(
                doc, {"id": doc_id, "path": None, "title": row["title"], "published": row["published"]}
            )
        except Exception as exc:  # one bad document must not stop the others
            failed += 1
            report_error(doc_id, f"extraction failed: {type(exc).__name__}: {exc}")
            continue
        save_extraction(store, doc_id, record, PIPELINE_VERSION)
        done += 1
        n_claims += len(record["claims"])
    return done, failed, n_claims


def _extract_files(pipeline: Pipeline, files: list[Path], as_json: bool, as_jsonl: bool) -> int:
    records: list[dict[str, Any]] = []
    failed = 0
    for item in iter_files(files):
        if isinstance(item, IngestError):
            failed += 1
            report_error(item.location, item.reason)
            continue
        for doc in read_documents(item, DEFAULT_MAX_BYTES):
            if isinstance(doc, IngestError):
                failed += 1
                report_error(doc.location, doc.reason)
                continue
            try:
                extracted = pipeline(doc.text)
            except Exception as exc:
                failed += 1
                report_error(doc.locations[0][0], f"extraction failed: {type(exc).__name__}: {exc}")
                continue
            meta = {"id": doc.id, "path": str(item), "title": doc.title, "published": doc.published}
            if doc.locations[0][1] == "jsonl":
                meta["line"] = int(doc.locations[0][0].rsplit(":", 1)[1])
            record = evidence_record(extracted, meta)
            if as_jsonl:
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                records.append(record)
    if as_json:
        payload: Any = (
            records[0]
            if len(records) == 1
            and len(files) == 1
            and files[0].is_file()
            and not str(files[0]).endswith(".jsonl")
            else records
        )
        print_json(payload)
    elif not as_jsonl:
        for record in records:
            print_claims(
                record["document"]["path"],
                [
                    {**c, "mention": c["text"], "document_id": record["document"]["id"]}
                    for c in record["claims"]
                ],
            )
    return EXIT_SOME_FAILED if failed else EXIT_OK


def print_claims(title: str | None, rows: list[dict[str, Any]]) -> None:
    table = Table(
        "variable", "value", "unit", "source", "place", "mention", title=title, title_justify="left"
    )
    for r in rows:
        table.add_row(
            r["variable"],
            format_value(r["low"], r["high"]),
            (r["unit"] or "") + (f"/{r['per']}" if r["per"] else ""),
            r["source"] or "",
            r["place"] or "",
            r["mention"],
        )
    out.print(table)


def format_value(low: float | None, high: float | None) -> str:
    """ "≥ 50k", "1.2bn–2.3bn", "≤ 20": compact, with the bound a qualifier gives."""

    def f(x: float) -> str:
        for size, suffix, start in ((1e9, "bn", 1e9), (1e6, "m", 1e6), (1e3, "k", 1e4)):
            if abs(x) >= start:
                return f"{x / size:.3g}{suffix}"
        return f"{x:,.0f}" if float(x).is_integer() else f"{x:,}"

    if low is None and high is None:
        return ""
    if high is None:
        return f"≥ {f(low)}"  # type: ignore[arg-type]
    if low is None:
        return f"≤ {f(high)}"
    return f(low) if low == high else f"{f(low)}–{f(high)}"


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
    with _open_existing(db) as store:
        rows = query_claims(store, variable=variable, place=place, source=source, document=document)
    if fmt == "json":
        print_json(rows)
    elif fmt == "csv":
        print_csv(CLAIM_COLUMNS, ([r.get(k) for k in CLAIM_COLUMNS] for r in rows))
    else:
        print_claims(None, rows)
        out.print(f"{len(rows)} claims")
    if not rows:
        err.print("no claims match")
