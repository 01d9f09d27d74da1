"""Variables: map each claim to the contract's vocabulary from its unit, counted noun and
the cues around it; ``other`` when unsure rather than a wrong guess."""

from __future__ import annotations

from typing import Any

from labourwatch.extract.cues import clause_of, cue_regex, nearest_cue
from labourwatch.extract.document import Claim, Document, Sentence


class VariableClassifier:
    name = "variables"

    def __init__(self, vocab: dict[str, Any]) -> None:
        v = vocab["variables"]
        p = v["person"]
        self.person_cues = {k: cue_regex(p[k]) for k in
                            ("repatriated", "victims", "workers_at_site", "workers_abroad")}
        self.worker_nouns = {w.lower() for w in p["worker_nouns"]}
        self.victim_nouns = {w.lower() for w in p["victim_nouns"]}
        self.non_worker_nouns = {w.lower() for w in p["non_worker_nouns"]}
        m = v["money"]
        self.revenue = cue_regex(m["revenue"])
        self.pay_cues = {k: cue_regex(m[k]) for k in ("employer_pay", "worker_pay")}
        self.revenue_min = float(m["revenue_min"])
        self.state_takes = cue_regex(m["state_takes"])
        self.small_count = float(p["small_count"])
        self.count_frame = cue_regex(p["count_frame"])
        self.pay_max = float(m["pay_max"])
        s = v["share"]
        self.wage_words = cue_regex(s["wage_words"])
        self.share_cues = {k: cue_regex(s[k]) for k in ("worker_share", "state_share")}
        self.work_words = cue_regex(v["hours"]["work_words"])
        self.host_words = cue_regex(v["countries"]["host_words"])

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
            return "host_countries" if self.host_words.search(sentence.lower) else "other"
        if unit and len(unit) == 3 and unit.isupper():
            return self._money(sentence, claim)
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
        before = sentence.lower[max(0, claim.start - sentence.start - 40):claim.start - sentence.start]
        return not self.count_frame.search(before)

    def _person_role(self, doc: Document, sentence: Sentence, claim: Claim) -> str:
        noun = (claim.noun or "").lower()
        if noun in self.victim_nouns:
            return "victims"
        cues = dict(self.person_cues)
        if noun in self.worker_nouns:
            cues.pop("victims")
        extra: dict[str, list[tuple[int, int]]] = {"workers_at_site": [], "workers_abroad": []}
        for place in doc.places_in(sentence.start, sentence.end):
            if claim.start <= place.start < claim.end:
                continue  # the nationality of the counted noun itself
            if place.kind == "city":
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

    def _share(self, sentence: Sentence, claim: Claim) -> str:
        if not self.wage_words.search(sentence.lower):
            return "other"
        label = nearest_cue(sentence, claim.start, claim.end, self.share_cues)
        return label or "other"

    def _money(self, sentence: Sentence, claim: Claim) -> str:
        amount = max(x for x in (claim.low, claim.high) if x is not None)
        if amount >= self.revenue_min:
            a, b = clause_of(sentence, claim.start, claim.end)
            if self.revenue.search(sentence.lower[a:b]) or self.revenue.search(sentence.lower):
                return "revenue"
            return "other"
        if amount < self.pay_max:
            label = nearest_cue(sentence, claim.start, claim.end, self.pay_cues) or "other"
            if label == "worker_pay" and self.state_takes.search(sentence.lower):
                return "employer_pay"  # "earns $500 a month, but four-fifths go to the state"
            return label
        return "other"
