"""Records as the JSON the API returns: the evidence contract's field names, review added."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from labourwatch.formatting import source_name
from labourwatch.records import DocumentSummary, StoredClaim, StoredDocument

MAX_PAGE = 500


def claim_json(claim: StoredClaim) -> dict[str, Any]:
    """A stored claim in the contract's names (``text`` is the figure as written)."""
    data: dict[str, Any] = dict(claim)
    data["text"] = data.pop("mention")
    data["review"] = {
        "state": data.pop("review_state", "unreviewed"),
        "by": data.pop("reviewed_by", None),
        "at": data.pop("reviewed_at", None),
        "origin": data.pop("origin", "extractor"),
    }
    return data


def document_json(doc: DocumentSummary) -> dict[str, Any]:
    data = doc.to_dict()
    data["sources"] = [source_name(s) for s in data["sources"]]
    return data


def stored_document_json(doc: StoredDocument, sources: list[str]) -> dict[str, Any]:
    data = asdict(doc)
    data["sources"] = [source_name(s) for s in sources]
    return data


def page_count(total: int, size: int) -> int:
    return max(1, -(-total // size))


def page(items: list[Any], total: int, number: int, size: int) -> dict[str, Any]:
    return {"items": items, "total": total, "page": number, "per_page": size,
            "pages": page_count(total, size)}
