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


# -- day-first and month-first numeric dates ------------------------------------------------
_NUMERIC = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")


def numeric_date(value: str) -> str | None:
    """"15/03/2019" (day first) or "03/15/2019" (month first) where only one reading is a date;
    "03/04/2019" is ambiguous and gives None."""
    m = _NUMERIC.match(value)
    if not m:
        return None
    a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    readings = {r for r in (_compose(year, b, a) if a <= 31 and b <= 12 else None,
                            _compose(year, a, b) if a <= 12 and b <= 31 else None) if r}
    return readings.pop() if len(readings) == 1 else None


def read_given_date(value: object) -> tuple[str | None, str | None]:
    """A date someone gave (a JSONL ``published``): (date, None), or (None, why it was not read)."""
    if value is None or not str(value).strip():
        return None, None
    date = normalise_date(value) or numeric_date(str(value))
    if date:
        return date, None
    return None, f"published date {str(value)[:40]!r} is not a date labourwatch reads (YYYY-MM-DD, " \
                  "'4 May 2022', 'May 4, 2022', or day/month/year); left empty"


# -- datelines ----------------------------------------------------------------------------
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# A full date: "14 September 2023", "Sept 14, 2023", "2023-09-14". A date with a day is what a
# dateline carries; a bare year or month ("in 2023", "in May 2019") is what a story talks about.
_FULL_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})\b",
    re.IGNORECASE,
)
# A month and year is a date of the document only when the text says so.
_SAID_DATE = re.compile(
    rf"\b(?:published|updated|posted|issued|released|compiled|dated|written)(?:\s+(?:on|in))?[:\s]+"
    rf"(?P<date>{_MONTH}\s+\d{{4}}|\d{{4}})\b",
    re.IGNORECASE,
)
DATELINE_SPAN = 300  # characters: a dateline stands in the opening lines
DATELINE_LINES = 4


def dateline_date(text: str) -> str | None:
    """The date a text carries in its opening lines: "VLADIVOSTOK, Russia (Sept 14, 2023)",
    "Windhoek, 4 May 2022", "Published: 2019-03-15", "compiled in January 2024"."""
    lines = [line for line in text[:DATELINE_SPAN * 2].splitlines() if line.strip()][:DATELINE_LINES]
    opening = "\n".join(lines)[:DATELINE_SPAN]
    if m := _FULL_DATE.search(opening):
        return normalise_date(re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", m.group()).replace(",", " "))
    if m := _SAID_DATE.search(opening):
        return normalise_date(m.group("date"))
    return None
