"""The ILO's eleven indicators of forced labour, from cue patterns (vocab/indicators.yaml)
and from the claims themselves (20-hour days, one day off a month, a 10% share of wages)."""

from __future__ import annotations

import re
from typing import Any

from labourwatch.extract.cues import Cues
from labourwatch.extract.document import Claim, Document, IndicatorFinding
from labourwatch.extract.patterns import literal_alternation

_NEGATION = re.compile(r"\b(?:not|never|no|n't|without|denied|deny|denies)\W+(?:\w+\W+){0,2}$")
# Words that may stand between a subject and its verb: "the workers would then threaten".
_ADVERBS = ("would|could|will|can|had|have|has|did|then|also|later|allegedly|reportedly|repeatedly|"
            "sometimes|often")
_PASSIVE_AFTER = re.compile(r"\s+(?:with|by)\b")
_NEGATIVE_CUE = re.compile(r"(?:not|no|without|never|cannot|could)\b")


def _top(claim: Claim) -> float | None:
    values = [v for v in (claim.high, claim.low) if v is not None]
    return max(values) if values else None


class IndicatorFinder:
    name = "indicators"

    # Thresholds on claims that show an indicator by themselves.
    LONG_DAY_HOURS = 11
    FEW_DAYS_OFF_PER_MONTH = 2
    WORKER_SHARE_MAX = 50

    # Indicators of what is done to the workers: where the workers themselves do it ("the IT
    # workers would threaten to release the code", "the employees assaulted a manager"), the cue
    # shows nothing of their treatment.
    DONE_TO_WORKERS = ("intimidation_threats", "physical_sexual_violence")

    def __init__(self, vocab: dict[str, Any]) -> None:
        self.cues = Cues(vocab["indicators"])
        workers = literal_alternation(w.lower() for w in vocab["variables"]["person"]["worker_nouns"])
        self.workers_act = re.compile(rf"\b(?:{workers})\s+(?:(?:{_ADVERBS})\s+){{0,3}}$")

    def __call__(self, doc: Document) -> None:
        seen: set[tuple[str, int]] = set()
        text = doc.lower
        for code, start, end in self.cues.finditer(text):
            sentence = doc.sentence_at(start)
            if (code, sentence.index) in seen or start >= sentence.end:
                continue
            before = text[max(sentence.start, start - 40):start]
            if not _NEGATIVE_CUE.match(text, start) and _NEGATION.search(before):
                continue
            if code in self.DONE_TO_WORKERS and self._workers_act(text, start, end, sentence.start):
                continue
            self._add(doc, seen, code, sentence.index, start, end)
        for claim in doc.claims:
            from_claim = self._from_claim(claim)
            if from_claim:
                self._add(doc, seen, from_claim, claim.sentence, claim.start, claim.end)
        doc.indicators.sort(key=lambda f: (f.start, f.indicator))

    def _workers_act(self, text: str, start: int, end: int, sentence_start: int) -> bool:
        """The workers are the subject of the cue's verb, which is no passive ("workers
        threatened with deportation" are threatened)."""
        if _PASSIVE_AFTER.match(text, end):
            return False
        return self.workers_act.search(text, max(sentence_start, start - 60), start) is not None

    def _from_claim(self, claim: Claim) -> str | None:
        top = _top(claim)
        if top is None:
            return None
        if claim.variable == "work_hours" and claim.per == "day" and top >= self.LONG_DAY_HOURS:
            return "excessive_overtime"
        if claim.variable == "days_off" and claim.per == "month" and top <= self.FEW_DAYS_OFF_PER_MONTH:
            return "excessive_overtime"
        if claim.variable == "worker_share" and top <= self.WORKER_SHARE_MAX:
            return "withholding_of_wages"
        if claim.variable == "state_share" and top >= 100 - self.WORKER_SHARE_MAX:
            return "withholding_of_wages"
        return None

    @staticmethod
    def _add(doc: Document, seen: set[tuple[str, int]], code: str, index: int, cue_start: int,
             cue_end: int) -> None:
        if (code, index) in seen:
            return
        seen.add((code, index))
        sentence = doc.sentences[index]
        doc.indicators.append(IndicatorFinding(code, sentence.start, sentence.end, cue_start, cue_end))
