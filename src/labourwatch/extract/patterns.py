"""Regular expressions written for how Python's engine scans.

``re`` tries a pattern at every position of a text unless the pattern opens with a literal or
a character set, which the engine skips to in a tight loop. The extractor's cue alternations
must start a word: written ``\\b(?:…)``, the leading assertion alone costs about as much as the
rest of the pattern, at every character of every sentence. The builders here put something
the engine can skip to first, and within an alternation, group the branches by their first
characters so that a position is turned down after a comparison or two.

They only rewrite: every regex built here matches what the plain alternation would, and in the
same order of preference.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

# A cue pattern is split on its first character only when that is plain: a lower-case letter
# or a digit that no quantifier follows.
_PLAIN_FIRST = re.compile(r"[a-z0-9](?![?*+{])")
# Patterns that must not be copied into several branches: a copied group name or back-reference
# would no longer compile or mean the same.
_NOT_COPIED = re.compile(r"\(\?P|\\[1-9]|\(\?\(")
MAX_BRANCHES = 64  # what one pattern may expand to before it is kept whole


def is_word_char(char: str) -> bool:
    """What ``\\w`` matches: a letter, a digit or "_" (checks written out in Python, where a
    regex would be tried at every position)."""
    return char.isalnum() or char == "_"


def literal_alternation(phrases: Iterable[str], not_after: str | None = None) -> str:
    """A regex that matches any of the literal phrases, longest first, written as a tree of
    shared prefixes ("eur(?:os?)?|u(?:ah|sd?)"): the regex engine then tries a handful of
    branches at each position, not every phrase.

    ``not_after`` (a character class) is what may not come before a phrase. It is checked by
    a look-behind after the phrase's first character ("e(?<![^\\W_].)ur…"), so that the regex
    still opens with the characters the engine can skip to."""
    tree: dict[str, Any] = {}
    for phrase in phrases:
        node = tree
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    if not_after is None:
        return _tree(tree)
    check = f"(?<!{not_after}.)"
    return "|".join(re.escape(char) + check + _tree(child) for char, child in sorted(tree.items()) if char)


def _tree(node: dict[str, Any]) -> str:
    branches = [re.escape(char) + _tree(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    if len(branches) == 1 and "" not in node:
        return branches[0]
    group = "(?:" + "|".join(branches) + ")"
    return group + "?" if "" in node else group  # greedy: the longer phrase is tried first


def grouped_alternation(patterns: Sequence[str], depth: int = 3) -> str:
    """An alternation of the patterns, grouped by first characters for up to ``depth``
    characters: "a(?:…)|b(?:…)". Where a pattern does not start with a plain character (see
    :func:`first_characters`), the patterns are kept whole."""
    split = [first_characters(p) if depth > 0 and p else None for p in patterns]
    if depth == 0 or not patterns or any(s is None for s in split):
        # Kept in order: a pattern that cannot be split may match where any other does.
        return "|".join(f"(?:{p})" for p in patterns)
    by_char: dict[str, list[str]] = {}
    for pieces in split:
        for char, rest in pieces or ():
            by_char.setdefault(char, []).append(rest)
    # Patterns of different first characters never match at the same place, so regrouping
    # them keeps each position's order of preference.
    return "|".join(f"{char}(?:{grouped_alternation(rests, depth - 1)})" for char, rests in by_char.items())


def first_characters(pattern: str) -> list[tuple[str, str]] | None:
    """The pattern as (first character, rest of the pattern) branches, in its own order of
    preference: "(?:could|can)(?: not)? leave" gives ("c", "ould(?: not)? leave"), ("c", "an(?:
    not)? leave"). Leading groups and optional groups are spread out; None when the pattern
    starts otherwise (a class, an escape, a quantified group) or would spread too far."""
    if _NOT_COPIED.search(pattern):
        return None
    out: list[tuple[str, str]] = []
    todo = [pattern]
    while todo:
        head = todo.pop(0)
        if head.startswith("(?:"):
            spread = _spread_group(head)
            if spread is None or len(out) + len(todo) + len(spread) > MAX_BRANCHES:
                return None
            todo[:0] = spread
        elif _PLAIN_FIRST.match(head):
            out.append((head[0], head[1:]))
        else:
            return None
    return out


def _spread_group(pattern: str) -> list[str] | None:
    """"(?:a|b)?rest" as ["arest", "brest", "rest"]; None for a group under another quantifier."""
    end = _closing(pattern, 0)
    body, after = pattern[3:end], pattern[end + 1:]
    optional = after.startswith("?") and not after.startswith("??")
    if after[:1] in ("*", "+", "{") or (after[:1] == "?" and not optional):
        return None
    rest = after[1:] if optional else after
    return [branch + rest for branch in _top_level_branches(body)] + ([rest] if optional else [])


def _closing(pattern: str, start: int) -> int:
    """Where the group opened at ``pattern[start]`` closes."""
    depth = 0
    for i, char in _structure(pattern):
        if i < start:
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
    raise re.error("unbalanced parenthesis", pattern)


def _top_level_branches(body: str) -> list[str]:
    cuts, depth = [], 0
    for i, char in _structure(body):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            cuts.append(i)
    edges = [-1, *cuts, len(body)]
    return [body[a + 1:b] for a, b in itertools.pairwise(edges)]


def _structure(pattern: str) -> Iterable[tuple[int, str]]:
    """(offset, character) of the parentheses and bars that give a pattern its structure,
    passing over escapes and character classes."""
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _class_end(pattern, i)
        elif char in "()|":
            yield i, char
        i += 1


def _class_end(pattern: str, start: int) -> int:
    i = start + 1
    if pattern[i:i + 1] == "^":
        i += 1
    if pattern[i:i + 1] == "]":  # a "]" first in a class is a member
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i


class BreakScan:
    """A regex that may match only at the start of a text or after a break: a character of
    the class ``breaks`` (what ``(?<!…)`` before the regex would allow). The regex opens with
    the break, which the engine skips to; at the text's start, it is matched on the text after
    a blank (so ``breaks`` must hold the blank).

    ``search`` and ``finditer`` give (start, end, match): the match is the break and what
    follows, of the text or of the blank and the text."""

    def __init__(self, body: str, breaks: str, flags: int = 0) -> None:
        if not re.fullmatch(breaks, " "):
            raise ValueError(f"breaks {breaks!r} must match a blank")
        self.after_break = re.compile(f"{breaks}(?:{body})", flags)

    def search(self, text: str, pos: int = 0) -> tuple[int, int, re.Match[str]] | None:
        """The first match that starts at ``pos`` or later."""
        if pos == 0 and (m := self.after_break.match(" " + text)):
            return 0, m.end() - 1, m
        # The break may be the character before ``pos``: a match may start right at it.
        m = self.after_break.search(text, max(pos - 1, 0))
        return (m.start() + 1, m.end(), m) if m else None

    def finditer(self, text: str, pos: int = 0) -> Iterator[tuple[int, int, re.Match[str]]]:
        """The matches from ``pos`` on, none overlapping, as ``re.finditer`` would give them."""
        while (found := self.search(text, pos)) is not None:
            yield found
            pos = max(found[1], found[0] + 1)
