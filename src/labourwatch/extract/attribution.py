"""Who says so: the source of each claim, from cues in its sentence, a back-reference in the
next one ("That's according to …"), the speaker of the quotation that holds it, or the source a
report goes on citing over the next sentences ("the survey found … About 40% … They also …").
The source is kept as the text names it."""

from __future__ import annotations

import re
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from labourwatch.extract.cues import Cues
from labourwatch.extract.document import Claim, Document, NameMention, Sentence
from labourwatch.extract.patterns import is_word_char, literal_alternation

_NP_STOP = frozenset(
    "who which that whose whom he she they it we i you in on at since during while when as "
    "is are was were has have had said says told that's this these those but because if "
    "after before about over under than to into with without among amid".split()
)
_PUNCT_STOP = re.compile(r"[,.;:()\"“”—–!?\[\]]")
_TOKEN = re.compile(r"[^\W_][\w.'’-]*|[,.;:()\"“”—–!?]")
_PRONOUN_VERBS = frozenset("said says told added explained estimated noted stated wrote".split())


_OBJECT_PRONOUNS = frozenset({"him", "her"})
_POSSESSIVES = frozenset({"its", "their", "his", "her", "our", "my", "your"})
_PASSIVE_SAID = re.compile(r"\s+to\b")
_PASSIVE_AUX = ("is", "are", "was", "were", "been", "be")
# A date is no source: "…, September showed" is a parse gone wrong, not a speaker.
_DATE_WORDS = frozenset(
    "january february march april may june july august september october november december jan feb "
    "mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday "
    "sunday today yesterday".split()
)
# A line without a full stop that ends in ": X" (one to five words): a headline naming its source.
_HEADLINE_SOURCE = re.compile(r"^[^:]{10,}:\s+((?:[A-Za-z][\w'’-]*\s?){1,5})$")
# The document a phrase goes on to name after an acronym: "UN Security Council (UNSC) sanctions
# implementation report".
_ACRONYM_THEN = re.compile(r"\s*\([A-Z][A-Za-z.]{1,10}\)((?:\s+[a-z]+){1,3})")
_APPOSITION = re.compile(r",\s*(?:which|who|a|an|the|former|[a-z]+ing)\b[^,]*,\s*$")
# A relative clause after a subject without commas: "A subcontractor who asked to remain
# anonymous said …".
# Only "who": in "the list that the government has put together", the verb is the clause's own.
_RELATIVE = re.compile(r"\s+who\s+[^,;]*$")
SUBJECT_TAIL = 200  # the longest run of auxiliaries and apposition read before a verb
_SUBJECT_WORD = re.compile(r"[\w.'’&-]+")
_ARTICLES = frozenset({"the", "a", "an", "The", "A", "An"})


# A search for a pattern anchored at the end of a string tries every position of it; these
# walk back from the end instead, as the subject of every speech verb is read so.
def _word_start(text: str, end: int) -> int:
    """Where the run of word characters that ends at ``end`` starts."""
    i = end
    while i > 0 and is_word_char(text[i - 1]):
        i -= 1
    return i


def _ends_with_article(text: str) -> bool:
    """Nothing but an article, or nothing, before the end (blanks aside)."""
    end = len(text.rstrip())
    start = _word_start(text, end)
    return end == 0 or (text[start:end] in _ARTICLES and start < end)


def _bounded_at(text: str, at: int) -> bool:
    """A word boundary at ``at``, as the regex ``\\b`` reads it."""
    before = at > 0 and is_word_char(text[at - 1])
    after = at < len(text) and is_word_char(text[at])
    return before != after


def _last_word(head: str) -> tuple[int, str] | None:
    """The word (apostrophes kept) that ends ``head``, and where it starts."""
    i = len(head)
    while i > 0 and (is_word_char(head[i - 1]) or head[i - 1] in "'’"):
        i -= 1
    return (i, head[i:]) if i < len(head) else None
_OPENING = frozenset('"“«')
_CLOSING = frozenset('"”»')


def quotations(doc: Document) -> list[tuple[int, int]]:
    """(first, last) sentence of each quotation of more than one sentence: from a sentence that
    opens a quote to the one that closes it (or, unclosed, to the end of its paragraph)."""
    spans = []
    open_at: int | None = None
    for i, sentence in enumerate(doc.sentences):
        text = sentence.text
        if open_at is None:
            if any(ch in text for ch in _OPENING) and _unbalanced(text):
                open_at = i
            continue
        paragraph_break = "\n\n" in doc.text[doc.sentences[i - 1].end:sentence.start]
        if paragraph_break and text[:1] not in _OPENING:
            spans.append((open_at, i - 1))
            open_at = None
            continue
        if any(ch in _CLOSING for ch in text) and _unbalanced(text):
            spans.append((open_at, i))
            open_at = None
    if open_at is not None:
        spans.append((open_at, len(doc.sentences) - 1))
    return spans


def _unbalanced(text: str) -> bool:
    """An odd number of straight quotes, or curly ones that do not pair up."""
    straight = text.count('"')
    return straight % 2 == 1 or text.count("“") != text.count("”")


def _covers(text: str, cue: tuple[int, int, str], start: int, end: int) -> bool:
    """Whether the source phrase of a cue, where it stands after the cue, spans [start, end)."""
    at = text.find(cue[2], cue[1])
    return at >= 0 and at <= start and end <= at + len(cue[2])


def _strip_stop(phrase: str) -> str:
    """Drop the sentence's full stop, not an abbreviation's ("U.N.")."""
    if phrase.endswith(".") and not re.search(r"(?:\b[A-Z]\.){2,}$", phrase):
        return phrase[:-1]
    return phrase


class Attributor:
    name = "attribution"

    # Cue kinds in order of precedence within a sentence.
    PRECEDENCE = ("according", "citing", "by", "possessive", "speech")
    SPEECH_RANK = PRECEDENCE.index("speech")
    LATE_VERB_PENALTY = 10_000

    def __init__(self, vocab: dict[str, Any]) -> None:
        a = vocab["attribution"]
        # These run case-sensitively on ascii-lowered sentences (Sentence.lower): much faster.
        # Cue words are found on ascii-lowered sentences (Sentence.lower), where a word begins.
        self.according = Cues.of([literal_alternation(a["according"])], after=r"\s+")
        self.citing = Cues.of([literal_alternation(a["citing"])], after=r"\s+")
        self.by = Cues.of([rf"(?:{literal_alternation(a['by_nouns'])})\s+(?:by|from|of)",
                           rf"(?:{literal_alternation(a['by_verbs'])})\s+by"], after=r"\s+")
        self.possessive_re = re.compile(
            rf"([A-Z][\w.&-]*(?:\s+(?:of\s+|for\s+|the\s+)*[A-Z][\w.&-]*)*)['’]s\s+(?:[a-z]+\s+)?"
            rf"(?:{literal_alternation(a['by_nouns'])})\b"
        )
        self.speech = Cues.of([literal_alternation(a["speech_verbs"])])
        # Every kind in one pass: most sentences have none, and one search tells.
        kinds = (self.speech, self.according, self.by, self.citing)
        self.any_cue = Cues.of([rf"(?:{p})(?:{k.after})" for k in kinds for p in k.patterns], after="")
        self.back_re = re.compile(rf"^\W*(?:{literal_alternation(a['back_references'])})\s+", re.I)
        # "a report by X", "the report released on Thursday by X": X is the source
        self.strip_doc_re = re.compile(
            rf"^(?:(?:the|a|an)\s+)?(?:\d{{4}}\s+)?(?:[a-z]+\s+)?(?:{literal_alternation(a['by_nouns'])})\s+"
            rf"(?:(?:{literal_alternation(a['by_verbs'])})\s+(?:(?:on|in|last|this)\s+)?(?:\w+\s+)?)?(?:by|from|of)\s+",
            re.I,
        )
        self.by_nouns = {w.lower() for w in a["by_nouns"]}
        # "RFA cited two residents as saying": the residents speak
        self.cited_as_re = re.compile(r"(?=[a-z])\b(?:cited|quoted|cites|quotes)\s+")
        self.as_saying_re = re.compile(r"\s+as\s+(?:saying|telling|stating|writing)\b")
        auxiliaries = {w.lower() for w in a["auxiliaries"]}
        self.auxiliary_words = frozenset(w for w in auxiliaries if re.fullmatch(r"\w+", w))
        self.auxiliary_phrases = tuple(sorted(auxiliaries - self.auxiliary_words, key=len, reverse=True))
        self.source_nouns = {w.lower() for w in a["source_nouns"]}
        self.titles = {t.lower() for t in vocab["names"]["titles"]}
        self.pronouns = set(a["pronouns"])

    # A source stated once goes on covering the figures of the next sentences: a news report
    # attributes in its lead and then lists the figures ("… a State Department report showed.
    # … About 50,000 … The North receives more than $100 million …"), up to a new source.
    CARRY_SENTENCES = 8

    def __call__(self, doc: Document) -> None:
        by_sentence: dict[int, list[Claim]] = {}
        for claim in doc.claims:
            by_sentence.setdefault(claim.sentence, []).append(claim)
        sentence_cues = {}
        for i, sentence in enumerate(doc.sentences):
            has_cue = self._may_attribute(sentence)
            if i in by_sentence or has_cue:
                sentence_cues[i] = self.cues(doc, sentence, has_cue=has_cue)
        for index, claims in by_sentence.items():
            self._in_sentence(doc, index, claims, sentence_cues[index])
        self._quoted(doc, by_sentence, sentence_cues)
        self._carried(doc, by_sentence, sentence_cues)

    def _in_sentence(self, doc: Document, index: int, claims: list[Claim],
                     cues: list[tuple[int, int, str]]) -> None:
        """The sentence's own cues, else a back-reference in the next sentence."""
        sentence = doc.sentences[index]
        for claim in claims:
            claim.source = self._choose(cues, claim, sentence)
        if not cues and index + 1 < len(doc.sentences):
            nxt = doc.sentences[index + 1]
            m = self.back_re.match(nxt.text)
            if m:
                src = self.noun_phrase(doc, nxt, m.end())
                for claim in claims:
                    claim.source = src

    def _may_attribute(self, sentence: Sentence) -> bool:
        """A cheap test before looking for cues in a sentence without claims."""
        return self.any_cue.search(sentence.lower) is not None

    def _quoted(self, doc: Document, by_sentence: dict[int, list[Claim]],
                sentence_cues: dict[int, list[tuple[int, int, str]]]) -> None:
        """Figures inside a quotation belong to its speaker, named where the quotation closes
        ('…," said Kim.') or opens ('Kim said: "…'), whichever sentence holds the figure. A
        quotation closed by "she said", or not closed by any speaker, continues the testimony of
        the speaker of the quotation just before it."""
        previous: tuple[int, str] | None = None  # (last sentence, speaker)
        for first, last in quotations(doc):
            speaker = self._speaker(sentence_cues.get(last) or sentence_cues.get(first) or [])
            continues = previous and first - previous[0] <= self.CARRY_SENTENCES
            if not speaker and continues and previous:
                speaker = previous[1]
            if not speaker:
                continue
            previous = (last, speaker)
            for index in range(first, last + 1):
                for claim in by_sentence.get(index, []):
                    if claim.source is None:
                        claim.source = speaker

    def _speaker(self, cues: list[tuple[int, int, str]]) -> str | None:
        speech = [c for c in cues if c[0] == self.SPEECH_RANK]
        return min(speech or cues)[2] if (speech or cues) else None

    def _carried(self, doc: Document, by_sentence: dict[int, list[Claim]],
                 sentence_cues: dict[int, list[tuple[int, int, str]]]) -> None:
        """Claims with no source take the last source stated in the sentences before them."""
        current: tuple[int, str] | None = None  # (sentence, source)
        for index in range(len(doc.sentences)):
            claims = by_sentence.get(index, [])
            for claim in claims:
                if claim.source is None and current and index - current[0] <= self.CARRY_SENTENCES:
                    claim.source = current[1]
            # A sentence without figures starts a new source only by a firm cue ("according to",
            # "citing", a possessive report, a speaker), not by "a report from …".
            stated = [c.source for c in claims if c.source] or [
                src for rank, _, src in sorted(sentence_cues.get(index, [])) if rank != 2]
            if stated:
                current = (index, stated[-1] if claims else stated[0])

    def _choose(self, cues: list[tuple[int, int, str]], claim: Claim, sentence: Sentence) -> str | None:
        at = claim.start - sentence.start
        # A figure inside the source phrase ("cited two of the residents as saying") is not
        # sourced by that phrase.
        cues = [c for c in cues if not _covers(sentence.text, c, at, claim.end - sentence.start)]
        if not cues:
            return None

        def distance(cue: tuple[int, int, str]) -> int:
            gap = at - cue[1]
            # A speech verb usually precedes what it reports; one after the claim is a fallback.
            return gap if gap >= 0 or cue[0] != self.SPEECH_RANK else self.LATE_VERB_PENALTY - gap

        return min(cues, key=lambda c: (c[0], distance(c)))[2]

    # -- cues ----------------------------------------------------------------------------
    def cues(self, doc: Document, sentence: Sentence, depth: int = 0, has_cue: bool | None = None
             ) -> list[tuple[int, int, str]]:
        """(precedence, position, source) for every attribution cue in the sentence. ``has_cue``:
        whether a cue word is in it, where the caller has asked already."""
        text = sentence.text
        found: list[tuple[int, int, str]] = []
        lower = sentence.lower
        if has_cue is None:
            has_cue = self._may_attribute(sentence)
        kinds = ((0, self.according), (1, self.citing), (2, self.by)) if has_cue else ()
        for rank, kind in kinds:
            for cue in kind.finditer(lower):
                src = self.noun_phrase(doc, sentence, cue.end)
                if src and (rank != 1 or self._names_a_source(src)):  # not "citing safety concerns"
                    found.append((rank, cue.start, src))
        for m in self.cited_as_re.finditer(lower) if ("cite" in lower or "quote" in lower) else ():
            src = self.noun_phrase(doc, sentence, m.end())
            at = text.find(src, m.end()) if src else -1
            if src and at >= 0 and self.as_saying_re.match(text, at + len(src)):
                found.append((1, m.start(), src))
        for m in self.possessive_re.finditer(text) if ("'s" in text or "’s" in text) else ():
            found.append((3, m.start(), m.group(1)))
        if headline := self._headline_source(doc, sentence):
            found.append(headline)
        for _, start, end in self.speech.finditer(lower) if kinds else ():
            if text[start].isupper():
                continue  # a word of a name ("the United States"), not a verb
            if _PASSIVE_SAID.match(lower, end) and lower[:start].rstrip().endswith(_PASSIVE_AUX):
                continue  # "the workers are said to be …": nobody is named as saying it
            src = self.subject(doc, sentence, start, lower[start:end], depth)
            if src:
                found.append((4, start, src))
        return [c for c in found
                if c[2].split()[0].lower().rstrip(".,") not in _DATE_WORDS and not c[2][:1].isdigit()]

    def _names_a_source(self, phrase: str) -> bool:
        """A phrase that can say something: a name, or a noun that speaks or reports."""
        last = phrase.split()[-1].lower().strip(".,")
        return phrase[:1].isupper() or last in self.source_nouns or last in self.by_nouns

    def _headline_source(self, doc: Document, sentence: Sentence) -> tuple[int, int, str] | None:
        """A headline that ends in its source: "… work at sites in Kuwait: diplomat", "…: report"."""
        m = _HEADLINE_SOURCE.search(sentence.text) if ":" in sentence.text else None
        if m is None or not self._names_a_source(m.group(1)):
            return None
        phrase = m.group(1)
        if phrase[:1].isupper() and phrase.split()[-1].lower() not in self.source_nouns | self.by_nouns:
            start = sentence.start + m.start(1)
            if not any(n.start == start for n in doc.names_in(start, start + 1)):
                return None  # "Korea: The Hermit Kingdom" is a subtitle, not a source
        return (0, m.start(1), phrase)

    def noun_phrase(self, doc: Document, sentence: Sentence, pos: int) -> str | None:
        """The source phrase that starts at ``pos``: a named entity, or words up to a stop."""
        text = sentence.text
        rest = text[pos:]
        m = self.strip_doc_re.match(rest)
        if m:
            pos += m.end()
            rest = text[pos:]
        det = re.match(r"(?:the|a|an)\s+", rest, re.I)
        if det:
            pos += det.end()
        absolute = sentence.start + pos
        for name in doc.names_in(absolute, absolute + 1):
            if name.start == absolute:
                end = name.end - sentence.start
                tail = self._continue_caps(text, end)
                return text[pos:tail]
        words: list[tuple[int, int]] = []
        first = _TOKEN.match(text, pos) if pos < len(text) else None
        if first and first.group().lower() in _OBJECT_PRONOUNS:  # "According to him, …"
            return self._last_person(doc, sentence.start + pos)
        if first and first.group().lower() in _POSSESSIVES:
            return None  # "estimates of its annual revenue": what is estimated, not who estimates
        for t in _TOKEN.finditer(text, pos):
            w = t.group()
            if _PUNCT_STOP.fullmatch(w) or len(words) >= 10:
                break
            lw = w.lower()
            inside_name = words and lw in ("of", "for") and text[t.end():t.end() + 2].strip()[:1].isupper()
            if lw in _NP_STOP and not inside_name:
                break
            words.append((t.start(), t.end()))
        while words and text[words[-1][0]:words[-1][1]].lower() in ("and", "of", "for", "the"):
            words.pop()
        if not words:
            return None
        end = words[-1][1]
        if (more := _ACRONYM_THEN.match(text, end)) and more.group(1).split()[-1] in self.by_nouns:
            end = more.end()
        phrase = text[words[0][0]:end].strip()
        phrase = re.sub(r"['’]s$", "", phrase)
        return _strip_stop(phrase) or None

    def _continue_caps(self, text: str, end: int) -> int:
        """Extend an entity over a role and a name: "UN special rapporteur Marzuki Darusman"."""
        m = re.match(r"(?:\s+(?:[A-Z][\w.'’-]*))+", text[end:])
        end += m.end() if m else 0
        role = re.match(r"\s+((?:[a-z]+\s+){0,2}?([a-z]+))((?:\s+[A-Z][\w.'’-]*)+)", text[end:])
        if role and role.group(2) in self.titles:
            return end + role.end()
        body = re.match(r"\s+(?:[a-z]+\s+){0,2}?([a-z]+)(?:\s+of\s+[a-z]+)?", text[end:])
        if body and body.group(1) in self.source_nouns:  # "U.N. panel of experts"
            end += body.end()
        return end

    def subject(self, doc: Document, sentence: Sentence, verb_pos: int, verb: str, depth: int = 0
                ) -> str | None:
        text = sentence.text
        # Inverted: '"…," said Kim.' — the name follows the verb.
        if verb in ("said", "says", "told") and text[:verb_pos].rstrip().endswith((",", '"', "”")):
            m = re.match(r"\s+((?:[A-Z][\w.'’-]*\s?)+)", text[verb_pos + len(verb):])
            if m:
                return _strip_stop(m.group(1).strip())
        head = self._subject_head(text[:verb_pos])
        if not head:
            return None
        affiliated = self._affiliated_person(doc, sentence, head)
        if affiliated:
            return affiliated
        for place in doc.places_in(sentence.start, sentence.end):  # "Experts at … in Seoul put …"
            if place.end == sentence.start + len(head) and place.kind in ("city", "region"):
                before = head[: place.start - sentence.start]
                trimmed = re.sub(r"\s+(?:in|based in|at|of|from)\s+$", "", before)
                if trimmed != before:
                    head = trimmed
                break
        end_abs = sentence.start + len(head)
        for name in doc.names_in(sentence.start, end_abs):
            if name.end == end_abs:
                start = name.start - sentence.start
                return self._with_role(doc, sentence, text[start:len(head)], start)
        for place in doc.places_in(sentence.start, end_abs):
            if place.end == end_abs and not place.demonym:
                start = place.start - sentence.start
                m = re.search(r"\s+(?:in|of|from|at)\s+$", text[:start])
                if m:
                    owner = self._walk_back(doc, sentence, text[: m.start()])
                    if owner and (owner.split()[-1].lower() in self.source_nouns or owner[:1].isupper()):
                        # "the U.N. panel in New York", "the Committee for Human Rights in North
                        # Korea": the body named before the place speaks, not the place
                        return text[m.start() - len(owner):len(head)]
                if place.kind == "country":
                    return text[start:len(head)]
        last = _last_word(head)
        if not last:
            return None
        at, word = last[0], last[1].lower()
        if word in ("it", "they") and verb in _PRONOUN_VERBS and head[:at].strip() == "":
            return self._previous_source(doc, sentence, depth)  # "It estimated …": the last one cited
        if word in self.pronouns:
            if verb not in _PRONOUN_VERBS or word == "they":
                return None
            return self._last_person(doc, sentence.start + at)
        found = self._walk_back(doc, sentence, head)
        if found is None and (relative := _RELATIVE.search(head)):
            found = self._walk_back(doc, sentence, head[: relative.start()])
        return found

    def _subject_head(self, head: str) -> str:
        """The words before a verb, less its auxiliaries and an apposition or relative clause
        between commas: "Walk Free, which publishes the Index, estimates …", "Jin-su, a defector
        from North Korea, has exposed …", "A reporter, Havard Melnes, writing for …, discovered"."""
        # Both are at the end of the head: only its tail is searched (a head can be long, and
        # a search anchored at its end still tries every position).
        cut = max(0, len(head) - SUBJECT_TAIL)
        kept, tail = head[:cut], head[cut:]
        for _ in range(2):
            aux = self._auxiliaries_start(tail)
            # "The report said": "report" may stand between a subject and its verb ("Amnesty in a
            # report said"), but not when only an article is left before it.
            if aux < len(tail) and not _ends_with_article(kept + tail[:aux]):
                tail = tail[:aux]
            tail = _APPOSITION.sub(" ", tail.rstrip() + " ").rstrip()
        return (kept + tail).rstrip()

    def _auxiliaries_start(self, tail: str) -> int:
        """Where the run of auxiliaries that ends ``tail`` starts ("… has also previously "),
        each a whole word followed by blanks; ``len(tail)`` when there is none."""
        start = len(tail)
        while (end := len(tail[:start].rstrip())) < start:
            word_at = _word_start(tail, end)
            if word_at < end and tail[word_at:end].lower() in self.auxiliary_words:
                start = word_at
                continue
            lowered = tail[:end].lower()
            for phrase in self.auxiliary_phrases:  # "has also", "'s"
                at = end - len(phrase)
                if lowered.endswith(phrase) and _bounded_at(tail, at):
                    start = at
                    break
            else:
                break
        return start

    @staticmethod
    def _affiliated_person(doc: Document, sentence: Sentence, head: str) -> str | None:
        """ "Greg Scarlatoiu of the Committee for Human Rights in North Korea puts …": the
        person speaks, whatever body and place follow the name."""
        end_abs = sentence.start + len(head)
        for name in doc.names_in(sentence.start, end_abs):
            if name.kind != "person" or name.end >= end_abs:
                continue
            rest = doc.text[name.end:end_abs]
            if re.match(r"\s+of\s+(?:the\s+)?[A-Z]", rest) and not re.search(r"[,;:]", rest):
                return doc.text[name.start:name.end]
        return None

    def _previous_source(self, doc: Document, sentence: Sentence, depth: int) -> str | None:
        if sentence.index == 0 or depth >= 2:
            return None
        cues = self.cues(doc, doc.sentences[sentence.index - 1], depth + 1)
        return min(cues)[2] if cues else None

    def _walk_back(self, doc: Document, sentence: Sentence, head: str) -> str | None:
        """A subject phrase ending at the verb: capitalised words or a source-noun phrase."""
        # Read from the end of the reversed head: a run of word characters reversed is the same
        # run, and only the last few words before the verb are needed, not every word before.
        taken: list[tuple[int, int, str]] = []  # (start, end, word), the last word first
        for t in _SUBJECT_WORD.finditer(head[::-1]):
            start, end = len(head) - t.end(), len(head) - t.start()
            gap = head[end: taken[-1][0] if taken else len(head)]
            if gap.strip():
                break  # punctuation between words ends the phrase
            w = head[start:end]
            lw = w.lower()
            if lw in STOP_WORDS and lw not in ("and", "of") and not w[:1].isupper():
                break
            if lw in ("the", "a", "an"):
                break
            taken.append((start, end, w))
            if len(taken) >= 6:
                break
        while taken and taken[-1][2].lower() in ("and", "of"):
            taken.pop()
        if not taken:
            return None
        taken.reverse()
        words = [w for _, _, w in taken]
        headword = re.sub(r"['’]s$", "", words[-1]).lower()
        caps = all(w[:1].isupper() for w in words if w.lower() != "and")
        named_after_role = any(w.lower() in self.source_nouns for w in words) and words[-1][:1].isupper()
        speaks = headword in self.source_nouns or headword in self.by_nouns  # "the paper said"
        if not (speaks or (caps and len(words) <= 5) or named_after_role):
            return None
        if caps and len(words) == 1 and taken[0][0] == 0 and not speaks:
            return None  # a capitalised first word alone is no evidence of a name
        start_abs, end_abs = sentence.start + taken[0][0], sentence.start + taken[-1][1]
        if any(p.start <= start_abs and end_abs <= p.end and p.kind != "country"
               for p in doc.places_in(sentence.start, start_abs + 1)):
            return None  # "… a plant in Dandong said": a city does not speak
        phrase = head[taken[0][0]:taken[-1][1]]
        return self._with_role(doc, sentence, phrase, taken[0][0])

    def _with_role(self, doc: Document, sentence: Sentence, phrase: str, start: int) -> str:
        """"a U.N. investigator" → "U.N. investigator (Marzuki Darusman)" when the next
        sentences name the person the indefinite role introduces."""
        head = phrase.split()[-1].lower() if phrase.split() else ""
        before = sentence.text[:start].rstrip().lower()
        if head in self.titles and (before.endswith(" a") or before.endswith(" an") or before in ("a", "an")):
            after = sentence.start + start + len(phrase)
            limit = doc.sentences[min(sentence.index + 2, len(doc.sentences) - 1)].end
            for name in doc.names_in(after, limit + 1):
                if name.kind == "person" and after <= name.start <= limit:
                    return f"{phrase} ({name.name})"
        return phrase

    @staticmethod
    def _last_person(doc: Document, before: int) -> str | None:
        last: NameMention | None = None
        for name in doc.names_in(0, before):
            if name.kind == "person" and name.end <= before:
                last = name
        return doc.text[last.start:last.end] if last else None
