"""Sectors from a controlled vocabulary (vocab/sectors.yaml), with every mention's offsets."""

from __future__ import annotations

from typing import Any

from labourwatch.extract.cues import cue_regex
from labourwatch.extract.document import Document, SectorMention


class SectorFinder:
    name = "sectors"

    def __init__(self, vocab: dict[str, Any]) -> None:
        self.sectors = {name: cue_regex(cues) for name, cues in vocab["sectors"].items()}

    def __call__(self, doc: Document) -> None:
        for name, regex in self.sectors.items():
            for m in regex.finditer(doc.text):
                doc.sectors.append(SectorMention(name, m.start(), m.end()))
        doc.sectors.sort(key=lambda s: s.start)
