"""Rewrites for speed only: the regex builders of extract/patterns.py, and the lower-case words
of a document, each checked against the plain form it replaces, on random strings and on real
and built-in text."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from labourwatch.extract.cues import Cues
from labourwatch.extract.document import ascii_lower
from labourwatch.extract.patterns import BreakScan, first_characters, literal_alternation
from labourwatch.extract.vocabulary import load_vocabulary

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"
ALPHABET = "ab c-.1$\n"


def _random_texts(n: int, length: int = 40, alphabet: str = ALPHABET, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, length))) for _ in range(n)]


def _texts() -> list[str]:
    """Lowered texts to match cue vocabularies on: the dev articles where ../shared is beside
    the project, and sentences of the project's own vocabulary either way."""
    texts = [ascii_lower(p.read_text(encoding="utf-8")) for p in sorted(DEV.glob("*.txt"))]
    sample = Path(__file__).resolve().parents[1] / "src" / "labourwatch" / "samples"
    texts += [ascii_lower(p.read_text(encoding="utf-8")) for p in sorted(sample.rglob("*.txt"))]
    texts.append("passports were confiscated. they could not leave, and worked 18-hour days "
                 "in construction and logging; the state takes 70% of their wages.")
    return texts


def test_literal_alternation_matches_as_the_plain_alternation() -> None:
    phrases = ["a", "ab", "abc", "b c", "c-1", "1.", "$", "a$", "bb"]
    plain = re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)))
    tree = re.compile(literal_alternation(phrases))
    for text in _random_texts(500):
        assert [m.span() for m in tree.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_literal_alternation_not_after_acts_as_a_look_behind() -> None:
    phrases = ["ab", "a", "c-1", "bc"]
    longest_first = sorted(phrases, key=len, reverse=True)
    plain = re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(p) for p in longest_first) + ")")
    checked = re.compile(literal_alternation(phrases, not_after=r"[^\W_]"))
    assert checked.pattern.startswith("a(?<!")  # what the engine skips to comes first
    for text in _random_texts(500):
        assert [m.span() for m in checked.finditer(text)] == [m.span() for m in plain.finditer(text)], text


@pytest.mark.parametrize(("pattern", "expected"), [
    ("pay", [("p", "ay")]),
    ("(?:could|can)(?: not)? leave", [("c", "ould(?: not)? leave"), ("c", "an(?: not)? leave")]),
    ("(?:a |the )?cut", [("a", " cut"), ("t", "he cut"), ("c", "ut")]),
    ("(?:x|(?:y|z)w)", [("x", ""), ("y", "w"), ("z", "w")]),
    ("[ab]c", None),  # a class first
    ("(?:ab)+c", None),  # a repeated group
    ("a?b", None),  # a quantified first character
    ("\\d+ hours", None),
    ("(?P<x>a)b", None),  # a named group would be copied
])
def test_first_characters(pattern: str, expected: list[tuple[str, str]] | None) -> None:
    assert first_characters(pattern) == expected


def test_first_characters_keeps_classes_and_escapes_whole() -> None:
    spread = first_characters(r"(?:a[|)]|b\(|c)d")
    assert spread == [("a", "[|)]d"), ("b", r"\(d"), ("c", "d")]


@pytest.mark.parametrize("body", [r"a+", r"ab?", r"(?:1|a\$)", r"-?1", r"b c", r"\.1"])
@pytest.mark.parametrize("breaks", [r"[^\w]", r"[^\w.$-]"])
def test_break_scan_finds_what_a_look_behind_finds(body: str, breaks: str) -> None:
    not_break = "[" + breaks[2:] if breaks.startswith("[^") else None
    plain = re.compile(rf"(?<!{not_break})(?:{body})")
    scan = BreakScan(body, breaks)
    for text in _random_texts(400):
        found = [(start, end) for start, end, _ in scan.finditer(text)]
        assert found == [m.span() for m in plain.finditer(text)], (body, text)
        first = scan.search(text)
        assert (first[:2] if first else None) == (found[0] if found else None)


def _plain_cues(cues: dict[str, list[str]]) -> re.Pattern[str]:
    """The regex the Cues of one vocabulary replace: word-bounded, one named group per label."""
    groups = "|".join(f"(?P<c{i}>{'|'.join(f'(?:{p})' for p in ps)})" for i, ps in enumerate(cues.values()))
    return re.compile(rf"(?=[a-z0-9])\b(?:{groups})\b")


@pytest.mark.parametrize("section", ["indicators", "sectors"])
def test_cues_find_what_the_plain_regex_finds(section: str) -> None:
    cues = load_vocabulary([])[section]
    plain, labels = _plain_cues(cues), list(cues)
    grouped = Cues(cues)
    for text in _texts():
        expected = [(labels[int(m.lastgroup[1:])], m.start(), m.end()) for m in plain.finditer(text)]  # type: ignore[index]
        assert [tuple(c) for c in grouped.finditer(text)] == expected


@pytest.mark.parametrize("kind", ["speech_verbs", "according", "citing"])
def test_cues_of_one_kind_with_a_phrase_after(kind: str) -> None:
    words = load_vocabulary([])["attribution"][kind]
    after = r"\b" if kind == "speech_verbs" else r"\s+"
    plain = re.compile(rf"(?=[a-z0-9])\b(?:{literal_alternation(words)}){after}")
    cues = Cues.of([literal_alternation(words)], after=after)
    for text in _texts():
        assert [(c.start, c.end) for c in cues.finditer(text)] == [m.span() for m in plain.finditer(text)]
        hit = cues.search(text)
        assert (hit.start if hit else None) == next((m.start() for m in plain.finditer(text)), None)


def test_cues_at_the_start_of_a_text_and_back_to_back() -> None:
    cues = Cues({"a": ["pay"], "b": ["paid"]}, after=r"\s*")
    assert [tuple(c) for c in cues.finditer("pay paid pay")] == [("a", 0, 4), ("b", 4, 9), ("a", 9, 12)]
    assert list(cues.finditer("repay")) == []


def test_lower_case_words_are_the_words_the_text_writes_in_lower_case() -> None:
    from labourwatch.extract.document import _WORD, LowerCaseWords

    texts = [p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*.txt"))]
    texts += ["Well-known co-op's rules: the well-known rule, Co-op and don't-care'd; a--b -x y- z’s"]
    texts += _random_texts(300, alphabet="aB -'’.é1")
    for text in texts:
        written = {w for w in _WORD.findall(text) if w.islower()}
        asked = LowerCaseWords(text)
        queries = written | {w.lower() for w in _WORD.findall(text)} | {"a", "z", "well", "known", "op"}
        for word in queries:
            assert (word in asked) == (word in written), (word, text)


def test_ascii_lower_lowers_a_to_z_only_and_keeps_offsets() -> None:
    from labourwatch.extract.document import ascii_lower

    table = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
    for text in _random_texts(300, alphabet="AZaz İÉé’\udc80ß1-") + ["Straße İstanbul ÉCOLE"]:
        lowered = ascii_lower(text)
        assert lowered == text.translate(table) and len(lowered) == len(text)
