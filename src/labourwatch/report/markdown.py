"""The report as Markdown: the same sections, as text and tables, for notes and issue trackers."""

from __future__ import annotations

from collections import Counter

from labourwatch.analysis.figures import Group
from labourwatch.formatting import number
from labourwatch.report.data import INDICATORS, ReportData
from labourwatch.report.estimates import estimate_summary
from labourwatch.summary import markdown_text


def _cell(text: str) -> str:
    """A table cell: no raw HTML (a hostile title must not run when the Markdown is rendered)."""
    return markdown_text(text)


def _group_table(groups: list[Group], limit: int, year: str | None = None) -> list[str]:
    lines = ["| variable | place | year | values (source) | min / median / max | conflict |",
             "|---|---|---|---|---|---|"]
    for g in groups:
        values = "; ".join(f"{v.display} ({v.source or 'no source'}) [^{v.claim_id}]"
                           for v in g.values[:limit])
        flag = f"**conflict**: {g.conflict_text}" if g.conflict else ""
        lines.append(f"| {g.variable} | {g.place or '—'} | {year or g.year or 'undated'} | {_cell(values)} | "
                     f"{g.spread_text} | {_cell(flag)} |")
    return lines


def _timeline(data: ReportData) -> list[str]:
    """The charts of the HTML report as tables: one per variable and unit, rows by date and place."""
    lines: list[str] = []
    for (variable, unit), by_place in data.charts.items():
        rows = sorted(((v.date or "", place, v) for place, series in by_place.items() for v in series),
                      key=lambda row: (row[0], row[1], row[2].claim_id))
        lines += [f"### {variable} ({unit})", "", "| date | place | value | source |", "|---|---|---|---|"]
        lines += [f"| {date} | {place} | {v.display} [^{v.claim_id}] | {_cell(v.source or 'no source')} |"
                  for date, place, v in rows]
        lines.append("")
    return lines or ["No dated values."]


def _places(data: ReportData) -> list[str]:
    """The map as a table: each place named, how often, and the most workers claimed there."""
    if not data.points:
        return ["No places with coordinates."]
    lines = ["| place | kind | country | named | most workers claimed |", "|---|---|---|---|---|"]
    for p in sorted(data.points, key=lambda p: (-p.workers, -p.mentions, p.name)):
        lines.append(f"| {_cell(p.name)} | {p.kind} | {p.country or '—'} | {p.mentions} | "
                     f"{number(p.workers) if p.workers else '—'} |")
    return lines


def render_markdown(data: ReportData, title: str = "labourwatch evidence report") -> str:
    lines = [f"# {title}", ""]
    dates = data.date_range
    lines += [
        f"- documents: {len(data.documents)}",
        f"- sources: {data.n_sources}",
        f"- claims: {len(data.values)}",
    ]
    if dates:
        lines.append(f"- published {dates[0]} to {dates[1]}")
    lines.append(f"- {data.review_line}")
    lines += [f"- **{hint}**" for hint in data.hints]
    if data.empty:
        return "\n".join([*lines, "", "The store is empty: no documents have been ingested.", ""])
    lines += ["", "## Figures", "", *_group_table(data.groups, data.max_values_per_group)]
    across = [g for g in data.across_years if g.conflict]
    lines += ["", "### Disagreements across years", ""]
    lines += _group_table(across, data.max_values_per_group, "all years") if across else ["none"]
    lines += ["", "## Timeline", "", *_timeline(data)]
    lines += ["", "## Places", "", *_places(data)]
    if data.model:
        lines += ["", data.model.summary().as_markdown(level=2)]
    elif data.model_error:
        lines += ["", "## Money-flow model", "", f"Not run: {_cell(data.model_error)}"]
    lines += [
        "",
        "## ILO indicators",
        "",
        "| document | " + " | ".join(INDICATORS) + " |",
        "|---|" + "---|" * len(INDICATORS),
    ]
    for d in data.documents:
        counts = data.indicators.get(d.id, Counter())
        lines.append(
            f"| {_cell((d.title or d.id[:12])[:60])} | "
            + " | ".join(str(counts.get(c) or "") for c in INDICATORS)
            + " |"
        )
    if data.estimates:
        lines += ["", "## Population estimates", ""]
        lines += [estimate_summary(e).as_markdown(level=3) for e in data.estimates]
    lines += ["", "## Documents", "", "| title | published | SHA-256 |", "|---|---|---|"]
    lines += [
        f"| {_cell(d.title or '—')} | {d.published or '—'} | `{d.id}` |" for d in data.documents
    ]
    lines += ["", "## Quotes", ""]
    for g in data.groups:
        for v in g.values[: data.max_values_per_group]:
            lines.append(
                f"[^{v.claim_id}]: {_cell(v.quote)} — {_cell(v.source or 'no source')}, "
                f"{_cell(v.document_title or v.document_id[:12])}"
            )
    return "\n".join(lines) + "\n"
