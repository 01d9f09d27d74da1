"""Places named in the evidence, with the claims about them, as GeoJSON points for QGIS.

Cities and sites stand at their own coordinates; a country stands at its capital (a point is
what a claim about "Russia" can honestly be given), with its ISO code in ``country`` to join an
outline layer on.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labourwatch.errors import ExportError
from labourwatch.formatting import quantity
from labourwatch.records import COUNTED_STATES, StoredClaim

if TYPE_CHECKING:
    from labourwatch.workspace import Workspace


def geojson_collection(ws: Workspace) -> dict[str, Any]:
    """A FeatureCollection: one point per place, its mentions, and (for a country) every claim
    about it that a reviewer has not rejected."""
    from labourwatch.report.data import capital_points

    capitals = capital_points()
    claims_by_country: dict[str, list[StoredClaim]] = defaultdict(list)
    for claim in ws.claims(states=COUNTED_STATES):
        if claim["place"]:
            claims_by_country[claim["place"]].append(claim)
    features = []
    for place in ws.store.place_counts(("country", "region", "city", "site")):
        point = (place.lat, place.lon) if place.kind != "country" else capitals.get(place.country or "")
        if point is None or point[0] is None or point[1] is None:
            continue  # a region without coordinates: not on a map
        claims = claims_by_country.get(place.country or "", []) if place.kind == "country" else []
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(float(point[1]), 5),
                                                          round(float(point[0]), 5)]},
            "properties": {
                "name": place.name, "place_kind": place.kind, "country": place.country,
                "point": "capital" if place.kind == "country" else "place",
                "mentions": place.mentions, "claims": len(claims),
                "claim_list": [_claim_properties(c) for c in claims],
            },
        })
    return {"type": "FeatureCollection", "features": features}


def _claim_properties(claim: StoredClaim) -> dict[str, Any]:
    return {
        "id": claim["id"], "variable": claim["variable"],
        "value": quantity(claim["low"], claim["high"], claim["unit"], claim["per"]),
        "low": claim["low"], "high": claim["high"], "unit": claim["unit"], "year": claim["year"],
        "source": claim["source"], "quote": claim["quote"], "document_id": claim["document_id"],
        "document_title": claim["document_title"], "review_state": claim.get("review_state", "unreviewed"),
    }


def write_geojson(ws: Workspace, path: Path) -> int:
    """Write the collection (RFC 7946: WGS 84 longitude, latitude); returns the feature count."""
    collection = geojson_collection(ws)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(collection, ensure_ascii=False, indent=1), "utf-8")
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return len(collection["features"])
