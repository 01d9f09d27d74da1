"""The one document object that every extraction component reads and writes."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from spacy.tokens import Doc


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    index: int

    @cached_property
    def lower(self) -> str:
        return ascii_lower(self.text)


@dataclass
class PlaceMention:
    start: int
    end: int
    name: str  # canonical: "Poland", "Szczecin", "Middle East"
    kind: str  # country | region | city | site
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    demonym: bool = False  # "Polish", "North Koreans": a nationality, not the place itself


@dataclass
class NameMention:
    start: int
    end: int
    name: str  # canonical name of the entity this mention belongs to
    kind: str  # organisation | person


@dataclass
class Claim:
    start: int
    end: int
    low: float | None
    high: float | None
    unit: str | None
    per: str | None
    qualifier: str
    sentence: int
    noun: str | None = None  # the counted noun as written ("North Koreans")
    nationality: str | None = None  # country of a demonym on the counted noun ("KP")
    off: bool = False  # "days off"
    noun_at: tuple[int, int] | None = None  # where the counted noun stands when outside the mention
    variable: str = "other"
    source: str | None = None
    place: str | None = None
    year: int | None = None


@dataclass
class IndicatorFinding:
    indicator: str
    start: int
    end: int
    cue_start: int
    cue_end: int


@dataclass
class SectorMention:
    name: str
    start: int
    end: int


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(text: str) -> str:
    """Lower-case A–Z only: the result has the same length, so offsets still hold.
    Cue patterns are written in lower case and matched case-sensitively on it (much faster
    than re.IGNORECASE)."""
    return text.translate(_ASCII_LOWER)


@dataclass
class Document:
    """Text plus what the components found in it. Offsets index ``text`` (Python str)."""

    text: str
    tokens: Doc
    sentences: list[Sentence] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    names: list[NameMention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    indicators: list[IndicatorFinding] = field(default_factory=list)
    sectors: list[SectorMention] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def lower(self) -> str:
        return ascii_lower(self.text)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_at(self, offset: int) -> Sentence:
        i = bisect.bisect_right(self._sentence_starts, offset) - 1
        return self.sentences[max(i, 0)]

    @cached_property
    def lowercase_words(self) -> frozenset[str]:
        """Words the document writes in lower case: evidence that a capitalised one is common."""
        return frozenset(m.group() for m in _WORD.finditer(self.text) if m.group().islower())

    def origin(self) -> str | None:
        """The nationality the document's counted people mostly have: the sending state."""
        counts = Counter(c.nationality for c in self.claims if c.nationality)
        if not counts:  # no nationality on any count: the nationality the text names most
            counts = Counter(p.country for p in self.places if p.demonym and p.country)
        return counts.most_common(1)[0][0] if counts else None
