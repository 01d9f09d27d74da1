"""Profile-likelihood interval for the population under one fixed model.

The unobserved count is exp(intercept). For a trial value of the intercept the other
parameters are refitted with it held as an offset; the interval holds the values whose
profile log-likelihood is within χ²₁(level)/2 of the maximum.
"""

from __future__ import annotations

import math

from scipy.optimize import brentq
from scipy.stats import chi2

from labourwatch.analysis.mse.data import CaptureData
from labourwatch.analysis.mse.fit import Fit, newton, reduced_design


def profile_interval(data: CaptureData, fit: Fit, level: float = 0.95) -> tuple[float, float] | None:
    if not fit.ok or fit.beta is None or fit.kept is None:
        return None
    X = reduced_design(data, fit.model, fit.fixed_terms, fit.kept)
    y = data.counts[fit.kept].astype(float)
    rest = X[:, 1:]
    drop = chi2.ppf(level, 1) / 2
    b0 = float(fit.beta[0])
    start = fit.beta[1:]

    def gap(intercept: float) -> float:
        _, ll, _ = newton(rest, y, start.copy(), max_iter=100, offset=intercept)
        return float(fit.loglik - ll - drop)

    def bound(direction: int) -> float:
        step = 0.5
        for _ in range(60):
            edge = b0 + direction * step
            if gap(edge) > 0:
                return float(brentq(gap, min(b0, edge), max(b0, edge), xtol=1e-8))
            step *= 2
        return math.inf * direction

    lo, hi = bound(-1), bound(+1)
    return data.n + math.exp(lo), (data.n + math.exp(hi) if math.isfinite(hi) else math.inf)
