"""Publication dates reduced to ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""

from __future__ import annotations

import re

_MONTHS = {
    m: i
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")],
        start=1,
    )
    for m in names
}
_ISO = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T\s].*)?$")
_WORDY = re.compile(
    r"^\s*(?:(\d{1,2})\s+)?([A-Za-z]+)\.?\s+(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?(\d{4})\s*$"
)


def normalise_date(value: object) -> str | None:
    """Best-effort date normalisation; ``None`` when the value is not a recognisable date."""
    if value is None:
        return None
    s = str(value).strip()
    if not s:
        return None
    m = _ISO.match(s)
    if m:
        year, month, day = m.groups()
        return _compose(int(year), int(month) if month else None, int(day) if day else None)
    m = _WORDY.match(s)
    if m:
        day1, month_name, day2, year = m.groups()
        month = _MONTHS.get(month_name.lower())
        if month:
            day = day1 or day2
            return _compose(int(year), month, int(day) if day else None)
    return None


def _compose(year: int, month: int | None, day: int | None) -> str | None:
    if not 1000 <= year <= 2999:
        return None
    if not month:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if not day:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= 31:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"
