"""Cue matching shared by the classifiers: clauses, and the cue nearest a span."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from labourwatch.extract.document import Sentence
from labourwatch.extract.patterns import BreakScan, grouped_alternation


class Cue(NamedTuple):
    label: str
    start: int
    end: int


class Cues:
    """Lower-case cue patterns under labels, found where a word begins in text lowered by
    ascii_lower (same offsets), every label in one pass. ``after`` follows every cue (a word
    bound by default; "\\s+" where the cue leads into a phrase).

    A cue begins after a character that is no word character (a :class:`BreakScan`), where a
    leading ``\\b`` would be tried at every character; the patterns are grouped by their first
    characters (:func:`grouped_alternation`). Which label a cue has is asked of each label's
    own regex, in order, where a cue was found: cues are few, and a named group per pattern
    would make the regex slow to compile."""

    def __init__(self, cues: Mapping[str, Iterable[str]], after: str = r"\b") -> None:
        self.kinds = {label: list(patterns) for label, patterns in cues.items()}
        self.after = after
        alternation = grouped_alternation(self.patterns)
        self._scan = BreakScan(rf"(?=[a-z0-9])(?:{alternation}){after}", r"[^\w]")
        self._by_label = [(label, re.compile(f"(?:{grouped_alternation(patterns, depth=0)}){after}"))
                          for label, patterns in self.kinds.items()] if len(self.kinds) > 1 else []

    @classmethod
    def of(cls, patterns: Iterable[str], after: str = r"\b") -> Cues:
        """Cues of one kind (labelled "")."""
        return cls({"": list(patterns)}, after)

    @property
    def patterns(self) -> list[str]:
        return [pattern for patterns in self.kinds.values() for pattern in patterns]

    def finditer(self, text: str, pos: int = 0) -> Iterator[Cue]:
        """The cues from ``pos`` on, none overlapping, as ``re.finditer`` would give them."""
        for start, end, _ in self._scan.finditer(text, pos):
            yield Cue(self._label_at(text, start), start, end)

    def search(self, text: str) -> Cue | None:
        found = self._scan.search(text)
        return Cue(self._label_at(text, found[0]), found[0], found[1]) if found else None

    def _label_at(self, text: str, start: int) -> str:
        """The first label with a pattern that matches at ``start``: the branch the whole
        regex took, as its branches keep the labels' order."""
        for label, regex in self._by_label:
            if regex.match(text, start):
                return label
        return next(iter(self.kinds), "")


def clause_of(sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """The clause (sentence-relative offsets) that holds the absolute span [start, end)."""
    rel_s, rel_e = start - sentence.start, end - sentence.start
    a, b = 0, len(sentence.text)
    for break_start, break_end in sentence.clause_breaks:
        if break_end <= rel_s:
            a = break_end
        elif break_start >= rel_e:
            b = break_start
            break
    return a, b


def nearest_cue(
    sentence: Sentence,
    start: int,
    end: int,
    cues: Mapping[str, Cues],
    extra: Mapping[str, list[tuple[int, int]]] | None = None,
) -> str | None:
    """The label whose cue lies nearest the span: within its clause if any cue is there,
    else within the sentence. ``extra`` adds absolute (start, end) cue positions per label."""
    rel_s, rel_e = start - sentence.start, end - sentence.start
    positions: list[tuple[int, int, str]] = []
    for label, kind in cues.items():  # each kind on its own: their cues may overlap
        positions += [(c.start, c.end, label) for c in kind.finditer(sentence.lower)]
    for label, spans in (extra or {}).items():
        positions += [(s - sentence.start, e - sentence.start, label) for s, e in spans]
    if not positions:
        return None
    a, b = clause_of(sentence, start, end)
    in_clause = [p for p in positions if p[0] >= a and p[1] <= b]
    pool = in_clause or positions

    def distance(p: tuple[int, int, str]) -> int:
        return max(0, p[0] - rel_e, rel_s - p[1])

    # The nearest cue wins; at equal distance the longer one ("were paid" over "paid").
    return min(pool, key=lambda p: (distance(p), p[0] - p[1]))[2]
