"""BCa bootstrap intervals with model selection rerun on every resample.

Resamples are multinomial draws of n cases over the observed histories, all drawn in the
calling process from one seeded generator, so the result does not depend on how many
worker processes fit them. The acceleration comes from a delete-one jackknife over the
observed histories, weighted by their counts (Efron 1987).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from labourwatch.analysis.mse.data import CaptureData
from labourwatch.analysis.mse.selection import Options, select
from labourwatch.parallel import LocalMapper, Mapper


@dataclass
class BootstrapResult:
    interval: tuple[float, float] | None
    level: float
    replicates: np.ndarray  # estimates, NaN where no model passed the checks
    bias_correction: float
    acceleration: float
    failed: int


def _estimate(state: tuple[CaptureData, str, Options], counts: np.ndarray) -> float:
    data, method, options = state
    value = select(data.with_counts(counts), method, options).estimate
    return math.nan if value is None else value


def bca_bootstrap(
    data: CaptureData,
    method: str,
    options: Options,
    estimate: float,
    n_boot: int = 1000,
    seed: int | None = None,
    level: float = 0.95,
    jobs: int | None = None,
    mapper: Mapper | None = None,
    on_done: Callable[[int], None] | None = None,
) -> BootstrapResult:
    """The BCa interval from ``n_boot`` resamples, each fitted on this machine's ``jobs``
    cores or by ``mapper``; ``on_done(k)`` is called as the resamples and the jackknife
    tables finish (``n_boot`` + observed histories in all)."""
    mapper = mapper or LocalMapper(jobs)
    rng = np.random.default_rng(seed)
    probabilities = data.counts / data.n
    draws = rng.multinomial(data.n, probabilities, size=n_boot)
    observed = np.flatnonzero(data.counts)
    jack_tables = []
    for i in observed:
        counts = data.counts.copy()
        counts[i] -= 1
        jack_tables.append(counts)
    values = np.array(_collect(mapper.map(_estimate, (data, method, options), [*draws, *jack_tables]),
                               on_done))
    replicates, jack = values[:n_boot], values[n_boot:]
    weights = data.counts[observed].astype(float)
    failed = int(np.isnan(replicates).sum())
    good = replicates[~np.isnan(replicates)]
    ok_jack = ~np.isnan(jack)
    if len(good) < 10 or not ok_jack.any():
        return BootstrapResult(None, level, replicates, math.nan, math.nan, failed)
    z0 = float(norm.ppf(np.mean(good < estimate)))
    w, th = weights[ok_jack], jack[ok_jack]
    mean = float(np.sum(w * th) / np.sum(w))
    d = mean - th
    denominator = 6.0 * float(np.sum(w * d**2)) ** 1.5
    a = float(np.sum(w * d**3) / denominator) if denominator > 0 else 0.0
    tail = (1 - level) / 2
    bounds = []
    for alpha in (tail, 1 - tail):
        z = norm.ppf(alpha)
        adjusted = norm.cdf(z0 + (z0 + z) / (1 - a * (z0 + z)))
        bounds.append(float(np.quantile(good, adjusted, method="median_unbiased")))  # R's type 8
    return BootstrapResult((bounds[0], bounds[1]), level, replicates, z0, a, failed)


def _collect(values: Iterable[float], on_done: Callable[[int], None] | None) -> list[float]:
    collected = []
    for value in values:
        collected.append(value)
        if on_done is not None:
            on_done(1)
    return collected
