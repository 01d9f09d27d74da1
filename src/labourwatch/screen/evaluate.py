"""Precision and recall of screening against labelled queries (``name``, ``expect`` = the entity
id the query names or empty, optional ``schema``, ``country`` and grouping columns such as
``script`` and ``kind``): top-1 match against the expected id, at the screener's threshold."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from labourwatch.screen.entities import Query
from labourwatch.screen.matcher import Match


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, top: str | None, expected: str | None) -> None:
        self.tp += bool(top and top == expected)
        self.fp += bool(top and top != expected)
        self.fn += bool(expected and top != expected)


@dataclass
class Scores:
    overall: Counts = field(default_factory=Counts)
    groups: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    misses: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # query, expected, got

    def lines(self) -> list[str]:
        rows = [("all", self.overall), *sorted(self.groups.items())]
        return [f"{name:<20} precision {c.precision:.2f}  recall {c.recall:.2f}  "
                f"(tp {c.tp}, fp {c.fp}, fn {c.fn})" for name, c in rows]


def labelled_queries(rows: list[dict[str, str]]) -> list[Query]:
    return [
        Query(row, row["name"], {row["country"].upper()} if row.get("country") else set(),
              row.get("schema") or None)
        for row in rows
    ]


def score(rows: list[dict[str, str]], results: list[list[Match]],
          group_by: tuple[str, ...] = ("script", "kind")) -> Scores:
    """``results`` holds each query's matches, best first, in the order of ``rows``."""
    scores = Scores()
    for row, matches in zip(rows, results, strict=True):
        top = matches[0].entity.id if matches else None
        expected = row.get("expect") or None
        scores.overall.add(top, expected)
        for column in group_by:
            if row.get(column):
                scores.groups[f"{column}:{row[column]}"].add(top, expected)
        if top != expected:
            scores.misses.append((row["name"], expected, top))
    return scores
