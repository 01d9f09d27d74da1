"""Record linkage before estimation: which records on several lists name the same person.

HRDAG's workflow is to link the records, then estimate. Names are compared with the
screening matcher (Latin, Hangul, Cyrillic and Chinese spellings of one name score alike);
a date of birth, a place and an employer, where the records have them, support or weaken a
pair. Pairs at or above the threshold are joined (transitively) into one person; pairs near
the threshold are written out for a person to decide, and their decisions override the score.

    >>> records = read_link_records("sightings.csv", Columns(list_col="source", name_col="name"))
    >>> linker = Linker(records)
    >>> linkage = linker.link(threshold=0.9)
    >>> linkage.captures().total.n
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labourwatch.analysis.mse.data import read_text
from labourwatch.analysis.mse.records import Captures, from_sightings
from labourwatch.errors import MSEInputError
from labourwatch.screen.entities import Entity, Query
from labourwatch.screen.index import BlockingIndex
from labourwatch.screen.matcher import ALGORITHMS
from labourwatch.screen.normalize import normalize

DEFAULT_THRESHOLD = 0.88
REVIEW_BAND = (0.08, 0.04)  # pairs this far below / above the threshold go to a person
CANDIDATES = 200  # records compared with each record, chosen by the blocking keys
# Supporting features: what agreeing or disagreeing adds to the name's score. Two dates of
# birth in different years are two people, mostly; in the same month, a slip of the pen.
SAME_BIRTH, NEAR_BIRTH, OTHER_BIRTH = 0.06, -0.04, -0.30
SAME_PLACE, SAME_EMPLOYER = 0.03, 0.04  # a place or an employer that differs says little: people move


@dataclass(frozen=True)
class Columns:
    """Which columns of a record file say what; only the list and the name are required."""

    list_col: str
    name_col: str
    id_col: str | None = None
    birth_col: str | None = None
    place_col: str | None = None
    employer_col: str | None = None
    stratify: str | None = None


@dataclass(frozen=True)
class Record:
    id: str
    list: str
    name: str
    birth: str = ""
    place: str = ""
    employer: str = ""
    stratum: str = ""


@dataclass(frozen=True)
class Pair:
    """Two records and the score that they name one person, with each feature's share."""

    a: str
    b: str
    score: float
    explanation: dict[str, Any]


@dataclass
class Linkage:
    """Records grouped into people at one threshold."""

    records: list[Record]
    person: dict[str, str]  # record id -> person id
    threshold: float
    uncertain: list[Pair] = field(default_factory=list)

    @property
    def people(self) -> int:
        return len(set(self.person.values()))

    def rows(self) -> Iterator[dict[str, str]]:
        """The linked records as a long table: person, list, record and what was read."""
        for r in self.records:
            yield {"person": self.person[r.id], "list": r.list, "record": r.id, "name": r.name,
                   "birth": r.birth, "place": r.place, "employer": r.employer, "stratum": r.stratum}

    def captures(self, stratified: bool = False) -> Captures:
        sightings = [(self.person[r.id], r.list, r.stratum) for r in self.records]
        return from_sightings(sightings, "linked records", stratify="stratum" if stratified else None)


class Linker:
    """Scores the candidate pairs of a set of records once; ``link`` then groups them at any
    threshold (for the sensitivity of an estimate to it) without scoring again."""

    def __init__(self, records: list[Record], algorithm: str = "name-features-v1") -> None:
        self.records = records
        self.by_id = {r.id: r for r in records}
        self.score_names = ALGORITHMS[algorithm]
        self.pairs = list(self._score_pairs())

    def link(self, threshold: float = DEFAULT_THRESHOLD, decisions: dict[tuple[str, str], bool] | None = None,
             ) -> Linkage:
        """People at ``threshold``: pairs joined best first, never two groups that hold a pair
        known to be two people (dates of birth years apart, or a person's decision)."""
        decided_pairs = {frozenset(k): v for k, v in (decisions or {}).items()}
        apart = {frozenset((p.a, p.b)) for p in self.pairs if "birth" in p.explanation
                 and p.explanation["birth"]["delta"] == OTHER_BIRTH}
        apart |= {k for k, v in decided_pairs.items() if not v}
        groups = _Groups(r.id for r in self.records)
        uncertain = []
        for pair in sorted(self.pairs, key=lambda p: -p.score):
            decided = decided_pairs.get(frozenset((pair.a, pair.b)))
            if decided is None and threshold - REVIEW_BAND[0] <= pair.score < threshold + REVIEW_BAND[1]:
                uncertain.append(pair)
            if decided if decided is not None else pair.score >= threshold:
                groups.join(pair.a, pair.b, apart)
        for key, same in decided_pairs.items():
            if same and len(key) == 2 and key <= self.by_id.keys():
                first, second = sorted(key)
                groups.join(first, second, apart)
        person = {r.id: f"P{groups.number(r.id)}" for r in self.records}
        return Linkage(self.records, person, threshold, uncertain)

    def _score_pairs(self) -> Iterator[Pair]:
        index = BlockingIndex(Entity(r.id, "Person", [r.name]) for r in self.records)
        floor = DEFAULT_THRESHOLD - 3 * REVIEW_BAND[0]  # pairs below any useful threshold are dropped
        for record in self.records:
            query = Query({}, record.name, set(), "Person")
            for entity in index.candidates(record.name, CANDIDATES):
                if entity.id <= record.id:
                    continue  # each pair once, and never a record with itself
                pair = self._pair(query, record, entity)
                if pair.score >= floor:
                    yield pair

    def _pair(self, query: Query, a: Record, entity: Entity) -> Pair:
        b = self.by_id[entity.id]
        match = self.score_names(query, entity)
        score, explanation = match.score, dict(match.explanation)
        for feature, delta, note in _supporting(a, b):
            explanation[feature] = {"delta": delta, "note": note}
            score += delta
        return Pair(a.id, b.id, round(max(0.0, min(1.0, score)), 4), explanation)


def _supporting(a: Record, b: Record) -> Iterator[tuple[str, float, str]]:
    if a.birth and b.birth:
        near = a.birth[:7] == b.birth[:7]  # the same month: a slip of the pen
        delta = SAME_BIRTH if a.birth == b.birth else NEAR_BIRTH if near else OTHER_BIRTH
        yield "birth", delta, f"{a.birth} / {b.birth}"
    if a.place and b.place and _same_words(a.place, b.place):
        yield "place", SAME_PLACE, a.place
    if a.employer and b.employer and _same_words(a.employer, b.employer):
        yield "employer", SAME_EMPLOYER, a.employer


def _same_words(x: str, y: str) -> bool:
    return normalize(x).tokens == normalize(y).tokens


class _Groups:
    """Records joined into groups; a join that would put a known pair of two people in one
    group is refused, so that a chain of similar names cannot merge them."""

    def __init__(self, items: Iterable[str]) -> None:
        self.group = {item: item for item in items}
        self.members = {item: {item} for item in self.group}
        self.numbers: dict[str, int] = {}

    def join(self, a: str, b: str, apart: set[frozenset[str]]) -> None:
        ga, gb = self.group[a], self.group[b]
        if ga == gb:
            return
        small, large = sorted((ga, gb), key=lambda g: len(self.members[g]))
        pairs = ((x, y) for x in self.members[small] for y in self.members[large])
        if apart and any(frozenset(pair) in apart for pair in pairs):
            return
        for item in self.members[small]:
            self.group[item] = large
        self.members[large] |= self.members.pop(small)

    def number(self, item: str) -> int:
        return self.numbers.setdefault(self.group[item], len(self.numbers) + 1)


# -- files ------------------------------------------------------------------------------------
def read_link_records(path: str | Path, columns: Columns) -> list[Record]:
    """Records from a CSV file; :class:`MSEInputError` names the file, line and reason."""
    where = str(path)
    rows = list(csv.DictReader(io.StringIO(read_text(path))))
    header = set(rows[0]) if rows else set()
    wanted = [c for c in (columns.list_col, columns.name_col, columns.id_col, columns.birth_col,
                          columns.place_col, columns.employer_col, columns.stratify) if c]
    missing = [c for c in wanted if c not in header]
    if not rows:
        raise MSEInputError(f"{where}: no records")
    if missing:
        raise MSEInputError(f"{where}: no column {missing[0]!r}; the header has "
                            f"{', '.join(repr(h) for h in rows[0])}")
    records, seen = [], set()
    for line, row in enumerate(rows, start=2):
        record = _record(row, columns, line)
        if not record.name or not record.list:
            raise MSEInputError(f"{where}: line {line}: no {'name' if not record.name else 'list'}")
        if record.id in seen:
            raise MSEInputError(f"{where}: line {line}: record id {record.id!r} repeats")
        seen.add(record.id)
        records.append(record)
    return records


def _record(row: dict[str, str], columns: Columns, line: int) -> Record:
    def cell(name: str | None) -> str:
        return (row.get(name) or "").strip() if name else ""

    return Record(cell(columns.id_col) or f"r{line}", cell(columns.list_col), cell(columns.name_col),
                  cell(columns.birth_col), cell(columns.place_col), cell(columns.employer_col),
                  cell(columns.stratify))


REVIEW_COLUMNS = ["record_a", "record_b", "list_a", "list_b", "name_a", "name_b", "score", "why", "decision"]


def review_rows(linker: Linker, pairs: list[Pair]) -> Iterator[list[str]]:
    """The uncertain pairs for a person to decide: ``decision`` left blank, to be filled with
    ``same`` or ``different``."""
    for pair in pairs:
        a, b = linker.by_id[pair.a], linker.by_id[pair.b]
        why = "; ".join(f"{k}: {v.get('note') or v.get('feature', '')}" for k, v in pair.explanation.items())
        yield [a.id, b.id, a.list, b.list, a.name, b.name, f"{pair.score:.4f}", why, ""]


def read_decisions(path: str | Path) -> dict[tuple[str, str], bool]:
    """A review file read back: the pairs whose ``decision`` says same (yes) or different (no)."""
    where = str(path)
    decisions = {}
    for line, row in enumerate(csv.DictReader(io.StringIO(read_text(path))), start=2):
        value = (row.get("decision") or "").strip().lower()
        if not value:
            continue
        if value not in ("same", "different", "yes", "no", "y", "n"):
            raise MSEInputError(f"{where}: line {line}: decision {value!r}; write same or different")
        a, b = (row.get("record_a") or "").strip(), (row.get("record_b") or "").strip()
        if not a or not b:
            raise MSEInputError(f"{where}: line {line}: record_a and record_b are needed")
        decisions[(a, b)] = value in ("same", "yes", "y")
    return decisions


def threshold_sensitivity(
    linker: Linker, thresholds: list[float], decisions: dict[tuple[str, str], bool] | None = None,
    method: str = "lcmcr", seed: int | None = None,
) -> list[dict[str, Any]]:
    """The estimate at each linkage threshold: how much the answer depends on where linking
    stops (a lower threshold joins more records, so fewer people and more overlap)."""
    from labourwatch.analysis.mse import estimate

    rows: list[dict[str, Any]] = []
    for threshold in thresholds:
        linkage = linker.link(threshold, decisions)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # diverging fits are caught and reported
            result = estimate(linkage.captures().total, method, seed=seed,
                              bootstrap=200 if method not in ("lcmcr", "dga") else 0)
        rows.append({"threshold": threshold, "people": linkage.people, "estimate": result.estimate,
                     "interval": list(result.interval) if result.interval else None})
    return rows
