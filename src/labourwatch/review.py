"""Review of what the machine read: the checks a person's correction or added claim must pass
before it reaches the store. The store keeps extracted values and corrections side by side."""

from __future__ import annotations

import functools
import math
from typing import Any

from labourwatch.errors import InputError
from labourwatch.records import CORRECTABLE_CLAIM_FIELDS, INDICATORS, REVIEW_KINDS, REVIEW_STATES, VARIABLES

__all__ = ["check_claim_fields", "check_review", "check_variable", "country_code"]

MAX_VALUE = 1e15  # the extractor's own bound on a figure
TEXT_FIELDS = ("unit", "per", "qualifier", "source")
MAX_TEXT = 300


@functools.lru_cache(maxsize=4096)
def country_code(place: str) -> str:
    """An ISO 3166 alpha-2 code from a code or an English name ("Russia", "ru", "RUS")."""
    import pycountry

    wanted = place.strip()
    try:
        return str(pycountry.countries.lookup(wanted).alpha_2)  # codes and official names
    except LookupError:
        pass
    try:
        return str(pycountry.countries.search_fuzzy(wanted)[0].alpha_2)
    except LookupError:
        raise InputError(f"place {place!r} is not a country name or ISO code") from None


def check_variable(variable: str | None) -> None:
    """A variable filter must name a known variable: a typo would silently match nothing."""
    if variable and variable not in VARIABLES:
        raise InputError(f"unknown variable {variable!r}; known: {', '.join(VARIABLES)}")


def _number(name: str, value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} {value!r} is not a number") from None
    if not math.isfinite(number) or abs(number) > MAX_VALUE:
        raise InputError(f"{name} {value!r} is out of range")
    return number


def _year(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise InputError(f"year {value!r} is not a year") from None
    if not 1900 <= year <= 2100:
        raise InputError(f"year {year} is out of range (1900–2100)")
    return year


def check_claim_fields(fields: dict[str, Any], partial: bool = True) -> dict[str, Any]:
    """The fields of a corrected or added claim, checked and normalised; unknown fields and
    bad values are an :class:`InputError` naming the field."""
    unknown = set(fields) - set(CORRECTABLE_CLAIM_FIELDS)
    if unknown:
        known = ", ".join(CORRECTABLE_CLAIM_FIELDS)
        raise InputError(f"cannot set {', '.join(sorted(unknown))}: a claim's fields are {known}")
    checked: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "variable":
            check_variable(value or "(none)")
            checked[name] = value
        elif name in ("low", "high"):
            checked[name] = _number(name, value)
        elif name == "year":
            checked[name] = _year(value)
        elif name in ("place", "nationality"):
            checked[name] = country_code(value) if value not in (None, "") else None
        else:
            text = None if value in (None, "") else str(value).strip()[:MAX_TEXT]
            checked[name] = text
    if not partial and not checked.get("variable"):
        raise InputError("a claim needs a variable")
    low, high = checked.get("low"), checked.get("high")
    if low is not None and high is not None and high < low:
        raise InputError(f"high {high:g} is below low {low:g}")
    return checked


def check_review(kind: str, state: str, corrected: dict[str, Any] | None) -> dict[str, Any] | None:
    """A review's kind, state and corrections, checked; the corrections normalised."""
    if kind not in REVIEW_KINDS:
        raise InputError(f"cannot review a {kind!r}: one of {', '.join(REVIEW_KINDS)}")
    if state not in REVIEW_STATES:
        raise InputError(f"unknown review state {state!r}: one of {', '.join(REVIEW_STATES)}")
    if state != "corrected":
        if corrected:
            raise InputError(f"corrections come with the state 'corrected', not {state!r}")
        return None
    if not corrected:
        raise InputError("a correction needs the corrected values")
    if kind == "claim":
        return check_claim_fields(corrected)
    if kind == "indicator":
        if set(corrected) != {"indicator"} or corrected["indicator"] not in INDICATORS:
            raise InputError(f"an indicator is corrected to one of {', '.join(INDICATORS)}")
        return dict(corrected)
    name = str(corrected.get("name") or "").strip()
    if set(corrected) != {"name"} or not name:
        raise InputError("a name is corrected to a non-empty 'name'")
    return {"name": name[:MAX_TEXT]}
