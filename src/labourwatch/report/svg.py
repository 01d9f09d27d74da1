"""Small inline SVG charts: no scripts, no fonts, no network."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import lru_cache
from html import escape
from importlib.resources import files

import numpy as np

from labourwatch.formatting import tick

PALETTE = ["#1f5f8b", "#c0392b", "#27ae60", "#8e44ad", "#d68910", "#16a085", "#7f8c8d", "#2c3e50"]


def _log_ticks(lo: float, hi: float) -> list[float]:
    return [10.0**k for k in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)]


def timeline_chart(
    points: Sequence[tuple[float, float, str, str, str]], width: int = 720, height: int = 260,
    axis: str = "",
) -> str:
    """points: (year, value, series label, link, tooltip). Log value axis named ``axis`` (the
    unit), one colour and one line per label."""
    if not points:
        return "<p class='muted'>No dated values.</p>"
    years = [p[0] for p in points]
    vals = [p[1] for p in points if p[1] > 0]
    if not vals:
        return "<p class='muted'>No positive values.</p>"
    x0, x1 = min(years) - 0.5, max(years) + 0.5
    ticks = _log_ticks(min(vals), max(vals))
    y0, y1 = math.log10(ticks[0]), math.log10(ticks[-1]) if ticks[-1] > ticks[0] else math.log10(ticks[0]) + 1
    left, right, top, bottom = 74, 20, 10, 30

    def sx(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def sy(v: float) -> float:
        return height - bottom - (math.log10(v) - y0) / (y1 - y0) * (height - top - bottom)

    labels = sorted({p[2] for p in points})
    colour = {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(labels)}
    parts = [f"<svg class='chart' viewBox='0 0 {width} {height}' role='img' aria-label='timeline'>"]
    for t in ticks:
        y = sy(t)
        parts.append(
            f"<line x1='{left}' x2='{width - right}' y1='{y:.1f}' y2='{y:.1f}' class='grid'/>"
            f"<text x='{left - 6}' y='{y + 4:.1f}' text-anchor='end'>{tick(t)}</text>"
        )
    step = max(1, math.ceil((x1 - x0) / 12))  # at most a dozen year labels: they must not overlap
    for label_year in range(math.ceil(x0), math.floor(x1) + 1, step):
        parts.append(
            f"<text x='{sx(label_year):.1f}' y='{height - 8}' text-anchor='middle'>{label_year}</text>"
        )
    if axis:
        parts.append(f"<text x='{-(height - bottom + top) / 2:.0f}' y='14' transform='rotate(-90)' "
                     f"text-anchor='middle' class='axis'>{escape(axis)}</text>")
    for label in labels:
        line = sorted((p[0], p[1]) for p in points if p[2] == label and p[1] > 0)
        if len(line) > 1:
            path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in line)
            parts.append(f"<polyline points='{path}' fill='none' stroke='{colour[label]}' "
                         "stroke-opacity='.6'/>")
    for year, value, label, link, tip in points:
        if value <= 0:
            continue
        parts.append(
            f"<a href='{escape(link)}'><circle cx='{sx(year):.1f}' cy='{sy(value):.1f}' r='5' "
            f"fill='{colour[label]}'><title>{escape(tip)}</title></circle></a>"
        )
    parts.append("</svg>")
    legend = "".join(
        f"<span class='key'><i style='background:{colour[label]}'></i>{escape(label)}</span>"
        for label in labels
    )
    return "".join(parts) + f"<div class='legend'>{legend}</div>"


@lru_cache(maxsize=1)
def country_outlines() -> dict[str, list[list[list[float]]]]:
    """Country outlines (lon, lat rings) from Natural Earth 1:110m, shipped as data."""
    text = files("labourwatch").joinpath("data/world.json").read_text(encoding="utf-8")
    outlines: dict[str, list[list[list[float]]]] = json.loads(text)["countries"]
    return outlines


def world_map(
    points: Sequence[tuple[str, float, float, float, str]], width: int = 720, height: int = 360,
    countries: dict[str, str] | None = None,
) -> str:
    """points: (label, lat, lon, size value, tooltip) on an equirectangular map with country
    outlines; ``countries`` (code → tooltip) are shaded as places the evidence names."""
    if not points:
        return "<p class='muted'>No places with coordinates.</p>"

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return (lon + 180) / 360 * width, (90 - lat) / 180 * height

    biggest = max((p[3] for p in points), default=0) or 1
    parts = [
        f"<svg class='map' viewBox='0 0 {width} {height * 5 // 6}' role='img' aria-label='map of places'>",
        f"<rect width='{width}' height='{height}' class='sea'/>",
    ]
    named = countries or {}
    for code, rings in country_outlines().items():
        d = "".join("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in (xy(lat, lon) for lon, lat in ring)) + "Z"
                    for ring in rings)
        tip = f"<title>{escape(named[code])}</title>" if code in named else ""
        shade = "land named-country" if code in named else "land"
        parts.append(f"<path d='{d}' class='{shade}'>{tip}</path>")
    placed: list[tuple[float, float, float]] = []  # label boxes: x, y, width
    for label, lat, lon, size, tip in sorted(points, key=lambda p: -p[3]):
        x, y = xy(lat, lon)
        r = 3 + 14 * math.sqrt(size / biggest) if size else 3
        parts.append(
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{r:.1f}' class='{'claimed' if size else 'named'}'>"
            f"<title>{escape(tip)}</title></circle>"
        )
        lx, label_width = x + r + 2, 6.2 * len(label)
        overlaps = (abs(y - py) < 12 and lx - 2 < px + pw and px - 2 < lx + label_width
                    for px, py, pw in placed)
        if not any(overlaps):
            placed.append((lx, y, label_width))  # a label that would overlap another is left to the tooltip
            parts.append(f"<text x='{lx:.1f}' y='{y + 4:.1f}' class='label'>{escape(label)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def histogram(
    draws: np.ndarray, marks: Sequence[tuple[float, str]], width: int = 720, height: int = 220
) -> str:
    """Log-scale histogram of model draws, with vertical marks for stated values."""
    positive = draws[draws > 0]
    if not len(positive):
        return ""
    lows = [float(positive.min())] + [m for m, _ in marks if m > 0]
    highs = [float(positive.max())] + [m for m, _ in marks if m > 0]
    ticks = _log_ticks(min(lows), max(highs))
    lo, hi = math.log10(ticks[0]), math.log10(ticks[-1])
    counts, edges = np.histogram(np.log10(positive), bins=60, range=(lo, hi))
    left, bottom = 20, 30
    scale_x = (width - 2 * left) / (hi - lo)
    top = counts.max() or 1
    parts = [
        f"<svg class='chart' viewBox='0 0 {width} {height}' role='img' aria-label='revenue distribution'>"
    ]
    for c, e in zip(counts, edges[:-1], strict=True):
        h = c / top * (height - bottom - 10)
        parts.append(
            f"<rect x='{left + (e - lo) * scale_x:.1f}' y='{height - bottom - h:.1f}' "
            f"width='{scale_x * (edges[1] - edges[0]) - 1:.1f}' height='{h:.1f}' class='bar'/>"
        )
    for t in ticks:
        x = left + (math.log10(t) - lo) * scale_x
        parts.append(f"<text x='{x:.1f}' y='{height - 10}' text-anchor='middle'>${tick(t)}</text>")
    for value, label in marks:
        if value <= 0:
            continue
        x = left + (math.log10(value) - lo) * scale_x
        parts.append(
            f"<line x1='{x:.1f}' x2='{x:.1f}' y1='5' y2='{height - bottom}' class='mark'>"
            f"<title>{escape(label)}</title></line>"
        )
    parts.append("</svg>")
    return "".join(parts)


def rank_plot(
    estimates: Sequence[float], weights: Sequence[float] | None = None, label: str = "BIC",
    width: int = 720, height: int = 260, standalone: bool = False,
) -> str:
    """The estimate of each model against its rank by ``label`` (1 = best), a dot per model,
    its area following its weight where models are averaged."""
    values = [float(v) for v in estimates]
    if not values:
        return "<p class='muted'>No model passed the checks.</p>"
    left, right, top, bottom = 70, 20, 10, 36
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.08 or max(abs(hi) * 0.05, 1.0)
    lo, hi = lo - pad, hi + pad
    n = len(values)

    def sx(rank: int) -> float:
        return left + (rank - 0.5) / n * (width - left - right)

    def sy(v: float) -> float:
        return height - bottom - (v - lo) / (hi - lo) * (height - top - bottom)

    xmlns = (" xmlns='http://www.w3.org/2000/svg' font-family='sans-serif' font-size='11'"
             if standalone else "")
    parts = [f"<svg{xmlns} class='chart' viewBox='0 0 {width} {height}' role='img' "
             f"aria-label='estimate by model rank'>"]
    for t in np.linspace(lo + pad, hi - pad, 5) if hi - lo > 2 * pad else [values[0]]:
        parts.append(f"<line x1='{left}' x2='{width - right}' y1='{sy(t):.1f}' y2='{sy(t):.1f}' "
                     f"stroke='#ddd' class='grid'/><text x='{left - 6}' y='{sy(t) + 4:.1f}' "
                     f"text-anchor='end'>{tick(t)}</text>")
    for rank in sorted({1, n, *range(10, n, max(10, n // 8 // 10 * 10 or 10))}):
        parts.append(f"<text x='{sx(rank):.1f}' y='{height - 18}' text-anchor='middle'>{rank}</text>")
    parts.append(f"<text x='{(left + width - right) / 2:.0f}' y='{height - 4}' text-anchor='middle'>"
                 f"model rank by {escape(label)}</text>")
    biggest = max(weights) if weights else 1.0
    for rank, value in enumerate(values, start=1):
        w = weights[rank - 1] if weights and rank <= len(weights) else None
        r = 2.5 + 6 * math.sqrt(w / biggest) if w is not None and biggest > 0 else 2.5
        tip = f"rank {rank}: {tick(value)}" + (f", weight {w:.3f}" if w is not None else "")
        parts.append(f"<circle cx='{sx(rank):.1f}' cy='{sy(value):.1f}' r='{r:.1f}' fill='{PALETTE[0]}' "
                     f"fill-opacity='0.7'><title>{escape(tip)}</title></circle>")
    parts.append("</svg>")
    return "".join(parts)
