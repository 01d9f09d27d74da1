"""Figures across sources: claims grouped by variable, place and year, with their spread,
who says what, and a conflict flag where two values differ by more than a factor of two,
whoever states them (300 reports that all credit "officials" can still disagree 20-fold)."""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from labourwatch.formatting import number, quantity
from labourwatch.records import StoredClaim

CONFLICT_FACTOR = 2.0


@dataclass
class Value:
    """One claim as a figure: its range, who says so, where it stands."""

    claim_id: int
    low: float | None
    high: float | None
    unit: str | None
    per: str | None
    qualifier: str | None
    source: str | None
    document_id: str
    document_title: str | None
    document_published: str | None
    quote: str
    mention: str
    year: int | None
    place: str | None
    variable: str
    review_state: str = "unreviewed"  # accepted and corrected values have been seen by a person

    @property
    def display(self) -> str:
        """The value as a person reads it: "USD 1.5 billion/year", "10–20%", "≥ 50,000"."""
        return quantity(self.low, self.high, self.unit, self.per)

    @property
    def midpoint(self) -> float | None:
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        return self.low if self.low is not None else self.high

    @cached_property
    def who(self) -> str:
        """Who stands behind the value: the source named, else the document."""
        return (self.source or f"document {self.document_id[:12]}").strip().lower()

    @property
    def date(self) -> str | None:
        return str(self.year) if self.year else self.document_published


@dataclass
class Group:
    variable: str
    place: str | None
    year: int | None
    unit: str | None
    per: str | None
    values: list[Value] = field(default_factory=list)

    @cached_property
    def midpoints(self) -> list[float]:
        return [m for v in self.values if (m := v.midpoint) is not None]

    @property
    def summarised(self) -> bool:
        """Whether the values measure one thing, so that a spread means something: not the
        catch-all ``other`` (a price, a population and a budget share no scale)."""
        return self.variable != "other"

    @cached_property
    def spread(self) -> tuple[float, float, float] | None:
        mids = self.midpoints
        return (min(mids), statistics.median(mids), max(mids)) if mids and self.summarised else None

    @cached_property
    def sources(self) -> list[str]:
        return sorted({v.who for v in self.values})

    @cached_property
    def by_source(self) -> list[tuple[str, list[Value]]]:
        """Who says what: each source with its values, lowest first."""
        said: dict[str, list[Value]] = defaultdict(list)
        for v in sorted(self.values, key=lambda v: v.midpoint or 0.0):
            said[v.who].append(v)
        return sorted(said.items(), key=lambda item: item[1][0].midpoint or 0.0)

    @cached_property  # a group is complete when it is returned; the web shows it many times
    def conflict(self) -> tuple[Value, Value] | None:
        return most_discordant(self.values) if self.summarised else None

    @property
    def spread_text(self) -> str:
        """min / median / max as the reader sees them, or why there is none."""
        if not self.summarised:
            return "not summarised: different things"
        return " / ".join(number(x) for x in self.spread) if self.spread else ""

    @property
    def conflict_text(self) -> str:
        """The disagreement in words: both values, who says each, and how far apart."""
        pair = self.conflict
        if pair is None:
            return ""
        low, high = pair
        ratio = (high.midpoint or 0.0) / (low.midpoint or 1.0)
        return (f"{low.display} ({low.source or 'no source'}) vs {high.display} "
                f"({high.source or 'no source'}): {number(ratio, significant=2)}× apart")

    def to_dict(self, max_values: int | None = None) -> dict[str, Any]:
        """The group as JSON; ``max_values`` lists only so many values (the conflicting pair
        first), ``n`` still counts them all."""
        spread = self.spread
        pair = self.conflict
        listed = self.values
        if max_values is not None and len(listed) > max_values:
            others = (v for v in listed if not pair or all(v is not p for p in pair))
            listed = [*(pair or ()), *itertools.islice(others, max_values)][:max_values]
        return {
            "variable": self.variable,
            "place": self.place,
            "year": self.year,
            "unit": self.unit,
            "per": self.per,
            "n": len(self.values),
            "sources": self.sources,
            "min": spread[0] if spread else None,
            "median": spread[1] if spread else None,
            "max": spread[2] if spread else None,
            "summarised": self.summarised,
            "conflict": pair is not None,
            "conflict_between": [v.claim_id for v in pair] if pair else [],
            "by_source": [
                {"source": who, "n": len(said), "low": said[0].midpoint, "high": said[-1].midpoint}
                for who, said in self.by_source
            ],
            "values": [value_dict(v) for v in listed],
        }


def value_dict(v: Value) -> dict[str, Any]:
    return {
        "claim_id": v.claim_id,
        "low": v.low,
        "high": v.high,
        "unit": v.unit,
        "per": v.per,
        "qualifier": v.qualifier,
        "source": v.source,
        "document_id": v.document_id,
        "document_title": v.document_title,
        "document_published": v.document_published,
        "year": v.year,
        "mention": v.mention,
        "quote": v.quote,
    }


def most_discordant(values: list[Value]) -> tuple[Value, Value] | None:
    """The lowest and the highest value, if they differ by more than the conflict factor;
    else None. A disagreement is one of values: the same source may disagree with itself
    (two reports both crediting "officials"), and the reader must see it."""
    usable = [(m, v) for v in values if (m := v.midpoint) is not None and m > 0]
    if len(usable) < 2:
        return None
    (low_mid, low), (high_mid, high) = min(usable, key=_first), max(usable, key=_first)
    return (low, high) if high_mid / low_mid > CONFLICT_FACTOR else None


def _first(item: tuple[float, Value]) -> float:
    return item[0]


def values_from_claims(
    claims: Iterable[StoredClaim], years: tuple[int | None, int | None] = (None, None)
) -> list[Value]:
    """Claims as figures, keeping those within ``years`` (ends included; None: open)."""
    values = [value_from_row(c) for c in claims]
    first, last = years
    return [
        v
        for v in values
        if (first is None or (v.year or 0) >= first) and (last is None or (v.year or 9999) <= last)
    ]


def value_from_row(row: StoredClaim | dict[str, Any]) -> Value:
    published = row.get("document_published")
    year = row.get("year") or (int(published[:4]) if published else None)
    return Value(
        claim_id=row["id"],
        low=row["low"],
        high=row["high"],
        unit=row["unit"],
        per=row["per"],
        qualifier=row["qualifier"],
        source=row["source"],
        document_id=row["document_id"],
        document_title=row.get("document_title"),
        document_published=published,
        quote=row["quote"],
        mention=row["mention"],
        year=year,
        place=row["place"],
        variable=row["variable"],
        review_state=row.get("review_state") or "unreviewed",
    )


def group_values(values: list[Value], by_year: bool = True) -> list[Group]:
    """Groups by variable, place and year (and unit and period, which must agree to compare)."""
    groups: dict[tuple[Any, ...], Group] = {}
    for v in values:
        key = (v.variable, v.place, v.year if by_year else None, v.unit, v.per)
        if key not in groups:
            groups[key] = Group(v.variable, v.place, key[2], v.unit, v.per)
        groups[key].values.append(v)
    return sorted(groups.values(), key=lambda g: (g.variable, g.place or "", g.year or 0, g.unit or ""))


def timeline(values: list[Value]) -> dict[str, list[Value]]:
    """Per variable, the values in date order (claim year, else the document's date)."""
    out: dict[str, list[Value]] = defaultdict(list)
    for v in values:
        if v.midpoint is not None:
            out[v.variable].append(v)
    for series in out.values():
        series.sort(key=lambda v: (v.date or "9999", v.who))
    return dict(out)


def unit_label(unit: str | None, per: str | None) -> str:
    """What a chart's value axis measures: "people", "USD per month", "percent"."""
    name = {"person": "people", None: "no unit"}.get(unit, unit or "no unit")
    return f"{name} per {per}" if per else name


def timeline_series(values: list[Value]) -> dict[tuple[str, str], dict[str, list[Value]]]:
    """Per variable and unit (what one chart can plot on one axis), one series per place
    ("world" where a figure names none), each in date order. USD per month and PLN per month
    never share an axis; Russia's figures and China's never share a line."""
    charts: dict[tuple[str, str], dict[str, list[Value]]] = defaultdict(lambda: defaultdict(list))
    for variable, series in timeline(values).items():
        for v in series:
            if v.date:
                charts[variable, unit_label(v.unit, v.per)][v.place or "world"].append(v)
    return {key: dict(sorted(by_place.items())) for key, by_place in sorted(charts.items())}
