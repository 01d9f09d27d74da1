"""The extraction pipeline: small components run in order over one Document."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from labourwatch.extract.attribution import Attributor
from labourwatch.extract.claim_context import ClaimContext
from labourwatch.extract.document import Document
from labourwatch.extract.indicators import IndicatorFinder
from labourwatch.extract.model_names import ModelNames, load_model
from labourwatch.extract.names import NameFinder
from labourwatch.extract.places import PlaceFinder
from labourwatch.extract.quantities import QuantityFinder
from labourwatch.extract.sectors import SectorFinder
from labourwatch.extract.segment import blank_english, segment
from labourwatch.extract.variables import VariableClassifier
from labourwatch.extract.vocabulary import load_vocabulary

# Bump when a change alters what is extracted: `labourwatch extract` records it per document.
PIPELINE_VERSION = "1.0"

Component = Callable[[Document], None]


class Pipeline:
    """``Pipeline()(text)`` gives a Document with claims, places, names, sectors, indicators.

    Components run in this order, each reading what the earlier ones wrote: sentences,
    places, names, quantities, variables, attribution, claim context, sectors, indicators.
    """

    def __init__(
        self, vocab_files: Iterable[str | os.PathLike[str]] = (), spacy_model: str | None = None
    ) -> None:
        self.vocab: dict[str, Any] = load_vocabulary(vocab_files)
        self.nlp = blank_english()
        self.components: list[tuple[str, Component]] = [
            ("sentences", segment),
            ("places", PlaceFinder(self.vocab, self.nlp)),
            ("names", NameFinder(self.vocab)),
            *([("model_names", ModelNames(load_model(spacy_model)))] if spacy_model else []),
            ("quantities", QuantityFinder(self.vocab)),
            ("variables", VariableClassifier(self.vocab)),
            ("attribution", Attributor(self.vocab)),
            ("claim_context", ClaimContext()),
            ("sectors", SectorFinder(self.vocab)),
            ("indicators", IndicatorFinder(self.vocab)),
        ]

    def __call__(self, text: str) -> Document:
        doc = Document(text=text, tokens=self.nlp(text))
        for _, component in self.components:
            component(doc)
        return doc

    def pipe(self, texts: Iterable[str]) -> Iterator[Document]:
        for text in texts:
            yield self(text)
