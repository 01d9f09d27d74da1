"""The place a claim is about, and the year its sentence states."""

from __future__ import annotations

import re

from labourwatch.extract.cues import clause_of
from labourwatch.extract.document import Claim, Document, PlaceMention

_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
# Figures about people sent abroad are about the host, not the state of origin.
_HOST_SIDE = frozenset({"workers_abroad", "workers_at_site", "host_countries", "repatriated",
                        "employer_pay", "worker_pay", "work_hours", "days_off"})


class ClaimContext:
    name = "claim_context"
    origin: str | None = None  # the nationality the document's counted people mostly have

    def __call__(self, doc: Document) -> None:
        self.origin = doc.origin()
        for claim in doc.claims:
            claim.place = self.place(doc, claim)
            claim.year = self.year(doc, claim)

    @staticmethod
    def _label(place: PlaceMention) -> str:
        return place.country if place.kind in ("country", "city") and place.country else place.name

    def place(self, doc: Document, claim: Claim) -> str | None:
        sentence = doc.sentences[claim.sentence]
        a, b = clause_of(sentence, claim.start, claim.end)
        org_spans = [(n.start, n.end) for n in doc.names_in(sentence.start, sentence.end)
                     if n.kind == "organisation"]
        candidates = [p for p in doc.places_in(sentence.start, sentence.end)
                      if not (claim.start <= p.start < claim.end)
                      and not any(a <= p.start and p.end <= b for a, b in org_spans)]  # "US State Dept."
        if claim.variable in _HOST_SIDE:
            origin = claim.nationality or self.origin
            candidates = [p for p in candidates if p.country is None or p.country != origin]
        elif claim.nationality:
            return claim.nationality
        if not candidates:
            return None
        if claim.variable == "workers_at_site" and any(p.kind == "city" for p in candidates):
            candidates = [p for p in candidates if p.kind == "city"]
        in_clause = [p for p in candidates if a <= p.start - sentence.start < b]
        pool = in_clause or candidates

        def distance(p: PlaceMention) -> int:
            return max(0, p.start - claim.end, claim.start - p.end)

        return self._label(min(pool, key=distance))

    @staticmethod
    def year(doc: Document, claim: Claim) -> int | None:
        sentence = doc.sentences[claim.sentence]
        for m in _YEAR.finditer(sentence.text):
            s = sentence.start + m.start()
            if not (claim.start <= s < claim.end):
                return int(m.group())
        return None
