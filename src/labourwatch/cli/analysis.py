"""figures, timeline, model and report: what the claims in the store add up to."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from labourwatch.cli.app import (
    DbOption,
    app,
    err,
    fail,
    open_workspace,
    out,
    plain_row,
    print_csv,
    print_json,
    say,
)

if TYPE_CHECKING:
    from labourwatch.analysis.figures import Group
    from labourwatch.workspace import Workspace

FormatOption = Annotated[str, typer.Option("--format", help="table, csv or json.")]
VariableOption = Annotated[str | None, typer.Option(help="Only this variable.")]
PlaceOption = Annotated[str | None, typer.Option(help="Only this place (ISO code or name).")]
NationalityOption = Annotated[
    str,
    typer.Option("--nationality",
                 help="Only claims about this nationality's workers (code or name) and those that do not "
                      "say whose; 'auto': the store's sending state (see `sending-state`); 'any': all."),
]
ReviewedOnly = Annotated[
    bool,
    typer.Option("--reviewed-only",
                 help="Only claims a person accepted or corrected (by default unreviewed ones count "
                      "too; rejected ones never)."),
]


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "csv", "json"):
        raise fail(f"--format must be table, csv or json, not {fmt!r}")


@app.command()
def figures(
    db: DbOption = None,
    variable: VariableOption = None,
    place: PlaceOption = None,
    first: Annotated[int | None, typer.Option("--from", help="First year.")] = None,
    last: Annotated[int | None, typer.Option("--to", help="Last year.")] = None,
    all_years: Annotated[bool, typer.Option("--all-years", help="One group across all years.")] = False,
    conflicts: Annotated[bool, typer.Option("--conflicts", help="Only groups in conflict.")] = False,
    reviewed_only: ReviewedOnly = False,
    nationality: NationalityOption = "auto",
    fmt: FormatOption = "table",
) -> None:
    """Figures grouped by variable, place and year, with spread and conflicts between sources."""
    _check_format(fmt)
    from labourwatch.analysis.figures import group_values

    with open_workspace(db) as ws:
        values = ws.values(variable, place, (first, last), include_unreviewed=not reviewed_only,
                           nationality=nationality)
    groups = [g for g in group_values(values, by_year=not all_years) if g.conflict or not conflicts]
    if fmt == "json":
        print_json([g.to_dict() for g in groups])
        return
    if fmt == "csv":
        header = [
            "variable",
            "place",
            "year",
            "unit",
            "per",
            "low",
            "high",
            "qualifier",
            "source",
            "document_id",
            "document_title",
            "document_published",
            "conflict",
            "quote",
        ]
        print_csv(
            header,
            (
                [
                    g.variable,
                    g.place,
                    g.year,
                    v.unit,
                    v.per,
                    v.low,
                    v.high,
                    v.qualifier,
                    v.source,
                    v.document_id,
                    v.document_title,
                    v.document_published,
                    bool(g.conflict),
                    v.quote,
                ]
                for g in groups
                for v in g.values
            ),
        )
        return
    _figures_table(groups, "all" if all_years else None)
    if not all_years:  # figures of different years can disagree too: show where they do
        across = [g for g in group_values(values, by_year=False) if g.conflict]
        if across:
            say("Disagreements across years:")
            _figures_table(across, "all")
    say(f"{len(groups)} groups, {sum(1 for g in groups if g.conflict)} in conflict")


def _figures_table(groups: list[Group], year_label: str | None) -> None:
    table = Table("variable", "place", "year", "values (source)", "min / median / max", "conflict")
    for g in groups:
        plain_row(table,
            g.variable,
            g.place or "—",
            year_label or str(g.year or "undated"),
            Text("\n".join(f"{v.display} ({v.source or 'no source'})" for v in g.values[:20])),
            g.spread_text,
            f"CONFLICT: {g.conflict_text}" if g.conflict else "",
        )
    out.print(table)


@app.command(name="timeline")
def timeline_command(
    db: DbOption = None,
    variable: Annotated[str, typer.Option(help="The variable to follow.")] = "workers_abroad",
    place: PlaceOption = None,
    reviewed_only: ReviewedOnly = False,
    nationality: NationalityOption = "auto",
    fmt: FormatOption = "table",
) -> None:
    """How the estimates of one variable moved over time, by date and source."""
    _check_format(fmt)
    with open_workspace(db) as ws:
        series = ws.timeline(variable, place, include_unreviewed=not reviewed_only, nationality=nationality)
    rows: list[dict[str, Any]] = [
        {
            "date": v.date,
            "value": v.display,
            "low": v.low,
            "high": v.high,
            "place": v.place,
            "source": v.source,
            "document": v.document_title,
            "claim_id": v.claim_id,
        }
        for v in series
    ]
    if fmt == "json":
        print_json(rows)
    elif fmt == "csv":
        header = list(rows[0]) if rows else ["date"]
        print_csv(header, ([r[k] for k in header] for r in rows))
    else:
        table = Table("date", "value", "place", "source", "document")
        for r in rows:
            plain_row(table,
                str(r["date"] or "undated"), r["value"], r["place"] or "—", Text(r["source"] or ""),
                Text(r["document"] or ""),
            )
        out.print(table)


@app.command()
def model(
    db: DbOption = None,
    place: PlaceOption = None,
    workers: Annotated[float | None, typer.Option(help="Fix the number of workers abroad.")] = None,
    pay: Annotated[
        float | None, typer.Option(help="Fix the employer's pay per worker per month (USD).")
    ] = None,
    worker_pay: Annotated[
        float | None, typer.Option("--worker-pay", help="Fix worker pay per month.")
    ] = None,
    worker_share: Annotated[
        float | None, typer.Option("--worker-share", help="Fix the workers' share (0–1).")
    ] = None,
    state_share: Annotated[
        float | None, typer.Option("--state-share", help="Fix the state's share (0–1).")
    ] = None,
    weight: Annotated[
        list[str] | None, typer.Option(help="SOURCE=WEIGHT for the mixture (repeatable).")
    ] = None,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws.", min=100)] = 20_000,
    seed: Annotated[int, typer.Option(help="Seed.")] = 1,
    reviewed_only: ReviewedOnly = False,
    nationality: NationalityOption = "auto",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The money-flow model: implied revenue, and each stated revenue claim against it."""
    from labourwatch.errors import AnalysisError, ParameterError

    weights = {}
    for item in weight or []:
        source, _, w = item.rpartition("=")
        try:
            weights[source.strip().lower()] = float(w)
        except ValueError:
            raise fail(f"--weight must be SOURCE=NUMBER, not {item!r}") from None
    with open_workspace(db) as ws:
        try:
            result = ws.money_flow(
                not reviewed_only, nationality, place=place, n_draws=draws, seed=seed, workers=workers,
                pay=pay, worker_pay=worker_pay, worker_share=worker_share, state_share=state_share,
                weights=weights or None,
            )
        except ParameterError as exc:
            raise fail(str(exc)) from None
        except AnalysisError as exc:
            raise fail(str(exc), 1) from None
    if as_json:
        print_json(result.to_dict())
    else:
        say(str(result.summary()))


@app.command()
def report(
    db: DbOption = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write a self-contained HTML report here.")
    ] = None,
    md: Annotated[Path | None, typer.Option("--md", help="Write a Markdown report here.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the money-flow model.")] = 1,
    reviewed_only: ReviewedOnly = False,
    include_paths: Annotated[
        bool, typer.Option("--include-paths", help="Show the full path of each source file, not its name.")
    ] = False,
) -> None:
    """A report of the whole store: figures, timeline, map, indicators, model, documents."""
    if not html and not md:
        raise fail("give --html FILE and/or --md FILE")
    with open_workspace(db) as ws:
        write_reports(ws, html, md, seed, not reviewed_only, include_paths)


def write_reports(
    ws: Workspace, html: Path | None, md: Path | None, seed: int = 1, include_unreviewed: bool = True,
    include_paths: bool = False,
) -> None:
    data = ws.write_reports(html, md, seed, include_unreviewed, include_paths)
    for path in (html, md):
        if path:
            say(f"report written: {path}")
    if data.empty:
        err.print("the store is empty: the report says so")


@app.command(name="sending-state")
def sending_state(
    country: Annotated[
        str | None, typer.Argument(help="Set it: a country's code or name; 'auto' unsets.")
    ] = None,
    db: DbOption = None,
) -> None:
    """The state whose workers the store's figures, model and report count. Unset, it is the
    nationality the claims most often say; claims about other workers are left out."""
    from labourwatch.errors import InputError

    with open_workspace(db) as ws:
        if country is not None:
            try:
                ws.set_sending_state(None if country.lower() == "auto" else country)
            except InputError as exc:
                raise fail(f"sending state {country!r}: {exc}") from None
        code, chosen = ws.sending_state(), ws.store.setting("sending_state")
    how = "as set" if chosen else "the nationality the claims most often say"
    say(f"sending state: {code} ({how})" if code else "sending state: none (no claim says whose workers)")


@app.command()
def variables(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """The variables a claim can count, with their meanings and units."""
    from labourwatch.records import VARIABLES

    if as_json:
        print_json([{"name": v.name, "meaning": v.meaning, "unit": v.unit} for v in VARIABLES.values()])
        return
    table = Table("variable", "meaning", "unit")
    for v in VARIABLES.values():
        plain_row(table, v.name, v.meaning, v.unit)
    out.print(table)


@app.command()
def indicators(db: DbOption = None, fmt: FormatOption = "table") -> None:
    """Passages showing the ILO's forced-labour indicators, each with its quote."""
    _check_format(fmt)
    with open_workspace(db) as ws:
        rows = ws.indicators()
    header = ["indicator", "document_id", "start", "end", "review", "quote"]
    _print_rows(rows, header, fmt)


@app.command()
def entities(db: DbOption = None, fmt: FormatOption = "table") -> None:
    """Places, organisations and people named in the evidence, with how often."""
    _check_format(fmt)
    with open_workspace(db) as ws:
        rows = ws.entities()
    _print_rows(rows, ["kind", "name", "place_kind", "country", "mentions", "documents"], fmt)


def _print_rows(rows: list[dict[str, Any]], header: list[str], fmt: str) -> None:
    if fmt == "json":
        print_json(rows)
    elif fmt == "csv":
        print_csv(header, ([r.get(k) for k in header] for r in rows))
    else:
        table = Table(*header)
        for r in rows:
            plain_row(table, *(r.get(k) for k in header))
        out.print(table)
