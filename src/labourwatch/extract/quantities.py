"""Quantity mentions: numbers in digits and words, scales, currencies, ranges, units, rates.

A mention is built in three steps over one sentence: *atoms* (a number with its scale
and currency), joined into *ranges* by "to", "or", a dash or "between … and"; then the
*tail* after it (%, a time unit, a counted noun, a period) and the *prefix* before it (a
qualifier, or a word that makes the number an identifier, a date or an age).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from labourwatch.extract.cues import clause_of
from labourwatch.extract.document import Claim, Document, Sentence
from labourwatch.extract.patterns import BreakScan, literal_alternation

# A preposition of time just before a number: "in 2016", "since 1995", "until 2020".
_TIME_PREPOSITION = re.compile(r"\b(?:in|since|until|till|during|before|after|early|late|mid)\s*$",
                               re.IGNORECASE)


@dataclass
class Atom:
    start: int  # within the sentence
    end: int
    value: float
    number: float  # the number before its scale
    currency: str | None
    scaled: bool
    word: bool  # written in words
    vague: bool = False


# Look-behind searches read at most this much text before a number: qualifiers, cues and
# periods stand right before it. Searching the whole sentence for each number made the time
# quadratic (and worse) in the sentence's length.
NEAR = 160
QUALIFIER_SPAN = 48  # "approximately", "in excess of", "as many as": the longest are shorter
CONTEXT = 600  # how far back a bare number's counted noun is looked for
MAX_COUNTRIES = 250  # no count of countries is larger: "another 10,000" counts something else

_COUNT_CUE_STEMS = ("figure", "number", "total", "tally", "count", "estimat", "put", "reach", "exceed",
                    "down", "up", "rose", "fell", "risen", "fallen", "increas", "decreas", "dropped",
                    "grew", "grown", "climb", "jump", "declin", "stood", "stand", "peak", "high", "low",
                    "another", "further", "additional")
_IN_PLACE = re.compile(r"\s+(?:(?:are|were|is|was|remain|remained|work|worked|working|live|lived)\s+)?"
                       r"in\s+(?:the\s+)?[A-Z]")  # "nine in Russia", "90 are in China"
_PLACE_PAREN = re.compile(r"[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*\s*\($")  # "Equatorial Guinea ("
_PERIOD_APART = re.compile(
    r"\b(?:each|every|a|an|per)\s+(month|year|week|day)\b|\b(monthly|annually|yearly|weekly|daily)\b"
)
_PERIOD_WORDS = {"month": "month", "year": "year", "week": "week", "day": "day", "monthly": "month",
                 "annually": "year", "yearly": "year", "weekly": "week", "daily": "day"}
_CLOCK = re.compile(r"\s*(?:a\.m\.|p\.m\.|am|pm)\b", re.IGNORECASE)
_DAYS = re.compile(r"\b(?:days?|shifts?|workdays?)\b")
# The last word before a number and what parts them, read on the reversed prefix: a search
# anchored at the end of a string is tried from every position of it.
_PREVIOUS_WORD_REVERSED = re.compile(r"(\W*?)([\w.'/]+)")
# "March 22, " before a year: the year of a date.
_DAY_OF_MONTH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},\s*$", re.IGNORECASE)
_WORD_AFTER = re.compile(r"[\s-]+([a-z]+)", re.IGNORECASE)
_FROM = re.compile(r"\bfrom\s*$", re.IGNORECASE)
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
# Words after a bare number that say it counts people: "2.6 million living in servitude",
# "41 working at Leisure Clothing", "up to 1,000 may be working in the EU".
_PEOPLE_AFTER = re.compile(
    r"\s+(?:(?:are|were|is|was|(?:may|might|could|would|will|can)\s+(?:still\s+)?be)\s+)?(?:still\s+)?"
    r"(?:living|working|employed|toiling|stationed|based|deployed|detained|held|imprisoned|enslaved)\b",
    re.IGNORECASE,
)
_OR_MORE = re.compile(r"\s+or\s+(more|over|above|less|fewer|under)\b", re.I)


@dataclass
class _Reading:
    """What the words around a number say of it, filled in step by step."""

    unit: str | None
    end: int
    currency: str | None = None
    per: str | None = None
    noun: str | None = None
    nationality: str | None = None
    off: bool = False
    noun_at: tuple[int, int] | None = None
    qualifier_extra: str | None = None


class QuantityFinder:
    """Finds quantity claims in each sentence; their variable, source and place come later."""

    name = "quantities"

    def __init__(self, vocab: dict[str, Any]) -> None:
        numbers, units, currencies = vocab["numbers"], vocab["units"], vocab["currencies"]
        self.word_values: dict[str, float] = {**numbers["units"], **numbers["tens"]}
        self.scales: dict[str, float] = dict(numbers["scales"])
        self.scales["dozen"] = 12
        self.abbreviations: dict[str, float] = numbers["scale_abbreviations"]
        self.vague: dict[str, float] = numbers["vague_multiples"]
        self.symbols: dict[str, str] = currencies["symbols"]
        aliases = currencies.get("code_aliases", {})
        self.codes: dict[str, str] = {c: aliases.get(c, c) for c in currencies["codes"]}
        self.currency_names: dict[str, str] = currencies["names"]

        ones = literal_alternation([w for w, v in numbers["units"].items() if 1 <= v <= 9])
        tens = literal_alternation(list(numbers["tens"]))
        unit_words = literal_alternation([w for w in numbers["units"] if w != "dozen"])
        scale_words = literal_alternation(list(self.scales))
        numword = (
            rf"(?:(?:{tens})(?:[- ](?:{ones}))?\b|(?:{unit_words})\b|half\s+a(?=\s+(?:{scale_words}))"
            rf"|a(?=\s+(?:{scale_words})\b))"
        )
        digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
        long_abbr = literal_alternation([a for a in self.abbreviations if len(a) > 1])
        short_abbr = literal_alternation([a for a in self.abbreviations if len(a) == 1])
        # The atom regex runs on ascii-lowered text (same offsets), case-sensitively: fast.
        self.symbols = {k.lower(): v for k, v in self.symbols.items()}
        pre = "|".join(
            [re.escape(s) for s in sorted(self.symbols, key=len, reverse=True)]
            + [rf"{c.lower()}\s?(?=\d)" for c in sorted(self.codes)]
        )
        post = literal_alternation([n.lower() for n in self.currency_names] + [c.lower() for c in self.codes])
        # A number may not follow a word character, ".,:/#" ("v2", "1.5", "10:30", "#3") or a
        # letter and a hyphen ("COVID-19"); the second is checked on each match (see _numbers).
        self.number_scan = BreakScan(
            rf"""(?P<pre>{pre})?\s?
            (?P<num>{digits}|{numword})
            (?:(?:\s|-)?(?P<scale>(?:{scale_words})(?:\s+(?:{scale_words}))?)\b
               |\s?(?P<long>{long_abbr})\b
               |(?P<short>{short_abbr})\b)?
            (?:\s?(?P<post>{post})\b)?""",
            breaks=r"[^\w.,:/\#]", flags=re.VERBOSE,
        )
        self.vague_re = re.compile(rf"(?:{literal_alternation(list(self.vague))})\b")
        self.range_sep = re.compile(r"\s*(?:-|–|—|to|or|and)\s*$", re.IGNORECASE)
        self.between = re.compile(r"\b(?:between|from)\s*$", re.IGNORECASE)

        q = vocab["qualifiers"]
        self.qualifiers = [(p.lower(), kind) for kind in ("about", "at_least", "at_most") for p in q[kind]]
        self.qualifiers.sort(key=lambda pk: len(pk[0]), reverse=True)
        self.qualifier_re = re.compile(
            r"(?:^|[\s(\"“])(" + literal_alternation([p for p, _ in self.qualifiers]) + r")\s*$",
            re.IGNORECASE,
        )
        self.qualifier_kind = dict(self.qualifiers)

        self.percent_re = re.compile(
            r"\s?(?:%|％|" + literal_alternation([p for p in units["percent"] if p != "%"]) + r")(?!\w)",
            re.IGNORECASE,
        )
        self.time_units = {w: unit for unit, words in units["time"].items() for w in words}
        time_alt = literal_alternation(list(self.time_units))
        self.hour_day_re = re.compile(
            r"(?:\s|-)?(?:hours?|hrs?)(?:\s|-)(?:" + literal_alternation(units["hour_day_nouns"]) + r")\b",
            re.I,
        )
        self.time_re = re.compile(rf"(?:\s|-)?({time_alt})\b", re.IGNORECASE)
        self.off_re = re.compile(r"\s+(?:off|of rest|rest)\b", re.IGNORECASE)
        self.age_re = re.compile(r"[\s-]?years?[\s-]old\b|-year\b", re.IGNORECASE)
        self.period_of = {p: per for per, phrases in units["periods"].items() for p in phrases}
        # "per month", "a month on average", "per worker per month", "($650) a month"
        self.period_re = re.compile(
            r"\)?\s*(?:\([^()]{1,40}\)\s*)?,?\s*(?:on average,?\s+)?"
            r"(?:(?:per|for each|for every|a|each)\s+(?:worker|labou?rer|employee|head|person)\s+)?"
            r"(" + literal_alternation(list(self.period_of)) + r")\b",
            re.IGNORECASE,
        )
        self.prefix_period_re = re.compile(
            r"\b(monthly|annual|annually|yearly|weekly|daily)\b[^,.;:]{0,80}$", re.IGNORECASE
        )
        self.prefix_period = {"monthly": "month", "annual": "year", "annually": "year",
                              "yearly": "year", "weekly": "week", "daily": "day"}
        nouns: dict[str, str] = {}
        for unit, words in units["nouns"].items():
            for w in words:
                nouns[w.lower()] = unit
        for names in vocab["places"]["demonyms"].values():
            for d in names:
                if d.endswith("s") or d in ("Chinese", "Vietnamese", "Japanese", "Senegalese", "Maltese"):
                    nouns[d.lower()] = "person"
        self.nouns = nouns
        self.plain_nouns = {w.lower() for w in units["plain_nouns"]}
        self.not_plural = {w.lower() for w in units["not_plural"]}
        self.modifier_words = {w.lower() for w in units["modifiers"]} | _MODIFIER_STOP_WORDS
        self.demonym_country = {
            d.lower(): code for code, names in vocab["places"]["demonyms"].items() for d in names
        }
        self.identifier_words = {w.lower() for w in units["identifier_words"]}
        self.months = {m.lower() for m in units["months"]}
        # Capitalised: "12 May 2019" is a date, "1,000 may be working" is not.
        months = [m.capitalize() for m in units["months"]] + [m.upper() for m in units["months"]]
        self.month_after_re = re.compile(r"\s+(?:" + literal_alternation(months) + r")\b")
        self.count_cue_re = re.compile(
            r"(?:\b(?:figure|number|total|tally|count|estimate|estimates)\b[^.;]{0,90}?\b(?:at|to|of|was|is|"
            r"were|stood at|reached)|\b(?:estimated|put|numbered|totall?ed|reached|exceeded)(?:\s+at)?"
            r"|\b(?:stood|stands|standing|peaked|peaking|peak|high|low)\s+(?:at|of)"
            r"|\b(?:another|a further|an additional)"
            r"|\b(?:down|up|rose|fell|risen|fallen|increased|decreased|dropped|grew|declined)\s+(?:from|to))\s*$",
            re.IGNORECASE,
        )
        # "increased to 22 in March 2014 and to 72 in 2015": a later step of the same change.
        self.change_step_re = re.compile(
            r"\b(?:rose|risen|fell|fallen|increased|decreased|dropped|grew|grown|declined|climbed|jumped)\b"
            r"[^.;]{0,160}(?:,|\band)\s+(?:then\s+)?(?:to|from)\s*$",
            re.IGNORECASE,
        )
        self.ratio_re = re.compile(r"\b(?:one|1)\s+in\s+(?:every\s+)?$", re.IGNORECASE)
        self.of_currency_re = re.compile(
            r"\s+of\s+(" + literal_alternation(list(self.currency_names)) + r")\b", re.IGNORECASE
        )
        self.fractions = {k.lower(): float(v) for k, v in numbers.get("fractions", {}).items()}
        self.denominators = {k.lower(): float(v) for k, v in numbers["fraction_denominators"].items()}
        self.numerators = {w: v for w, v in self.word_values.items() if 1 <= v <= 9} | {"a": 1.0}
        fraction = (rf"(?:(?P<n>{literal_alternation(list(self.numerators))})[\s-]+"
                    rf"(?P<d>{literal_alternation(list(self.denominators))})|(?P<x>{literal_alternation(list(self.fractions))}))")
        # "four-fifths of their pay", or a change "by a quarter"; not "the first half of 2019",
        # "half of the year": a fraction of time is a date.
        # Run on the lowered sentence; few sentences hold a fraction word at all, and the
        # look-behinds cost at every position: a plain search for the words comes first.
        self.fraction_re = re.compile(
            rf"(?<!first )(?<!second )(?<!latter )(?<!former )(?<![\w-])(?P<by>by\s+)?(?P<f>{fraction})"
            r"(?(by)\b(?!\s+of\b)|\s+of\b(?!\s+(?:the\s+)?(?:\d{4}|year|decade|century|month|week|day|season|term)s?\b))"
        )
        self.fraction_word_re = re.compile(literal_alternation([*self.denominators, *self.fractions]))
        self.of_them_re = re.compile(r"\s+of\s+(them|those|these|us|whom|which)\b", re.IGNORECASE)
        self.subject_verb_re = re.compile(
            r"\s+(?:more\s+|others?\s+)?(?:were|are|was|is|have|had|remain|remained|work|worked|live|lived|"
            r"stay|stayed|returned|left|arrived)\b", re.IGNORECASE,
        )
        self.word_re = re.compile(r"\s+([^\W\d_][\w'’.-]*)")
        self.context_noun_re = re.compile(
            r"\b(" + literal_alternation([n for n, u in nouns.items() if u == "person"]) + r")\b",
            re.IGNORECASE,
        )

    # -- atoms ---------------------------------------------------------------------------
    def _number(self, raw: str) -> tuple[float, bool]:
        s = raw.lower().replace(",", "")
        try:
            return float(s), False
        except ValueError:
            pass
        s = re.sub(r"\s+", " ", s)
        if s.startswith("half"):
            return 0.5, True
        if s == "a":
            return 1.0, True
        total = 0.0
        for part in re.split(r"[- ]", s):
            total += self.word_values.get(part, 0)
        return total, True

    def _atom(self, start: int, end: int, m: re.Match[str], sentence: str) -> Atom | None:
        number, word = self._number(m.group("num"))
        currency = None
        if m.group("pre"):
            p = m.group("pre").strip()
            currency = self.symbols.get(p.lower()) or self.codes.get(p.upper())
        if m.group("post"):
            p = m.group("post")
            currency = currency or self.currency_names.get(p.lower()) or self.codes.get(p.upper())
        scale = 1.0
        if m.group("scale"):
            for w in m.group("scale").lower().split():
                scale *= self.scales[w]
        elif m.group("long"):
            scale = self.abbreviations[m.group("long").lower()]
        elif m.group("short"):
            if currency is None:  # "100m" may be metres; only "$100m" is a scale
                return None
            scale = self.abbreviations[m.group("short").lower()]
        if end < len(sentence) and sentence[end].isalnum():  # "1960s", "5G", "1st", "3D"
            return None
        return Atom(start, end, number * scale, number, currency, scale != 1.0, word)

    def atoms(self, sentence: str) -> list[Atom]:
        """Numbers and vague amounts ("hundreds"), in order; at one place, a number first."""
        out: list[Atom] = []
        pos = 0
        number = vague = None
        while True:
            # Each kind's next match is kept until the scan passes it: a later search from
            # further on would find the same one.
            if number is None or number[0] < pos:
                number = self._next_number(sentence, pos)
            if vague is None or vague.start() < pos:
                vague = self.vague_re.search(sentence, pos)
            if number is not None and (vague is None or number[0] <= vague.start()):
                start, end, m = number
                atom = self._atom(start, end, m, sentence)
            elif vague is not None:
                start, end = vague.span()
                v = self.vague[vague.group().lower()]
                atom = Atom(start, end, v, v, None, True, True, vague=True)
            else:
                return out
            if atom is not None:
                out.append(atom)
            pos = max(end, start + 1)

    def _next_number(self, sentence: str, pos: int) -> tuple[int, int, re.Match[str]] | None:
        while (found := self.number_scan.search(sentence, pos)) is not None:
            start = found[0]
            if start < 2 or sentence[start - 1] != "-" or not sentence[start - 2].isalpha():
                return found
            pos = start + 1  # "COVID-19": a letter and a hyphen before it
        return None

    # -- one mention ---------------------------------------------------------------------
    def __call__(self, doc: Document) -> None:
        previous = None
        antecedent = None
        for sentence in doc.sentences:
            claims = self.in_sentence(sentence, previous, antecedent)
            doc.claims.extend(claims)
            counted = [c for c in claims if c.noun is not None]
            # A count that names no noun may take one from this sentence or the one before.
            antecedent = counted[-1] if counted else (
                antecedent if antecedent is not None and previous is not None
                and antecedent.sentence == previous.index else None)
            previous = sentence

    def in_sentence(self, sentence: Sentence, previous: Sentence | None = None,
                    antecedent: Claim | None = None) -> list[Claim]:
        text = sentence.text
        atoms = self.atoms(sentence.lower)
        claims: list[Claim] = []
        i = 0
        while i < len(atoms):
            first = last = atoms[i]
            is_range = False
            if i + 1 < len(atoms):
                nxt = atoms[i + 1]
                gap = text[first.end:nxt.start]
                sep = self.range_sep.match(gap) if len(gap) <= 7 else None
                if sep and (
                    "and" not in gap.lower()
                    or self.between.search(text[max(0, first.start - QUALIFIER_SPAN):first.start])
                ) and not first.vague and not nxt.vague:
                    last, is_range = nxt, True
                    i += 1
            i += 1
            claim = self._claim(sentence, first, last, is_range, previous, antecedent)
            if claim is not None:
                self._period_apart(sentence, claim)
                claims.append(claim)
                if claim.noun is not None:
                    antecedent = claim
        claims += self._fractions(sentence, [(c.start, c.end) for c in claims])
        return claims

    def _period_apart(self, sentence: Sentence, claim: Claim) -> None:
        """A period said apart from the number, later in its clause: "more than $100 million
        from this system per year", "$100 of their salaries each month"; working hours on
        "days" are per day ("long days of 18 hours or more")."""
        money = claim.unit is not None and len(claim.unit) == 3 and claim.unit.isupper()
        if claim.per is not None or not (money or claim.unit == "hour"):
            return
        a, b = clause_of(sentence, claim.start, claim.end)
        after = sentence.lower[claim.end - sentence.start:b]
        if claim.unit == "hour":
            if _DAYS.search(sentence.lower[a:b]):
                claim.per = "day"
            return
        if m := _PERIOD_APART.search(after):
            claim.per = _PERIOD_WORDS[m.group(1) or m.group(2)]

    def _fractions(self, sentence: Sentence, taken: list[tuple[int, int]]) -> list[Claim]:
        """"a third of their wages", "cut by a quarter": a share, in percent, with the qualifier
        before it."""
        out: list[Claim] = []
        lowered = sentence.lower
        if not self.fraction_word_re.search(lowered):  # most sentences need no scan
            return out
        for m in self.fraction_re.finditer(lowered):
            start, end = sentence.start + m.start("f"), sentence.start + m.end("f")
            if any(a < end and start < b for a, b in taken):
                continue
            value = self._fraction_value(m)
            if value is None:
                continue
            near = sentence.text[max(0, m.start() - QUALIFIER_SPAN): m.start()]
            qm = self.qualifier_re.search(near)
            qualifier = self.qualifier_kind[qm.group(1).lower()] if qm else "exact"
            low, high = bounds(qualifier, value, value)
            out.append(Claim(start=start, end=end, low=low, high=high, unit="percent", per=None,
                             qualifier=qualifier, sentence=sentence.index))
        return out

    def _fraction_value(self, m: re.Match[str]) -> float | None:
        if m.group("x"):
            return self.fractions[re.sub(r"\s+", " ", m.group("x").lower())]
        numerator = self.numerators[m.group("n").lower()]
        denominator = self.denominators[m.group("d").lower()]
        if numerator >= denominator:  # "two halves", "five fifths": not a share
            return None
        return round(100 * numerator / denominator, 2)

    def _claim(self, sentence: Sentence, first: Atom, last: Atom, is_range: bool,
               previous: Sentence | None = None, antecedent: Claim | None = None) -> Claim | None:
        """The claim a number (or a range from ``first`` to ``last``) makes, read in steps: not
        an identifier, date or age; money words and "or more"; the unit after it; else the
        noun its context counts; not a bare year or "one"; the period; the qualifier."""
        text = sentence.text
        prefix = text[max(0, first.start - NEAR): first.start]
        if self._not_a_quantity(text, prefix, first, last):
            return None
        currency = first.currency or last.currency
        reading = _Reading(unit=currency, end=last.end, currency=currency)
        self._read_money_and_more(text, first, reading)
        if reading.unit is None:
            self._read_unit_after(text, reading)
        if reading.unit is None and not self._read_context_noun(
            sentence, previous, prefix, first, last, reading, antecedent
        ):
            return None
        if self._a_year_or_one(text, first, is_range, reading.unit, reading.currency, prefix):
            return None
        or_more = self._read_period(text, prefix, reading, reading.currency)
        qualifier = self._qualifier(prefix, first, is_range, reading.qualifier_extra, or_more)
        low_v, high_v = first.value, last.value
        if is_range and not first.scaled and last.scaled and first.value <= last.number:
            # "1.2 to 2.3 billion", "1,200 and 2,300 million": the scale serves both ends
            low_v = first.value * (last.value / last.number if last.number else 1)
        low, high = bounds(qualifier, low_v, high_v)
        base = sentence.start
        return Claim(
            start=base + first.start, end=base + reading.end, low=low, high=high, unit=reading.unit,
            per=reading.per, qualifier=qualifier, sentence=sentence.index, noun=reading.noun,
            nationality=reading.nationality, off=reading.off, noun_at=reading.noun_at,
        )

    def _not_a_quantity(self, text: str, prefix: str, first: Atom, last: Atom) -> bool:
        """An identifier ("Resolution 2397", "No. 5"), a date ("May 2019"), an age or a clock time."""
        prev_word = _PREVIOUS_WORD_REVERSED.match(prefix[-QUALIFIER_SPAN:][::-1])
        prev = prev_word.group(2)[::-1].lower() if prev_word else ""
        # "Resolution 2397", "June 5": the word names the number only when nothing parts them
        # ("in June, 150 workers", "in a recent case, 14 North Koreans").
        adjacent = prev_word is not None and not prev_word.group(1).strip()
        if adjacent and (prev in self.identifier_words or prev in self.months):
            return True
        if prefix.endswith(("#", "No. ")):
            return True
        if _YEAR.fullmatch(text[first.start:first.end]) and _DAY_OF_MONTH.search(prefix[-QUALIFIER_SPAN:]):
            return True
        tail = text[last.end:]
        if first.word and (d := _WORD_AFTER.match(tail)) and d.group(1).lower() in self.denominators:
            return True  # "two thirds": a fraction, read as a share
        if self.month_after_re.match(tail) and not first.currency:
            return True
        if self.age_re.match(tail) or _CLOCK.match(tail):
            return True
        # "aged 30"; a ratio: "one in every 10 people" (looked for only where its last word is)
        ratio = prev in ("in", "every") and self.ratio_re.search(prefix[-QUALIFIER_SPAN:]) is not None
        return prev == "aged" or ratio

    def _read_money_and_more(self, text: str, first: Atom, reading: _Reading) -> None:
        """"hundreds of millions of dollars"; "50,000+"; "50,000 or more workers"."""
        tail = text[reading.end:]
        if first.vague and reading.unit is None and (oc := self.of_currency_re.match(tail)):
            reading.unit = reading.currency = self.currency_names[oc.group(1).lower()]
            reading.end += oc.end()
            tail = text[reading.end:]
        if tail.startswith("+"):
            reading.qualifier_extra = "at_least"
            reading.end += 1
            tail = text[reading.end:]
        or_more = _OR_MORE.match(tail)
        if or_more:
            more = or_more.group(1).lower() in ("more", "over", "above")
            reading.qualifier_extra = "at_least" if more else "at_most"
            reading.end += or_more.end()

    def _read_unit_after(self, text: str, reading: _Reading) -> None:
        """A percent sign, "12-hour days", a time unit ("days off"), or the counted noun."""
        tail = text[reading.end:]
        if m := self.percent_re.match(tail):
            reading.unit, reading.end = "percent", reading.end + m.end()
        elif m := self.hour_day_re.match(tail):
            reading.unit, reading.per, reading.end = "hour", "day", reading.end + m.end()
        elif m := self.time_re.match(tail):
            reading.unit, reading.end = self.time_units[m.group(1).lower()], reading.end + m.end()
            if reading.unit == "day" and (o := self.off_re.match(text[reading.end:])):
                reading.off, reading.end = True, reading.end + o.end()
        elif found := self._counted_noun(text, reading.end):
            reading.unit, reading.noun, reading.nationality, reading.end = found

    def _read_context_noun(self, sentence: Sentence, previous: Sentence | None, prefix: str,
                           first: Atom, last: Atom, reading: _Reading,
                           antecedent: Claim | None = None) -> bool:
        """A bare number counts what its context counts: "the figure at more than 50,000",
        "some 1,200 of them", "Some 90 are in China, nine in Russia": the nearest noun before it
        that counts people, in its sentence or the one before, or the noun of the last count
        there ("around 130 restaurants"), whichever stands nearer."""
        tail = sentence.text[last.end:]
        of_them = self.of_them_re.match(tail)
        people_after = _PEOPLE_AFTER.match(tail)
        counts = (self._count_cue(prefix) or (last.value >= 100 and self.subject_verb_re.match(tail))
                  or of_them or people_after or self._listed_count(sentence.text, prefix, tail, first, last))
        if not (first.scaled or first.vague or counts):
            return False
        found = self._person_noun_before(sentence, previous, first)
        at = sentence.start + first.start
        if antecedent is not None and _borrows_from(antecedent, at, found, last.value, bool(people_after)):
            reading.unit, reading.noun = antecedent.unit, antecedent.noun
            reading.noun_at = antecedent.noun_at or (antecedent.start, antecedent.end)
            reading.nationality = antecedent.nationality
            return True
        if found is not None:
            (reading.noun, reading.noun_at, reading.nationality) = found
            reading.unit = self.nouns[found[0].lower()]
            return True
        if people_after or (of_them and of_them.group(1).lower() in ("us", "whom")):
            reading.unit = "person"  # "2.6 million living in servitude", "100 of us"
            return True
        return False

    def _person_noun_before(self, sentence: Sentence, previous: Sentence | None, first: Atom
                            ) -> tuple[str, tuple[int, int], str | None] | None:
        """The last noun that counts people before the number, in its sentence or the one
        before: the noun, where it stands, and the nationality said with it."""
        for scope in (sentence, previous):
            if scope is None:
                continue
            end = first.start if scope is sentence else len(scope.text)
            offset = max(0, end - CONTEXT)
            scope_text = scope.text[offset:end]
            context_nouns = list(self.context_noun_re.finditer(scope_text))
            if not context_nouns:
                continue
            ctx = context_nouns[-1]
            noun = ctx.group(1)
            noun_at = (scope.start + offset + ctx.start(), scope.start + offset + ctx.end())
            before = scope_text[max(0, ctx.start() - 20):ctx.start()].lower().split()
            nationality = self.demonym_country.get(" ".join(before[-1:] + [noun.lower()])) \
                or self.demonym_country.get(noun.lower()) \
                or (self.demonym_country.get(" ".join(before[-2:])) if before else None)
            return noun, noun_at, nationality
        return None

    def _listed_count(self, text: str, prefix: str, tail: str, first: Atom, last: Atom) -> bool:
        """Numbers that count what the text counts without repeating the noun: by place
        ("nine in Russia", "Russia (20,000)"), or qualified ("around 53,000", "at least 190")."""
        written = text[first.start:first.end].strip().replace(",", "")
        if not first.word and len(written) == 4 and written[:2] in ("19", "20"):
            return False  # a year
        in_parentheses = bool(_PLACE_PAREN.search(prefix[-40:])) and tail.lstrip()[:1] == ")"
        if _IN_PLACE.match(tail) or in_parentheses:
            return True
        return last.value >= 100 and bool(self.qualifier_re.search(prefix[-QUALIFIER_SPAN:]))

    def _a_year_or_one(self, text: str, first: Atom, is_range: bool, unit: str | None,
                       currency: str | None, prefix: str = "") -> bool:
        """A bare year is a date ("the 2012 report", "in 2016 North Korean workers"); "one
        worker" is a person, not a count."""
        year_like = (not first.word and not currency and not first.scaled
                     and re.fullmatch(r"(1[89]|20)\d\d", text[first.start:first.end].strip()) is not None)
        if year_like and unit not in ("person", "percent", "country", "site", "company"):
            return True
        if year_like and unit == "person" and _TIME_PREPOSITION.search(prefix):
            return True  # a count of people this size is written with a comma: 2,016 workers
        if _FROM.search(prefix) and self._count_cue(prefix):
            return False  # "increased from one worker in 2010 to 11 in 2011": a count
        return first.word and first.value == 1 and not is_range and not first.scaled and unit not in (
            "hour", "day", "week", "month", "year", "percent"
        )

    def _read_period(self, text: str, prefix: str, reading: _Reading, currency: str | None
                     ) -> re.Match[str] | None:
        """"$120 per month", "a monthly $120"; then a trailing "or more", which is returned."""
        m = self.period_re.match(text[reading.end:])
        if m and reading.per is None:
            reading.per, reading.end = self.period_of[m.group(1).lower()], reading.end + m.end()
        elif reading.per is None and currency and (pm := self.prefix_period_re.search(prefix)):
            reading.per = self.prefix_period[pm.group(1).lower()]
        or_more = _OR_MORE.match(text[reading.end:])
        if or_more:
            reading.end += or_more.end()
        return or_more

    def _qualifier(self, prefix: str, first: Atom, is_range: bool, extra: str | None,
                   or_more: re.Match[str] | None) -> str:
        """exact, about, at_least, at_most or range: the later rules win."""
        qualifier = "exact"
        if qm := self.qualifier_re.search(prefix[-QUALIFIER_SPAN:]):
            qualifier = self.qualifier_kind[qm.group(1).lower()]
        if first.vague:
            qualifier = "at_least"
        if extra:
            qualifier = extra
        if or_more:
            qualifier = "at_least" if or_more.group(1).lower() in ("more", "over", "above") else "at_most"
        return "range" if is_range else qualifier

    def _count_cue(self, prefix: str) -> bool:
        """Words that make a bare number a count: "put the figure at", "estimated at", "totalled"."""
        near = prefix[-QUALIFIER_SPAN:]
        qm = self.qualifier_re.search(near)
        head = prefix[: len(prefix) - len(near) + qm.start(1)] if qm else prefix
        window = head[-120:]
        lowered = head[-NEAR:].lower()
        # Every cue holds one of these stems; most windows hold none, and the regex is slow.
        if not any(stem in lowered for stem in _COUNT_CUE_STEMS):
            return False
        return bool(self.count_cue_re.search(window) or self.change_step_re.search(head[-NEAR:]))

    def _counted_noun(self, text: str, pos: int) -> tuple[str, str, str | None, int] | None:
        """The noun a number counts, after up to three modifiers: "200,000 North Korean workers",
        "two giant Robert Mugabe statues", "two of the unnamed ethnic Korean residents"."""
        words = self._words_after(text, pos)
        nationality = None
        for j, (w, _, e) in enumerate(words):
            lw = w.lower()
            if j + 1 < len(words):  # two words first: "construction sites", "degrees Celsius"
                ahead = f"{lw} {words[j + 1][0].lower()}"
                if ahead in self.nouns:
                    return (self.nouns[ahead], f"{w} {words[j + 1][0]}",
                            nationality or self.demonym_country.get(ahead), words[j + 1][2])
                if ahead in self.demonym_country:
                    nationality = self.demonym_country[ahead]
            # "Three Chinese fishing trawlers": a nationality before the noun is no noun.
            modifies = lw in self.demonym_country and any(
                self._noun_like(x.lower()) for x, _, _ in words[j + 1:])
            if lw in self.nouns and not modifies and not (j == 0 and lw in ("states",) and w[0].isupper()):
                return self.nouns[lw], w, nationality or self.demonym_country.get(lw), e
            if (lw in self.plain_nouns or self._plural_noun(lw)) and self._modifiers(words[:j]):
                return _singular(lw), w, nationality, e
            if lw in self.demonym_country:
                nationality = nationality or self.demonym_country[lw]
            nxt = words[j + 1][0].lower() if j + 1 < len(words) else ""
            if nationality and lw.endswith("s") and w[:1].isupper() and not self._noun_like(nxt):
                noun = w if j == 0 else f"{words[j - 1][0]} {w}"
                return "person", noun, nationality, e  # "500 Poles": a plural demonym counts people
            if lw in STOP_WORDS and lw not in _MODIFIER_STOP_WORDS and not w[0].isupper():
                return None
        return None

    def _words_after(self, text: str, pos: int) -> list[tuple[str, int, int]]:
        """Up to four words after a number, each with its offsets, past "of (the)" or "of 176"
        and a short bracket ("14 African (UN) member states"); stopping at punctuation."""
        words: list[tuple[str, int, int]] = []
        p = pos
        if of := _OF_WHAT.match(text, p):
            p = of.end()
        for _ in range(4):
            if bracket := _SHORT_BRACKET.match(text, p):
                p = bracket.end()
            m = self.word_re.match(text, p)
            if not m:
                break
            raw = m.group(1)
            w = raw.rstrip(".")
            words.append((w, m.start(1), m.start(1) + len(w)))
            # An initial or abbreviation ("N. Koreans", "U.S. troops") keeps its period.
            p = m.end(1) if raw != w and (len(w) == 1 or "." in w) else m.start(1) + len(w)
            if text[p:p + 1] not in (" ", "\t"):
                break
        return words

    def _modifiers(self, words: list[tuple[str, int, int]]) -> bool:
        """Words that may stand between a number and its noun: names and nationalities
        ("Robert Mugabe", "Russian"), adjectives by their ending ("medical", "giant"), "other"."""
        return all(
            (w[:1].isupper() and "'" not in w and "’" not in w)
            or w.lower() in self.modifier_words or "-" in w or w.lower().endswith(_ADJECTIVE_ENDINGS)
            for w, _, _ in words
        )

    def _noun_like(self, w: str) -> bool:
        """A known counted noun, a plain unit noun, or a plural."""
        return w in self.nouns or w in self.plain_nouns or self._plural_noun(w)

    def _plural_noun(self, w: str) -> bool:
        return (
            len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ous"))
            and w not in STOP_WORDS and w not in self.not_plural and w.isalpha()
        )


def _borrows_from(antecedent: Claim, at: int, person_noun: tuple[str, tuple[int, int], str | None] | None,
                  value: float, people_after: bool) -> bool:
    """Whether a bare number at ``at`` counts what the earlier count counts: that count stands
    before it, nearer than the last noun for people, and fits it (no 10,000 countries; no
    company noun where the words after the number say people)."""
    where = (antecedent.noun_at or (antecedent.start, antecedent.end))[0]
    return (antecedent.end <= at and antecedent.noun is not None
            and (person_noun is None or person_noun[1][0] < where)
            and not (antecedent.unit == "country" and value > MAX_COUNTRIES)
            and not (people_after and antecedent.unit != "person"))


def bounds(qualifier: str, low: float, high: float) -> tuple[float | None, float | None]:
    """The contract's low/high: a range keeps both ends, "more than" only the low one,
    "up to" only the high one, a point value the same on both."""
    if qualifier == "range":
        return low, high
    if qualifier == "at_least":
        return low, None
    if qualifier == "at_most":
        return None, high
    return low, low


# Endings of adjectives that may stand before a counted noun: "12 medical clinics".
_ADJECTIVE_ENDINGS = ("al", "ic", "ive", "ous", "ful", "ant", "ent", "ian", "ese", "ish", "ary", "ern",
                      "less", "ile", "able", "ible", "ed", "ean", "ing")
_OF_WHAT = re.compile(r"\s+of\b(?:\s+(?:the|these|those|\d[\d,]*)\b)?", re.IGNORECASE)
_SHORT_BRACKET = re.compile(r"\s+\([^()\s]{1,12}\)(?=\s)")
# Stop words that still modify a counted noun: "64 former workers", "300 other labourers".
_MODIFIER_STOP_WORDS = frozenset("former other more several many few various own same".split())


def _singular(w: str) -> str:
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses")):
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w
