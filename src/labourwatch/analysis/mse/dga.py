"""Bayesian model averaging over decomposable graphical models (Madigan & York 1997),
as in the dga package of Johndrow, Lum and Ball.

For each decomposable graph on the lists and each candidate unobserved count N0, the
complete table (observed counts plus N0 in the all-zero cell) has a hyper-Dirichlet
marginal likelihood: the product over a perfect elimination order of
ML(family) / ML(parents), each the Dirichlet–multinomial likelihood of a marginal table
whose cells carry prior mass delta · 2^(t − |S|). With the multinomial coefficient
N!/N0! and a prior on the total N, this gives weights over (graph, N).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln, logsumexp

from labourwatch.analysis.mse.data import CaptureData

MIN_LISTS, MAX_LISTS = 3, 5

Edge = tuple[int, int]
LogPrior = Callable[[np.ndarray], np.ndarray]


@dataclass
class DGAResult:
    totals: np.ndarray  # candidate population totals N
    posterior: np.ndarray  # posterior probability of each total (summed over graphs)
    graphs: list[frozenset[Edge]]
    graph_weights: np.ndarray  # posterior probability of each graph
    estimate: float  # Σ(w/N) / Σ(w/N²): the Bayes estimate under relative squared error
    mode: float
    interval: tuple[float, float]  # equal-tailed credible interval


def decomposable_graphs(t: int) -> list[frozenset[Edge]]:
    edges = list(itertools.combinations(range(t), 2))
    out = []
    for k in range(len(edges) + 1):
        for chosen in itertools.combinations(edges, k):
            graph = frozenset(chosen)
            if perfect_order(t, graph) is not None:
                out.append(graph)
    return out


def perfect_order(t: int, graph: frozenset[Edge]) -> list[int] | None:
    """A perfect elimination order by maximum cardinality search, or None if not chordal."""
    neighbours: dict[int, set[int]] = {v: set() for v in range(t)}
    for a, b in graph:
        neighbours[a].add(b)
        neighbours[b].add(a)
    order: list[int] = []
    weight = dict.fromkeys(range(t), 0)
    while weight:
        v = max(sorted(weight), key=lambda u: weight[u])
        earlier = neighbours[v] & set(order)
        if any(b not in neighbours[a] for a, b in itertools.combinations(sorted(earlier), 2)):
            return None  # earlier neighbours must form a clique
        order.append(v)
        del weight[v]
        for u in neighbours[v]:
            if u in weight:
                weight[u] += 1
    return order


def negative_binomial_prior(a: float, b: float) -> LogPrior:
    """log p(N) = N·log b − (N + a)·log(1 + b) + lgamma(N + a) − lgamma(N + 1) − lgamma(a)."""

    def log_prior(n: np.ndarray) -> np.ndarray:
        value = n * math.log(b) - (n + a) * math.log1p(b) + gammaln(n + a) - gammaln(n + 1) - gammaln(a)
        return np.asarray(value, dtype=float)

    return log_prior


def improper_prior(n: np.ndarray) -> np.ndarray:
    """p(N) ∝ 1/N, the default when no prior is given."""
    return np.asarray(-np.log(n), dtype=float)


def bma(
    data: CaptureData,
    missing: np.ndarray,
    delta: float = 1.0,
    log_prior: LogPrior = improper_prior,
    level: float = 0.95,
) -> DGAResult:
    t = data.t
    if not MIN_LISTS <= t <= MAX_LISTS:
        raise ValueError(f"dga supports {MIN_LISTS} to {MAX_LISTS} lists; the data have {t}")
    missing = np.asarray(missing, dtype=float)
    totals = data.n + missing
    full_cells = np.vstack([np.zeros((1, t), dtype=np.int8), data.cells])  # the all-zero cell first
    counts = np.concatenate([[0], data.counts]).astype(float)
    cache: dict[frozenset[int], np.ndarray] = {}

    def log_ml(subset: frozenset[int]) -> np.ndarray:
        """Dirichlet–multinomial log marginal likelihood of the marginal table over ``subset``,
        for every candidate N0 at once (N0 only adds to the cell where ``subset`` is all zero)."""
        if subset in cache:
            return cache[subset]
        members = sorted(subset)
        k = len(members)
        alpha = delta * 2.0 ** (t - k)
        codes = full_cells[:, members] @ (1 << np.arange(k)) if k else np.zeros(len(counts), dtype=int)
        table = np.bincount(codes, weights=counts, minlength=2**k)
        rest = gammaln(alpha + table[1:]).sum() - (2**k - 1) * gammaln(alpha)
        zero_cell = gammaln(alpha + table[0] + missing) - gammaln(alpha)
        total_alpha = alpha * 2**k
        value: np.ndarray = np.asarray(
            gammaln(total_alpha) - gammaln(total_alpha + totals) + zero_cell + rest
        )
        cache[subset] = value
        return value

    graphs = decomposable_graphs(t)
    log_w = np.empty((len(graphs), len(missing)))
    coefficient = gammaln(totals + 1) - gammaln(missing + 1)  # N!/N0! of the complete multinomial
    prior = log_prior(totals)
    for g, graph in enumerate(graphs):
        order = perfect_order(t, graph)
        assert order is not None
        adjacent = {(a, b) for a, b in graph} | {(b, a) for a, b in graph}
        total = np.zeros(len(missing))
        for i, v in enumerate(order):
            parents = frozenset(u for u in order[:i] if (u, v) in adjacent)
            total += log_ml(parents | {v}) - log_ml(parents)
        log_w[g] = total + coefficient + prior
    log_w -= logsumexp(log_w)
    weights = np.exp(log_w)
    posterior = weights.sum(axis=0)
    graph_weights = weights.sum(axis=1)
    estimate = float(np.sum(posterior / totals) / np.sum(posterior / totals**2))
    cdf = np.cumsum(posterior)
    tail = (1 - level) / 2
    interval = (
        float(totals[int(np.searchsorted(cdf, tail))]),
        float(totals[min(int(np.searchsorted(cdf, 1 - tail)), len(totals) - 1)]),
    )
    return DGAResult(
        totals, posterior, graphs, graph_weights, estimate, float(totals[int(np.argmax(posterior))]), interval
    )
