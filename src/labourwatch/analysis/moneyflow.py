"""A model of the money flow: revenue per year = workers abroad × pay per worker per month
× 12 × the share the state takes.

Each input is drawn, in a seeded Monte Carlo, from the claims in the store: a mixture of
the claims (sources weighted equally unless weights are given), each claim's range as a
uniform distribution. Pay comes from ``employer_pay``, or from ``worker_pay`` divided by
``worker_share``; the state's share from ``state_share``, or 1 − ``worker_share``. Any
input can be fixed by hand. Each stated ``revenue`` claim about the same place (the world
with the world, a country with that country) is then placed against the implied
distribution, with the pay per worker it would imply.

The model says which claims each input used and why the others were left out, and refuses
to run where an input rests on fewer than ``MIN_CLAIMS`` claims from as many documents: one
stray figure must not decide a published number. Pay in other currencies is converted to
dollars at its year's average rate (:mod:`labourwatch.analysis.currency`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from labourwatch.analysis.currency import to_usd
from labourwatch.analysis.figures import Value
from labourwatch.errors import AnalysisError, ParameterError
from labourwatch.formatting import money, number
from labourwatch.summary import Link, Summary, Table

# How a claim with one open end becomes a range: "more than 50,000" is drawn from 50,000 to
# 75,000, "up to 20" from 10 to 20; "about" widens a point by ±10%.
OPEN_END_FACTOR = 1.5
ABOUT_WIDTH = 0.10
PERIODS_PER_MONTH = {"month": 1.0, "year": 1 / 12, "week": 52 / 12, "day": 365 / 12}
MIN_CLAIMS = 2  # claims, from as many documents, that an input drawn from claims needs
# input → (variable, unit kind): the claims each input of the model is drawn from
INPUTS = {"workers": ("workers_abroad", "person"), "employer_pay": ("employer_pay", "money"),
          "worker_pay": ("worker_pay", "money"), "worker_share": ("worker_share", "percent"),
          "state_share": ("state_share", "percent")}

FIX_FLAGS = {"employer_pay": "--pay"}  # inputs whose command-line option is not their name


@dataclass
class Input:
    name: str
    values: list[Value]
    fixed: float | None = None
    draws: np.ndarray | None = None
    rule: str = ""  # which claims the input takes, in words
    left_out: list[tuple[Value, str]] = field(default_factory=list)  # claims not used, and why
    scale: dict[int, float] = field(default_factory=dict)  # claim id → factor to the model's unit
    notes: list[str] = field(default_factory=list)  # conversions at another year's rate, …

    @property
    def enough(self) -> bool:
        """Fixed by hand, or drawn from at least MIN_CLAIMS claims of as many documents."""
        documents = {v.document_id for v in self.values}
        return self.fixed is not None or min(len(self.values), len(documents)) >= MIN_CLAIMS

    def describe(self) -> str:
        if self.fixed is not None:
            return f"fixed at {number(self.fixed)} by hand"
        documents = len({v.document_id for v in self.values})
        return (f"{len(self.values)} claims from {len({v.who for v in self.values})} sources in "
                f"{documents} documents")

    def too_little(self) -> str:
        """Why the input cannot be drawn, for the error that refuses to run."""
        flag = FIX_FLAGS.get(self.name, "--" + self.name.replace("_", "-"))
        return (f"{self.name}: {self.describe()} ({self.rule}); the model needs at least {MIN_CLAIMS} "
                f"from {MIN_CLAIMS} documents, or {flag} fixed by hand")


@dataclass
class RevenueCheck:
    value: Value
    stated: float  # midpoint, USD per year
    verdict: str  # "inside the 95% interval", "3.2× above", …
    implied_pay: float | None  # employer pay per worker per month that the stated revenue implies


@dataclass
class MoneyFlowResult:
    place: str | None
    n_draws: int
    seed: int
    inputs: dict[str, Input]
    revenue: np.ndarray  # draws, USD per year
    checks: list[RevenueCheck] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _quantiles: dict[float, float] = field(default_factory=dict, repr=False)

    def quantile(self, q: float) -> float:
        if q not in self._quantiles:
            self._quantiles[q] = float(np.quantile(self.revenue, q))
        return self._quantiles[q]

    @property
    def median(self) -> float:
        return self.quantile(0.5)

    def interval(self, level: float) -> tuple[float, float]:
        tail = (1 - level) / 2
        return self.quantile(tail), self.quantile(1 - tail)

    def to_dict(self) -> dict[str, Any]:
        return {
            "place": self.place,
            "draws": self.n_draws,
            "seed": self.seed,
            "median": self.median,
            "interval_80": list(self.interval(0.8)),
            "interval_95": list(self.interval(0.95)),
            "inputs": {
                k: {
                    "description": i.describe(),
                    "rule": i.rule,
                    "median": _median(i.draws),
                    "fixed": i.fixed,
                    "claims": [v.claim_id for v in i.values],
                    "left_out": [{"claim_id": v.claim_id, "reason": why} for v, why in i.left_out],
                }
                for k, i in self.inputs.items()
            },
            "revenue_claims": [
                {
                    "claim_id": c.value.claim_id,
                    "stated": c.stated,
                    "verdict": c.verdict,
                    "implied_pay_per_month": c.implied_pay,
                    "source": c.value.source,
                    "quote": c.value.quote,
                }
                for c in self.checks
            ],
            "warnings": self.warnings,
        }

    def summary(self) -> Summary:
        """Inputs, the implied revenue and each stated revenue claim against it."""
        lo80, hi80 = self.interval(0.8)
        lo95, hi95 = self.interval(0.95)
        facts = [
            ("model", "revenue per year = workers abroad × pay per worker per month × 12 × state share"),
            ("place", self.place or "all"),
            ("draws", f"{self.n_draws:,} (seed {self.seed})"),
        ]
        facts += [(name, f"median {number(_median(i.draws), significant=3)} ({i.describe()}; {i.rule})")
                  for name, i in self.inputs.items() if i.draws is not None and len(i.draws)]
        facts += [
            ("implied revenue per year", f"median {money(self.median)}"),
            ("80% interval", f"{money(lo80)} – {money(hi80)}"),
            ("95% interval", f"{money(lo95)} – {money(hi95)}"),
        ]
        checks = Table(
            ["stated revenue", "source", "against what the inputs support",
             "implied pay per worker per month"],
            [[Link(money(c.stated), f"#claim-{c.value.claim_id}", c.value.quote[:200]),
              c.value.source or "no source", c.verdict, money(c.implied_pay)] for c in self.checks],
            "stated revenue claims",
        )
        return Summary("Money-flow model", facts, [checks] if self.checks else [], list(self.warnings))


def _median(draws: np.ndarray | None) -> float | None:
    return float(np.median(draws)) if draws is not None and len(draws) else None


def claim_range(v: Value, scale: float = 1.0) -> tuple[float, float] | None:
    """The uniform range a claim stands for, in its own unit times ``scale``."""
    low, high = v.low, v.high
    if low is None and high is None:
        return None
    if low is None and high is not None:
        low = high / OPEN_END_FACTOR
    elif high is None and low is not None:
        high = low * OPEN_END_FACTOR
    assert low is not None and high is not None
    if low == high and v.qualifier == "about":
        low, high = low * (1 - ABOUT_WIDTH), high * (1 + ABOUT_WIDTH)
    return low * scale, high * scale


def draw(
    values: list[Value],
    n: int,
    rng: np.random.Generator,
    scale: dict[int, float] | None = None,
    weights: dict[str, float] | None = None,
) -> np.ndarray:
    """A mixture: pick a source (equal weight, or the weight given), then one of its claims,
    then a value uniformly within that claim's range."""
    ranges = [(v, r) for v in values if (r := claim_range(v, (scale or {}).get(v.claim_id, 1.0)))]
    if not ranges:
        return np.array([])
    grouped: dict[str, list[tuple[float, float]]] = {}
    for v, r in ranges:
        grouped.setdefault(v.who, []).append(r)
    sources = sorted(grouped)
    w = np.array([(weights or {}).get(s, 1.0) for s in sources], dtype=float)
    picked_source = rng.choice(len(sources), size=n, p=w / w.sum())
    out = np.empty(n)
    for i, source in enumerate(sources):
        options = grouped[source]
        idx = np.flatnonzero(picked_source == i)
        choice = rng.integers(0, len(options), size=len(idx))
        lows = np.array([options[c][0] for c in choice])
        highs = np.array([options[c][1] for c in choice])
        out[idx] = rng.uniform(lows, highs)
    return out


def money_flow(
    values: list[Value],
    place: str | None = None,
    n_draws: int = 20_000,
    seed: int = 1,
    workers: float | None = None,
    pay: float | None = None,
    worker_pay: float | None = None,
    worker_share: float | None = None,
    state_share: float | None = None,
    weights: dict[str, float] | None = None,
) -> MoneyFlowResult:
    """Shares are fractions (0.8), pay is USD per worker per month. ``place`` None: the whole
    system, with worker totals from the claims that name no country; else one country's claims."""
    fixed = {"workers": workers, "employer_pay": pay, "worker_pay": worker_pay,
             "worker_share": worker_share, "state_share": state_share}
    _check_fixed(fixed, n_draws)
    inputs = {name: choose_input(name, values, place, fixed[name]) for name in INPUTS}
    _draw_inputs(inputs, n_draws, np.random.default_rng(seed), weights)
    warnings = [note for i in inputs.values() for note in i.notes]
    warnings += [_left_out_line(i) for i in inputs.values() if i.left_out]
    workers_drawn = _drawn(inputs, "workers")
    if workers_drawn is None:
        raise AnalysisError(f"too little evidence: {inputs['workers'].too_little()}")
    state = _state_share(inputs)
    per_month = _employer_pay(inputs, warnings)
    revenue = workers_drawn * per_month * 12 * state
    result = MoneyFlowResult(place, n_draws, seed, inputs, revenue, warnings=warnings)
    # The pay a stated revenue implies: revenue ÷ (median workers × 12 × median state share).
    denominator = float(np.median(workers_drawn)) * 12 * float(np.median(state))
    for v in values:
        if v.variable == "revenue" and v.place == place:  # like with like: the world, or one country
            check = check_revenue(v, result, denominator)
            if check is not None:
                result.checks.append(check)
    return result


def _left_out_line(inp: Input) -> str:
    reasons = Counter(why for _, why in inp.left_out)
    said = "; ".join(f"{n} {why}" for why, n in reasons.most_common())
    return f"{inp.name}: {len(inp.left_out)} claims left out ({said})"


def _check_fixed(fixed: dict[str, float | None], n_draws: int) -> None:
    """Values fixed by hand must make sense: positive counts and pay, shares in [0, 1]."""
    if n_draws < 1:
        raise ParameterError(f"n_draws must be at least 1, not {n_draws}")
    for name, value in fixed.items():
        if value is None:
            continue
        if not np.isfinite(value) or value <= 0:
            raise ParameterError(f"{name} must be a positive number, not {value}")
        if name.endswith("share") and value > 1:
            raise ParameterError(f"{name} is a fraction between 0 and 1, not {value}")


def choose_input(name: str, values: list[Value], place: str | None, fixed: float | None) -> Input:
    """The claims one input is drawn from, each scaled to the model's unit, and those left out
    with the reason. Worker counts must be about the place modelled (the world: claims that
    name no place); pay and shares from any host are samples of one practice unless a place
    is asked for."""
    variable, kind = INPUTS[name]
    if variable == "workers_abroad" or place is not None:
        where = f"placed in {place}" if place else "that name no place (world totals)"
        chosen = [v for v in values if v.variable == variable and v.place == place]
    else:
        where = "from any place"
        chosen = [v for v in values if v.variable == variable]
    inp = Input(name, [], fixed, rule=f"{variable} claims {where}")
    for v in chosen:
        factor, why = _scale(v, kind, inp.notes)
        if factor is None:
            inp.left_out.append((v, why))
        else:
            inp.values.append(v)
            inp.scale[v.claim_id] = factor
    if name == "workers" and place is None:
        _drop_totals_below_countries(inp, values)
    return inp


def _scale(v: Value, kind: str, notes: list[str]) -> tuple[float | None, str]:
    """The factor that brings a claim to the model's unit (USD per month, a fraction, people),
    or None and why it cannot be."""
    if kind == "percent":
        return (0.01, "") if v.unit == "percent" else (None, f"a share in {v.unit}, not percent")
    if kind == "person":
        return (1.0, "") if v.unit == "person" else (None, f"a count of {v.unit}, not people")
    dollars, why = _dollars(v, notes)
    if dollars is None:
        return None, why
    return dollars * PERIODS_PER_MONTH.get(v.per or "month", 1.0), ""


def _dollars(v: Value, notes: list[str]) -> tuple[float | None, str]:
    """US dollars per unit of the claim's currency in its year, or None and why not."""
    if not v.unit or not v.unit.isupper() or len(v.unit) != 3:
        return None, f"{v.unit or 'no unit'} is not a currency"
    conversion = to_usd(v.unit, v.year)
    if conversion.factor is None:
        return None, conversion.note or "not convertible"
    if conversion.note:
        notes.append(f"claim {v.claim_id}: {conversion.note}")
    return conversion.factor, ""


def _drop_totals_below_countries(inp: Input, values: list[Value]) -> None:
    """A world total smaller than what the sources count in one country is no world total
    (a site's or a witness's count that no place was read for): left out, with the reason."""
    per_country: dict[str, list[float]] = {}
    for v in values:
        if v.variable == "workers_abroad" and v.place and v.unit == "person" and v.midpoint:
            per_country.setdefault(v.place, []).append(v.midpoint)
    if not per_country:
        return
    country, counts = max(per_country.items(), key=lambda item: float(np.median(item[1])))
    floor = float(np.median(counts))
    small = [v for v in inp.values if (v.high if v.high is not None else v.low or 0.0) < floor]
    dropped = {v.claim_id for v in small}
    inp.values = [v for v in inp.values if v.claim_id not in dropped]
    inp.left_out += [(v, f"below the median count for {country} alone ({number(floor)})") for v in small]
    inp.rule += f", at least the median count for the largest host ({country}: {number(floor)})"


def _draw_inputs(
    inputs: dict[str, Input], n_draws: int, rng: np.random.Generator, weights: dict[str, float] | None,
) -> None:
    for inp in inputs.values():
        if inp.fixed is not None:
            inp.draws = np.full(n_draws, float(inp.fixed))
        else:
            inp.draws = draw(inp.values, n_draws, rng, inp.scale, weights)


def _drawn(inputs: dict[str, Input], name: str) -> np.ndarray | None:
    """An input's draws, where it rests on enough evidence."""
    inp = inputs[name]
    draws = inp.draws
    return draws if inp.enough and draws is not None and len(draws) else None


def _state_share(inputs: dict[str, Input]) -> np.ndarray:
    """The state's share: stated, else what the workers do not keep."""
    state, kept = _drawn(inputs, "state_share"), _drawn(inputs, "worker_share")
    if state is not None:
        return np.asarray(np.clip(state, 0, 1), dtype=float)
    if kept is not None:
        return np.asarray(np.clip(1 - kept, 0, 1), dtype=float)
    raise AnalysisError("too little evidence for the state's share: "
                        f"{inputs['state_share'].too_little()}; {inputs['worker_share'].too_little()}")


def _employer_pay(inputs: dict[str, Input], warnings: list[str]) -> np.ndarray:
    """Pay per worker per month: the employer's, else the worker's divided by the worker's share."""
    employer, worker, kept = (_drawn(inputs, n) for n in ("employer_pay", "worker_pay", "worker_share"))
    if employer is not None:
        return employer
    if worker is not None and kept is not None:
        warnings.append("employer pay derived from worker pay ÷ worker share")
        return np.asarray(worker / np.maximum(kept, 1e-3), dtype=float)
    raise AnalysisError("too little evidence for the pay: "
                        f"{inputs['employer_pay'].too_little()}; or {inputs['worker_pay'].too_little()} "
                        "with the worker share")


def check_revenue(v: Value, model: MoneyFlowResult, denominator: float) -> RevenueCheck | None:
    """A stated revenue against the range the model's inputs support, in words that describe
    the inputs, not the source: a figure outside them needs other inputs, or is another kind
    of figure (cumulative, or of more than this trade)."""
    dollars, _ = _dollars(v, [])
    if dollars is None or v.midpoint is None:
        return None
    per_year = 12 * PERIODS_PER_MONTH.get(v.per or "year", 1 / 12)
    stated = v.midpoint * per_year * dollars
    lo, hi = model.interval(0.95)
    implied = stated / denominator if denominator > 0 else None
    if lo <= stated <= hi:
        verdict = "within what the inputs support (95% interval)"
    elif stated > hi:
        verdict = (f"more than the inputs support: {stated / hi:.1f}× the top of the 95% interval; "
                   "it needs more workers, higher pay or a larger share than the claims give")
    else:
        verdict = (f"less than the inputs support: {lo / stated:.1f}× under the bottom of the 95% "
                   "interval; it may count one trade, one year or one country")
    if v.per is None:
        verdict += " (a cumulative figure, compared as if yearly)"
    return RevenueCheck(v, stated, verdict, implied)
