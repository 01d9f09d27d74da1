"""Multiple systems estimation (capture–recapture over several lists) of hidden populations.

    >>> from labourwatch.analysis.mse import estimate, read_capture_csv
    >>> result = estimate(read_capture_csv("Western.csv"), method="stepwise")
    >>> print(result.summary())

Methods: ``stepwise`` (Chan, Silverman & Vincent 2021), ``bic`` (every hierarchical model
up to ``max_order``), ``downhill`` (greedy BIC), ``main`` (main effects), ``model`` (given
terms), ``dga`` (Bayesian model averaging over decomposable graphs, Madigan & York 1997) and
``lcmcr`` (the latent-class model of Manrique-Vallier 2016). ``bic`` averages the top
``ntop`` models by BIC or AIC weights when asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, replace

import numpy as np

from labourwatch.analysis.mse.bootstrap import bca_bootstrap
from labourwatch.analysis.mse.data import CaptureData, parse_capture_csv, read_capture_csv
from labourwatch.analysis.mse.dga import bma, improper_prior, negative_binomial_prior
from labourwatch.analysis.mse.fit import NO_MLE, OK
from labourwatch.analysis.mse.lcmcr import LCMCRSettings, sample
from labourwatch.analysis.mse.models import model_name, parse_model
from labourwatch.analysis.mse.profile import profile_interval
from labourwatch.analysis.mse.results import (
    Averaged,
    BootstrapInfo,
    DGAPosterior,
    GraphWeight,
    LCMCRPosterior,
    MSEResult,
    WeightedModel,
)
from labourwatch.analysis.mse.selection import (
    CRITERIA,
    METHODS,
    RESAMPLE_MARGIN,
    Options,
    Selection,
    near_best,
    select,
)
from labourwatch.errors import MSEInputError
from labourwatch.parallel import Mapper

__all__ = [
    "CaptureData",
    "LCMCRSettings",
    "MSEInputError",
    "MSEResult",
    "estimate",
    "parse_capture_csv",
    "read_capture_csv",
    "METHOD_NAMES",
]

METHOD_NAMES = (*sorted(METHODS), "dga", "lcmcr")
MAX_DGA_GRID = 2_000_000  # the posterior over N is held as one array per graph


def estimate(
    data: CaptureData,
    method: str = "stepwise",
    *,
    max_order: int = 2,
    model: str | Iterable[str] | None = None,
    bootstrap: int = 0,
    seed: int | None = None,
    p_threshold: float = 0.02,
    level: float = 0.95,
    jobs: int | None = None,
    profile: bool = False,
    delta: float = 1.0,
    missing: Sequence[int] | None = None,
    prior_nb: tuple[float, float] | None = None,
    mapper: Mapper | None = None,
    progress: Callable[[int, int], None] | None = None,
    criterion: str = "BIC",
    ntop: int = 0,
    lcmcr: LCMCRSettings | None = None,
    exact_bootstrap: bool = False,
) -> MSEResult:
    """Estimate the total population (observed plus unobserved) from capture histories.

    The bootstrap's fits run on ``jobs`` local cores, or on a cluster through ``mapper``;
    ``progress(done, total)`` is called as they finish."""
    if model is not None and method in ("stepwise", "model"):
        method = "model"
    if method == "dga":
        return _dga(data, delta, missing, prior_nb, level)
    if method == "lcmcr":
        return _lcmcr(data, lcmcr or LCMCRSettings(), seed, level, progress)
    if criterion not in CRITERIA:
        raise ValueError(f"unknown criterion {criterion!r}; known: {', '.join(CRITERIA)}")
    if ntop and method != "bic":
        raise ValueError("model averaging (ntop) needs method 'bic', which scores every model")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; known: {', '.join(METHOD_NAMES)}")
    if max_order < 2:
        raise ValueError("max_order must be at least 2")
    options = Options(
        max_order=max_order,
        p_threshold=p_threshold,
        model=parse_model(model, data.lists) if model is not None else None,
        criterion=criterion,
        ntop=ntop,
    )
    chosen = select(data, method, options)
    fit = chosen.fit
    if fit is None or not fit.ok:
        status = chosen.considered[0].status if chosen.considered else NO_MLE
        return MSEResult(
            data.lists,
            data.n,
            method,
            None,
            None,
            status,
            level=level,
            considered=chosen.considered,
            score_name=chosen.score_name,
            warnings=chosen.warnings + ["no model passed the existence and identifiability checks"],
        )
    warnings = list(chosen.warnings)
    for term in fit.fixed_terms:
        warnings.append(
            f"{'*'.join(data.lists[i] for i in sorted(term))}: no case on all these lists; "
            "term fixed at −∞ (extended MLE)"
        )
    result = MSEResult(
        data.lists,
        data.n,
        method,
        model_name(fit.model, data.lists),
        chosen.estimate,
        OK,
        level=level,
        considered=chosen.considered,
        score_name=chosen.score_name,
        warnings=warnings,
    )
    result.averaged = _averaged(chosen)
    if bootstrap > 0:
        fits = bootstrap + int(np.count_nonzero(data.counts))  # resamples and jackknife tables
        resampled = options
        if method == "bic" and not exact_bootstrap:
            resampled = replace(options, candidates=near_best(data, chosen))
        boot = bca_bootstrap(data, method, resampled, float(chosen.estimate or 0.0), bootstrap, seed, level,
                             jobs, mapper, _counter(fits, progress))
        result.interval = boot.interval
        result.draws = boot.replicates
        result.bootstrap = BootstrapInfo(
            bootstrap, seed, boot.failed, boot.bias_correction, boot.acceleration
        )
        if resampled.candidates is not None:
            result.warnings.append(
                f"resamples refit the {len(resampled.candidates)} models within {RESAMPLE_MARGIN:g} of "
                f"the best {chosen.score_name} (all models: exact_bootstrap)")
        if boot.failed:
            result.warnings.append(
                f"{boot.failed} of {bootstrap} resamples had no model that passed the checks"
            )
    if profile:
        result.profile_interval = profile_interval(data, fit, level)
    return result


def _averaged(chosen: Selection) -> Averaged | None:
    if chosen.weights is None:
        return None
    top = chosen.considered[:len(chosen.weights)]
    return Averaged(chosen.score_name, float(chosen.estimate or 0.0), [
        WeightedModel(row.model, row.score, weight, float(row.estimate or 0.0))
        for weight, row in zip(chosen.weights, top, strict=True)
    ])


def _lcmcr(
    data: CaptureData, settings: LCMCRSettings, seed: int | None, level: float,
    progress: Callable[[int, int], None] | None,
) -> MSEResult:
    iterations = settings.chains * (settings.burnin + settings.samples * settings.thinning)
    post = sample(data, settings, seed, level, _counter(iterations, progress))
    result = MSEResult(data.lists, data.n, "lcmcr", None, post.median, OK, interval=post.interval,
                       level=level, score_name="posterior")
    result.lcmcr = LCMCRPosterior(post.mean, post.median, post.interval, post.ess, post.rhat,
                                  post.monte_carlo_error, {**asdict(settings), "seed": seed})
    result.draws = post.draws.ravel()
    if post.rhat > 1.05:
        result.warnings.append(f"R-hat {post.rhat:.3f} > 1.05: the chains disagree; run longer "
                               "(--burnin, --samples)")
    if post.ess < 400:
        result.warnings.append(f"effective sample size {post.ess:.0f} < 400: the interval is rough; "
                               "run longer")
    return result


def _counter(total: int, progress: Callable[[int, int], None] | None) -> Callable[[int], None] | None:
    if progress is None:
        return None
    done = 0

    def advance(k: int) -> None:
        nonlocal done
        done += k
        progress(done, total)

    return advance


def _dga(
    data: CaptureData,
    delta: float,
    missing: Sequence[int] | None,
    prior_nb: tuple[float, float] | None,
    level: float,
) -> MSEResult:
    size = len(missing) if missing is not None else 3 * data.n + 1
    if size > MAX_DGA_GRID:
        raise MSEInputError(
            f"dga: {size:,} values of the unobserved count to weigh; at most {MAX_DGA_GRID:,} "
            "(give a narrower missing range)"
        )
    grid = np.asarray(missing if missing is not None else np.arange(0, 3 * data.n + 1))
    prior = negative_binomial_prior(*prior_nb) if prior_nb else improper_prior
    if prior_nb is None and (data.n + grid <= 0).any():
        raise ValueError("the 1/N prior needs totals above zero")
    post = bma(data, grid, delta, prior, level)
    top = int(np.argmax(post.graph_weights))
    edges = sorted(post.graphs[top])
    model = [f"{data.lists[a]}*{data.lists[b]}" for a, b in edges]
    ranked = np.argsort(-post.graph_weights)[:20]
    result = MSEResult(
        data.lists, data.n, "dga", model, post.estimate, OK, level=level, score_name="posterior"
    )
    result.dga = DGAPosterior(
        posterior_mode=post.mode,
        credible_interval=(float(post.interval[0]), float(post.interval[1])),
        top_model_probability=float(post.graph_weights[top]),
        graphs=[
            GraphWeight([f"{data.lists[a]}*{data.lists[b]}" for a, b in sorted(post.graphs[g])],
                        float(post.graph_weights[g]))
            for g in ranked
        ],
        prior={
            "delta": delta,
            "missing": [int(grid.min()), int(grid.max())],
            "total": {"negative_binomial": list(prior_nb)} if prior_nb else "1/N",
        },
    )
    return result
