"""Capture histories: parsing, validation, and the table of all 2^t − 1 observable cells."""

from __future__ import annotations

import csv
import io
import itertools
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from labourwatch.errors import MSEInputError

# The existence check holds a dense (2^t − 1)² constraint matrix: 12 lists take 134 MB,
# 15 would take 8.6 GB. Above 12 the estimate is refused with the reason.
MAX_LISTS = 12
MAX_COUNT = 10**12  # more than any population; larger counts overflow the fits




@dataclass(frozen=True)
class CaptureData:
    """Counts for every observable capture history (zeros included), in a fixed cell order."""

    lists: tuple[str, ...]
    cells: np.ndarray  # (2^t − 1, t) of 0/1
    counts: np.ndarray  # (2^t − 1,) of non-negative integers

    @property
    def t(self) -> int:
        return len(self.lists)

    @property
    def n(self) -> int:
        return int(self.counts.sum())

    def as_dict(self) -> dict[str, Any]:
        """The lists and the count of each observed history ("101": on the first and third)."""
        pairs = zip(self.cells, self.counts, strict=True)
        return {"lists": list(self.lists),
                "histories": {"".join(map(str, cell)): int(count) for cell, count in pairs if count}}

    def with_counts(self, counts: np.ndarray) -> CaptureData:
        return CaptureData(self.lists, self.cells, np.asarray(counts))

    @classmethod
    def from_histories(
        cls, lists: list[str] | tuple[str, ...], histories: dict[tuple[int, ...], int]
    ) -> CaptureData:
        t = len(lists)
        cells = all_cells(t)
        index = {tuple(int(v) for v in row): i for i, row in enumerate(cells)}
        counts = np.zeros(len(cells), dtype=np.int64)
        for history, count in histories.items():
            counts[index[history]] = count
        return cls(tuple(lists), cells, counts)


@lru_cache(maxsize=32)
def all_cells(t: int) -> np.ndarray:
    """Every non-empty capture history, ordered by number of lists, then lexicographically."""
    rows = [c for k in range(1, t + 1) for c in itertools.combinations(range(t), k)]
    cells = np.zeros((len(rows), t), dtype=np.int8)
    for i, members in enumerate(rows):
        cells[i, list(members)] = 1
    cells.setflags(write=False)
    return cells


YES = frozenset({"1", "yes", "y", "true", "t", "x"})
NO = frozenset({"0", "no", "n", "false", "f", ""})


def read_text(path: str | Path) -> str:
    """A CSV file's text; :class:`MSEInputError` naming it if it cannot be read as UTF-8."""
    where = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise MSEInputError(f"{where}: cannot read: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MSEInputError(f"{where}: not a UTF-8 CSV file") from None


def read_capture_csv(path: str | Path) -> CaptureData:
    """A capture-history table (0/1 columns and ``count``) or one row per individual."""
    return parse_capture_csv(read_text(path), str(path))


def capture_cell(value: str, name: str, where: str, line: int) -> int:
    """1 or 0 for a capture cell: yes/no, true/false, y/n, x, 1/0 or blank, in any case."""
    text = value.strip().lower()
    if text in YES:
        return 1
    if text in NO:
        return 0
    raise MSEInputError(f"{where}: line {line}: list {name!r} has {value.strip()!r}; capture cells must be "
                        "0 or 1 (or yes/no, true/false, blank); name the list columns with --lists")


def parse_capture_csv(text: str, where: str = "<input>") -> CaptureData:
    rows = [r for r in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in r)]
    if not rows:
        raise MSEInputError(f"{where}: empty file")
    header = [h.strip() for h in rows[0]]
    body = rows[1:]
    if not body:
        raise MSEInputError(f"{where}: no capture histories after the header")
    lower = [h.lower() for h in header]
    has_count = "count" in lower
    count_col = lower.index("count") if has_count else None
    lists = [h for i, h in enumerate(header) if i != count_col]
    if len(lists) < 2:
        raise MSEInputError(f"{where}: at least two lists are needed, found {len(lists)}")
    if len(lists) > MAX_LISTS:
        raise MSEInputError(f"{where}: {len(lists)} lists; at most {MAX_LISTS} are supported")
    if any(not h for h in lists) or len(set(lists)) != len(lists):
        raise MSEInputError(f"{where}: list names in the header must be non-empty and distinct")
    histories: dict[tuple[int, ...], int] = {}
    first_row: dict[tuple[int, ...], int] = {}
    for line, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise MSEInputError(f"{where}: line {line}: {len(row)} fields, the header has {len(header)}")
        history = []
        for i, cell in enumerate(row):
            if i == count_col:
                continue
            history.append(capture_cell(cell, header[i], where, line))
        key = tuple(history)
        if not any(key):
            raise MSEInputError(f"{where}: line {line}: an all-zero history cannot be observed")
        count = 1
        if count_col is not None:
            count = _count(row[count_col].strip(), where, line)
            if key in histories:
                raise MSEInputError(
                    f"{where}: line {line}: history {''.join(map(str, key))} repeats line {first_row[key]}"
                )
            first_row[key] = line
        histories[key] = histories.get(key, 0) + count
    data = CaptureData.from_histories(lists, histories)
    if data.n == 0:
        raise MSEInputError(f"{where}: all counts are zero")
    return data


def _count(value: str, where: str, line: int) -> int:
    try:
        number = float(value)
    except ValueError:
        raise MSEInputError(f"{where}: line {line}: count {value!r} is not a number") from None
    if number < 0:
        raise MSEInputError(f"{where}: line {line}: negative count {value}")
    if not math.isfinite(number):
        raise MSEInputError(f"{where}: line {line}: count {value!r} is not a finite number")
    if not number.is_integer():
        raise MSEInputError(f"{where}: line {line}: fractional count {value}")
    if number > MAX_COUNT:
        raise MSEInputError(f"{where}: line {line}: count {value} is larger than {MAX_COUNT:,}")
    return int(number)
