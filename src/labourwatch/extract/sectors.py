"""Sectors from a controlled vocabulary (vocab/sectors.yaml), with every mention's offsets."""

from __future__ import annotations

from typing import Any

from labourwatch.extract.cues import Cues
from labourwatch.extract.document import Document, SectorMention


class SectorFinder:
    name = "sectors"

    def __init__(self, vocab: dict[str, Any]) -> None:
        self.cues = Cues(vocab["sectors"])

    def __call__(self, doc: Document) -> None:
        for name, start, end in self.cues.finditer(doc.lower):
            doc.sectors.append(SectorMention(name, start, end))
