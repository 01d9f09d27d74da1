"""Poisson log-linear fit of one model on all observable cells, zeros included.

The estimate of the population is n + exp(intercept). A term whose observed margin is
zero is fixed at −∞ (the extended MLE): its cells are dropped with it. What remains is
checked for identifiability (rank of the design) and existence of the MLE (Fienberg &
Rinaldo 2012: the observed margins must lie in the relative interior of the marginal
cone, a linear programme solved with HiGHS). A model that fails is never given an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.special import gammaln

from labourwatch.analysis.mse.data import CaptureData
from labourwatch.analysis.mse.models import Model, Term, design, term_mask

OK, NO_MLE, NOT_IDENTIFIABLE, BOTH = 0, 1, 2, 3
STATUS_TEXT = {
    OK: "fine",
    NO_MLE: "no extended MLE",
    NOT_IDENTIFIABLE: "not identifiable",
    BOTH: "no extended MLE and not identifiable",
}

_MAX_NEWTON = 60
_TINY_MEAN = 1e-6  # fitted cell means below this put existence in doubt: the LP decides


@dataclass
class Fit:
    model: Model
    status: int
    npar: int  # every term counted: intercept, main effects, interactions (fixed ones too)
    loglik: float = float("nan")
    estimate: float | None = None
    unobserved: float | None = None
    fixed_terms: list[Term] = field(default_factory=list)  # observed margin zero: fixed at −∞
    fitted: np.ndarray | None = None  # mean of every observable cell
    beta: np.ndarray | None = None
    kept: np.ndarray | None = None  # the cells the fit used

    @property
    def ok(self) -> bool:
        return self.status == OK


def fit_model(data: CaptureData, model: Model) -> Fit:
    y = data.counts.astype(float)
    t = data.t
    npar = 1 + t + len(model)
    fixed = [term for term in model if y[term_mask(t, term)].sum() == 0]
    # A list with no case (in a bootstrap resample, say) has its main effect fixed at −∞ too.
    empty = empty_lists(data)
    kept_rows = np.ones(len(y), dtype=bool)
    for term in fixed:
        kept_rows &= ~term_mask(t, term)
    for i in empty:
        kept_rows &= data.cells[:, i] == 0
    X = reduced_design(data, model, fixed, kept_rows)
    yk = y[kept_rows]
    # On all 2^t − 1 cells the only linear dependency among the columns, Σ_S (−1)^|S| x_S = 0,
    # needs every one of the 2^t columns: any non-saturated model without dropped cells is
    # identifiable, and only the others need the rank computed.
    if fixed or empty or X.shape[1] >= X.shape[0]:
        identifiable = X.shape[0] >= X.shape[1] and np.linalg.matrix_rank(X) == X.shape[1]
    else:
        identifiable = True
    if not identifiable:
        status = NOT_IDENTIFIABLE | (0 if mle_exists(X, yk) else NO_MLE)
        return Fit(model, status, npar, fixed_terms=fixed)
    beta, loglik, converged = newton(X, yk)
    mu = _mean(X @ beta)
    doubtful = not converged or (yk == 0).any() and mu[yk == 0].min() < _TINY_MEAN
    if doubtful and not mle_exists(X, yk):
        return Fit(model, NO_MLE, npar, fixed_terms=fixed)
    if doubtful:  # exists, with tiny means: let Newton run on
        beta, loglik, _ = newton(X, yk, beta, max_iter=400)
        mu = _mean(X @ beta)
    fitted = np.zeros(len(y))
    fitted[kept_rows] = mu
    unobserved = float(np.exp(beta[0]))
    return Fit(
        model,
        OK,
        npar,
        loglik=loglik,
        estimate=data.n + unobserved,
        unobserved=unobserved,
        fixed_terms=fixed,
        fitted=fitted,
        beta=beta,
        kept=kept_rows,
    )


_MAX_ETA = 700.0  # exp(700) is near the float limit: a fit that goes there is diverging


def empty_lists(data: CaptureData) -> list[int]:
    return [i for i in range(data.t) if data.counts[data.cells[:, i] == 1].sum() == 0]


def reduced_design(data: CaptureData, model: Model, fixed: list[Term], kept_rows: np.ndarray) -> np.ndarray:
    """The design on the cells kept, without the columns of terms and lists fixed at −∞."""
    free = frozenset(term for term in model if term not in fixed)
    empty = empty_lists(data)
    X, _ = design(data.t, free, kept_rows if fixed or empty else None)
    return np.delete(X, [1 + i for i in empty], axis=1) if empty else X


def poisson_loglik(y: np.ndarray, mu: np.ndarray) -> float:
    return _kernel(y, mu) - float(gammaln(y + 1).sum())


def _kernel(y: np.ndarray, mu: np.ndarray) -> float:
    """The log-likelihood less its constant: Σ y·log μ − Σ μ."""
    pos = y > 0
    return float(y[pos] @ np.log(mu[pos]) - mu.sum())


def _mean(eta: np.ndarray) -> np.ndarray:
    return np.asarray(np.exp(np.minimum(eta, _MAX_ETA)), dtype=float)


def newton(
    X: np.ndarray,
    y: np.ndarray,
    beta: np.ndarray | None = None,
    max_iter: int = _MAX_NEWTON,
    offset: np.ndarray | float = 0.0,
) -> tuple[np.ndarray, float, bool]:
    """Newton–Raphson with step halving for a Poisson GLM with log link: (beta, loglik, converged)."""
    if beta is None:
        beta = np.linalg.lstsq(X, np.log(y + 0.5) - offset, rcond=None)[0]
    eta = X @ beta + offset
    constant = float(gammaln(y + 1).sum())
    ll = _kernel(y, _mean(eta))
    for _ in range(max_iter):
        mu = _mean(eta)
        grad = X.T @ (y - mu)
        hess = (X * mu[:, None]).T @ X
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            return beta, ll - constant, False
        scale = 1.0
        while True:
            new_beta = beta + scale * step
            new_eta = X @ new_beta + offset
            new_ll = _kernel(y, _mean(new_eta))
            if (np.isfinite(new_ll) and new_ll >= ll - 1e-12 * abs(ll)) or scale < 1e-8:
                break
            scale /= 2
        beta, eta, gain, ll = new_beta, new_eta, new_ll - ll, new_ll
        if abs(gain) < 1e-10 * (abs(ll) + 1) and np.max(np.abs(scale * step)) < 1e-7:
            return beta, ll - constant, True
    return beta, ll - constant, False


def mle_exists(X: np.ndarray, y: np.ndarray) -> bool:
    """Fienberg & Rinaldo (2012): the MLE exists iff some strictly positive table has the
    observed margins X'y. Maximise the smallest cell s of such a table: it exists iff s > 0."""
    if (y > 0).all():
        return True
    n, p = X.shape
    scale = max(float(y.sum()), 1.0)
    c = np.zeros(n + 1)
    c[-1] = -1.0
    a_eq = np.hstack([X.T, np.zeros((p, 1))])
    a_ub = np.hstack([-np.eye(n), np.ones((n, 1))])
    res = linprog(
        c,
        A_ub=a_ub,
        b_ub=np.zeros(n),
        A_eq=a_eq,
        b_eq=X.T @ (y / scale),
        bounds=[(0, None)] * n + [(None, 1.0)],
        method="highs",
    )
    return bool(res.status == 0 and -res.fun > 1e-9)
