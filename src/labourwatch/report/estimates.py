"""Saved population estimates as the report shows them: what was estimated, from what, by which
method, with the interval and how the answer moves with the linkage threshold."""

from __future__ import annotations

from typing import Any

from labourwatch.formatting import number
from labourwatch.records import StoredEstimate
from labourwatch.summary import Summary, Table


def estimate_summary(saved: StoredEstimate) -> Summary:
    result = saved.result
    strata = result.get("strata") or {}
    first = next(iter(strata.values()), result)  # a stratified estimate: its strata's method and lists
    level = float(result.get("level") or 0.95)
    facts = [
        ("estimated population", _count(result.get("estimate"))),
        (f"{level:.0%} {_interval_kind(first)}", _interval(result.get("interval"))),
        ("observed (on at least one list)", _count(result.get("n"))),
        ("lists", ", ".join(first.get("lists") or [])),
        ("method", _method(first)),
        ("from", _origin(saved.origin)),
        ("saved", f"{saved.created_at} by {saved.user or '(command line)'} (estimate {saved.id})"),
    ]
    tables = []
    if strata:
        tables.append(Table(["stratum", "observed", "estimate", "interval"], [
            [name, _count(part.get("n")), _count(part.get("estimate")), _interval(part.get("interval"))]
            for name, part in strata.items()
        ], "by stratum"))
    rows = result.get("sensitivity") or []
    if rows:
        tables.append(Table(["linkage threshold", "people found", "estimate", "interval"], [
            [f"{row['threshold']:.2f}", _count(row.get("people")), _count(row.get("estimate")),
             _interval(row.get("interval"))] for row in rows
        ], "sensitivity to the linkage threshold"))
    return Summary(saved.label, facts, tables, list(result.get("warnings") or []))


def _interval_kind(result: dict[str, Any]) -> str:
    if result.get("method") in ("lcmcr", "dga"):
        return "credible interval"
    return "BCa bootstrap interval" if result.get("bootstrap") else "interval"


def _method(result: dict[str, Any]) -> str:
    method = str(result.get("method") or "?")
    model = result.get("model")
    if method == "lcmcr":
        classes = (result.get("lcmcr") or {}).get("settings", {}).get("classes")
        return f"lcmcr (latent classes, at most {classes})" if classes else method
    if model is None or method == "main":
        return method if model is None else "main effects only"
    return f"{method}: " + (", ".join(model) if model else "main effects only")


def _origin(origin: dict[str, Any]) -> str:
    if "file" in origin:
        digest = origin.get("sha256")
        return f"{origin['file']}" + (f" (SHA-256 {digest[:16]}…)" if digest else "")
    return (f"{origin.get('kind', 'person')} names in the store by {origin.get('lists_by', '?')}: "
            f"{_count(origin.get('records'))} names linked into {_count(origin.get('people'))} at "
            f"threshold {origin.get('threshold', '?')}")


def _count(x: Any) -> str:
    return "—" if x is None else number(float(x), decimals=0)


def _interval(bounds: Any) -> str:
    return "—" if not bounds else f"{_count(bounds[0])} – {_count(bounds[1])}"
