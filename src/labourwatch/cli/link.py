"""``labourwatch link``: group the records that name one person across lists, for estimation."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated, Any

import typer

from labourwatch.cli.app import EXIT_OK, EXIT_SOME_FAILED, app, fail, print_json, say


@app.command()
def link(
    file: Annotated[Path, typer.Argument(help="Records, one row each: a list, a name, optionally more.")],
    list_col: Annotated[str, typer.Option("--list-col", help="Column naming each record's list.")] = "list",
    name_col: Annotated[str, typer.Option("--name-col", help="Column with the person's name.")] = "name",
    id_col: Annotated[str | None, typer.Option("--id-col", help="Record id column (default: line).")] = None,
    birth_col: Annotated[str | None, typer.Option("--birth-col", help="Date of birth column.")] = None,
    place_col: Annotated[str | None, typer.Option("--place-col", help="Place column.")] = None,
    employer_col: Annotated[str | None, typer.Option("--employer-col", help="Employer column.")] = None,
    stratify: Annotated[str | None, typer.Option(help="A column kept as each record's stratum.")] = None,
    threshold: Annotated[float, typer.Option(help="Lowest score joining two records (0–1).")] = 0.88,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Write the linked records (person, list, …) here; `estimate mse FILE --list-col list "
                      "--id-col person` reads them.")] = None,
    review: Annotated[Path | None, typer.Option(
        "--review", help="Write the pairs near the threshold here, for a person to decide.")] = None,
    decisions: Annotated[Path | None, typer.Option(
        "--decisions", help="A review file with its decision column filled (same/different).")] = None,
    sensitivity: Annotated[str | None, typer.Option(
        "--sensitivity", help="Thresholds to estimate at, e.g. 0.8,0.85,0.9,0.95.")] = None,
    method: Annotated[str, typer.Option(help="Estimation method for --sensitivity.")] = "lcmcr",
    seed: Annotated[int | None, typer.Option(help="Seed for the estimates.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Link records across lists (names in Latin, Hangul, Cyrillic, Chinese; birth date, place and
    employer as support); write the people found, the uncertain pairs, and estimates by threshold."""
    from labourwatch.analysis.linkage import (
        REVIEW_COLUMNS,
        Columns,
        Linker,
        read_decisions,
        read_link_records,
        review_rows,
        threshold_sensitivity,
    )
    from labourwatch.analysis.mse import MSEInputError

    check_threshold(threshold)
    thresholds = parse_thresholds(sensitivity)
    columns = Columns(list_col, name_col, id_col, birth_col, place_col, employer_col, stratify)
    try:
        records = read_link_records(file, columns)
        decided = read_decisions(decisions) if decisions else {}
        linker = Linker(records)
        linkage = linker.link(threshold, decided)
        estimates = threshold_sensitivity(linker, thresholds, decided, method, seed)
    except MSEInputError as exc:
        raise fail(str(exc), EXIT_SOME_FAILED) from None
    if out:
        _write(out, list(next(linkage.rows(), {}).keys()), [list(r.values()) for r in linkage.rows()])
    if review:
        _write(review, REVIEW_COLUMNS, list(review_rows(linker, linkage.uncertain)))
    summary = {"records": len(records), "people": linkage.people, "threshold": threshold,
               "pairs_scored": len(linker.pairs), "decisions": len(decided),
               "uncertain_pairs": len(linkage.uncertain), "sensitivity": estimates}
    if as_json:
        print_json(summary)
    else:
        say(f"{len(records)} records → {linkage.people} people at threshold {threshold:g}; "
            f"{len(linkage.uncertain)} pairs near it to review" + (f" ({review})" if review else ""))
        show_sensitivity(estimates)
    raise typer.Exit(EXIT_OK)


def show_sensitivity(rows: list[dict[str, Any]]) -> None:
    """One line per threshold: the people found and the estimate."""
    for row in rows:
        interval: Any = row["interval"]
        shown = f"{interval[0]:,.0f} – {interval[1]:,.0f}" if interval else "—"
        say(f"  threshold {row['threshold']:.2f}: {row['people']:,} people, estimate "
            f"{row['estimate']:,.0f} ({shown})" if row["estimate"] is not None else
            f"  threshold {row['threshold']:.2f}: {row['people']:,} people, no estimate")


def check_threshold(threshold: float) -> None:
    """A linkage threshold is a score in (0, 1]; exit 2 with the reason otherwise."""
    if not 0 < threshold <= 1:
        raise fail("--threshold must be between 0 and 1")


def parse_thresholds(spec: str | None) -> list[float]:
    if not spec:
        return []
    try:
        values = [float(x) for x in spec.split(",") if x.strip()]
    except ValueError:
        raise fail(f"--sensitivity must be numbers separated by commas, not {spec!r}") from None
    if not values or any(not 0 < v <= 1 for v in values):
        raise fail("--sensitivity thresholds must lie between 0 and 1")
    return values


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    try:
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)
    except OSError as exc:
        raise fail(f"{path}: cannot write: {exc.strerror or exc}") from None
