"""Money in other currencies as US dollars, by the year's average exchange rate.

The rates are data shipped with the package (``data/usd_rates.csv``): yearly means of the
European Central Bank's daily reference rates, and the pegs of the Gulf currencies, built by
``scripts/build_usd_rates.py``. A figure is converted at the rate of its own year (the claim's,
else its document's); a year the table lacks takes the nearest year within ``MAX_YEARS_AWAY``,
and says so. North Korean won are never converted: the official rate (about 100 per dollar)
and the market rate (thousands) differ by a factor of eighty, and the text rarely says which.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

__all__ = ["Conversion", "to_usd"]

MAX_YEARS_AWAY = 3
UNCONVERTIBLE = {"KPW": "North Korean won have no market rate to convert by"}


@dataclass(frozen=True)
class Conversion:
    """A conversion to dollars, or why there is none."""

    factor: float | None  # US dollars per unit of the currency
    note: str | None = None  # a rate of another year, or the reason nothing was converted


@lru_cache(maxsize=1)
def rates() -> dict[str, dict[int, float]]:
    """Per currency, per year: units per US dollar."""
    table: dict[str, dict[int, float]] = {}
    with files("labourwatch").joinpath("data/usd_rates.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            table.setdefault(row["currency"], {})[int(row["year"])] = float(row["per_usd"])
    return table


def to_usd(currency: str, year: int | None) -> Conversion:
    """The factor that turns an amount in ``currency`` of ``year`` into US dollars."""
    if currency == "USD":
        return Conversion(1.0)
    if currency in UNCONVERTIBLE:
        return Conversion(None, UNCONVERTIBLE[currency])
    by_year = rates().get(currency)
    if not by_year:
        return Conversion(None, f"no exchange rate for {currency} in the table")
    if year is None:
        return Conversion(None, f"{currency} figure with no year: no rate to convert it by")
    nearest = min(by_year, key=lambda y: (abs(y - year), -y))
    if abs(nearest - year) > MAX_YEARS_AWAY:
        return Conversion(None, f"no {currency} rate within {MAX_YEARS_AWAY} years of {year}")
    note = None if nearest == year else f"{currency} in {year} converted at the {nearest} rate"
    return Conversion(1 / by_year[nearest], note)
