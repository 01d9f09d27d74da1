"""Build data/world.json: simplified country outlines for the report's map.

    python scripts/build_world_outlines.py naturalearth_lowres.shp > src/labourwatch/data/world.json

The input is Natural Earth's 1:110m Admin 0 countries (public domain; naturalearthdata.com),
as the ``naturalearth_lowres`` shapefile that geopandas shipped up to version 0.14. Each ring
is simplified (Douglas–Peucker, ``TOLERANCE`` degrees) and rounded to a tenth of a degree;
rings that shrink to fewer than four points are dropped. The .shp and .dbf are read with the
standard library: polygon records (type 5) and the ``iso_a3`` column.
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

import pycountry

TOLERANCE = 0.4
# Natural Earth writes -99 where a country's ISO code is disputed or missing.
BY_NAME = {"France": "FR", "Norway": "NO", "Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}


def dbf_records(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    count, header_size, record_size = struct.unpack("<IHH", data[4:12])
    fields = []
    for at in range(32, header_size - 1, 32):
        name = data[at:at + 11].split(b"\0")[0].decode()
        fields.append((name, data[at + 16]))
    records = []
    for i in range(count):
        row = data[header_size + i * record_size + 1: header_size + (i + 1) * record_size]
        record, pos = {}, 0
        for name, size in fields:
            record[name] = row[pos:pos + size].decode("utf-8", "replace").strip()
            pos += size
        records.append(record)
    return records


def shp_polygons(path: Path) -> list[list[list[tuple[float, float]]]]:
    data = path.read_bytes()
    shapes, at = [], 100
    while at < len(data):
        length = struct.unpack(">i", data[at + 4:at + 8])[0] * 2
        body = data[at + 8:at + 8 + length]
        at += 8 + length
        if struct.unpack("<i", body[:4])[0] != 5:
            shapes.append([])
            continue
        n_parts, n_points = struct.unpack("<ii", body[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", body[44:44 + 4 * n_parts])) + [n_points]
        base = 44 + 4 * n_parts
        points = [struct.unpack("<dd", body[base + 16 * k: base + 16 * k + 16]) for k in range(n_points)]
        shapes.append([points[parts[k]:parts[k + 1]] for k in range(n_parts)])
    return shapes


def simplify(ring: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker, iterative."""
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = ring[a], ring[b]
        best, index = 0.0, -1
        for k in range(a + 1, b):
            x0, y0 = ring[k]
            dx, dy = x2 - x1, y2 - y1
            norm = (dx * dx + dy * dy) ** 0.5
            if norm:
                d = abs(dy * x0 - dx * y0 + x2 * y1 - y2 * x1) / norm
            else:
                d = ((x0 - x1) ** 2 + (y0 - y1) ** 2) ** 0.5
            if d > best:
                best, index = d, k
        if best > tolerance:
            keep[index] = True
            stack += [(a, index), (index, b)]
    return [p for p, kept in zip(ring, keep, strict=True) if kept]


def alpha2(record: dict[str, str]) -> str | None:
    if record.get("name") in BY_NAME:
        return BY_NAME[record["name"]]
    country = pycountry.countries.get(alpha_3=record.get("iso_a3", ""))
    return country.alpha_2 if country else None


def main(shp: str) -> None:
    path = Path(shp)
    outlines: dict[str, list[list[list[float]]]] = {}
    for record, rings in zip(dbf_records(path.with_suffix(".dbf")), shp_polygons(path), strict=True):
        code = alpha2(record)
        if code is None:
            continue
        for ring in rings:
            simple = [[round(x, 1), round(y, 1)] for x, y in simplify(ring, TOLERANCE)]
            if len(simple) >= 4:
                outlines.setdefault(code, []).append(simple)
    out = {"source": "Natural Earth 1:110m Admin 0 countries (public domain), simplified",
           "tolerance_degrees": TOLERANCE, "countries": outlines}
    json.dump(out, sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1])
