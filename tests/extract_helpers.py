from __future__ import annotations

from functools import lru_cache
from typing import Any

from labourwatch.extract import Pipeline, evidence_record


@lru_cache(maxsize=1)
def pipeline() -> Pipeline:
    return Pipeline()


def run(text: str) -> dict[str, Any]:
    return evidence_record(pipeline()(text), {"id": "test", "path": "test.txt", "title": None,
                                              "published": None})


def claim_for(record: dict[str, Any], mention: str) -> dict[str, Any]:
    """The claim whose span overlaps the first occurrence of ``mention``."""
    text = record["document"]["text"]
    i = text.index(mention)
    span = (i, i + len(mention))
    hits = [c for c in record["claims"] if c["start"] < span[1] and span[0] < c["end"]]
    assert hits, f"no claim over {mention!r}; claims: {[c['text'] for c in record['claims']]}"
    return hits[0]
