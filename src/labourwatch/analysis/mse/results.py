"""What an MSE run returns: a results object with summary() and a JSON-ready dict."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from labourwatch.analysis.mse.fit import STATUS_TEXT
from labourwatch.analysis.mse.selection import Considered
from labourwatch.formatting import number
from labourwatch.summary import Summary, Table


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


@dataclass
class MSEResult:
    lists: tuple[str, ...]
    n: int
    method: str
    model: list[str] | None  # generating terms ("A*E"); [] for main effects; None if none passed
    estimate: float | None
    status: int
    interval: tuple[float, float] | None = None  # BCa bootstrap interval
    level: float = 0.95
    considered: list[Considered] = field(default_factory=list)
    score_name: str = "BIC"
    warnings: list[str] = field(default_factory=list)
    bootstrap: BootstrapInfo | None = None
    profile_interval: tuple[float, float] | None = None
    dga: DGAPosterior | None = None

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
        return out

    def summary(self, rows: int = 10) -> Summary:
        """The estimate, its intervals, the models considered and the warnings."""
        pct = f"{self.level:.0%}"
        facts = [
            (f"lists ({len(self.lists)})", ", ".join(self.lists)),
            ("observed cases n", number(self.n)),
            ("method", self.method),
            ("model chosen", _model_text(self.model)),
            ("status", f"{self.status} ({STATUS_TEXT[self.status]})"),
            ("estimated population", _fmt(self.estimate)),
        ]
        if self.estimate is not None:
            facts.append(("unobserved (dark figure)", _fmt(self.estimate - self.n)))
        if self.interval:
            facts.append((f"{pct} BCa bootstrap interval", _interval(self.interval)))
        if self.profile_interval:
            facts.append((f"{pct} profile-likelihood interval", _interval(self.profile_interval)))
        if self.dga:
            facts.append((f"{pct} credible interval", _interval(self.dga.credible_interval)))
            facts.append(("posterior mode", _fmt(self.dga.posterior_mode)))
        tables = []
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
