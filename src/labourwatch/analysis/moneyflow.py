"""A model of the money flow: revenue per year = workers abroad × pay per worker per month
× 12 × the share the state takes.

Each input is drawn, in a seeded Monte Carlo, from the claims in the store: a mixture of
the claims (sources weighted equally unless weights are given), each claim's range as a
uniform distribution. Pay comes from ``employer_pay``, or from ``worker_pay`` divided by
``worker_share``; the state's share from ``state_share``, or 1 − ``worker_share``. Any
input can be fixed by hand. Each stated ``revenue`` claim is then placed against the
implied distribution, with the pay per worker it would imply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from labourwatch.analysis.figures import Value
from labourwatch.errors import AnalysisError, ParameterError
from labourwatch.formatting import money, number
from labourwatch.summary import Link, Summary, Table

# How a claim with one open end becomes a range: "more than 50,000" is drawn from 50,000 to
# 75,000, "up to 20" from 10 to 20; "about" widens a point by ±10%.
OPEN_END_FACTOR = 1.5
ABOUT_WIDTH = 0.10
PERIODS_PER_MONTH = {"month": 1.0, "year": 1 / 12, "week": 52 / 12, "day": 365 / 12}


@dataclass
class Input:
    name: str
    values: list[Value]
    fixed: float | None = None
    draws: np.ndarray | None = None

    def describe(self) -> str:
        if self.fixed is not None:
            return f"fixed at {number(self.fixed)} by hand"
        return f"{len(self.values)} claims from {len({v.who for v in self.values})} sources"


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
                    "median": _median(i.draws),
                    "fixed": i.fixed,
                    "claims": [v.claim_id for v in i.values],
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
        facts += [(name, f"median {number(_median(i.draws), significant=3)} ({i.describe()})")
                  for name, i in self.inputs.items()]
        facts += [
            ("implied revenue per year", f"median {money(self.median)}"),
            ("80% interval", f"{money(lo80)} – {money(hi80)}"),
            ("95% interval", f"{money(lo95)} – {money(hi95)}"),
        ]
        checks = Table(
            ["stated revenue", "source", "against the model", "implied pay per worker per month"],
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
    warnings: list[str] = []
    inputs = _choose_inputs(values, place, fixed, warnings)
    _draw_inputs(inputs, values, n_draws, np.random.default_rng(seed), weights)
    workers_drawn = _drawn(inputs, "workers")
    if workers_drawn is None:
        raise AnalysisError(f"no workers_abroad claims in persons for place {place or '(all)'}; fix workers")
    state = _state_share(inputs)
    per_month = _employer_pay(inputs, warnings)
    revenue = workers_drawn * per_month * 12 * state
    result = MoneyFlowResult(place, n_draws, seed, inputs, revenue, warnings=warnings)
    # The pay a stated revenue implies: revenue ÷ (median workers × 12 × median state share).
    denominator = float(np.median(workers_drawn)) * 12 * float(np.median(state))
    result.checks = [
        check_revenue(v, result, denominator)
        for v in values
        if v.variable == "revenue" and v.unit == "USD" and (place is None or v.place == place)
    ]
    return result


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


def _choose_inputs(
    values: list[Value], place: str | None, fixed: dict[str, float | None], warnings: list[str]
) -> dict[str, Input]:
    """Each input's claims. Worker counts must be about the place modelled (totals: no place);
    pay and shares from any host country are samples of the same practice unless a place is asked for."""

    def pick(variable: str, unit: str) -> list[Value]:
        if variable == "workers_abroad" or place is not None:
            chosen = [v for v in values if v.variable == variable and v.place == place]
        else:
            chosen = [v for v in values if v.variable == variable]
        usable = [v for v in chosen if v.unit == unit]
        if len(usable) < len(chosen):
            warnings.append(f"{len(chosen) - len(usable)} {variable} claims not in {unit} were left out")
        return usable

    units = {"workers": ("workers_abroad", "person"), "employer_pay": ("employer_pay", "USD"),
             "worker_pay": ("worker_pay", "USD"), "worker_share": ("worker_share", "percent"),
             "state_share": ("state_share", "percent")}
    return {name: Input(name, pick(*units[name]), fixed[name]) for name in units}


def _draw_inputs(
    inputs: dict[str, Input], values: list[Value], n_draws: int, rng: np.random.Generator,
    weights: dict[str, float] | None,
) -> None:
    monthly = {v.claim_id: PERIODS_PER_MONTH.get(v.per or "month", 1.0) for v in values if v.unit == "USD"}
    share_scale = {v.claim_id: 0.01 for v in values if v.unit == "percent"}
    for inp in inputs.values():
        if inp.fixed is not None:
            inp.draws = np.full(n_draws, float(inp.fixed))
        else:
            scale = monthly if "pay" in inp.name else share_scale if "share" in inp.name else None
            inp.draws = draw(inp.values, n_draws, rng, scale, weights)


def _drawn(inputs: dict[str, Input], name: str) -> np.ndarray | None:
    draws = inputs[name].draws
    return draws if draws is not None and len(draws) else None


def _state_share(inputs: dict[str, Input]) -> np.ndarray:
    """The state's share: stated, else what the workers do not keep."""
    state, kept = _drawn(inputs, "state_share"), _drawn(inputs, "worker_share")
    if state is not None:
        return np.asarray(np.clip(state, 0, 1), dtype=float)
    if kept is not None:
        return np.asarray(np.clip(1 - kept, 0, 1), dtype=float)
    raise AnalysisError("no state_share or worker_share claims; fix the state share")


def _employer_pay(inputs: dict[str, Input], warnings: list[str]) -> np.ndarray:
    """Pay per worker per month: the employer's, else the worker's divided by the worker's share."""
    employer, worker, kept = (_drawn(inputs, n) for n in ("employer_pay", "worker_pay", "worker_share"))
    if employer is not None:
        return employer
    if worker is not None and kept is not None:
        warnings.append("employer pay derived from worker pay ÷ worker share")
        return np.asarray(worker / np.maximum(kept, 1e-3), dtype=float)
    raise AnalysisError("no employer_pay, nor worker_pay with worker_share; fix the pay")


def check_revenue(v: Value, model: MoneyFlowResult, denominator: float) -> RevenueCheck:
    per_year = 12 * PERIODS_PER_MONTH.get(v.per or "year", 1 / 12)
    stated = (v.midpoint or 0.0) * per_year
    lo, hi = model.interval(0.95)
    if lo <= stated <= hi:
        verdict = "inside the 95% interval"
    elif stated > hi:
        verdict = f"{stated / model.median:.1f}× the median, above the 95% interval"
    else:
        verdict = f"{model.median / stated:.1f}× below the median, under the 95% interval"
    if v.per is None:
        verdict += " (a cumulative figure, compared as if yearly)"
    return RevenueCheck(v, stated, verdict, stated / denominator if denominator > 0 else None)
