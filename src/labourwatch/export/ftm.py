"""The evidence as FollowTheMoney entities (the data model of Aleph and OpenSanctions), built
and checked with the followthemoney library itself, one JSON entity per line.

- each document: a Document entity of the schema its format calls for (HyperText, Pages,
  PlainText, Email, Image), with its SHA-256 as ``contentHash``, its URLs, dates and text;
- each person or organisation named: a Person or Organization, and a Mention linking it to
  each document that names it;
- each claim and each ILO indicator passage: a Note on its document, its quote as description;
- places: countries as the documents' ``country``; cities and sites as Address entities.

Ids are derived from labourwatch's own ids, so a second export of the same store gives the
same entities and Aleph updates rather than duplicates them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labourwatch.errors import ExportError
from labourwatch.formatting import quantity, source_name
from labourwatch.records import COUNTED_STATES, StoredClaim, StoredIndicator, StoredName

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

    from labourwatch.store import Store
    from labourwatch.workspace import Workspace

NAMESPACE = "labourwatch"
_DOCUMENT_SCHEMA = {
    "text/html": "HyperText", "application/pdf": "Pages", "text/plain": "PlainText",
    "text/markdown": "PlainText", "application/jsonl": "PlainText", "message/rfc822": "Email",
}
_NAME_SCHEMA = {"person": "Person", "organisation": "Organization"}


def ftm_entities(ws: Workspace) -> Iterator[EntityProxy]:
    """Every entity of the export, documents first; each is valid against the FtM model (the
    library refuses unknown properties and cleans values by their types)."""
    store = ws.store
    places = _places_by_document(store)
    names = _names_by_document(store)
    claims: dict[str, list[StoredClaim]] = defaultdict(list)
    for claim in ws.claims(states=COUNTED_STATES):
        claims[claim["document_id"]].append(claim)
    indicators: dict[str, list[StoredIndicator]] = defaultdict(list)
    for indicator in store.indicators():
        if indicator.review.state != "rejected":
            indicators[indicator.document_id].append(indicator)
    named: dict[tuple[str, str], EntityProxy] = {}
    seen_addresses: set[str] = set()
    for summary in store.documents():
        document, addresses = _document(store, summary.id, places.get(summary.id, []))
        for address in addresses:
            if address.id not in seen_addresses:
                seen_addresses.add(str(address.id))
                yield address
        yield document
        for name in names.get(summary.id, []):
            key = (name.kind, name.reviewed_name.casefold())
            if key not in named:
                named[key] = _named(name)
                yield named[key]
            yield _mention(document, named[key], name)
        yield from (_claim_note(document, c) for c in claims.get(summary.id, []))
        yield from (_indicator_note(document, i) for i in indicators.get(summary.id, []))


def _entity(schema: str, *id_parts: str) -> EntityProxy:
    from followthemoney import model

    entity = model.make_entity(schema)
    entity.make_id(NAMESPACE, *id_parts)
    return entity


def _add(entity: EntityProxy, prop: str, value: Any) -> None:
    """A property value, checked: an unknown property is an error, not a silent drop."""
    if value is not None and value != "":
        entity.add(prop, value, quiet=False)


def _document(
    store: Store, doc_id: str, places: list[dict[str, Any]]
) -> tuple[EntityProxy, list[EntityProxy]]:
    doc = store.document(doc_id)
    image = doc.media_type.startswith("image/")
    schema = _DOCUMENT_SCHEMA.get(doc.media_type, "Image" if image else "Document")
    entity = _entity(schema, "document", doc.id)
    sources = store.sources(doc.id)
    captures = list(store.captures(doc.id))
    _add(entity, "fileName", source_name(sources[0].location) if sources else f"{doc.id[:12]}")
    _add(entity, "contentHash", doc.id)  # SHA-256 of the original bytes
    _add(entity, "title", doc.title)
    _add(entity, "publishedAt", doc.published)
    _add(entity, "mimeType", doc.media_type)
    _add(entity, "fileSize", doc.size)
    _add(entity, "publisher", doc.publisher)
    _add(entity, "bodyText", doc.text)
    _add(entity, "processingStatus", doc.status)
    _add(entity, "processingAgent", f"labourwatch {doc.tool_version}")
    _add(entity, "retrievedAt", captures[0].captured_at if captures else doc.ingested_at)
    for source in sources:
        if source.kind == "url":
            _add(entity, "sourceUrl", source.location)
    for capture in captures:
        _add(entity, "sourceUrl", capture.final_url)
    addresses = []
    for place in places:
        _add(entity, "country", place["country"])
        if place["place_kind"] in ("city", "site") and place["lat"] is not None:
            address = _address(place)
            _add(entity, "addressEntity", address.id)
            addresses.append(address)
    return entity, addresses


def _address(place: dict[str, Any]) -> EntityProxy:
    address = _entity("Address", "place", place["name"].casefold(), place["country"] or "")
    _add(address, "full", place["name"])
    _add(address, "city", place["name"])
    _add(address, "country", place["country"])
    _add(address, "latitude", place["lat"])
    _add(address, "longitude", place["lon"])
    return address


def _named(name: StoredName) -> EntityProxy:
    entity = _entity(_NAME_SCHEMA[name.kind], "name", name.kind, name.reviewed_name.casefold())
    _add(entity, "name", name.reviewed_name)
    return entity


def _mention(document: EntityProxy, resolved: EntityProxy, name: StoredName) -> EntityProxy:
    mention = _entity("Mention", "mention", str(name.id))
    _add(mention, "document", document.id)
    _add(mention, "resolved", resolved.id)
    _add(mention, "name", name.reviewed_name)
    _add(mention, "detectedSchema", resolved.schema.name)
    return mention


def _claim_note(document: EntityProxy, claim: StoredClaim) -> EntityProxy:
    note = _entity("Note", "claim", str(claim["id"]))
    value = quantity(claim["low"], claim["high"], claim["unit"], claim["per"])
    _add(note, "entity", document.id)
    qualifier = f"{claim['qualifier']} " if claim["qualifier"] else ""
    _add(note, "name", f"{claim['variable']}: {qualifier}{value}")
    _add(note, "description", claim["quote"])
    details = {"variable": claim["variable"], "low": claim["low"], "high": claim["high"],
               "unit": claim["unit"], "year": claim["year"], "source": claim["source"],
               "place": claim["place"], "review_state": claim.get("review_state", "unreviewed"),
               "labourwatch_claim": claim["id"]}
    _add(note, "summary", json.dumps({k: v for k, v in details.items() if v is not None}, ensure_ascii=False))
    _add(note, "country", claim["place"])
    _add(note, "publisher", claim["source"])
    _add(note, "keywords", claim["variable"])
    return note


def _indicator_note(document: EntityProxy, indicator: StoredIndicator) -> EntityProxy:
    note = _entity("Note", "indicator", str(indicator.id))
    _add(note, "entity", document.id)
    _add(note, "name", f"ILO forced-labour indicator: {indicator.code.replace('_', ' ')}")
    _add(note, "description", indicator.quote)
    _add(note, "keywords", f"ilo:{indicator.code}")
    return note


def _places_by_document(store: Store) -> dict[str, list[dict[str, Any]]]:
    columns = [name for name, _ in store.columns("mentions")]
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in store.rows("mentions"):
        mention = dict(zip(columns, row, strict=True))
        if mention["kind"] == "place" and mention["review_state"] != "rejected":
            out[mention["document_id"]].append(mention)
    return out


def _names_by_document(store: Store) -> dict[str, list[StoredName]]:
    out: dict[str, list[StoredName]] = defaultdict(list)
    for name in store.names():
        if name.review.state != "rejected" and name.kind in _NAME_SCHEMA:
            out[name.document_id].append(name)
    return out


def write_ftm(ws: Workspace, path: Path) -> int:
    """Entities as JSON lines (the format of ``ftm`` tools and Aleph's loader); returns how many."""
    count = 0
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as fh:
            for entity in ftm_entities(ws):
                fh.write(json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return count
