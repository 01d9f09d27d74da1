"""Organisations and people, from capitalised name sequences, titles, cue words and speech
verbs; each mention tied to one entity per document ("Darusman" to "Marzuki Darusman")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from labourwatch.extract.document import Document, LowerCaseWords, NameMention
from labourwatch.extract.patterns import is_word_char

_WORD = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_CONNECTORS = frozenset("of for the on de la du van von bin al der da del y und &".split())
_CAPITALISED = r"(?:[A-Z]\.){2,}|[A-Z\u00C0-\u00DE\u0100-\u017F][^\W_]*(?:[-'’][^\W_]+)*"
# The first capital is matched before the look-behind that checks what precedes it (a look-behind
# of two characters): a regex that opens with a character class is skipped along by the engine
# to where one could match, one that opens with a look-behind is tried at every character.
_SEQUENCE = re.compile(
    r"[A-Z\u00C0-\u00DE\u0100-\u017F](?<![\w.].)(?:(?<=[A-Z])\.(?:[A-Z]\.)+|[^\W_]*(?:[-'’][^\W_]+)*)"
    rf"(?: (?:(?:of|for|the|on|de|la|du|van|von|bin|al|der|da|del|y|und|and|&) )*"
    rf"(?:\d{{1,4}} )?(?:{_CAPITALISED}))*"
)
_KOREAN_GIVEN = re.compile(r"^[A-Z][a-z]+-[a-z]+$")  # "Yong-ho", "Jong-un"
_INITIAL = re.compile(r"[A-Z]")
_CITED_BEFORE = re.compile(
    r"\b(?:according to|told|citing|quoting|cited by|quoted by|reported by|interviewed by|said)"
    r"\s+(?:the\s+)?$"
)
# One capitalised word framed as a body: "a company called Partner", "watchdog Rospotrebnadzor",
# "state-owned Mansudae"; or followed by what it is: "Josimar magazine", "Koryo Tours".
_BODY_BEFORE = re.compile(
    r"\b(?:called|named|state-owned|state-run|watchdog|agency|newspaper|magazine|outlet|broadcaster"
    r"|platform|website|brand|daily|firm|company|operator|contractor|subcontractor|carrier|airline)\s+$"
)
_BODY_AFTER = re.compile(
    r"\s+(?:magazine|newspaper|daily|news agency|agency|company|corporation|group|brand|website"
    r"|platform|airline|network|broadcaster|tours)\b"
)
# Cited as a body: "said" is left out, for "said Kim Chol" is a person.
_CITED_BODY_BEFORE = re.compile(
    r"\b(?:according to|told|citing|quoting|cited by|quoted by|reported by|interviewed by)\s+(?:the\s+)?$"
)
_LOWER_WORD_BEFORE = re.compile(r"\b[a-z]+\s+(?:the\s+)?$")
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z]{2,8})\)")
# "Chkhe Men Sen, 37, and …": a name with an age after it is a person's.
_AGE_AFTER = re.compile(r",\s*\d{1,2}(?![\d,.])\b")
# "Leisure Clothing, the clothing company owned by …"
_COMPANY_APPOSITION = re.compile(
    r",\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,4}?(?:company|firm|manufacturer|producer|maker|agency|outlet"
    r"|newspaper|broadcaster|brand|operator|supplier|contractor|subcontractor|processor|exporter"
    r"|importer|platform|airline|carrier|charity|organi[sz]ation|ngo|think tank|group)\b"
)
# A news agency in a dateline: "SEOUL (Reuters) -", "Feb 7 (Interfax) -".
_DATELINE_AGENCY = re.compile(r"\)\s*[-–—]")
# Speech verbs that are also plural nouns: "African states", "Index figures" name nobody.
_NOUN_LIKE_VERBS = frozenset(
    "states reports claims notes shows finds details estimates figures records".split()
)


@dataclass(slots=True)
class Word:
    text: str
    start: int
    end: int
    possessive: bool = False

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


_DAY_OR_MONTH = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december".split()
)


def _split_at_dates(seq: list[Word]) -> list[list[Word]]:
    """"The U.S. Department of Justice on Thursday accused …": a connector and a day or month
    end the name."""
    for i in range(1, len(seq)):
        if seq[i].text.lower() in _DAY_OR_MONTH and seq[i - 1].text in _CONNECTORS:
            rest = seq[i + 1:]
            return [part for part in (seq[:i - 1], *_split_at_dates(rest)) if part]
    return [seq]


def _defined_by_acronym(name: str, text: str, end: int) -> bool:
    """Whether "(XYZ)" after a name spells the initials of its capitalised words."""
    m = _ACRONYM_AFTER.match(text, end)
    if not m:
        return False
    initials = "".join(w[0] for w in re.findall(r"[^\W\d_][\w'’-]*", name) if w[0].isupper())
    return len(m.group(1)) >= 2 and initials.endswith(m.group(1))


def _after_lower_word(text: str, word: Word) -> bool:
    """A word alone in running text ("report to Congress"), not one of a title-case line."""
    return _LOWER_WORD_BEFORE.search(text, max(0, word.start - 30), word.start) is not None


def _is_acronym(w: str) -> bool:
    core = w.replace(".", "")
    return len(core) >= 2 and core.isupper() and core.isalpha() and len(core) <= 7


class NameFinder:
    name = "names"

    def __init__(self, vocab: dict[str, Any]) -> None:
        names = vocab["names"]
        self.org_words = {w.rstrip(".") for w in names["organisation_words"]}
        self.acronyms = set(names["acronyms"])
        self.titles = {t.lower() for t in names["titles"]}
        self.not_names = set(names["not_names"])
        self.korean_surnames = set(names["korean_surnames"])
        self.given_names = set(names["given_names"])
        self.speech = {v for v in vocab["attribution"]["speech_verbs"] if " " not in v}
        self.identifier_words = {w.lower() for w in vocab["units"]["identifier_words"]}
        self.title_before = re.compile(
            r"\b(" + "|".join(re.escape(t) for t in sorted(self.titles, key=len, reverse=True))
            + r")\.?\s+$", re.IGNORECASE,
        )
        self.apposition = re.compile(
            r"^,\s+(?:the|a|an|who|former|then)\b[^,.;]{0,60}?\b(" + "|".join(
                re.escape(t) for t in sorted(self.titles, key=len, reverse=True)) + r")\b",
            re.IGNORECASE,
        )

    # -- sequences -----------------------------------------------------------------------
    def sequences(self, text: str) -> list[list[Word]]:
        """Runs of capitalised words, joined by single spaces and name connectors ("of", "for
        the"), split after a possessive and at "and" unless inside "X of A and B"."""
        seqs: list[list[Word]] = []
        for m in _SEQUENCE.finditer(text):
            cur: list[Word] = []
            base, group = m.start(), m.group()
            # "Customs and Border Protection (CBP)": the acronym after it keeps the name whole
            defined = "and" in group and _defined_by_acronym(group, text, m.end())
            for w in _WORD.finditer(group):
                word = Word(w.group(), base + w.start(), base + w.end())
                if len(word.text) > 2 and word.text.endswith(("'s", "’s")):
                    word = Word(word.text[:-2], word.start, word.end - 2, possessive=True)
                if word.text == "and" and not any(x.text in ("of", "on") for x in cur) and not defined:
                    if cur:
                        seqs.append(cur)
                    cur = []
                    continue
                cur.append(word)
                if word.possessive:
                    seqs.append(cur)
                    cur = []
            if cur:
                seqs.append(cur)
        # A name of one word, the most common, has nothing to split.
        return [part for seq in seqs for dated in (_split_at_dates(seq) if len(seq) > 1 else [seq])
                for part in (self._split_at_numbers(text, dated) if len(dated) > 1 else [dated])]

    def _split_at_numbers(self, text: str, seq: list[Word]) -> list[list[Word]]:
        """A number inside a name belongs to it only when an organisation word follows
        ("Korea Rungra 888 Trading Corporation"); "May 2019 Kim Jong Un" is two sequences."""
        for i in range(1, len(seq)):
            gap = text[seq[i - 1].end:seq[i].start]
            if any(ch.isdigit() for ch in gap) and not any(
                w.text.rstrip(".") in self.org_words for w in seq[i:]
            ):
                return [seq[:i], *self._split_at_numbers(text, seq[i:])]
        return [seq]

    # -- classification ------------------------------------------------------------------
    def __call__(self, doc: Document) -> None:
        text = doc.text
        place_chars = _covered(doc.places)
        common = doc.lowercase_words
        people: dict[str, list[tuple[int, int]]] = {}
        orgs: dict[str, list[tuple[int, int]]] = {}
        singles: list[Word] = []
        unproven: list[list[Word]] = []
        sentence_starts = {s.start for s in doc.sentences}
        headlines = [(s.start, s.end) for s in doc.sentences if _is_headline(s.text)]
        framed: list[list[Word]] = []
        for seq in self.sequences(text):
            if any(a <= seq[0].start < b for a, b in headlines):
                continue
            single = seq[0] if len(seq) == 1 else None  # a word alone, before any is trimmed
            if len(seq) == 1 and _INITIAL.fullmatch(seq[0].text):
                # "Mr. A", "Ms. K": a witness the text keeps anonymous, named by title and letter
                titled = self.title_before.search(text, max(0, seq[0].start - 12), seq[0].start)
                if titled:
                    self._add_span(people, text, titled.start(1), seq[0].end)
                continue
            while seq and ((seq[0].text in self.not_names and not self._names_a_body(seq))
                           or seq[0].text in _CONNECTORS or (
                seq[0].start in sentence_starts and len(seq) > 1 and (
                    seq[0].text.lower() in STOP_WORDS or seq[0].text.endswith("ly")))):
                seq = seq[1:]
            while seq and seq[-1].text in _CONNECTORS:
                seq = seq[:-1]
            if not seq:
                continue
            while seq and seq[0].text.endswith("-based"):  # "Seoul-based NK News"
                seq = seq[1:]
            while len(seq) > 1 and seq[-1].text.lower() in self.identifier_words:  # "… Council Resolution"
                seq = seq[:-1]
            if not seq:
                continue
            if all(w.start in place_chars for w in seq):
                continue  # "Russian Federation" is a place
            if any(w.text.rstrip(".") in self.org_words for w in seq) or self._known_person_of(seq):
                person, org = self._person_of_org(seq, common, place_chars)
                if person:
                    self._add(people, text, person)
                # "Construction" alone is a word; "report to Congress" names a body
                if len(org) > 1 or _is_acronym(org[0].text) or (
                        single is not None and _after_lower_word(text, single)
                        and org[0].text.lower() not in common):
                    self._add(orgs, text, org)
                continue
            if len(seq) == 1 and self._named_body(text, seq[0]):  # "writing for Josimar magazine"
                self._add(orgs, text, seq)
                continue
            had_title = False
            while seq and (
                (seq[0].start in place_chars and len(seq) > 1)
                or seq[0].text.lower() in self.titles
                or (_is_acronym(seq[0].text) and len(seq) > 1)
                # a word capitalised only by the sentence before a Korean name, which starts
                # with its family name ("Worker Kim Chol Su said")
                or (seq[0].start in sentence_starts and len(seq) > 2 and seq[1].text in self.korean_surnames
                    and seq[0].text not in self.korean_surnames and seq[0].text not in self.given_names)
            ):
                if self._known_acronym(text, seq[:1]) and seq[0].start not in place_chars:
                    self._add(orgs, text, seq[:1])
                had_title = had_title or seq[0].text.lower() in self.titles
                seq = seq[1:]
            if not seq or all(w.start in place_chars for w in seq):
                continue
            if len(seq) == 1 and _is_acronym(seq[0].text):
                if self._known_acronym(text, seq):
                    self._add(orgs, text, seq)
                continue
            name_like = all(
                w.text.lower() not in common and w.text.lower() not in STOP_WORDS
                and w.text not in self.not_names and not _is_acronym(w.text)
                for w in seq
            )
            # "Kim Jong Un", "Simon Cockerell": a Korean family name or a common given name first
            known_first = 2 <= len(seq) <= 3 and (
                seq[0].text in self.korean_surnames or seq[0].text in self.given_names
            )
            if len(seq) > 1 and self._named_by_kind(text, seq):  # "the airline Baikal Wings said"
                self._add(orgs, text, seq)
            elif name_like and len(seq) <= (6 if had_title else 4) and (
                had_title or known_first or self._person_evidence(text, seq)
                or any(_KOREAN_GIVEN.match(w.text) for w in seq)
                or (len(seq) > 1 and _AGE_AFTER.match(text, seq[-1].end))
            ) and (len(seq) > 1 or seq[0].start not in sentence_starts or had_title):
                self._add(people, text, seq)
            elif len(seq) > 1 and self._framed_as_body(text, doc.lower, seq, sentence_starts):
                framed.append(seq)
            elif len(seq) == 1 and name_like:
                singles.append(seq[0])
            elif name_like and 2 <= len(seq) <= 3:
                unproven.append(seq)
            elif len(seq) > 1 and not name_like and any(
                w.text.lower() in common for w in seq
            ) and self._subject_of_speech(text, seq):
                self._add(orgs, text, seq)
        # A full name whose surname the text repeats alone ("Marcus Noland … Noland thinks") is
        # a person's, even where no title or verb said so.
        alone = {w.text for w in singles}
        for seq in unproven:
            if seq[-1].text in alone:
                self._add(people, text, seq)
        # A surname alone refers to the person named in full ("Darusman").
        surnames = {name.split()[-1]: name for name in people if " " in name}
        # Korean names put the family name first: "Kim" is Kim Sul Hyang
        surnames |= {name.split()[0]: name for name in people
                     if " " in name and name.split()[0] in self.korean_surnames}
        for w in singles:
            if w.text in surnames:
                people[surnames[w.text]].append((w.start, w.end))
            elif w.text not in self.korean_surnames and self._speaks_or_is_cited(
                text, w, at_sentence_start=w.start in sentence_starts
            ):
                self._add(orgs, text, [w])  # "Interfax reported", "told Reuters": a news outlet
        for short in [n for n in people if " " not in n and n in surnames]:
            people[surnames[short]].extend(people.pop(short))
        for seq in framed:  # a body's name, unless part of a person's ("said Abang Johari")
            written = text[seq[0].start:seq[-1].end]
            if not any(written in name for name in people):
                self._add(orgs, text, seq)
        _every_mention(text, people, orgs)
        for name, spans in people.items():
            for s, e in spans:
                doc.names.append(NameMention(s, e, name, "person"))
        for name, spans in orgs.items():
            for s, e in spans:
                doc.names.append(NameMention(s, e, name, "organisation"))
        # "Leiden Asia Centre" names an organisation, not the region Asia.
        org_spans = [(m.start, m.end) for m in doc.names if m.kind == "organisation"]
        doc.places = [p for p in doc.places if p.kind == "country" or not any(
            a <= p.start and p.end <= b and (a, b) != (p.start, p.end) for a, b in org_spans)]
        doc.names.sort(key=lambda n: n.start)

    def _person_of_org(
        self, seq: list[Word], common: LowerCaseWords, place_chars: set[int]
    ) -> tuple[list[Word], list[Word]]:
        """ "Greg Scarlatoiu of the Committee for Human Rights": a person, then the body they
        belong to; ([], seq) when the words before "of" are not a person's name."""
        cut = next((i for i, w in enumerate(seq) if w.text == "of"), None)
        if cut is None or not 2 <= cut <= 3:
            return [], seq
        before = seq[:cut]
        org = [w for w in seq[cut + 1:] if w.text != "the"] or seq
        looks_like_person = all(
            w.text[:1].isupper() and w.text.rstrip(".") not in self.org_words
            and w.text.lower() not in common and w.text.lower() not in self.titles
            and w.start not in place_chars and not _is_acronym(w.text)
            for w in before
        )
        return (before, org) if looks_like_person else ([], seq)

    @staticmethod
    def _add(bucket: dict[str, list[tuple[int, int]]], text: str, seq: list[Word]) -> None:
        NameFinder._add_span(bucket, text, seq[0].start, seq[-1].end)

    @staticmethod
    def _add_span(bucket: dict[str, list[tuple[int, int]]], text: str, s: int, e: int) -> None:
        name = text[s:e]
        key = next((k for k in bucket if k.lower() == name.lower()), name)
        bucket.setdefault(key, []).append((s, e))

    def _person_evidence(self, text: str, seq: list[Word]) -> bool:
        before = text[max(0, seq[0].start - 60):seq[0].start].lower()
        words_before = re.findall(r"[\w.]+", before)[-6:]
        if any(w in self.titles for w in words_before):
            return True
        after = text[seq[-1].end:seq[-1].end + 90]
        if self.apposition.match(after):
            return True
        return self._subject_of_speech(text, seq)

    def _known_acronym(self, text: str, seq: list[Word]) -> bool:
        """An all-capital word is an organisation when listed, defined in parentheses after
        a name ("(NKDB)"), or the subject of a speech verb; else it may be a dateline or "IT"."""
        w = seq[0]
        if w.text in self.acronyms:
            return True
        if text[w.start - 1:w.start] == "(" and text[w.end:w.end + 1] == ")":
            return True
        return self._subject_of_speech(text, seq)

    def _speaks_or_is_cited(self, text: str, w: Word, at_sentence_start: bool) -> bool:
        """One capitalised word that reports, is quoted or is framed as a body, and is no one's
        surname. At the start of a sentence a capital says nothing ("Workers said nothing"), so
        only being cited or framed counts."""
        cited = bool(_CITED_BEFORE.search(text, max(0, w.start - 30), w.start)) or self._named_body(text, w)
        return len(w.text) > 2 and (cited or (not at_sentence_start and self._subject_of_speech(text, [w])))

    @staticmethod
    def _named_body(text: str, w: Word) -> bool:
        """A word the text frames as a body's name: by what it is called, by its kind after it,
        or as the agency of a dateline."""
        return bool(
            _BODY_BEFORE.search(text, max(0, w.start - 30), w.start)
            or _BODY_AFTER.match(text, w.end)
            or (text[w.start - 1:w.start] == "(" and _DATELINE_AGENCY.match(text, w.end))
        )

    def _names_a_body(self, seq: list[Word]) -> bool:
        """"Korean Herald", "Central Committee": a word that is no name alone ("Korean",
        "Central") begins the name of a body ending in an organisation word; "The" does not."""
        return (len(seq) > 1 and seq[0].text.lower() not in STOP_WORDS
                and seq[-1].text.rstrip(".") in self.org_words)

    def _known_person_of(self, seq: list[Word]) -> bool:
        """"Simon Cockerell of Koryo Tours": a known first name, then "of" a body."""
        cut = next((i for i, w in enumerate(seq) if w.text == "of"), None)
        return cut is not None and 2 <= cut <= 3 and (
            seq[0].text in self.given_names or seq[0].text in self.korean_surnames)

    @staticmethod
    def _named_by_kind(text: str, seq: list[Word]) -> bool:
        """Words named as a body by their kind ("airline Air Koryo", "Koryo Tours, a
        Beijing-based company") or spelled by the acronym after them ("Customs and Border
        Protection (CBP)"): a body, whatever verb follows."""
        start, end = seq[0].start, seq[-1].end
        return bool(
            _BODY_BEFORE.search(text, max(0, start - 30), start)
            or _COMPANY_APPOSITION.match(text, end)
            or _defined_by_acronym(text[start:end], text, end)
        )

    @staticmethod
    def _framed_as_body(text: str, lower: str, seq: list[Word], sentence_starts: set[int]) -> bool:
        """Words the text frames as a body's name where nothing says they are a person's: cited
        ("according to Voice of America", "told The Yomiuri Shimbun") or after a capital "The"
        inside a sentence."""
        start = seq[0].start
        the = text[max(0, start - 4):start] == "The " and start - 4 not in sentence_starts
        return bool(_CITED_BODY_BEFORE.search(lower, max(0, start - 30), start) or the)

    def _subject_of_speech(self, text: str, seq: list[Word]) -> bool:
        m = re.match(r"\s+(?:has |had |also |have )?([a-z]+)", text[seq[-1].end:seq[-1].end + 30])
        return bool(m and m.group(1) in self.speech and m.group(1) not in _NOUN_LIKE_VERBS)


def _every_mention(text: str, *buckets: dict[str, list[tuple[int, int]]]) -> None:
    """A name known from one place is a name wherever the text writes it: "Jin-su, a defector,
    has exposed …" opens a text that only later shows "Jin-su" to be a person."""
    owner = {name: bucket for bucket in buckets for name in bucket}
    if not owner:
        return
    taken = sorted(span for bucket in buckets for spans in bucket.values() for span in spans)
    # Every whole-word place of every name, then the longest at each start, left to right, as an
    # alternation regex would take them (a regex per text cost more to compile than to run).
    found = sorted((at, -len(name), name) for name in owner for at in _whole_words(text, name))
    end = 0
    for at, minus_length, name in found:
        if at < end:
            continue
        end = at - minus_length
        if not any(a < end and at < b for a, b in taken):
            owner[name][name].append((at, end))


def _whole_words(text: str, word: str) -> Iterator[int]:
    """Where ``text`` writes ``word`` with no word character or hyphen on either side."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if not (at and _joins_word(text[at - 1])) and not (end < len(text) and _joins_word(text[end])):
            yield at
        at = text.find(word, at + 1)


def _joins_word(char: str) -> bool:
    return is_word_char(char) or char == "-"


def _is_headline(text: str) -> bool:
    """Title Case lines ("Pocketing Billions From Forced Labor") capitalise every word."""
    if text.rstrip().endswith("."):
        return False
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) > 3 and w.lower() not in STOP_WORDS]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.85 * len(words)


def _covered(spans: list[Any]) -> set[int]:
    return {i for p in spans for i in range(p.start, p.end)}
