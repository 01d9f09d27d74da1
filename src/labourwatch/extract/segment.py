"""Sentences: spaCy's sentencizer rule on its tokeniser's terminal marks, plus line breaks that
end a heading or paragraph."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import spacy
from spacy.pipeline import Sentencizer

from labourwatch.extract.document import Document, Sentence
from labourwatch.extract.patterns import BreakScan

_TERMINAL = frozenset('.!?:;"”’)')
# A "sentence" longer than this (a table pasted as text, a line of 8,000 commas) is cut at the
# last space before the bound: every step after this one then works on bounded pieces, so the
# time of extraction stays linear in the length of the text.
MAX_SENTENCE = 2_000
# The tokeniser's affix rules are quadratic in the length of a run without whitespace; a longer
# run (a URL, a hash, a table without spaces) is not tokenised and ends no sentence.
MAX_RUN = 300


class SentenceSplitter:
    """Sentence starts by spaCy's sentencizer rule (a sentence begins at the first word after
    a terminal mark), on the tokens of spaCy's English tokeniser, without tokenising the text.

    Only a whitespace-delimited piece holding a terminal mark can end a sentence, so only those
    pieces are tokenised (cached: "workers." recurs). Whether "U.S." or "N." or "$1.5" ends a
    sentence is then the tokeniser's answer, abbreviations and all, at a fifth of the cost of
    tokenising every word. One difference from spaCy: an opening quote or bracket begins the
    next sentence rather than ending the last, so a quotation stays whole.
    """

    def __init__(self) -> None:
        nlp = spacy.blank("en")
        self._tokenizer = nlp.tokenizer
        self._terminals = frozenset(Sentencizer.default_punct_chars)
        self._tokens = lru_cache(maxsize=65_536)(self._tokenize)

    def _tokenize(self, piece: str) -> tuple[tuple[int, bool, bool], ...]:
        """(offset, is a terminal mark, is punctuation) for each token of a piece."""
        return tuple((t.idx, t.text in self._terminals, t.is_punct) for t in self._tokenizer(piece))

    def starts(self, text: str) -> set[int]:
        """Offsets in ``text`` where a sentence begins after a terminal mark."""
        starts: set[int] = set()
        for start, end, _ in _pieces_holding(frozenset(self._terminals.intersection(text))).finditer(text):
            if end - start > MAX_RUN:
                continue
            pending = False  # a terminal mark was seen and no word has followed it yet
            for offset, terminal, punct in self._tokens(text[start:end]):
                if terminal:
                    pending = True
                elif pending and not punct:
                    starts.add(start + offset)
                    pending = False
            if pending:
                self._start_after(text, end, starts)
        return starts

    @staticmethod
    def _start_after(text: str, position: int, starts: set[int]) -> None:
        """Add the start of the next piece after ``position`` that is not all punctuation (a
        dash or a lone quote between sentences is not one; a bullet "◆" is), unless more than
        one space comes first (a line break, a column: there a sentence begins)."""
        for m in _PIECE.finditer(text, position):
            if text[position:m.start()] != " " or not all(
                    unicodedata.category(c).startswith("P") for c in m.group()):
                starts.add(m.start())
                return
            position = m.end()


_PIECE = re.compile(r"\S+")


@lru_cache(maxsize=256)
def _pieces_holding(marks: frozenset[str]) -> BreakScan:
    """Whole whitespace-delimited pieces holding one of ``marks``, matched from the blank before
    them, which the regex engine skips to. Built for the marks a text has: a class of all 128 of
    the sentencizer's marks is five times slower to match than one of three."""
    chars = "".join(re.escape(c) for c in sorted(marks)) or "."
    return BreakScan(rf"[^\s{chars}]*[{chars}]\S*", breaks=r"\s")


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


def segment(doc: Document, splitter: SentenceSplitter) -> None:
    text = doc.text
    starts = splitter.starts(text) | line_breaks(text) | {0}
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
