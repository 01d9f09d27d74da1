"""What an MSE run returns: a results object with summary() and a JSON-ready dict."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from labourwatch.analysis.mse.fit import STATUS_TEXT
from labourwatch.analysis.mse.selection import Considered


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
    extra: dict[str, Any] = field(default_factory=dict)  # method-specific: profile interval, dga posterior

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
            **self.extra,
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

    def summary(self, rows: int = 10) -> str:
        lines = [
            "Multiple systems estimation",
            "=" * 60,
            f"lists ({len(self.lists)}): {', '.join(self.lists)}",
            f"observed cases n: {self.n}",
            f"method: {self.method}",
            f"model chosen: {_model_text(self.model)}",
            f"status: {self.status} ({STATUS_TEXT[self.status]})",
            f"estimated population: {_fmt(self.estimate)}",
        ]
        if self.estimate is not None:
            lines.append(f"unobserved (dark figure): {_fmt(self.estimate - self.n)}")
        if self.interval:
            lo, hi = self.interval
            lines.append(f"{self.level:.0%} BCa bootstrap interval: {_fmt(lo)} – {_fmt(hi)}")
        if "profile_interval" in self.extra and self.extra["profile_interval"]:
            lo, hi = self.extra["profile_interval"]
            lines.append(f"{self.level:.0%} profile-likelihood interval: {_fmt(lo)} – {_fmt(hi)}")
        if "credible_interval" in self.extra:
            lo, hi = self.extra["credible_interval"]
            lines.append(
                f"{self.level:.0%} credible interval: {_fmt(lo)} – {_fmt(hi)}; "
                f"posterior mode {_fmt(self.extra['posterior_mode'])}"
            )
        if self.considered:
            lines += [
                "",
                f"models considered (best {min(rows, len(self.considered))} of {len(self.considered)}):",
                f"  {self.score_name:>12}  {'estimate':>12}  status  model",
            ]
            for c in self.considered[:rows]:
                model = _model_text(c.model)
                lines.append(
                    f"  {_fmt(c.score, 4):>12}  {_fmt(c.estimate):>12}  {c.status:>6}  {model}"
                    + (f"  ({c.note})" if c.note else "")
                )
        if self.warnings:
            lines += ["", "warnings:"] + [f"  - {w}" for w in self.warnings]
        return "\n".join(lines)


def _model_text(model: list[str] | None) -> str:
    if model is None:
        return "none passed the checks"
    return "[" + ", ".join(model) + "]" if model else "main effects only"


def _finite(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


def _fmt(x: float | None, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if isinstance(x, float) and math.isinf(x):
        return "∞"
    return f"{x:,.{digits}f}"
