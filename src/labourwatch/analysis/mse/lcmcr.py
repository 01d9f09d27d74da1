"""Latent-class capture–recapture (LCMCR): the Bayesian non-parametric model of
Manrique-Vallier (2016, Biometrics 72:1246–1254), which HRDAG uses for casualty estimates.

Each person belongs to one of ``K`` latent classes; within a class the lists capture
independently, with class-specific probabilities λ[j, k] ~ Beta(1, 1). Class weights follow
a stick-breaking prior truncated at ``K`` with concentration α ~ Gamma(a, b); the population
size has the prior p(N) ∝ 1/N. Heterogeneity and list dependence are absorbed by the classes,
so no log-linear model has to be chosen.

The Gibbs sampler works on cell counts (people with the same history are exchangeable):
allocate each cell's count to classes, draw λ and the weights, draw the unobserved count
n0 ~ NegBin(n, 1 − p0) and allocate it to classes, draw α. Every chain is seeded from one
generator, so a run is reproducible; convergence is checked with the effective sample size
and the split R-hat over chains (Vehtari et al. 2021).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from labourwatch.analysis.mse.data import CaptureData


@dataclass(frozen=True)
class LCMCRSettings:
    """The sampler's settings; the defaults are the R package's example (K = 10, a = b = 0.25,
    10,000 iterations of burn-in, 1,000 samples thinned by 100), with four chains for R-hat."""

    classes: int = 10
    a_alpha: float = 0.25
    b_alpha: float = 0.25
    burnin: int = 10_000
    samples: int = 1_000
    thinning: int = 100
    chains: int = 4

    def __post_init__(self) -> None:
        if self.classes < 2:
            raise ValueError("lcmcr needs at least 2 latent classes")
        if min(self.samples, self.thinning, self.chains) < 1 or self.burnin < 0:
            raise ValueError("lcmcr: samples, thinning and chains must be at least 1, burn-in at least 0")
        if self.a_alpha <= 0 or self.b_alpha <= 0:
            raise ValueError("lcmcr: the Gamma prior on alpha needs a > 0 and b > 0")


@dataclass(frozen=True)
class Posterior:
    """Draws of the population size N, one row per chain, and their summaries."""

    draws: np.ndarray  # (chains, samples) of N
    level: float
    settings: LCMCRSettings

    @property
    def median(self) -> float:
        return float(np.median(self.draws))

    @property
    def mean(self) -> float:
        return float(np.mean(self.draws))

    @property
    def interval(self) -> tuple[float, float]:
        tail = (1 - self.level) / 2
        low, high = np.quantile(self.draws, [tail, 1 - tail])
        return float(low), float(high)

    @cached_property  # an FFT over every draw: computed once
    def ess(self) -> float:
        return effective_sample_size(self.draws)

    @property
    def rhat(self) -> float:
        return split_rhat(self.draws)

    @property
    def monte_carlo_error(self) -> float:
        """The standard error of the posterior mean from the chains' autocorrelation."""
        return float(np.std(self.draws) / math.sqrt(max(self.ess, 1.0)))


def sample(
    data: CaptureData,
    settings: LCMCRSettings | None = None,
    seed: int | None = None,
    level: float = 0.95,
    on_done: Callable[[int], None] | None = None,
) -> Posterior:
    """Posterior draws of N from ``settings.chains`` chains, which step together (one array
    operation serves every chain). ``on_done(k)`` reports progress in iterations."""
    settings = settings or LCMCRSettings()
    chains = _Chains(data, settings, np.random.default_rng(seed))
    return Posterior(chains.run(on_done), level, settings)


class _Chains:
    """Gibbs chains over the cell counts of the observed histories, one row per chain.

    Arrays: cells (M, J) of the observed histories and their counts (M,); per chain, λ
    (C, J, K), weights ν (C, K), α (C,), the unobserved count n0 (C,) and its classes (C, K).
    """

    def __init__(self, data: CaptureData, settings: LCMCRSettings, rng: np.random.Generator) -> None:
        observed = data.counts > 0
        self.cells = data.cells[observed].astype(float)
        self.counts = data.counts[observed].astype(np.int64)
        self.n = int(self.counts.sum())
        self.settings, self.rng = settings, rng
        c, k = settings.chains, settings.classes
        # Start where the R package starts: λ at each list's share of the cases, weights
        # spread over the classes, nobody unobserved.
        share = (self.cells * self.counts[:, None]).sum(axis=0) / self.n
        self.lam = np.broadcast_to(share[None, :, None], (c, len(share), k)).clip(1e-3, 1 - 1e-3)
        self.nu = np.full((c, k), 1.0 / k)
        self.alpha = np.ones(c)
        self.log_last = np.full(c, math.log(1.0 / k))
        self.n0 = np.zeros(c, dtype=np.int64)
        self.count0 = np.zeros((c, k), dtype=np.int64)

    def run(self, on_done: Callable[[int], None] | None) -> np.ndarray:
        s = self.settings
        out = np.empty((s.chains, s.samples))
        for i in range(s.burnin + s.samples * s.thinning):
            self.step()
            if i >= s.burnin and (i - s.burnin) % s.thinning == s.thinning - 1:
                out[:, (i - s.burnin) // s.thinning] = self.n + self.n0
            if on_done is not None and i % 1000 == 999:
                on_done(1000 * s.chains)
        return out

    def step(self) -> None:
        allocation = self._allocate_observed()  # (C, M, K)
        self._draw_lambda(allocation)
        self._draw_weights(allocation.sum(axis=1) + self.count0)
        self._impute_unobserved()
        self._draw_alpha()

    def _allocate_observed(self) -> np.ndarray:
        log_miss = np.log1p(-self.lam)  # (C, J, K)
        log_p = (self.cells @ (np.log(self.lam) - log_miss)  # (C, M, K)
                 + (log_miss.sum(axis=1) + np.log(self.nu))[:, None, :])
        p = np.exp(log_p - log_p.max(axis=2, keepdims=True))
        p /= p.sum(axis=2, keepdims=True)
        return self.rng.multinomial(np.broadcast_to(self.counts, p.shape[:2]), p)

    def _draw_lambda(self, allocation: np.ndarray) -> None:
        caught = self.cells.T @ allocation  # (C, J, K): people of class k on list j
        in_class = allocation.sum(axis=1) + self.count0  # (C, K)
        lam = self.rng.beta(1.0 + caught, 1.0 + in_class[:, None, :] - caught)
        self.lam = lam.clip(1e-300, 1 - 1e-16)

    def _draw_weights(self, per_class: np.ndarray) -> None:
        total = (self.n + self.n0)[:, None]
        beyond = total - np.cumsum(per_class, axis=1)  # people in later classes
        v = self.rng.beta(1.0 + per_class[:, :-1], self.alpha[:, None] + beyond[:, :-1])
        v = v.clip(1e-300, 1 - 1e-16)
        log_rest = np.concatenate([np.zeros((len(v), 1)), np.cumsum(np.log1p(-v), axis=1)], axis=1)
        self.log_last = log_rest[:, -1]
        self.nu = np.exp(np.concatenate([np.log(v), np.zeros((len(v), 1))], axis=1) + log_rest)

    def _impute_unobserved(self) -> None:
        missed = self.nu * np.prod(1 - self.lam, axis=1)  # (C, K): P(class k and on no list)
        p0 = missed.sum(axis=1)
        # n0 | rest ~ NegBin(n, 1 - p0): the prior p(N) ∝ 1/N integrated, as in the paper.
        self.n0 = self.rng.negative_binomial(self.n, np.maximum(1.0 - p0, 1e-12))
        share = missed / np.where(p0 > 0, p0, 1.0)[:, None]
        self.count0 = self.rng.multinomial(self.n0, share)

    def _draw_alpha(self) -> None:
        s = self.settings
        self.alpha = self.rng.gamma(s.a_alpha + s.classes - 1, 1.0 / (s.b_alpha - self.log_last))


# -- convergence --------------------------------------------------------------------------
def split_rhat(draws: np.ndarray) -> float:
    """Gelman–Rubin R-hat over the chains, each split in halves (Vehtari et al. 2021's split
    R-hat without rank normalisation): near 1 when the chains agree."""
    half = draws.shape[1] // 2
    if half < 2:
        return math.nan
    parts = np.concatenate([draws[:, :half], draws[:, half:2 * half]])
    within = parts.var(axis=1, ddof=1).mean()
    between = half * parts.mean(axis=1).var(ddof=1)
    if within == 0:
        return 1.0 if between == 0 else math.inf
    var_plus = (half - 1) / half * within + between / half
    return float(math.sqrt(var_plus / within))


def effective_sample_size(draws: np.ndarray) -> float:
    """Effective sample size over all chains, from their mean autocorrelation summed in
    pairs until a pair turns negative (Geyer's initial positive sequence)."""
    chains, n = draws.shape
    centred = draws - draws.mean(axis=1, keepdims=True)
    variance = centred.var(axis=1).mean()
    if n < 4 or variance == 0:
        return float(chains * n)
    spectrum = np.fft.rfft(centred, n=2 * n, axis=1)
    acov = np.fft.irfft(spectrum * np.conj(spectrum), axis=1)[:, :n] / n
    rho = acov.mean(axis=0) / variance
    total = 0.0
    for t in range(0, n - 1, 2):
        pair = rho[t] + rho[t + 1]
        if pair < 0:
            break
        total += pair
    tau = max(2 * total - 1, 1e-12)
    return float(chains * n / tau)
