"""Screening: company and person names against sanctions lists and the employers named in
the evidence, across Korean, Chinese and Russian spellings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from labourwatch.errors import ScreenInputError
from labourwatch.parallel import LocalMapper, Mapper
from labourwatch.screen.entities import Entity, Query, read_list, read_queries
from labourwatch.screen.index import BlockingIndex, file_fingerprint, load_or_build
from labourwatch.screen.matcher import ALGORITHMS, Match

# Measured: real names (../shared/screen/dev) precision 1.00, recall 0.91 without countries;
# the labelled pairs of tests/test_screen.py precision 0.990, recall 0.985.
DEFAULT_THRESHOLD = 0.86
DEFAULT_ALGORITHM = "name-features-v1"

__all__ = ["DEFAULT_THRESHOLD", "Entity", "Query", "ScreenInputError", "Screener", "read_queries"]


@dataclass
class Screener:
    """Lists loaded and indexed once; ``screen(query)`` gives the matches above the threshold."""

    indexes: list[tuple[str, BlockingIndex]]
    threshold: float = DEFAULT_THRESHOLD
    algorithm: str = DEFAULT_ALGORITHM
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_lists(
        cls,
        specs: Iterable[str],
        threshold: float = DEFAULT_THRESHOLD,
        store_path: str | None = None,
        algorithm: str = DEFAULT_ALGORITHM,
    ) -> Screener:
        if algorithm not in ALGORITHMS:
            raise ScreenInputError(f"unknown algorithm {algorithm!r}; known: {', '.join(ALGORITHMS)}")
        warnings: list[str] = []
        indexes = []
        for spec in specs:
            fingerprint = (
                None if spec == "store" else file_fingerprint(Path(spec)) if Path(spec).exists() else None
            )
            index = load_or_build(fingerprint, partial(read_list, spec, warnings, store_path))
            if not len(index):
                raise ScreenInputError(f"{spec}: the list holds no entity with a name")
            indexes.append((spec, index))
        return cls(indexes, threshold, algorithm, warnings)

    def screen_all(
        self, queries: list[Query], jobs: int | None = None, mapper: Mapper | None = None
    ) -> list[list[Match]]:
        """Every query, on all cores (workers fork with the index already in memory), or on
        the cluster behind ``mapper``."""
        mapper = mapper or LocalMapper(jobs, min_items=500)
        return list(mapper.map(_screen_one, self, queries))

    def screen(self, query: Query) -> list[Match]:
        score = ALGORITHMS[self.algorithm]
        matches = []
        for _, index in self.indexes:
            for entity in index.candidates(query.name):
                match = score(query, entity)
                if match.score >= self.threshold:
                    matches.append(match)
        matches.sort(key=lambda m: -m.score)
        return matches


def _screen_one(screener: Screener, query: Query) -> list[Match]:
    return screener.screen(query)


def match_dict(m: Match) -> dict[str, Any]:
    return {
        "name": m.entity.names[0],
        "score": m.score,
        "id": m.entity.id,
        "matched_alias": m.matched_alias,
        "explanation": m.explanation,
        "datasets": m.entity.datasets,
        "topics": m.entity.topics,
        "schema": m.entity.schema,
        "countries": sorted(m.entity.countries),
        **({"quotes": m.entity.quotes} if m.entity.quotes else {}),
    }
