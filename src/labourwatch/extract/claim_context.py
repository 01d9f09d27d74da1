"""The place a claim is about, whose workers it counts, and the year its sentence states."""

from __future__ import annotations

import re

from labourwatch.extract.cues import clause_of
from labourwatch.extract.document import Claim, Document, PlaceMention, Sentence

_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_POSSESSIVE = re.compile(r"['’]s\s+")
# Words that open a clause of time or condition: a place after one is not where the figure is.
_SUBORDINATE = re.compile(r"\b(?:once|when|whenever|until|unless|if|because|as soon as|so that)\b", re.I)
# Figures about people sent abroad are about the host, not the state of origin.
_HOST_SIDE = frozenset({"workers_abroad", "workers_at_site", "host_countries", "repatriated",
                        "employer_pay", "worker_pay", "work_hours", "days_off"})


class ClaimContext:
    name = "claim_context"
    origin: str | None = None  # the nationality the document's counted people mostly have

    def __call__(self, doc: Document) -> None:
        self.origin = doc.origin()
        by_sentence: dict[int, list[Claim]] = {}
        for claim in doc.claims:
            by_sentence.setdefault(claim.sentence, []).append(claim)
        for claim in doc.claims:
            claim.place = self.place(doc, claim, by_sentence[claim.sentence])
            claim.year = self.year(doc, claim, by_sentence[claim.sentence])
            claim.nationality = self.nationality(claim)
            claim.unit = self.currency(doc, claim)

    def nationality(self, claim: Claim) -> str | None:
        """Whose workers the figure is about: the demonym on its own noun ("400,000 Nepali
        workers"), else, for a figure of the system the document describes, the nationality
        its counted people mostly have; none for other figures or where the text never says."""
        if claim.nationality or claim.variable == "other":
            return claim.nationality
        return self.origin

    def currency(self, doc: Document, claim: Claim) -> str | None:
        """A bare "won" is the currency of the Korea the figure is about: South Korean where
        the figure is placed in South Korea, or its sentence names only South Korea."""
        if claim.unit != "KPW" or "north" in doc.text[claim.start:claim.end].lower():
            return claim.unit
        sentence = doc.sentences[claim.sentence]
        named = {p.country for p in doc.places_in(sentence.start, sentence.end)}
        if claim.place == "KR" or ("KR" in named and "KP" not in named):
            return "KRW"
        return claim.unit

    @staticmethod
    def _label(place: PlaceMention) -> str:
        return place.country if place.kind in ("country", "city") and place.country else place.name

    def place(self, doc: Document, claim: Claim, neighbours: list[Claim] | None = None) -> str | None:
        """Where the counted workers are: a place in the figure's own clause, else one in its
        sentence that is neither the clause of a like figure ("50,000 work in Asia – some 1,800
        in Qatar": Qatar is the 1,800's) nor a clause that only sets a time or a condition
        ("400,000 more abroad once the border with China opens"); else none."""
        sentence = doc.sentences[claim.sentence]
        a, b = clause_of(sentence, claim.start, claim.end)
        speakers = [(n.start, n.end) for n in doc.names_in(sentence.start, sentence.end)
                    if n.kind == "organisation"] + self._source_span(sentence, claim)
        candidates = [p for p in doc.places_in(sentence.start, sentence.end)
                      if not (claim.start <= p.start < claim.end)
                      and not any(self._of_speaker(doc, p, span) for span in speakers)]
        if claim.variable in _HOST_SIDE:
            origin = claim.nationality or self.origin
            candidates = [p for p in candidates if p.country is None or p.country != origin]
        elif claim.variable == "other":  # "three years", "15 days": a nationality is no place
            candidates = [p for p in candidates if not p.demonym]
        elif claim.nationality:
            return claim.nationality
        candidates = [p for p in candidates if not _after_subordinator(doc, claim, p)]
        if not candidates:
            return None
        if claim.variable == "workers_at_site" and any(p.kind == "city" for p in candidates):
            candidates = [p for p in candidates if p.kind == "city"]
        in_clause = [p for p in candidates if a <= p.start - sentence.start < b]
        if not in_clause:  # a place in the clause of a like figure is that figure's
            taken = [clause_of(sentence, c.start, c.end) for c in neighbours or []
                     if c is not claim and c.unit == claim.unit]
            candidates = [p for p in candidates
                          if not any(ca <= p.start - sentence.start < cb for ca, cb in taken)]
        pool = in_clause or candidates
        if not pool:
            return None

        def distance(p: PlaceMention) -> int:
            return max(0, p.start - claim.end, claim.start - p.end)

        return self._label(min(pool, key=distance))

    @staticmethod
    def _source_span(sentence: Sentence, claim: Claim) -> list[tuple[int, int]]:
        """Where the claim's source stands in its sentence, if it does."""
        at = sentence.text.find(claim.source) if claim.source else -1
        return [(sentence.start + at, sentence.start + at + len(claim.source or ""))] if at >= 0 else []

    @staticmethod
    def _of_speaker(doc: Document, place: PlaceMention, span: tuple[int, int]) -> bool:
        """A place that names who speaks, not where the workers are: inside the speaker's name
        ("US State Department", "South Korea's spy agency") or its possessive just before it
        ("South Korea's National Intelligence Service")."""
        start, end = span
        if start <= place.start and place.end <= end:
            return True
        return bool(_POSSESSIVE.fullmatch(doc.text, place.end, start)) if place.end <= start else False

    @staticmethod
    def year(doc: Document, claim: Claim, neighbours: list[Claim] | None = None) -> int | None:
        """The year the figure is about: one in its own clause, else the nearest one in its
        sentence that the clause of no like figure holds ("20,000 now, up from 5,000 in 2021":
        2021 is the 5,000's year, not the 20,000's; but "100,000 worked abroad in 2023, earning
        $500 million": the money was earned in 2023)."""
        sentence = doc.sentences[claim.sentence]
        others = [c for c in neighbours or [] if c is not claim]
        years = [(sentence.start + m.start(), int(m.group())) for m in _YEAR.finditer(sentence.text)]
        years = [(at, y) for at, y in years if not any(c.start <= at < c.end for c in (claim, *others))]
        if not years:
            return None
        a, b = clause_of(sentence, claim.start, claim.end)
        own = [(at, y) for at, y in years if a <= at - sentence.start < b]
        if not own:  # a year in the clause of a like figure (same unit) is that figure's
            other_clauses = [clause_of(sentence, c.start, c.end) for c in others if c.unit == claim.unit]
            own = [(at, y) for at, y in years
                   if not any(ca <= at - sentence.start < cb for ca, cb in other_clauses)]
        if not own:
            return None
        return min(own, key=lambda item: max(0, item[0] - claim.end, claim.start - item[0]))[1]


def _after_subordinator(doc: Document, claim: Claim, place: PlaceMention) -> bool:
    """Whether a clause of time or condition opens between the figure and the place."""
    return place.start > claim.end and _SUBORDINATE.search(doc.text, claim.end, place.start) is not None
