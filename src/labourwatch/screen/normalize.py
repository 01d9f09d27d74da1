"""Name normalisation for screening: transliteration (Hangul, Han, Cyrillic), legal forms,
generic words, and a phonetic key that joins the romanisations of Korean.

Korean is written in Latin letters in several systems: McCune–Reischauer ("Kim Jong Un",
"Ch'oe"), Revised Romanization ("Gim Jeong-eun", "Choe"), and in Russian by Kontsevich
("Ким Чен Ын"). The key folds their differences: voiced and voiceless consonants (g/k,
d/t, b/p, j/ch), eo/o and eu/u, final ng/n, r/l, hyphens and spaces between syllables.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

from rigour.names import replace_org_types_compare
from rigour.text.scripts import text_scripts

from labourwatch.yamlfiles import load_yaml

_HANGUL = re.compile(r"[\uac00-\ud7a3]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_TOKEN = re.compile(r"[a-z0-9]+")

_BGN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "yo",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)
# Russian letters for Korean sounds (Kontsevich), read back as Revised Romanization.
_KOREAN_FROM_RUSSIAN = {**_BGN, "е": "eo", "ё": "yeo", "ы": "eu", "э": "e", "х": "h", "ч": "ch", "ц": "ch"}

_KONTSEVICH_DIGRAPHS = [("чх", "ch"), ("тх", "t"), ("кх", "k"), ("пх", "p"), ("ве", "oe")]

# Folding rules, in order. Korean: j/ch, eo/o, eu/u, ae/ai/e, g/k, d/t, b/p, r/l, and zi for
# ji as Japanese-style spellings write 지 ("Daizin" for Daejin); Russian and Chinese spellings:
# zh, x/ks, y/i (й), z/s, ee/i.
_KEY_RULES = [
    ("tch", "c"),
    ("zi", "ji"),
    ("ai", "ae"),
    ("zh", "c"),
    ("ch", "c"),
    ("j", "c"),
    ("sh", "s"),
    ("th", "t"),
    ("kh", "h"),  # Russian х: Mikhail/Mihail, and English h ("Хьюиш" is Huish)
    ("ph", "p"),
    ("x", "ks"),
    ("yeo", "yo"),
    ("eo", "o"),
    ("eu", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ae", "e"),
    ("g", "k"),
    ("d", "t"),
    ("b", "p"),
    ("r", "l"),
    ("z", "s"),
    ("y", "i"),
]
# Korean initial ㄹ is written R, L or not at all: Ri/Lee/Yi, Ryonbong/Yonbong.
_INITIAL_L = re.compile(r"^l(?=[iy])")
_CHOE = re.compile(r"o[ie]$")
_SILENT_R = re.compile(r"al(?=k$)")  # after r → l


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    text = resources.files("labourwatch.screen").joinpath("vocab/names.yaml").read_text("utf-8")
    data = load_yaml(text)
    forms: dict[tuple[str, ...], str] = {}
    for canonical, spellings in data["legal_forms"].items():
        for spelling in spellings:
            forms[tuple(_TOKEN.findall(spelling.lower()))] = canonical
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for spelling, canonical in sorted(forms.items(), key=lambda kv: -len(kv[0])):
        by_first.setdefault(spelling[0], []).append((spelling, canonical))
    data["_forms"] = by_first
    data["_generic"] = {g for g in data["generic_words"]}
    data["_generic_phrases"] = sorted((tuple(_TOKEN.findall(p)) for p in data["generic_phrases"]), key=len,
                                      reverse=True)
    data["_units"] = frozenset(data["unit_words"])
    data["_same_meaning"] = {korean_key(a): korean_key(b) for a, b in data["same_meaning"].items()}
    data["_types"] = frozenset(data["type_words"])
    data["_lines"] = frozenset(data["business_lines"])
    data["_surnames_latin"] = frozenset(data["korean_surnames_latin"])
    data["_surnames_hangul"] = frozenset(data["korean_surnames_hangul"])
    data["_surnames"] = set(data["korean_surnames_cyrillic"])
    return dict(data)


# Vowels romanisations confuse beyond the key: Korean ŏ written u ("Chul", "Sung", "Young" for
# 철, 성, 영; "Euk" for 억) and ŭi written i ("Hi", "Hee" for 희); Russian ё written yo or e.
_VOWEL_VARIANTS = [("ui", "i"), ("u", "o")]
_WO_AFTER_CONSONANT = re.compile(r"(?<=[bcdghjklmnprst])wo")
_RUSSIAN_YO = ("io", "e")  # after the letters doubled by the folds above are made one


@lru_cache(maxsize=500_000)
def vowel_folded(key: str) -> str:
    """A key with the vowels that Korean romanisations confuse folded together."""
    for a, b in _VOWEL_VARIANTS:
        key = key.replace(a, b)
    key = _WO_AFTER_CONSONANT.sub("o", key)  # 권: Kwon, Kon; 원 at the start keeps its w
    return re.sub(r"(.)\1+", r"\1", key).replace(*_RUSSIAN_YO)


@lru_cache(maxsize=500_000)
def korean_key(word: str, loose: bool = False) -> str:
    """The folded sound of one word; ``loose`` also folds final ng into n, as Russian writes
    Korean ("Чен" for Jong)."""
    s = word.replace("-", "").replace("'", "")
    for a, b in _KEY_RULES:
        s = s.replace(a, b)
    s = _INITIAL_L.sub("", s)
    s = _CHOE.sub("oe", s)  # 최: Choe, Choi, Choy
    if len(s) <= 5:
        s = _SILENT_R.sub("a", s)  # 박 written the English way: Park for Pak
    if len(s) > 5 and s.endswith("s") and not s.endswith("ss"):
        s = s[:-1]  # sciences / science, projects / project
    if loose:
        s = s.replace("nk", "n")  # ng after g → k
    return re.sub(r"(.)\1+", r"\1", s)


# Revised Romanization of a Hangul syllable from its jamo (initial, vowel, final), no
# sound changes across syllables: 김 → gim, 정 → jeong, 은 → eun.
_INITIALS = [
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
]
_VOWELS = [
    "a",
    "ae",
    "ya",
    "yae",
    "eo",
    "e",
    "yeo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "eu",
    "ui",
    "i",
]
_FINALS = [
    "",
    "k",
    "k",
    "k",
    "n",
    "n",
    "n",
    "t",
    "l",
    "k",
    "m",
    "p",
    "l",
    "l",
    "p",
    "l",
    "m",
    "p",
    "p",
    "t",
    "t",
    "ng",
    "t",
    "t",
    "k",
    "t",
    "p",
    "t",
]


def romanize_syllable(syllable: str) -> str:
    code = ord(syllable) - 0xAC00
    initial, rest = divmod(code, 21 * 28)
    vowel, final = divmod(rest, 28)
    return _INITIALS[initial] + _VOWELS[vowel] + _FINALS[final]


# Syllables of ㅡ with no final after s, t, p, k, b, d: the vowel Korean inserts into a foreign
# word's consonant clusters (엑스포 "ekseupo" for Expo, 트레이딩 for Trading); dropped so that
# the word meets its Latin spelling. Korean names hardly use these syllables.
_EPENTHETIC = frozenset(chr(0xAC00 + (i * 21 + 18) * 28) for i in (9, 16, 17, 15, 7, 3))


def _hangul(run: str) -> str:
    """A run of Hangul syllables as one word: Korean writes a name's parts together."""
    return "".join(romanize_syllable(s)[:-2] if s in _EPENTHETIC else romanize_syllable(s) for s in run)


def _hangul_person(text: str, surnames: frozenset[str]) -> str | None:
    """A lone Hangul name of two to four syllables that begins with a family name, as
    "family given" ("박진혁" → "bak jinhyeok"); None for anything else."""
    name = text.strip()
    if not 2 <= len(name) <= 4 or not _HANGUL.fullmatch(name) or name[0] not in surnames:
        return None
    return f"{romanize_syllable(name[0])} {_hangul(name[1:])}"


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch.isascii())


def _han(text: str, words: dict[str, str]) -> str:
    from pypinyin import lazy_pinyin

    for han, english in sorted(words.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(han, f" {english} ")
    return _HAN.sub(lambda m: " " + " ".join(lazy_pinyin(m.group())) + " ", text)


_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_UKRAINIAN_LETTERS = {"і": "i", "ї": "yi", "є": "ye", "ґ": "g", "и": "y", "г": "h"}


def _cyrillic(text: str, vocab: dict[str, Any]) -> str:
    words = [w.strip('"«»“”') for w in text.split()]
    words = [vocab["russian_words"].get(w, w) for w in words]
    ukrainian = bool(_UKRAINIAN.search(text))
    # Ukrainian і is Russian и: "Кім" is "Ким"
    head = words[0].capitalize().replace("і", "и") if words else ""
    korean = head in vocab["_surnames"]
    if korean:  # Korean vowels as Kontsevich writes them; Ukrainian и is Russian ы
        table = {**_KOREAN_FROM_RUSSIAN, "і": "i", **({"и": "eu"} if ukrainian else {})}
    else:
        table = {**_BGN, **(_UKRAINIAN_LETTERS if ukrainian else {"і": "i"})}
    out = []
    for w in words:
        w = w.lower()
        if korean:  # aspirates and ㅚ as Kontsevich writes them: "Чхве" is Choe
            for cyr, latin in _KONTSEVICH_DIGRAPHS:
                w = w.replace(cyr, latin)
        out.append("".join(table.get(ch, ch) for ch in w))
    return " ".join(out)


def transliterate(text: str) -> str:
    """ASCII, lower case, for any script this tool meets in this domain."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        vocab = vocabulary()
        scripts = text_scripts(text)  # rigour: the Unicode scripts the text is written in
        if "Hangul" in scripts:
            for hangul, english in sorted(vocab["korean_words"].items(), key=lambda kv: -len(kv[0])):
                text = text.replace(hangul, f" {english} ")
            person = _hangul_person(text, vocab["_surnames_hangul"])
            if person:
                return person
            text = _HANGUL.sub(lambda m: " " + _hangul(m.group()) + " ", text)
        if "Han" in scripts:
            text = _han(text, vocab["chinese_words"])
        if "Cyrillic" in scripts:
            text = _cyrillic(text, vocab)
        if not text.isascii():
            text = _strip_accents(text)
    return text.lower()


@dataclass(frozen=True)
class NameForm:
    original: str
    tokens: tuple[str, ...]  # every word, ASCII lower case
    distinctive: tuple[str, ...]  # without legal forms and generic words (when something remains)
    legal_forms: frozenset[str]
    russian_korean: bool = False  # Korean written in Cyrillic: final ng and n cannot be told apart
    korean_person: bool = False  # two to four words, a Korean family name first or last, no legal form

    @property
    def joined(self) -> str:
        return "".join(self.distinctive)

    def keys(self, loose: bool = False) -> tuple[str, ...]:
        return self.loose_keys if loose else self.strict_keys

    @cached_property
    def strict_keys(self) -> tuple[str, ...]:
        return tuple(korean_key(t) for t in self.distinctive)

    @cached_property
    def loose_keys(self) -> tuple[str, ...]:
        return tuple(korean_key(t, True) for t in self.distinctive)

    @cached_property
    def key(self) -> str:
        return "".join(self.strict_keys)


def _without_phrases(tokens: list[str], phrases: list[tuple[str, ...]]) -> list[str]:
    """``tokens`` less every occurrence of the phrases (longest first)."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for phrase in phrases:
            if tuple(tokens[i:i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out if out else tokens


@lru_cache(maxsize=200_000)
def normalize(name: str) -> NameForm:
    vocab = vocabulary()
    ascii_name = transliterate(name.replace("'", "").replace("’", ""))
    tokens = _TOKEN.findall(replace_org_types_compare(ascii_name))
    forms: set[str] = set()
    kept: list[str] = []
    i = 0
    while i < len(tokens):
        for spelling, canonical in vocab["_forms"].get(tokens[i], ()):
            if tuple(tokens[i : i + len(spelling)]) == spelling:
                forms.add(canonical)
                i += len(spelling)
                break
        else:
            kept.append(tokens[i])
            i += 1
    kept = _without_phrases(kept, vocab["_generic_phrases"])
    distinctive = [t for t in kept if t not in vocab["_generic"]] or kept
    words = name.split()
    russian_korean = (
        bool(words) and bool(_CYRILLIC.search(name))
        and words[0].capitalize().replace("і", "и") in vocab["_surnames"]
    )
    korean_person = (
        not forms and 2 <= len(tokens) <= 4
        and (tokens[0] in vocab["_surnames_latin"] or tokens[-1] in vocab["_surnames_latin"])
        and not set(tokens) & vocab["_generic"]
    )
    return NameForm(name, tuple(tokens), tuple(distinctive), frozenset(forms), russian_korean, korean_person)
