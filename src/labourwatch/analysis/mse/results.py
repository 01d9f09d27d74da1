"""What an MSE run returns: a results object with summary() and a JSON-ready dict."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from labourwatch.analysis.mse.fit import STATUS_TEXT
from labourwatch.analysis.mse.selection import Considered
from labourwatch.formatting import number
from labourwatch.summary import Link, Summary, Table


@dataclass(frozen=True)
class BootstrapInfo:
    replicates: int
    seed: int | None
    failed: int
    bias_correction: float
    acceleration: float


@dataclass(frozen=True)
class GraphWeight:
    edges: list[str]
    probability: float


@dataclass(frozen=True)
class DGAPosterior:
    """Bayesian model averaging over decomposable graphs (method dga)."""

    posterior_mode: float
    credible_interval: tuple[float, float]
    top_model_probability: float
    graphs: list[GraphWeight]
    prior: dict[str, Any]


@dataclass(frozen=True)
class WeightedModel:
    model: list[str]
    score: float
    weight: float
    estimate: float


@dataclass(frozen=True)
class Averaged:
    """Model averaging: weights ∝ exp(−Δ/2) of the criterion over the top models."""

    criterion: str  # BIC or AIC
    estimate: float
    models: list[WeightedModel]


@dataclass(frozen=True)
class LCMCRPosterior:
    """The latent-class model's posterior of N (method lcmcr) and its convergence checks."""

    mean: float
    median: float
    credible_interval: tuple[float, float]
    effective_sample_size: float
    rhat: float
    monte_carlo_error: float
    settings: dict[str, Any]


@dataclass
class MSEResult:
    lists: tuple[str, ...]
    n: int
    method: str
    model: list[str] | None  # generating terms ("A*E"); [] for main effects; None if none passed
    estimate: float | None
    status: int
    interval: tuple[float, float] | None = None  # BCa bootstrap or posterior interval
    level: float = 0.95
    considered: list[Considered] = field(default_factory=list)
    score_name: str = "BIC"
    warnings: list[str] = field(default_factory=list)
    bootstrap: BootstrapInfo | None = None
    profile_interval: tuple[float, float] | None = None
    dga: DGAPosterior | None = None
    lcmcr: LCMCRPosterior | None = None
    averaged: Averaged | None = None
    draws: np.ndarray | None = field(default=None, repr=False)  # bootstrap or posterior draws of N

    def to_dict(self) -> dict[str, Any]:
        return {
            "estimate": self.estimate,
            "model": self.model,
            "interval": list(self.interval) if self.interval else None,
            "status": self.status,
            "status_text": STATUS_TEXT[self.status],
            "lists": list(self.lists),
            "n": self.n,
            "method": self.method,
            "level": self.level,
            "warnings": self.warnings,
            **self._method_fields(),
            "models_considered": [
                {
                    "model": c.model,
                    self.score_name: _finite(c.score),
                    "estimate": c.estimate,
                    "status": c.status,
                    "note": c.note,
                }
                for c in self.considered[:50]
            ],
        }

    def _method_fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.bootstrap:
            out["bootstrap"] = asdict(self.bootstrap)
        if self.profile_interval:
            out["profile_interval"] = list(self.profile_interval)
        if self.dga:
            out.update(asdict(self.dga))
            out["credible_interval"] = list(self.dga.credible_interval)
        if self.lcmcr:
            out["lcmcr"] = {**asdict(self.lcmcr), "credible_interval": list(self.lcmcr.credible_interval)}
        if self.averaged:
            out["averaged"] = asdict(self.averaged)
        return out

    def summary(self, rows: int = 10) -> Summary:
        """The estimate, its intervals, the models considered and the warnings."""
        pct = f"{self.level:.0%}"
        facts = [
            (f"lists ({len(self.lists)})", ", ".join(self.lists)),
            ("observed cases n", number(self.n)),
            ("method", self.method),
            ("model chosen", f"latent classes, at most {self.lcmcr.settings['classes']}" if self.lcmcr
             else _model_text(self.model)),
            ("status", f"{self.status} ({STATUS_TEXT[self.status]})"),
            ("estimated population", _fmt(self.estimate)),
        ]
        if self.estimate is not None:
            facts.append(("unobserved (dark figure)", _fmt(self.estimate - self.n)))
        if self.interval and self.bootstrap:
            facts.append((f"{pct} BCa bootstrap interval", _interval(self.interval)))
        if self.profile_interval:
            facts.append((f"{pct} profile-likelihood interval", _interval(self.profile_interval)))
        if self.dga:
            facts.append((f"{pct} credible interval", _interval(self.dga.credible_interval)))
            facts.append(("posterior mode", _fmt(self.dga.posterior_mode)))
        if self.lcmcr:
            post = self.lcmcr
            facts += [
                (f"{pct} credible interval", _interval(post.credible_interval)),
                ("posterior mean", _fmt(post.mean)),
                ("effective sample size", _fmt(post.effective_sample_size, 0)),
                ("R-hat over chains", _fmt(post.rhat, 3) + ("" if post.rhat < 1.05 else " (not converged)")),
                ("Monte Carlo error of the mean", _fmt(post.monte_carlo_error)),
            ]
        if self.averaged:
            top = f"averaged over the top {len(self.averaged.models)} models by {self.averaged.criterion}"
            facts.append((top, _fmt(self.averaged.estimate)))
        tables = []
        if self.averaged:
            tables.append(Table(
                ["rank", self.averaged.criterion, "weight", "estimate", "model"],
                [[str(i + 1), _fmt(m.score, 2), f"{m.weight:.3f}", _fmt(m.estimate), _model_text(m.model)]
                 for i, m in enumerate(self.averaged.models)],
                f"models averaged ({self.averaged.criterion} weights)",
            ))
        if self.considered:
            shown = self.considered[:rows]
            tables.append(Table(
                [self.score_name, "estimate", "status", "model"],
                [[_fmt(c.score, 4), _fmt(c.estimate), str(c.status),
                  _model_text(c.model) + (f" ({c.note})" if c.note else "")] for c in shown],
                f"models considered (best {len(shown)} of {len(self.considered)})",
            ))
        return Summary("Multiple systems estimation", facts, tables, list(self.warnings))


def _interval(bounds: tuple[float, float]) -> str:
    return f"{_fmt(bounds[0])} – {_fmt(bounds[1])}"


def _model_text(model: list[str] | None) -> str:
    if model is None:
        return "none passed the checks"
    return "[" + ", ".join(model) + "]" if model else "main effects only"


def _finite(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


def _fmt(x: float | None, digits: int = 2) -> str:
    return number(x, decimals=digits)


@dataclass
class StratifiedResult:
    """One estimate per stratum (a place, a year) and their sum. The sum's interval comes
    from the strata's draws added draw by draw (bootstrap resamples or posterior samples,
    independent between strata), so it is given only where every stratum has draws."""

    strata: dict[str, MSEResult]
    level: float = 0.95
    notes: list[str] = field(default_factory=list)

    @property
    def estimate(self) -> float | None:
        values = [r.estimate for r in self.strata.values()]
        return None if any(v is None for v in values) else float(sum(v or 0.0 for v in values))

    @property
    def n(self) -> int:
        return sum(r.n for r in self.strata.values())

    @cached_property  # the strata's draws summed once
    def interval(self) -> tuple[float, float] | None:
        draws = [r.draws for r in self.strata.values()]
        if any(d is None or len(d) == 0 for d in draws):
            return None
        size = min(len(d) for d in draws if d is not None)
        total = np.sum([np.asarray(d)[:size] for d in draws if d is not None], axis=0)
        total = total[~np.isnan(total)]
        if len(total) < 10:
            return None
        tail = (1 - self.level) / 2
        low, high = np.quantile(total, [tail, 1 - tail])
        return float(low), float(high)

    def to_dict(self) -> dict[str, Any]:
        return {
            "estimate": self.estimate,
            "interval": list(self.interval) if self.interval else None,
            "n": self.n,
            "level": self.level,
            "notes": self.notes,
            "strata": {name: r.to_dict() for name, r in self.strata.items()},
        }

    def summary(self) -> Summary:
        pct = f"{self.level:.0%}"
        rows: list[list[str | Link]] = [
            [name, number(r.n), _fmt(r.estimate), _interval(r.interval) if r.interval else "—", r.method]
            for name, r in self.strata.items()
        ]
        rows.append(["total", number(self.n), _fmt(self.estimate),
                     _interval(self.interval) if self.interval else "—", ""])
        facts = [("strata", str(len(self.strata))), ("observed cases n", number(self.n)),
                 ("estimated population (sum)", _fmt(self.estimate))]
        if self.interval:
            facts.append((f"{pct} interval of the sum", _interval(self.interval)))
        warnings = list(self.notes) + [f"{name}: {w}" for name, r in self.strata.items() for w in r.warnings]
        return Summary("Multiple systems estimation by stratum", facts,
                       [Table(["stratum", "n", "estimate", f"{pct} interval", "method"], rows, "estimates")],
                       warnings)
