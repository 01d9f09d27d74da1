"""Which language a text is in, as far as the extractor needs to know: English, or not (and
then by its script where that tells). The rules read English; a text in another language gets
no claims, and the user should be told so rather than given silence."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from spacy.lang.en.stop_words import STOP_WORDS

_WORD = re.compile(r"[^\W\d_]+")
# Scripts that name their language well enough for a warning.
_SCRIPTS = {"HANGUL": "ko", "CYRILLIC": "ru", "CJK": "zh", "HIRAGANA": "ja", "KATAKANA": "ja",
            "ARABIC": "ar", "THAI": "th", "DEVANAGARI": "hi"}
ENGLISH_STOP_SHARE = 0.15  # English prose has 35–50% stop words; other Latin-script languages few
SAMPLE = 20_000  # characters read: enough to tell, bounded for long texts


def guess_language(text: str) -> str:
    """``en``, a language code guessed from the script (``ko``, ``ru``, ``zh`` …), or ``und``
    for another Latin-script language; ``en`` for texts too short to tell."""
    words = _WORD.findall(text[:SAMPLE])
    if len(words) < 20:
        return "en"
    scripts: Counter[str] = Counter()
    for word in words:
        name = unicodedata.name(word[0], "")
        scripts[next((code for script, code in _SCRIPTS.items() if script in name), "latin")] += 1
    script, count = scripts.most_common(1)[0]
    if script != "latin" and count > 0.3 * len(words):
        return script
    latin = [w.lower() for w in words if w.isascii()]
    share = sum(1 for w in latin if w in STOP_WORDS) / max(len(latin), 1)
    return "en" if share >= ENGLISH_STOP_SHARE else "und"
