"""Sentences: spaCy's rule-based sentencizer, plus line breaks that end a heading or paragraph."""

from __future__ import annotations

import re

import spacy
from spacy.language import Language

from labourwatch.extract.document import Document, Sentence

_TERMINAL = frozenset('.!?:;"”’)')
_NEWLINE = re.compile(r"\n")


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


def segment(doc: Document) -> None:
    text = doc.text
    starts = {s.start_char for s in doc.tokens.sents} | line_breaks(text) | {0}
    bounds = sorted(starts) + [len(text)]
    sentences: list[Sentence] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        chunk = text[a:b]
        lead = len(chunk) - len(chunk.lstrip())
        s, e = a + lead, a + len(chunk.rstrip())
        if e > s:
            sentences.append(Sentence(s, e, text[s:e], len(sentences)))
    doc.sentences = sentences
