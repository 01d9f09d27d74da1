"""The one way labourwatch writes numbers for people: exact where the text is exact.

A stated figure is shown as written — 12,953 stays "12,953", $1.5 billion is "1.5 billion",
never "13k" or "1.79491m". Model outputs, which are estimates, are rounded to a few
significant digits and say so by their size. Chart axes alone use compact ticks ("10k").
"""

from __future__ import annotations

import math

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
CURRENCY_CODE_LENGTH = 3


def number(x: float | None, *, significant: int | None = None, decimals: int | None = None) -> str:
    """A number for reading. ``significant`` rounds an estimate; ``decimals`` fixes the decimals."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if significant is not None and x:
        x = round(x, significant - 1 - math.floor(math.log10(abs(x))))
    if decimals is not None:
        return f"{x:,.{decimals}f}"
    for size, word in _SCALES:
        if abs(x) >= size and _short(x / size):
            return f"{x / size:g} {word}"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.6f}".rstrip("0").rstrip(".")


def _short(scaled: float) -> bool:
    """Whether a scaled number is written with at most three decimals (1.25 billion, not 1.79491)."""
    return abs(scaled * 1000 - round(scaled * 1000)) < 1e-6


def bounds(low: float | None, high: float | None, **options: int) -> str:
    """ "≥ 50,000", "1.2 billion–2.3 billion", "≤ 20", or one number where low equals high."""
    if low is None and high is None:
        return "—"
    if high is None:
        return f"≥ {number(low, **options)}"
    if low is None:
        return f"≤ {number(high, **options)}"
    if low == high:
        return number(low, **options)
    return f"{number(low, **options)}–{number(high, **options)}"


def quantity(low: float | None, high: float | None, unit: str | None, per: str | None = None) -> str:
    """A claim's value with its unit: "USD 1.5 billion/year", "10–20%", "50,000"."""
    text = bounds(low, high)
    if text == "—":
        return text
    unit = unit or ""
    if unit == "percent":
        return text + "%"
    if len(unit) == CURRENCY_CODE_LENGTH and unit.isupper():
        text = f"{unit} {text}"
    elif unit and unit != "person":
        text = f"{text} {unit}"
    return text + (f"/{per}" if per else "")


def money(x: float | None, currency: str = "USD") -> str:
    """An estimated amount of money, to three significant digits: "USD 1.23 billion"."""
    return "—" if x is None else f"{currency} {number(x, significant=3)}"


def tick(x: float) -> str:
    """A compact axis label: 10k, 2.5m, 1bn."""
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(x) >= size:
            return f"{x / size:g}{suffix}"
    return f"{x:g}"


def source_name(location: str) -> str:
    """A source as a report shows it: the file name (with a JSON Lines line number), not the
    folders of whoever ingested it, which can reveal an investigator or a source. URLs and
    uploads are shown whole."""
    if location.startswith(("upload:", "http://", "https://")):
        return location
    return location.replace("\\", "/").rsplit("/", 1)[-1]
