"""Capture histories from the records people keep: one row per person with a column per list
(wide), or one row per sighting with the list and the person named (long), optionally split
into strata (a place, a year) that are estimated one by one.

    >>> captures = read_records("workers.csv", Layout(list_col="source", id_col="person"))
    >>> captures.strata["Russia"].n

Cells read yes/no, true/false, y/n, x, 1/0 or blank (not on the list), in any case.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from labourwatch.analysis.mse.data import (
    MAX_LISTS,
    NO,
    YES,
    CaptureData,
    capture_cell,
    parse_capture_csv,
    read_text,
)
from labourwatch.errors import MSEInputError

ALL = "all"  # the stratum of a table that is not split


@dataclass(frozen=True)
class Layout:
    """Which columns say what. ``list_col`` set: long form (``id_col`` required); otherwise
    wide form, with ``lists`` the capture columns (default: every column that reads yes/no)."""

    list_col: str | None = None
    id_col: str | None = None
    lists: tuple[str, ...] | None = None
    stratify: str | None = None

    @property
    def plain(self) -> bool:
        """A table of capture columns and counts only, as ``parse_capture_csv`` reads."""
        return self == Layout()


@dataclass
class Captures:
    """Capture data for the whole table and for each stratum, and what was left out."""

    total: CaptureData
    strata: dict[str, CaptureData] = field(default_factory=dict)  # {ALL: total} when not split
    notes: list[str] = field(default_factory=list)


def read_records(path: str | Path, layout: Layout | None = None) -> Captures:
    return parse_records(read_text(path), str(path), layout or Layout())


def parse_records(text: str, where: str, layout: Layout) -> Captures:
    """Captures from a CSV text in the given layout; :class:`MSEInputError` names the file,
    the line and the reason for anything that cannot be read."""
    if layout.plain and _has_counts(text):
        data = parse_capture_csv(text, where)
        return Captures(data, {ALL: data})
    header, body = _rows(text, where)
    column = _Columns(header, where)
    if layout.list_col is not None:
        sightings = _long_form(body, column, layout, where)
        return from_sightings(sightings, where, layout.lists, layout.stratify, layout.list_col)
    people, lists, notes = _wide_form(body, column, layout, where)
    return _captures(people, lists, notes, where, layout.stratify is not None)


# A person: their capture history (as a set of list indices) and their stratum.
_People = dict[str, tuple[set[int], str]]
Sighting = tuple[str, str, str]  # (person, list, stratum: "" where not split)


def from_sightings(
    sightings: list[Sighting], where: str, lists: tuple[str, ...] | None = None, stratify: str | None = None,
    list_col: str = "list",
) -> Captures:
    """Captures from sightings of people on lists (only ``lists``, where given), one estimate
    per stratum where ``stratify`` names what the third field is."""
    seen = sorted({source for _, source, _ in sightings} - {""})
    chosen = list(lists) if lists else seen
    unknown = [name for name in chosen if name not in seen]
    if unknown:
        raise MSEInputError(f"{where}: no row names list {unknown[0]!r} in {list_col!r}")
    position = {name: i for i, name in enumerate(chosen)}
    people: _People = {}
    strata: dict[str, Counter[str]] = {}
    dropped = 0
    for person, source, stratum in sightings:
        if source not in position:
            dropped += 1
            continue
        people.setdefault(person, (set(), ""))[0].add(position[source])
        if stratify:
            strata.setdefault(person, Counter())[stratum] += 1
    notes = [f"{dropped} rows on lists not chosen (--lists) left out"] if dropped else []
    conflicting = 0
    for person, votes in strata.items():
        conflicting += len(votes) > 1
        people[person] = (people[person][0], votes.most_common(1)[0][0])
    if conflicting:
        notes.append(f"{conflicting} people have rows in several strata; each is counted in their "
                     f"most frequent {stratify!r}")
    return _captures(people, chosen, notes, where, stratify is not None)


def _long_form(
    body: list[tuple[int, list[str]]], column: _Columns, layout: Layout, where: str
) -> list[Sighting]:
    if layout.id_col is None:
        raise MSEInputError(f"{where}: --list-col needs --id-col: the column naming the person on each row")
    list_at, id_at = column.index(layout.list_col or ""), column.index(layout.id_col)
    stratum_at = column.index(layout.stratify) if layout.stratify else None
    sightings = []
    for line, row in body:
        person = row[id_at].strip()
        if not person:
            raise MSEInputError(f"{where}: line {line}: no person in {layout.id_col!r}")
        stratum = row[stratum_at].strip() if stratum_at is not None else ""
        sightings.append((person, row[list_at].strip(), stratum))
    return sightings


def _wide_form(
    body: list[tuple[int, list[str]]], column: _Columns, layout: Layout, where: str
) -> tuple[_People, list[str], list[str]]:
    named = {layout.id_col, layout.stratify} - {None}
    id_at = column.index(layout.id_col) if layout.id_col else None
    stratum_at = column.index(layout.stratify) if layout.stratify else None
    notes: list[str] = []
    if layout.lists:
        lists = list(layout.lists)
        for name in lists:
            column.index(name)
    else:
        lists, ignored = _capture_columns(body, column, named)
        if ignored:
            notes.append(f"columns read as attributes, not lists: {', '.join(ignored)} "
                         "(name the lists with --lists)")
    at = [column.index(name) for name in lists]
    people: _People = {}
    on_none = 0
    for line, row in body:
        history = {k for k, i in enumerate(at) if capture_cell(row[i], lists[k], where, line)}
        if not history:
            on_none += 1
            continue
        person = row[id_at].strip() if id_at is not None else f"row {line}"
        stratum = row[stratum_at].strip() if stratum_at is not None else ""
        previous, _ = people.setdefault(person, (set(), stratum))
        previous |= history  # an id on several rows is one person seen on all their lists
    if on_none:
        notes.append(f"{on_none} rows on none of the lists left out")
    return people, lists, notes


def _capture_columns(
    body: list[tuple[int, list[str]]], column: _Columns, named: set[str | None]
) -> tuple[list[str], list[str]]:
    """The columns that read as capture cells; a column none of whose values does (names, ids,
    places) is an attribute. A column mixing both is a list with a bad cell, reported later."""
    lists: list[str] = []
    ignored: list[str] = []
    for i, name in enumerate(column.header):
        if name in named or name.lower() == "count":
            continue
        values = {row[i].strip().lower() for _, row in body}
        textual = not (values & (YES | NO - {""})) and not all(v.isdigit() for v in values - {""})
        (ignored if textual else lists).append(name)
    return lists, ignored


def _stratum_name(name: str, stratified: bool) -> str:
    return name if name else "(blank)" if stratified else ALL


def _captures(people: _People, lists: list[str], notes: list[str], where: str, stratified: bool) -> Captures:
    if len(lists) < 2:
        raise MSEInputError(f"{where}: at least two lists are needed, found {len(lists)}")
    if len(lists) > MAX_LISTS:
        raise MSEInputError(f"{where}: {len(lists)} lists; at most {MAX_LISTS} are supported")
    if not people:
        raise MSEInputError(f"{where}: nobody is on any of the lists {', '.join(lists)}")
    by_stratum: dict[str, Counter[tuple[int, ...]]] = {}
    for history, stratum in people.values():
        key = tuple(int(k in history) for k in range(len(lists)))
        by_stratum.setdefault(stratum, Counter())[key] += 1
    total: Counter[tuple[int, ...]] = sum(by_stratum.values(), Counter())
    strata = {_stratum_name(name, stratified): CaptureData.from_histories(lists, dict(h))
              for name, h in sorted(by_stratum.items())}
    return Captures(CaptureData.from_histories(lists, dict(total)), strata, notes)


class _Columns:
    def __init__(self, header: list[str], where: str) -> None:
        self.header, self.where = header, where

    def index(self, name: str) -> int:
        try:
            return self.header.index(name)
        except ValueError:
            raise MSEInputError(f"{self.where}: no column {name!r}; the header has "
                                f"{', '.join(repr(h) for h in self.header)}") from None


def _rows(text: str, where: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    rows = [(line, r) for line, r in enumerate(csv.reader(io.StringIO(text)), start=1)
            if any(cell.strip() for cell in r)]
    if not rows:
        raise MSEInputError(f"{where}: empty file")
    header = [h.strip() for h in rows[0][1]]
    if len(set(header)) != len(header):
        raise MSEInputError(f"{where}: column names in the header must be distinct")
    for line, row in rows[1:]:
        if len(row) != len(header):
            raise MSEInputError(f"{where}: line {line}: {len(row)} fields, the header has {len(header)}")
    if len(rows) < 2:
        raise MSEInputError(f"{where}: no records after the header")
    return header, rows[1:]


def _has_counts(text: str) -> bool:
    """Whether the header has a ``count`` column: the classic capture table, one row per
    history, which keeps its strict reading."""
    header = next(csv.reader(io.StringIO(text)), [])
    return "count" in (h.strip().lower() for h in header)
