"""The one document object that every extraction component reads and writes."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    index: int

    @cached_property
    def lower(self) -> str:
        return ascii_lower(self.text)

    @cached_property
    def clause_breaks(self) -> list[tuple[int, int]]:
        """(start, end) of each mark or conjunction that ends a clause, sentence-relative:
        found once, read for every figure and cue of the sentence."""
        return [m.span() for m in _CLAUSE_BREAK.finditer(self.lower)]


@dataclass(slots=True)
class PlaceMention:
    start: int
    end: int
    name: str  # canonical: "Poland", "Szczecin", "Middle East"
    kind: str  # country | region | city | site
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    demonym: bool = False  # "Polish", "North Koreans": a nationality, not the place itself


@dataclass(slots=True)
class NameMention:
    start: int
    end: int
    name: str  # canonical name of the entity this mention belongs to
    kind: str  # organisation | person


@dataclass(slots=True)
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


@dataclass(slots=True)
class IndicatorFinding:
    indicator: str
    start: int
    end: int
    cue_start: int
    cue_end: int


@dataclass(slots=True)
class SectorMention:
    name: str
    start: int
    end: int


_CLAUSE_BREAK = re.compile(r"[,;:()—–\"“”]|\b(?:while|whereas|but|although|though)\b")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_ASCII_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")


def ascii_lower(text: str) -> str:
    """Lower-case A–Z only: the result has the same length, so offsets still hold.
    Cue patterns are written in lower case and matched case-sensitively on it (much faster
    than re.IGNORECASE). Done on the UTF-8 bytes, twenty times faster than str.translate: no
    byte of a multi-byte character is an ASCII letter."""
    return text.encode("utf-8", "surrogatepass").translate(_ASCII_LOWER).decode("utf-8", "surrogatepass")


_LETTER = re.compile(r"[^\W\d_]")
_JOINERS = "'’-"  # join letters into one word, as _WORD reads it


class LowerCaseWords:
    """``word in words``: whether a text writes the word in lower case, as a whole word the way
    _WORD cuts words. Asked of a few capitalised words per text, and answered by finding the
    word, not by cutting the whole text into words first."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._known: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        known = self._known.get(word)
        if known is None:
            known = self._known[word] = bool(word.islower() and _WORD.fullmatch(word)
                                             and self._written(word))
        return known

    def _written(self, word: str) -> bool:
        text, at = self._text, self._text.find(word)
        while at >= 0:
            end = at + len(word)
            if not _joined(text, at - 1, at - 2) and not _joined(text, end, end + 1):
                return True
            at = text.find(word, at + 1)
        return False


def _joined(text: str, i: int, beyond: int) -> bool:
    """Whether the character at ``i`` continues a word: a letter, or a joiner with a letter
    beyond it (at ``beyond``)."""
    if not 0 <= i < len(text):
        return False
    if _LETTER.match(text, i):
        return True
    return text[i] in _JOINERS and 0 <= beyond < len(text) and _LETTER.match(text, beyond) is not None


@dataclass
class Document:
    """Text plus what the components found in it. Offsets index ``text`` (Python str)."""

    text: str
    sentences: list[Sentence] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    names: list[NameMention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    indicators: list[IndicatorFinding] = field(default_factory=list)
    sectors: list[SectorMention] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    _origin: tuple[tuple[int, int, int, int], str | None] | None = field(default=None, repr=False)
    _indexes: dict[int, tuple[int, list[int], list[int]]] = field(default_factory=dict, repr=False)

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
    def lowercase_words(self) -> LowerCaseWords:
        """Words the document writes in lower case: evidence that a capitalised one is common."""
        return LowerCaseWords(self.text)

    def origin(self) -> str | None:
        """The nationality the document's counted people mostly have: the sending state.
        Kept until the claims or places change (components ask for it once per claim)."""
        key = (id(self.claims), len(self.claims), id(self.places), len(self.places))
        if self._origin is None or self._origin[0] != key:
            counts = Counter(c.nationality for c in self.claims if c.nationality)
            if not counts:  # no nationality on any count: the nationality the text names most
                counts = Counter(p.country for p in self.places if p.demonym and p.country)
            self._origin = (key, counts.most_common(1)[0][0] if counts else None)
        return self._origin[1]

    def places_in(self, start: int, end: int) -> list[PlaceMention]:
        """Places that start within [start, end) (a sentence, say), in order."""
        return _starting_within(self.places, start, end, self._indexes)

    def names_in(self, start: int, end: int) -> list[NameMention]:
        """Names that start within [start, end), in order."""
        return _starting_within(self.names, start, end, self._indexes)


# Texts longer than this are extracted in pieces: memory stays bounded, and a very long one
# is read by every core.
CHUNK = 1_000_000


def chunks(text: str, size: int) -> list[tuple[int, int]]:
    """[start, end) pieces of at most ``size`` characters, cut after a line break where there
    is one in the second half of the piece, else after a space."""
    pieces, start = [], 0
    while len(text) - start > size:
        window = text[start + size // 2:start + size]
        cut = window.rfind("\n")
        if cut < 0:
            cut = window.rfind(" ")
        end = start + size // 2 + cut + 1 if cut >= 0 else start + size
        pieces.append((start, end))
        start = end
    pieces.append((start, len(text)))
    return pieces


def merge(text: str, parts: Iterable[tuple[int, Document]]) -> Document:
    """One document from documents of consecutive pieces of ``text``, offsets shifted. The
    pieces' items are moved, not copied (a piece is read for this and then dropped): on a text
    of 200,000 claims, copying them took seconds."""
    doc = Document(text=text)
    for offset, part in parts:
        base = len(doc.sentences)
        for sentence in part.sentences:
            sentence.start, sentence.end, sentence.index = (sentence.start + offset, sentence.end + offset,
                                                            sentence.index + base)
        spans: list[PlaceMention | NameMention | SectorMention] = [*part.places, *part.names, *part.sectors]
        for item in spans:
            item.start, item.end = item.start + offset, item.end + offset
        for finding in part.indicators:
            finding.start, finding.end = finding.start + offset, finding.end + offset
            finding.cue_start, finding.cue_end = finding.cue_start + offset, finding.cue_end + offset
        for claim in part.claims:
            claim.start, claim.end = claim.start + offset, claim.end + offset
            claim.sentence += base
            if claim.noun_at:
                claim.noun_at = (claim.noun_at[0] + offset, claim.noun_at[1] + offset)
        doc.sentences += part.sentences
        doc.places += part.places
        doc.names += part.names
        doc.sectors += part.sectors
        doc.indicators += part.indicators
        doc.claims += part.claims
    return doc


_Spanned = TypeVar("_Spanned", PlaceMention, NameMention)


def _starting_within(
    items: list[_Spanned], start: int, end: int, indexes: dict[int, tuple[int, list[int], list[int]]]
) -> list[_Spanned]:
    """Items whose start lies in [start, end), by bisection over a sorted index of starts that
    is rebuilt when the list changes: each look-up costs log n, not a scan of every mention."""
    cached = indexes.get(id(items))
    if cached is None or cached[0] != len(items):
        order = sorted(range(len(items)), key=lambda i: items[i].start)
        cached = (len(items), [items[i].start for i in order], order)
        indexes[id(items)] = cached
    _, starts, order = cached
    lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
    return [items[i] for i in order[lo:hi]]
