"""Scoring one query against one entity: the best name pair by the registered features,
then country, schema and legal form raise or lower it. Algorithms are registered by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from labourwatch.screen.entities import ORG_SCHEMAS, PERSON_SCHEMAS, Entity, Query
from labourwatch.screen.features import FEATURES
from labourwatch.screen.normalize import normalize

COUNTRY_SHARED = 0.05
# A different country lowers a score only where the two are known to be told apart by it: a
# South Korean company is not a North Korean one of the same name. Elsewhere a country differs
# because listed North Korean bodies work abroad (Russia, China, Namibia, Kuwait).
COUNTRY_DIFFERENT = -0.15
COUNTRY_CONFLICTS = frozenset({frozenset({"KR", "KP"})})
SCHEMA_CLASH = -0.30
LEGAL_FORM_CLASH = -0.05


@dataclass
class Match:
    entity: Entity
    score: float
    matched_alias: str
    explanation: dict[str, Any]


Algorithm = Callable[[Query, Entity], Match]
ALGORITHMS: dict[str, Algorithm] = {}


def algorithm(name: str) -> Callable[[Algorithm], Algorithm]:
    def register(fn: Algorithm) -> Algorithm:
        ALGORITHMS[name] = fn
        return fn

    return register


def _kind(schema: str | None) -> str | None:
    if schema in PERSON_SCHEMAS:
        return "person"
    if schema in ORG_SCHEMAS:
        return "organisation"
    return None


def _country_delta(query: set[str], entity: set[str]) -> tuple[float, str]:
    if query & entity:
        return COUNTRY_SHARED, "shared"
    if any(frozenset({a, b}) in COUNTRY_CONFLICTS for a in query for b in entity):
        return COUNTRY_DIFFERENT, "different, and told apart by country"
    return 0.0, "different (listed bodies work abroad)"


@algorithm("name-features-v1")
def name_features(query: Query, entity: Entity) -> Match:
    q = normalize(query.name)
    best: tuple[float, str, str, str] = (0.0, "", entity.names[0], "")
    for alias in entity.names:
        c = normalize(alias)
        for name, fn in FEATURES.items():
            value, note = fn(q, c)
            if value > best[0]:
                best = (value, name, alias, note)
    score, feature, alias, note = best
    explanation: dict[str, Any] = {"name": {"feature": feature, "score": round(score, 4), "note": note}}
    if query.countries and entity.countries:
        delta, why = _country_delta(query.countries, entity.countries)
        explanation["country"] = {
            "delta": delta,
            "note": f"{why}: {','.join(sorted(query.countries))} / {','.join(sorted(entity.countries))}",
        }
        score += delta
    qk, ek = _kind(query.schema), _kind(entity.schema)
    if qk and ek and qk != ek:
        explanation["schema"] = {
            "delta": SCHEMA_CLASH,
            "note": f"a {qk} is not a{'n' if ek[0] in 'aeiou' else ''} {ek}",
        }
        score += SCHEMA_CLASH
    qf, cf = normalize(query.name).legal_forms, normalize(alias).legal_forms
    if qf and cf and not qf & cf:
        explanation["legal_form"] = {
            "delta": LEGAL_FORM_CLASH,
            "note": f"{'/'.join(sorted(qf))} vs {'/'.join(sorted(cf))}",
        }
        score += LEGAL_FORM_CLASH
    return Match(entity, round(max(0.0, min(1.0, score)), 4), alias, explanation)
