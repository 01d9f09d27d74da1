"""Which language a text is in, as far as the extractor needs to know: English, or not (and
then by its script where that tells). The rules read English; a text in another language gets
no claims, and the user should be told so rather than given silence."""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from labourwatch.extract.document import ascii_lower

_WORD = re.compile(r"[^\W\d_]+")
# Scripts that name their language well enough for a warning, by their letters' code points.
_SCRIPTS = {
    "ko": re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]"),
    "ru": re.compile(r"[\u0400-\u04ff]"),
    "ja": re.compile(r"[\u3040-\u30ff]"),
    "zh": re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]"),
    "ar": re.compile(r"[\u0600-\u06ff]"),
    "th": re.compile(r"[\u0e00-\u0e7f]"),
    "hi": re.compile(r"[\u0900-\u097f]"),
}
_LETTER = re.compile(r"[^\W\d_]")
ENGLISH_STOP_SHARE = 0.15  # English prose has 35–50% stop words; other Latin-script languages few
SAMPLE = 20_000  # characters read: enough to tell, bounded for long texts


def guess_language(text: str) -> str:
    """``en``, a language code guessed from the script (``ko``, ``ru``, ``zh`` …), or ``und``
    for another Latin-script language; ``en`` for texts too short to tell."""
    sample = text[:SAMPLE]
    non_ascii = len(sample) - len(sample.encode("ascii", "ignore"))
    if non_ascii * 10 < len(sample):  # curly quotes and a few names: no other script can lead
        words = [w for w in _WORD.findall(ascii_lower(sample)) if w.isascii()]
    else:  # letters by script, counted by the regex engine rather than letter by letter
        letters = len(_LETTER.findall(sample))
        code, count = max(((code, len(rx.findall(sample))) for code, rx in _SCRIPTS.items()),
                          key=lambda pair: pair[1])
        if letters and count > 0.3 * letters:
            return code
        words = [w for w in _WORD.findall(ascii_lower(sample)) if w.isascii()]
    if len(words) < 20:
        return "en"
    share = sum(1 for w in words if w in STOP_WORDS) / len(words)
    return "en" if share >= ENGLISH_STOP_SHARE else "und"
