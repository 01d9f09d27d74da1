"""A self-contained HTML report: inline CSS and SVG, no script, no font, no network.
Every number links to the quote it comes from."""

from __future__ import annotations

from collections import Counter
from html import escape

from labourwatch._version import __version__
from labourwatch.analysis.figures import Group, Value
from labourwatch.formatting import money, number, source_name
from labourwatch.report.data import INDICATORS, ReportData
from labourwatch.report.estimates import estimate_summary
from labourwatch.report.svg import histogram, timeline_chart, world_map

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b2631;background:#fbfbfa}
main{max-width:1100px;margin:auto;padding:24px}
h1{font-size:1.6em;margin:0 0 4px} h2{border-bottom:2px solid #1f5f8b;padding-bottom:4px;margin-top:36px}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:.92em}
th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eef2f5} .num{text-align:right;white-space:nowrap} .muted{color:#777}
.conflict{background:#fdecea;color:#922b21;font-weight:600;padding:1px 6px;border-radius:3px}
a.v{color:#1f5f8b;text-decoration:none;border-bottom:1px dotted} .hash{font-family:monospace;font-size:.85em}
svg{width:100%;height:auto;background:#fff;border:1px solid #ddd} svg text{font-size:11px;fill:#333}
.grid{stroke:#e3e3e3} .sea{fill:#eaf2f8} .land{fill:#fff;stroke:#b8c2cc;stroke-width:.5}
.named-country{fill:#f6e3c6} svg text.label{paint-order:stroke;stroke:#fff;stroke-width:3px}
.claimed{fill:#c0392b;fill-opacity:.55;stroke:#922b21}
.named{fill:#1f5f8b;fill-opacity:.5} .bar{fill:#1f5f8b} .mark{stroke:#c0392b;stroke-width:2}
.legend .key{margin-right:12px;font-size:.85em}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:5px}
.heat td.h{text-align:center} .heat{font-size:.8em} .scroll{overflow-x:auto}
.cards{display:flex;gap:12px;flex-wrap:wrap}
.card{background:#fff;border:1px solid #ddd;padding:8px 14px;border-radius:4px}
.card b{font-size:1.4em;display:block}
blockquote{margin:4px 0 12px;padding:4px 10px;border-left:3px solid #1f5f8b;background:#fff}
:target{background:#fff7d6}
td{overflow-wrap:anywhere} pre{white-space:pre-wrap;overflow-wrap:anywhere}
@media (max-width:700px){main{padding:10px} table{display:block;overflow-x:auto} .num{white-space:normal}}
"""


def link(v: Value) -> str:
    tip = f"{v.source or 'no source'} — {v.document_title or v.document_id[:12]}"
    return f"<a class='v' href='#claim-{v.claim_id}' title='{escape(tip)}'>{escape(v.display)}</a>"


def render_html(data: ReportData, title: str = "labourwatch evidence report") -> str:
    parts = [
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body><main>"
        f"<h1>{escape(title)}</h1><p class='muted'>labourwatch {__version__}. Every number links to "
        f"the sentence it comes from; every document is identified by the SHA-256 of its original bytes.</p>"
    ]
    parts.append(section_summary(data))
    if data.empty:
        parts.append(
            "<section id='empty'><p><strong>The store is empty:</strong> no documents have been "
            "ingested, so there are no figures, places or indicators to report.</p></section>"
        )
    else:
        shown: dict[int, Value] = {}
        parts += [
            section_figures(data, shown),
            section_timeline(data),
            section_map(data),
            section_indicators(data),
            section_model(data, shown),
            section_estimates(data),
            section_documents(data),
            section_quotes(shown),
        ]
    parts.append("</main></body></html>")
    return "".join(parts)


def section_summary(data: ReportData) -> str:
    dates = data.date_range
    cards = [
        ("documents", len(data.documents)),
        ("sources", data.n_sources),
        ("claims", len(data.values)),
        ("indicator findings", sum(sum(c.values()) for c in data.indicators.values())),
        ("conflicting groups", sum(1 for g in data.groups if g.conflict)),
    ]
    html = "".join(f"<div class='card'><b>{n:,}</b>{escape(label)}</div>" for label, n in cards)
    span = f"<p>Documents published {dates[0]} to {dates[1]}.</p>" if dates else ""
    span += f"<p>{escape(data.review_line)}</p>"
    span += "".join(f"<p class='warn'>{escape(h)}</p>" for h in data.hints)
    return f"<section id='summary'><h2>Summary</h2><div class='cards'>{html}</div>{span}</section>"


def _group_rows(groups: list[Group], shown: dict[int, Value], limit: int, across_years: bool = False) -> str:
    rows = []
    for g in groups:
        pair = g.conflict
        values = g.values[:limit]
        for v in values:
            shown[v.claim_id] = v
        if pair:
            for v in pair:
                shown[v.claim_id] = v
        more = (
            f" <span class='muted'>and {len(g.values) - limit} more</span>" if len(g.values) > limit else ""
        )
        cells = (
            ", ".join(
                f"{link(v)} <span class='muted'>({escape(v.source or 'no source')})</span>" for v in values
            )
            + more
        )
        flag = (f"<span class='conflict'>conflict</span> {link(pair[0])} "
                f"<span class='muted'>({escape(pair[0].source or 'no source')})</span> vs {link(pair[1])} "
                f"<span class='muted'>({escape(pair[1].source or 'no source')})</span>") if pair else ""
        rows.append(
            f"<tr><td>{escape(g.variable)}</td><td>{escape(g.place or '—')}</td>"
            f"<td>{'all years' if across_years else g.year or 'undated'}</td>"
            f"<td>{cells}</td><td class='num'>{escape(g.spread_text)}</td><td>{flag}</td></tr>"
        )
    return "".join(rows)


def section_figures(data: ReportData, shown: dict[int, Value]) -> str:
    head = (
        "<tr><th>variable</th><th>place</th><th>year</th><th>values (source)</th>"
        "<th>min / median / max</th><th>disagreement</th></tr>"
    )
    by_year = _group_rows(data.groups, shown, data.max_values_per_group)
    across = _group_rows([g for g in data.across_years if g.conflict], shown, data.max_values_per_group, True)
    return (
        "<section id='figures'><h2>Figures</h2><p>Claims grouped by variable, place and year (stated "
        "in the sentence, else the document's). A group is marked <span class='conflict'>conflict</span> "
        "where two of its values differ by more than a factor of two, whoever states them.</p>"
        f"<table>{head}{by_year}</table><h3>Disagreements across years</h3>"
        f"<table>{head}{across or '<tr><td colspan=6>none</td></tr>'}</table></section>"
    )


def section_timeline(data: ReportData) -> str:
    parts = ["<section id='timeline'><h2>Timeline</h2><p>One chart per variable and unit, one line "
             "per place (\u201cworld\u201d where a figure names none); hover a point for its source.</p>"]
    for (variable, unit), by_place in data.charts.items():
        points = [
            (float((v.date or "0")[:4]), float(v.midpoint or 0.0), place, f"#claim-{v.claim_id}",
             f"{v.display}, {place}, {v.date} \u2014 {v.source or 'no source'}")
            for place, series in by_place.items() for v in series if v.midpoint is not None
        ]
        parts.append(f"<h3>{escape(variable)} <span class='muted'>({escape(unit)})</span></h3>"
                     f"{timeline_chart(points, axis=unit)}")
    if len(parts) == 1:
        parts.append("<p class='muted'>No dated values.</p>")
    return "".join(parts) + "</section>"


def section_map(data: ReportData) -> str:
    points = [
        (
            p.name,
            p.lat,
            p.lon,
            p.workers,
            f"{p.name} ({p.kind}{', ' + p.country if p.country else ''}): named {p.mentions}×"
            + (f", up to {number(p.workers)} workers claimed" if p.workers else ""),
        )
        for p in data.points
    ]
    countries = {p.country: f"{p.name}: named {p.mentions}×" for p in data.points
                 if p.kind == "country" and p.country}
    return (
        "<section id='map'><h2>Places</h2><p>Countries (shaded, with a dot at the capital) and cities "
        "named in the documents; red circles are sized by the largest number of workers claimed there. "
        "Outlines: Natural Earth 1:110m (public domain).</p>"
        f"{world_map(points, countries=countries)}</section>"
    )


def section_indicators(data: ReportData) -> str:
    head = "".join(f"<th title='{c}'>{escape(c.replace('_', ' '))}</th>" for c in INDICATORS)
    rows = []
    for d in data.documents:
        counts = data.indicators.get(d.id, Counter())
        cells = "".join(
            f"<td class='h' style='background:rgba(192,57,43,{_heat(counts.get(c, 0))})'>"
            f"{counts.get(c) or ''}</td>"
            for c in INDICATORS
        )
        name = escape((d.title or d.id[:12])[:60])
        rows.append(f"<tr><td><a href='#doc-{d.id}'>{name}</a></td>{cells}</tr>")
    return (
        "<section id='indicators'><h2>ILO indicators of forced labour</h2>"
        "<p>Passages showing each indicator, by document.</p>"
        f"<div class='scroll'><table class='heat'><tr><th>document</th>{head}</tr>{''.join(rows)}"
        "</table></div></section>"
    )


def _heat(findings: int) -> float:
    """Cell opacity: none for no finding, deeper with more passages."""
    return min(0.15 + 0.25 * findings, 0.9) if findings else 0.0


def section_model(data: ReportData, shown: dict[int, Value]) -> str:
    if data.model is None:
        return (
            f"<section id='model'><h2>Money-flow model</h2><p class='muted'>Not enough claims to run "
            f"the model: {escape(data.model_error or 'no claims')}.</p></section>"
        )
    m = data.model
    for c in m.checks:
        shown[c.value.claim_id] = c.value
    marks = [(c.stated, f"{c.value.source or 'no source'}: {money(c.stated)}") for c in m.checks]
    return (
        f"<section id='model'>{m.summary().as_html()}"
        f"<p>Each input is drawn from the claims ({m.n_draws:,} draws, seed {m.seed}).</p>"
        f"{histogram(m.revenue, marks)}</section>"
    )


def section_estimates(data: ReportData) -> str:
    if not data.estimates:
        return ""
    parts = [estimate_summary(e).as_html(level=3) for e in data.estimates]
    return ("<section id='estimates'><h2>Population estimates</h2><p>Multiple systems estimates saved "
            "with <code>labourwatch estimate mse --save</code>, each with the lists it read, the method and "
            "its interval.</p>" + "".join(parts) + "</section>")


def _sources(locations: list[str], data: ReportData) -> list[str]:
    return locations if data.meta.get("include_paths") else [source_name(s) for s in locations]


def section_documents(data: ReportData) -> str:
    rows = "".join(
        f"<tr id='doc-{d.id}'><td>{escape(d.title or '—')}</td><td>{escape(d.published or '—')}</td>"
        f"<td>{escape(d.media_type)}</td><td class='hash'>{d.id}</td>"
        f"<td>{escape(' | '.join(_sources(d.sources, data)))}</td></tr>"
        for d in data.documents
    )
    return (
        "<section id='documents'><h2>Documents</h2><table><tr><th>title</th><th>published</th><th>type</th>"
        f"<th>SHA-256 of the original</th><th>sources</th></tr>{rows}</table></section>"
    )


def section_quotes(shown: dict[int, Value]) -> str:
    items = []
    for v in sorted(shown.values(), key=lambda v: v.claim_id):
        items.append(
            f"<div id='claim-{v.claim_id}'><b>{escape(v.display)}</b> {escape(v.variable)} — "
            f"{escape(v.source or 'no source')}, <a href='#doc-{v.document_id}'>"
            f"{escape(v.document_title or v.document_id[:12])}</a> ({escape(v.date or 'undated')})"
            f"<blockquote>{escape(v.quote)}</blockquote></div>"
        )
    return f"<section id='quotes'><h2>Quotes</h2>{''.join(items)}</section>"

