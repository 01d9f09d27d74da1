"""``labourwatch screen``: names against sanctions lists and the employers in the evidence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from labourwatch.cli.app import (
    EXIT_OK,
    ClusterOption,
    DbOption,
    app,
    cluster_mapper,
    fail,
    out,
    plain_row,
    print_csv,
    print_json,
    say,
    warn,
)


@app.command()
def screen(
    queries: Annotated[
        Path,
        typer.Argument(
            help="CSV with a 'name' column (optional country, id, schema), "
            "or 'store': the organisations and people in the store."
        ),
    ],
    against: Annotated[
        list[str],
        typer.Option(
            "--against", help="A FollowTheMoney .jsonl file, a CSV list of names, or 'store' (repeatable)."
        ),
    ],
    threshold: Annotated[float | None, typer.Option(help="Lowest score reported (0–1).")] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV, one row per match.")] = False,
    cluster: ClusterOption = None,
) -> None:
    """Screen company and person names: Korean, Chinese and Russian spellings, legal forms, word order."""
    from labourwatch.errors import StoreNotFound
    from labourwatch.screen import DEFAULT_THRESHOLD, Screener, ScreenInputError, match_dict, read_queries
    from labourwatch.screen.entities import store_queries

    limit = DEFAULT_THRESHOLD if threshold is None else threshold
    if not 0 <= limit <= 1:
        raise fail("--threshold must be between 0 and 1")
    warnings: list[str] = []
    try:
        rows = store_queries(db) if str(queries) == "store" else read_queries(queries, warnings)
        screener = Screener.from_lists(against, limit, store_path=db)
    except ScreenInputError as exc:
        raise fail(str(exc), 1) from None
    except StoreNotFound as exc:
        raise fail(f"store: {exc} (pass --db or ingest first)", 1) from None
    for w in warnings + screener.warnings:
        warn(w)
    with cluster_mapper(cluster, batch=256) as mapper:
        found_all = screener.screen_all(rows, mapper=mapper)
    results: list[dict[str, Any]] = [
        {"query": q.row, "matches": [match_dict(m) for m in found]}
        for q, found in zip(rows, found_all, strict=True)
    ]
    if as_json:
        print_json(results)
    elif as_csv:
        header = [
            "query_name",
            "query_id",
            "match_name",
            "score",
            "match_id",
            "matched_alias",
            "datasets",
            "topics",
            "explanation",
        ]
        print_csv(
            header,
            (
                [
                    r["query"]["name"],
                    r["query"].get("id", ""),
                    m["name"],
                    m["score"],
                    m["id"],
                    m["matched_alias"],
                    ";".join(m["datasets"]),
                    ";".join(m["topics"]),
                    json.dumps(m["explanation"], ensure_ascii=False),
                ]
                for r in results
                for m in r["matches"]
            ),
        )
    else:
        table = Table("query", "match", "score", "why", "datasets / topics")
        for r in results:
            for m in r["matches"] or [None]:
                if m is None:
                    plain_row(table, Text(r["query"]["name"]), "—", "", "", "")
                    continue
                why = "; ".join(f"{k}: {v.get('note')}" for k, v in m["explanation"].items() if v.get("note"))
                plain_row(table,
                    Text(r["query"]["name"]), Text(m["name"]), f"{m['score']:.2f}", Text(why),
                    Text(", ".join(m["datasets"] + m["topics"])),
                )
        out.print(table)
        hits = sum(1 for r in results if r["matches"])
        say(f"{hits} of {len(results)} names matched at threshold {limit}")
    raise typer.Exit(EXIT_OK)

