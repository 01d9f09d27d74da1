"""Sentences: spaCy's rule-based sentencizer, plus line breaks that end a heading or paragraph."""

from __future__ import annotations

import re

import spacy
from spacy.language import Language

from labourwatch.extract.document import Document, Sentence

_TERMINAL = frozenset('.!?:;"”’)')
# A "sentence" longer than this (a table pasted as text, a line of 8,000 commas) is cut at the
# last space before the bound: every step after this one then works on bounded pieces, so the
# time of extraction stays linear in the length of the text.
MAX_SENTENCE = 2_000
# The tokeniser's affix rules are quadratic in the length of a run without whitespace; longer
# runs are shown to it as letters (same length, so offsets hold) and hold no token of interest.
MAX_RUN = 300
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}")


def blank_english() -> Language:
    """spaCy's blank English pipeline: tokeniser and sentencizer, no model, no download."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 50_000_000  # the blank pipeline holds no per-token vectors; long texts are fine
    return nlp


def line_breaks(text: str) -> set[int]:
    """Offsets where a line break starts a new sentence.

    A blank line always does. A single break does after terminal punctuation, or after a
    line much shorter than the text's long lines (a heading or caption), but not inside
    a paragraph wrapped at a fixed width, as in a PDF text layer.
    """
    lines = text.split("\n")
    longest = max((len(line) for line in lines), default=0)
    starts: set[int] = set()
    offset = 0
    for i, line in enumerate(lines[:-1]):
        offset += len(line) + 1
        stripped = line.rstrip()
        nxt = lines[i + 1]
        if not stripped or not nxt.strip():
            starts.add(offset)
        elif stripped[-1] in _TERMINAL or len(stripped) < 0.7 * longest:
            starts.add(offset)
    return starts


def tokenizable(text: str) -> str:
    """``text`` with each run of more than MAX_RUN non-space characters replaced by as many
    "x": the tokeniser stays linear, and every offset still indexes the original text."""
    return _LONG_RUN.sub(lambda m: "x" * len(m.group()), text)


def _bounded(start: int, end: int, text: str) -> list[tuple[int, int]]:
    """[start, end) cut into pieces of at most MAX_SENTENCE characters, at spaces where there are."""
    pieces = []
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut + 1 if cut > start else start + MAX_SENTENCE
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def segment(doc: Document) -> None:
    text = doc.text
    starts = {s.start_char for s in doc.tokens.sents} | line_breaks(text) | {0}
    bounds = sorted(starts) + [len(text)]
    sentences: list[Sentence] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        chunk = text[a:b]
        lead = len(chunk) - len(chunk.lstrip())
        for s, e in _bounded(a + lead, a + len(chunk.rstrip()), text):
            piece = text[s:e]
            s, e = s + len(piece) - len(piece.lstrip()), s + len(piece.rstrip())
            if e > s:
                sentences.append(Sentence(s, e, text[s:e], len(sentences)))
    doc.sentences = sentences
