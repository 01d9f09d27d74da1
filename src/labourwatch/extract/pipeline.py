"""The extraction pipeline: components registered by name, run in order over one Document.

As in spaCy, each component declares what it ``requires`` (document attributes an earlier
component must have assigned) and what it ``assigns``; a pipeline checks the order when it is
built, can run with components disabled, and names the component that failed.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from labourwatch.errors import ComponentError, InputError
from labourwatch.extract.attribution import Attributor
from labourwatch.extract.claim_context import ClaimContext
from labourwatch.extract.document import CHUNK, Document, chunks, merge
from labourwatch.extract.indicators import IndicatorFinder
from labourwatch.extract.language import guess_language
from labourwatch.extract.model_names import ModelNames, load_model
from labourwatch.extract.names import NameFinder
from labourwatch.extract.places import PlaceFinder
from labourwatch.extract.quantities import QuantityFinder
from labourwatch.extract.sectors import SectorFinder
from labourwatch.extract.segment import SentenceSplitter, segment
from labourwatch.extract.variables import VariableClassifier
from labourwatch.extract.vocabulary import load_vocabulary, user_vocab_paths
from labourwatch.parallel import can_fork, default_jobs, forked_pool

# Bump when a change alters what is extracted: `labourwatch extract` records it per document.
PIPELINE_VERSION = "1.0"

Component = Callable[[Document], None]


@dataclass(frozen=True)
class Context:
    """What a component factory may use: the vocabularies and the options."""

    vocab: dict[str, Any]
    spacy_model: str | None


@dataclass(frozen=True)
class ComponentSpec:
    name: str
    factory: Callable[[Context], Component]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


REGISTRY: dict[str, ComponentSpec] = {}


def register(
    name: str, *, requires: Sequence[str] = (), assigns: Sequence[str] = ()
) -> Callable[[Callable[[Context], Component]], Callable[[Context], Component]]:
    """Register a component factory under ``name`` with what it requires and assigns."""

    def decorate(factory: Callable[[Context], Component]) -> Callable[[Context], Component]:
        REGISTRY[name] = ComponentSpec(name, factory, tuple(requires), tuple(assigns))
        return factory

    return decorate


register("sentences", assigns=["doc.sentences"])(lambda ctx: partial(segment, splitter=SentenceSplitter()))
register("places", requires=["doc.sentences"], assigns=["doc.places"])(lambda ctx: PlaceFinder(ctx.vocab))
register("names", requires=["doc.sentences", "doc.places"], assigns=["doc.names"])(
    lambda ctx: NameFinder(ctx.vocab)
)
register("model_names", requires=["doc.places", "doc.names"], assigns=["doc.names"])(
    lambda ctx: ModelNames(load_model(ctx.spacy_model or ""))
)
register("quantities", requires=["doc.sentences"], assigns=["doc.claims"])(
    lambda ctx: QuantityFinder(ctx.vocab)
)
register("variables", requires=["doc.sentences", "doc.places", "doc.claims"], assigns=["claim.variable"])(
    lambda ctx: VariableClassifier(ctx.vocab)
)
register(
    "attribution", requires=["doc.sentences", "doc.places", "doc.names", "doc.claims"],
    assigns=["claim.source"],
)(lambda ctx: Attributor(ctx.vocab))
register(
    "claim_context", requires=["doc.sentences", "doc.places", "doc.names", "claim.variable"],
    assigns=["claim.place", "claim.year"],
)(lambda ctx: ClaimContext())
register("sectors", assigns=["doc.sectors"])(lambda ctx: SectorFinder(ctx.vocab))
register("indicators", requires=["doc.sentences", "claim.variable"], assigns=["doc.indicators"])(
    lambda ctx: IndicatorFinder(ctx.vocab)
)

DEFAULT_COMPONENTS = (
    "sentences", "places", "names", "quantities", "variables", "attribution", "claim_context",
    "sectors", "indicators",
)


class Pipeline:
    """``Pipeline()(text)`` gives a Document with claims, places, names, sectors, indicators.

    Components run in the order of :data:`DEFAULT_COMPONENTS`, each reading what the earlier
    ones assigned. ``spacy_model`` adds ``model_names`` after ``names``; ``disable`` leaves
    components out (an error if a later one requires what they assign).
    """

    def __init__(
        self,
        vocab_files: Iterable[str | os.PathLike[str]] = (),
        spacy_model: str | None = None,
        disable: Iterable[str] = (),
    ) -> None:
        self.vocab: dict[str, Any] = load_vocabulary(vocab_files)
        names = _component_names(spacy_model, set(disable))
        _check_order(names)
        context = Context(self.vocab, spacy_model)
        self.components: list[tuple[str, Component]] = [(n, REGISTRY[n].factory(context)) for n in names]

    @property
    def component_names(self) -> list[str]:
        return [name for name, _ in self.components]

    def __call__(self, text: str) -> Document:
        """The document with all that the components found in it. A text longer than CHUNK is
        read in pieces cut at line breaks, so that memory stays bounded whatever its length."""
        with _collection_paused(len(text) > LONG_TEXT):
            if len(text) <= CHUNK:
                doc = self._run(text)
            else:
                doc = merge(text, self._pieces(text))
        doc.meta["language"] = guess_language(text)
        return doc

    def _pieces(self, text: str) -> Iterator[tuple[int, Document]]:
        """The pieces of a long text, each read on its own; a very long one (a data dump
        pasted as a page) by every core at once, so that its time stays bounded."""
        spans = chunks(text, CHUNK)
        processes = min(len(spans), default_jobs()) if len(text) > PARALLEL_TEXT and can_fork() else 1
        if processes <= 1:
            yield from ((start, self._run(text[start:end])) for start, end in spans)
            return
        with forked_pool(_found_in_piece, (self, text), processes) as imap:
            for (start, end), found in zip(spans, imap(spans, 1), strict=True):
                yield start, Document(text[start:end], *found)

    def _run(self, text: str) -> Document:
        """The components over one text."""
        doc = Document(text=text)
        for name, component in self.components:
            try:
                component(doc)
            except Exception as exc:
                raise ComponentError(f"component {name!r} failed: {type(exc).__name__}: {exc}") from exc
        return doc

    def pipe(self, texts: Iterable[str]) -> Iterator[Document]:
        for text in texts:
            yield self(text)


LONG_TEXT = 200_000  # characters: past this, the cyclic collector is paused for the document
PARALLEL_TEXT = 4 * CHUNK  # characters: past this, the pieces are read in parallel processes

# What a piece's reading sends back from its process: the Document's lists, in field order
# (sentences, places, names, claims, indicators, sectors); the tokens stay behind.
_Found = tuple[list[Any], list[Any], list[Any], list[Any], list[Any], list[Any]]


def _found_in_piece(state: tuple[Pipeline, str], span: tuple[int, int]) -> _Found:
    pipeline, text = state
    doc = pipeline._run(text[span[0]:span[1]])
    return doc.sentences, doc.places, doc.names, doc.claims, doc.indicators, doc.sectors


@contextmanager
def _collection_paused(pause: bool) -> Iterator[None]:
    """The components create many small objects and no cycles worth collecting mid-document:
    on a long text, pausing the cyclic collector saves a sixth of the time."""
    enabled = gc.isenabled()
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _component_names(spacy_model: str | None, disable: set[str]) -> list[str]:
    unknown = sorted(disable - set(REGISTRY))
    if unknown:
        raise InputError(f"unknown component(s) {', '.join(unknown)}; known: {', '.join(DEFAULT_COMPONENTS)}")
    names = list(DEFAULT_COMPONENTS)
    if spacy_model:
        names.insert(names.index("names") + 1, "model_names")
    return [n for n in names if n not in disable]


def _check_order(names: list[str]) -> None:
    assigned: set[str] = set()
    for name in names:
        spec = REGISTRY[name]
        missing = [r for r in spec.requires if r not in assigned]
        if missing:
            raise InputError(
                f"component {name!r} requires {', '.join(missing)}, which no earlier component assigns"
            )
        assigned.update(spec.assigns)


def load_pipeline(
    vocab_files: Iterable[str | os.PathLike[str]] = (), spacy_model: str | None = None
) -> Pipeline:
    """A pipeline, built once per set of vocabulary files (with their content) and model."""
    explicit = tuple(str(p) for p in vocab_files)
    return _cached_pipeline(explicit, _vocab_fingerprint(explicit), spacy_model)


def _vocab_fingerprint(explicit: tuple[str, ...]) -> tuple[tuple[str, bytes], ...]:
    """Each vocabulary file ($LABOURWATCH_VOCAB's too) with its content, so that a cached
    pipeline is rebuilt when one changes."""
    out = []
    for path in user_vocab_paths(explicit):
        try:
            out.append((str(path), Path(path).read_bytes()))
        except OSError:
            out.append((str(path), b""))  # loading it reports the error
    return tuple(out)


@lru_cache(maxsize=4)
def _cached_pipeline(
    explicit: tuple[str, ...], fingerprint: tuple[tuple[str, bytes], ...], spacy_model: str | None
) -> Pipeline:
    return Pipeline(list(explicit), spacy_model)
