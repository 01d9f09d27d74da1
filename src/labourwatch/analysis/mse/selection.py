"""Model selection methods, registered by name: stepwise, bic, downhill, main, and a given model.

Each method takes the data and options and returns a Selection: the chosen fit (or None
when no model passes the checks) and the table of models it considered.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from scipy.stats import poisson

from labourwatch.analysis.mse.data import CaptureData
from labourwatch.analysis.mse.fit import STATUS_TEXT, Fit, fit_model
from labourwatch.analysis.mse.models import Model, closure, hierarchical_models, model_name, parse_model


@dataclass
class Considered:
    """One row of the ranked table: a model, its score and its estimate."""

    model: list[str]
    score: float  # BIC, or the stepwise p-value of the pair added
    estimate: float | None
    status: int
    note: str = ""


@dataclass
class Selection:
    fit: Fit | None
    considered: list[Considered] = field(default_factory=list)
    score_name: str = "BIC"
    warnings: list[str] = field(default_factory=list)
    weights: list[float] | None = None  # model averaging: one weight per top row of ``considered``

    @property
    def estimate(self) -> float | None:
        """The averaged estimate where models are averaged, else the chosen model's."""
        if self.weights is not None:
            top = zip(self.weights, self.considered, strict=False)
            return float(sum(w * (c.estimate or 0.0) for w, c in top))
        return None if self.fit is None or self.fit.estimate is None else float(self.fit.estimate)


@dataclass(frozen=True)
class Options:
    max_order: int = 2
    p_threshold: float = 0.02
    model: Model | None = None
    criterion: str = "BIC"  # BIC or AIC, for the methods that score models
    ntop: int = 0  # average the estimates of this many best-scored models (0: take the best)
    candidates: tuple[Model, ...] | None = None  # bic: only these models (None: every one)


Method = Callable[[CaptureData, Options], Selection]
METHODS: dict[str, Method] = {}
# The most lists each method supports: the full BIC search grows super-exponentially.
MAX_LISTS: dict[str, int] = {"bic": 6, "stepwise": 15, "downhill": 15, "main": 15, "model": 15}


def register(name: str) -> Callable[[Method], Method]:
    def wrap(fn: Method) -> Method:
        METHODS[name] = fn
        return fn

    return wrap


def bic(fit: Fit, n: int) -> float:
    """BIC = npar·log(n) − 2·loglik, with n the number of cases and every term counted."""
    return fit.npar * math.log(n) - 2 * fit.loglik


def aic(fit: Fit, n: int) -> float:
    """AIC = 2·npar − 2·loglik."""
    return 2 * fit.npar - 2 * fit.loglik


CRITERIA = {"BIC": bic, "AIC": aic}


def average_weights(scores: list[float]) -> list[float]:
    """Akaike/Schwarz weights: exp(−Δ/2) normalised, Δ the distance to the best score."""
    best = min(scores)
    raw = [math.exp(-(s - best) / 2) for s in scores]
    return [r / sum(raw) for r in raw]


def _row(data: CaptureData, fit: Fit, score: float, note: str = "") -> Considered:
    return Considered(model_name(fit.model, data.lists), score, fit.estimate, fit.status, note)


@register("main")
def main_effects(data: CaptureData, options: Options) -> Selection:
    fit = fit_model(data, frozenset())
    return Selection(fit if fit.ok else None, [_row(data, fit, bic(fit, data.n) if fit.ok else math.nan)])


@register("model")
def given_model(data: CaptureData, options: Options) -> Selection:
    if options.model is None:
        raise ValueError("method 'model' needs --model TERMS")
    fit = fit_model(data, options.model)
    return Selection(fit if fit.ok else None, [_row(data, fit, bic(fit, data.n) if fit.ok else math.nan)])


@register("bic")
def best_bic(data: CaptureData, options: Options) -> Selection:
    """Every hierarchical model up to ``max_order``; the lowest BIC (or AIC) among those that
    pass, or the estimates of the ``ntop`` lowest averaged with their weights."""
    score_of = CRITERIA[options.criterion]
    rows: list[Considered] = []
    best: Fit | None = None
    best_score = math.inf
    failed = 0
    models = options.candidates or hierarchical_models(data.t, min(options.max_order, data.t))
    for model in models:
        fit = fit_model(data, model)
        if not fit.ok:
            failed += 1
            rows.append(_row(data, fit, math.nan, "dropped: " + _status_note(fit.status)))
            continue
        score = score_of(fit, data.n)
        rows.append(_row(data, fit, score))
        if score < best_score:
            best, best_score = fit, score
    rows.sort(key=lambda r: (math.isnan(r.score), r.score))
    warnings = [f"{failed} models dropped: no extended MLE or not identifiable"] if failed else []
    selection = Selection(best, rows, options.criterion, warnings)
    passed = len(rows) - failed
    if options.ntop > 0 and passed:
        selection.weights = average_weights([r.score for r in rows[:min(options.ntop, passed)]])
    return selection


@register("stepwise")
def stepwise(data: CaptureData, options: Options) -> Selection:
    """Chan, Silverman & Vincent (2021): from main effects, add the pair whose observed
    overlap is least likely under the current model's Poisson expectation, p =
    min(P(X ≤ obs), P(X ≥ obs)), while p < threshold; a pair whose model fails gets p = 1."""
    y = data.counts
    current = fit_model(data, frozenset())
    rows = [_row(data, current, math.nan, "start: main effects")]
    if not current.ok:
        return Selection(None, rows, "p")
    pairs = [frozenset(p) for p in itertools.combinations(range(data.t), 2)]
    on_pair = {p: data.cells[:, sorted(p)].all(axis=1) for p in pairs}
    while True:
        best_p, best_pair, best_fit = 1.0, None, None
        for pair in pairs:
            if pair in current.model:
                continue
            observed = int(y[on_pair[pair]].sum())
            expected = float(current.fitted[on_pair[pair]].sum())  # type: ignore[index]
            p = overlap_p_value(observed, expected)
            if p >= min(best_p, options.p_threshold):
                continue  # cannot beat the best so far: no need to fit it
            candidate = fit_model(data, current.model | {pair})
            if not candidate.ok:
                continue  # p = 1
            best_p, best_pair, best_fit = p, pair, candidate
        if best_pair is None or best_fit is None:
            break
        current = best_fit
        rows.append(
            _row(data, current, best_p, f"added {'*'.join(data.lists[i] for i in sorted(best_pair))}")
        )
    return Selection(current, rows, "p")


def overlap_p_value(observed: int, expected: float) -> float:
    if expected <= 0:
        return 0.0 if observed > 0 else 1.0
    return float(min(poisson.cdf(observed, expected), poisson.sf(observed - 1, expected)))


@register("downhill")
def downhill(data: CaptureData, options: Options) -> Selection:
    """Greedy BIC search for many lists: from main effects, take the single term added or
    removed (keeping the model hierarchical) that lowers BIC most, until none does."""
    current = fit_model(data, frozenset())
    if not current.ok:
        return Selection(None, [_row(data, current, math.nan)])
    score = bic(current, data.n)
    rows = [_row(data, current, score, "start")]
    seen: set[Model] = {current.model}
    while True:
        best: tuple[float, Fit] | None = None
        for model in _neighbours(current.model, data.t, options.max_order):
            if model in seen:
                continue
            seen.add(model)
            fit = fit_model(data, model)
            if fit.ok and (s := bic(fit, data.n)) < (best[0] if best else score):
                best = (s, fit)
        if best is None:
            break
        score, current = best
        rows.append(_row(data, current, score))
    return Selection(current, rows, "BIC")


# Resamples of a BIC (or AIC) selection refit only the models that scored within this margin
# of the best on the data: a resample moves scores by a few units, so a model 20 worse is
# practically never chosen (benchmarks/mse.py measures the agreement with refitting all).
RESAMPLE_MARGIN = 20.0


def near_best(data: CaptureData, selection: Selection, margin: float = RESAMPLE_MARGIN) -> tuple[Model, ...]:
    """The models of a scored selection within ``margin`` of its best score."""
    scored = [c for c in selection.considered if not math.isnan(c.score)]
    if not scored:
        return ()
    best = min(c.score for c in scored)
    return tuple(parse_model(c.model, data.lists) for c in scored if c.score - best <= margin)


def _neighbours(model: Model, t: int, max_order: int) -> list[Model]:
    out = []
    for k in range(2, min(max_order, t) + 1):
        for members in itertools.combinations(range(t), k):
            term = frozenset(members)
            if term in model:
                if not any(term < u for u in model):
                    out.append(model - {term})
            elif k == 2 or all(term - {m} in model for m in term):
                out.append(closure([*model, term]))
    return out


def _status_note(status: int) -> str:
    return STATUS_TEXT[status]


def select(data: CaptureData, method: str, options: Options) -> Selection:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; known: {', '.join(sorted(METHODS))}")
    limit = MAX_LISTS.get(method, 15)
    if data.t > limit:
        raise ValueError(f"method {method!r} supports at most {limit} lists; the data have {data.t}")
    return METHODS[method](data, options)

