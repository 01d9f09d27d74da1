"""Cue matching shared by the classifiers: clauses, and the cue nearest a span."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from labourwatch.extract.document import Sentence


def cue_regex(patterns: Iterable[str]) -> re.Pattern[str]:
    """One regex of word-bounded lower-case alternatives, for text lowered by ascii_lower.
    The look-ahead lets the regex engine skip to plausible first characters."""
    return re.compile(r"(?=[a-z0-9])\b(?:" + alternatives(patterns) + r")\b")


def alternatives(patterns: Iterable[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


class LabelledCues:
    """Cue patterns under labels (sectors, indicators) in one regex: one pass over a text."""

    def __init__(self, cues: Mapping[str, Iterable[str]]) -> None:
        self.labels = list(cues)
        groups = "|".join(f"(?P<c{i}>{alternatives(p)})" for i, p in enumerate(cues.values()))
        self.regex = re.compile(rf"(?=[a-z0-9])\b(?:{groups})\b")

    def finditer(self, lowered: str) -> Iterator[tuple[str, re.Match[str]]]:
        for m in self.regex.finditer(lowered):
            yield self.labels[int(m.lastgroup[1:])], m  # type: ignore[index]


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
    cues: Mapping[str, re.Pattern[str]],
    extra: Mapping[str, list[tuple[int, int]]] | None = None,
) -> str | None:
    """The label whose cue lies nearest the span: within its clause if any cue is there,
    else within the sentence. ``extra`` adds absolute (start, end) cue positions per label."""
    rel_s, rel_e = start - sentence.start, end - sentence.start
    positions: list[tuple[int, int, str]] = []
    for label, regex in cues.items():
        positions += [(m.start(), m.end(), label) for m in regex.finditer(sentence.lower)]
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
