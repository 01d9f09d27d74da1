"""Variables: map each claim to the contract's vocabulary from its unit, counted noun and
the cues around it; ``other`` when unsure rather than a wrong guess."""

from __future__ import annotations

import re
from typing import Any

from labourwatch.extract.cues import Cues, clause_of, nearest_cue
from labourwatch.extract.document import Claim, Document, Sentence

# A sentence that goes on about the sum before it: "Of that amount, workers must …".
_OF_THAT = re.compile(r"\W*of (?:that|this|which|it)\b")


class VariableClassifier:
    name = "variables"

    def __init__(self, vocab: dict[str, Any]) -> None:
        v = vocab["variables"]
        p = v["person"]
        self.person_cues = {k: Cues.of(p[k]) for k in
                            ("repatriated", "victims", "workers_at_site", "workers_abroad")}
        self.worker_nouns = {w.lower() for w in p["worker_nouns"]}
        self.victim_nouns = {w.lower() for w in p["victim_nouns"]}
        self.non_worker_nouns = {w.lower() for w in p["non_worker_nouns"]}
        m = v["money"]
        self.revenue = Cues.of(m["revenue"])
        self.pay_cues = {k: Cues.of(m[k]) for k in ("employer_pay", "worker_pay")}
        self.revenue_min = float(m["revenue_min"])
        self.state_takes = Cues.of(m["state_takes"])
        self.handed_over = Cues.of(m["handed_over"])
        self.company_receives = Cues.of(m["company_receives"])
        self.other_income = Cues.of(m["other_income"])
        self.labour_words = Cues.of(m["labour_words"])
        self.small_count = float(p["small_count"])
        self.count_frame = Cues.of(p["count_frame"])
        self.pay_max = float(m["pay_max"])
        s = v["share"]
        self.wage_words = Cues.of(s["wage_words"])
        self.share_cues = {k: Cues.of(s[k]) for k in ("worker_share", "state_share")}
        self.work_words = Cues.of(v["hours"]["work_words"])
        self.host_words = Cues.of(v["countries"]["host_words"])
        self.state_activity = Cues.of(v["countries"]["state_activity"])

    def __call__(self, doc: Document) -> None:
        for claim in doc.claims:
            claim.variable = self.classify(doc, claim)

    def classify(self, doc: Document, claim: Claim) -> str:
        sentence = doc.sentences[claim.sentence]
        unit = claim.unit
        if unit == "person":
            return self._person(doc, sentence, claim)
        if unit == "percent":
            return self._share(sentence, claim)
        if unit == "hour":
            if claim.per in ("day", "week") or self.work_words.search(sentence.lower):
                return "work_hours"
            return "other"
        if unit == "day":
            return "days_off" if claim.off else "other"
        if unit == "country":
            return "host_countries" if self._hosts(doc, sentence, claim) else "other"
        if unit and len(unit) == 3 and unit.isupper():
            return self._money(doc, sentence, claim)
        return "other"

    def _person(self, doc: Document, sentence: Sentence, claim: Claim) -> str:
        label = self._person_role(doc, sentence, claim)
        if label in ("workers_abroad", "workers_at_site") and (
            self._incident(sentence, claim) or (claim.noun or "").lower() in self.non_worker_nouns
        ):
            return "other"
        return label

    def _incident(self, sentence: Sentence, claim: Claim) -> bool:
        """A few people in an event ("two workers died", "12 waitresses fled"), not a workforce."""
        most = max(x for x in (claim.low, claim.high) if x is not None)
        if most >= self.small_count:
            return False
        # The frame may stand before a noun the count borrows: "the number of North Koreans
        # increased to 22 … and to 72".
        frame_start = min(claim.start, claim.noun_at[0]) if claim.noun_at else claim.start
        before = sentence.lower[max(0, frame_start - sentence.start - 40):claim.start - sentence.start]
        return not self.count_frame.search(before)

    def _person_role(self, doc: Document, sentence: Sentence, claim: Claim) -> str:
        noun = (claim.noun or "").lower()
        if noun in self.victim_nouns:
            return "victims"
        cues = dict(self.person_cues)
        if noun in self.worker_nouns:
            cues.pop("victims")
        extra: dict[str, list[tuple[int, int]]] = {"workers_at_site": [], "workers_abroad": []}
        places = [p for p in doc.places_in(sentence.start, sentence.end)
                  if not claim.start <= p.start < claim.end]  # not the nationality of the noun itself
        # "in Abu Dhabi and Dubai": two cities are no one site
        one_city = len({p.name for p in places if p.kind == "city"}) == 1
        for place in places:
            if place.kind == "city":
                if one_city:
                    extra["workers_at_site"].append((place.start, place.end))
            elif place.kind == "region" or place.country not in (claim.nationality, doc.origin()):
                extra["workers_abroad"].append((place.start, place.end))
        # Words say more than places: a place named nearby decides only when no cue word does.
        label = nearest_cue(sentence, claim.start, claim.end, cues) or nearest_cue(
            sentence, claim.start, claim.end, {}, extra)
        if label:
            return label
        if claim.noun_at and not (sentence.start <= claim.noun_at[0] < sentence.end):
            # The count borrowed its noun from the previous sentence: so do its cues.
            label = nearest_cue(doc.sentence_at(claim.noun_at[0]), *claim.noun_at, cues)
            if label:
                return label
        return "workers_abroad" if noun in self.worker_nouns else "other"

    def _hosts(self, doc: Document, sentence: Sentence, claim: Claim) -> bool:
        """Countries that host the workers: said so in the sentence; or the sending state does
        something there ("runs 130 restaurants in some 12 countries"); or the countries are
        listed by name ("The 23 countries are Angola, Burma, …") after a sentence about the
        workers."""
        lower = sentence.lower
        if self.host_words.search(lower):
            return True
        places = doc.places_in(sentence.start, sentence.end)
        origin = doc.origin()
        # The sending state, or where the document does not say whose workers, the country
        # named before the count ("North Korea runs … in some 12 countries").
        actors = {origin} if origin else {p.country for p in places if p.end <= claim.start}
        if any(p.country in actors for p in places) and self.state_activity.search(lower):
            return True
        listed = {p.country for p in places if p.start >= claim.end and p.kind == "country"} - actors
        if len(listed) >= 2 and claim.sentence > 0:
            return bool(self.host_words.search(doc.sentences[claim.sentence - 1].lower))
        return False

    def _share(self, sentence: Sentence, claim: Claim) -> str:
        if not self.wage_words.search(sentence.lower):
            return "other"
        label = nearest_cue(sentence, claim.start, claim.end, self.share_cues)
        return label or "other"

    def _money(self, doc: Document, sentence: Sentence, claim: Claim) -> str:
        amount = max(x for x in (claim.low, claim.high) if x is not None)
        if amount >= self.revenue_min:
            return self._large_sum(sentence, claim)
        if amount < self.pay_max:
            return self._pay(doc, sentence, claim)
        return "other"

    def _large_sum(self, sentence: Sentence, claim: Claim) -> str:
        """Revenue where a revenue cue says the state earns it, unless its clause says it comes
        from another trade and says nothing of labour."""
        a, b = clause_of(sentence, claim.start, claim.end)
        if sentence.text[:a].endswith("("):  # "from missile sales ($1.5 billion)": and the clause before
            a = clause_of(sentence, sentence.start + a - 1, sentence.start + a - 1)[0]
        clause = sentence.lower[a:b]
        if self.other_income.search(clause) and not self.labour_words.search(clause):
            return "other"
        if self.revenue.search(clause) or self.revenue.search(sentence.lower):
            return "revenue"
        return "other"

    def _pay(self, doc: Document, sentence: Sentence, claim: Claim) -> str:
        """Which pay a sum is: handed over to the state in its clause (state_share), else paid by
        the employer or received by the worker, from the cue nearest it."""
        a, b = clause_of(sentence, claim.start, claim.end)
        if self.handed_over.search(sentence.lower[a:b]):  # "hand over $100 of their salaries"
            return "state_share"
        label = nearest_cue(sentence, claim.start, claim.end, self.pay_cues) or "other"
        if label == "worker_pay":
            # "A company … receives 2,500 yuan per month from the Chinese company"; "earns
            # $500 a month, but four-fifths go to the state" (or, in the next sentence, "Of that
            # amount, workers must submit $1,700"): gross pay from the employer.
            after = claim.sentence + 1
            following = doc.sentences[after].lower if after < len(doc.sentences) else ""
            if self.company_receives.search(sentence.lower) or self.state_takes.search(sentence.lower) \
                    or self.handed_over.search(following) or _OF_THAT.match(following):
                return "employer_pay"
        return label
