"""The evidence record of docs/evidence-schema.md (``labourwatch/evidence/1``)."""

from __future__ import annotations

import math

from labourwatch.extract.document import Document
from labourwatch.records import (
    SCHEMA,
    ClaimRecord,
    DocumentMeta,
    EvidenceRecord,
    IndicatorRecord,
    NameRecord,
    PlaceRecord,
)

MAX_VALUE = 1e15  # larger than any count or sum of money a document about people states


def _value(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else round(float(x), 6)


def claims(doc: Document) -> list[ClaimRecord]:
    out: list[ClaimRecord] = []
    for c in sorted(doc.claims, key=lambda c: c.start):
        if not all(x is None or math.isfinite(x) and abs(x) <= MAX_VALUE for x in (c.low, c.high)):
            continue  # "a 400-digit number" is no figure a source states; JSON cannot hold infinity
        sentence = doc.sentences[c.sentence]
        out.append({
            "start": c.start, "end": c.end, "text": doc.text[c.start:c.end], "quote": sentence.text,
            "quote_start": sentence.start, "variable": c.variable, "low": _value(c.low),
            "high": _value(c.high), "unit": c.unit, "per": c.per, "qualifier": c.qualifier,
            "source": c.source, "place": c.place, "year": c.year, "nationality": c.nationality,
        })
    return out


def indicators(doc: Document) -> list[IndicatorRecord]:
    return [{
        "indicator": f.indicator, "start": f.start, "end": f.end, "quote": doc.text[f.start:f.end],
        "cue": doc.text[f.cue_start:f.cue_end], "cue_start": f.cue_start, "cue_end": f.cue_end,
    } for f in doc.indicators]


def places(doc: Document) -> list[PlaceRecord]:
    grouped: dict[tuple[str, str], PlaceRecord] = {}
    for p in doc.places:
        entry = grouped.setdefault((p.name, p.kind), {
            "name": p.name, "kind": p.kind, "country": p.country, "lat": p.lat, "lon": p.lon,
            "mentions": [],
        })
        entry["mentions"].append([p.start, p.end])
    return list(grouped.values())


def names(doc: Document, kind: str) -> list[NameRecord]:
    grouped: dict[str, list[list[int]]] = {}
    for n in doc.names:
        if n.kind == kind:
            grouped.setdefault(n.name, []).append([n.start, n.end])
    return [{"name": name, "mentions": spans} for name, spans in grouped.items()]


def sectors(doc: Document) -> list[NameRecord]:
    grouped: dict[str, list[list[int]]] = {}
    for s in doc.sectors:
        grouped.setdefault(s.name, []).append([s.start, s.end])
    return [{"name": name, "mentions": spans} for name, spans in grouped.items()]


def evidence_record(doc: Document, document: DocumentMeta) -> EvidenceRecord:
    """The contract's record; ``document`` holds id, path, title, published (text is added)."""
    return {
        "schema": SCHEMA,
        "document": {**document, "text": doc.text, "language": doc.meta.get("language", "en")},
        "claims": claims(doc),
        "indicators": indicators(doc),
        "places": places(doc),
        "organisations": names(doc, "organisation"),
        "people": names(doc, "person"),
        "sectors": sectors(doc),
    }


def sentence_spans(doc: Document) -> list[tuple[int, int]]:
    """The sentences the pipeline saw, as (start, end) offsets: the store quotes mentions by them."""
    return [(s.start, s.end) for s in doc.sentences]
