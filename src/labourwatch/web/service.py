"""What the API and the pages share: checks of request values, cached analyses, uploads.

Each function calls the library (:class:`~labourwatch.workspace.Workspace` and friends); no
analysis is done here that the CLI does not do the same way.
"""

from __future__ import annotations

from array import array
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import Request, UploadFile

from labourwatch.accounts import Accounts
from labourwatch.errors import InputError, ParameterError
from labourwatch.records import (
    REVIEW_STATES,
    Source,
    StoredClaim,
    StoredDocument,
    StoredIndicator,
    StoredName,
)
from labourwatch.review import check_variable
from labourwatch.web.state import AppState, workspace
from labourwatch.workspace import Workspace, YearRange

if TYPE_CHECKING:
    from labourwatch.analysis.figures import Group
    from labourwatch.analysis.moneyflow import MoneyFlowResult

KINDS = {"claims": "claim", "indicators": "indicator", "names": "name"}


class PayloadTooLarge(InputError):
    """An upload over the size limit (HTTP 413)."""


@dataclass(frozen=True)
class DocumentDetail:
    document: StoredDocument
    sources: list[Source]
    claims: list[StoredClaim]
    indicators: list[StoredIndicator]
    names: list[StoredName]


def accounts(request: Request) -> Accounts:
    return Accounts(workspace(request).store)


def document_detail(ws: Workspace, doc_id: str) -> DocumentDetail:
    document, sources = ws.document(doc_id)
    return DocumentDetail(
        document, sources, ws.claims(document=document.id), ws.store.indicators(document.id),
        ws.store.names(document.id),
    )


def claim_filters(
    variable: str | None, place: str | None, source: str | None, year: int | None,
    document: str | None, states: list[str] | None,
) -> dict[str, Any]:
    check_variable(variable)
    for state in states or ():
        if state not in REVIEW_STATES:
            raise InputError(f"unknown review state {state!r}; known: {', '.join(REVIEW_STATES)}")
    return {"variable": variable or None, "place": place or None, "source": source or None, "year": year,
            "document": document or None, "states": tuple(states) if states else None}


def claim_page(
    state: AppState, filters: dict[str, Any], number: int, size: int
) -> tuple[list[StoredClaim], int]:
    """One page of claims and how many there are. The ordered ids of a filter are kept until
    the store changes, so that any page costs one small query."""
    store = state.workspace().store
    where = Workspace.claim_filter(**filters)
    ids: array[int] = state.cached(("claim_ids", where), lambda: array("q", store.claim_ids(where)))
    start = (number - 1) * size
    return store.claims_by_id(list(ids[start:start + size])), len(ids)


def review_counts(state: AppState) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = state.cached("review_counts", state.workspace().store.review_counts)
    return counts


def review_kind(plural: str) -> str:
    if plural not in KINDS:
        raise InputError(f"cannot review {plural!r}: one of {', '.join(KINDS)}")
    return KINDS[plural]


def figures(
    state: AppState, variable: str | None, place: str | None, years: YearRange, include_unreviewed: bool
) -> list[Group]:
    check_variable(variable)
    key = ("figures", variable, place, years, include_unreviewed)
    groups: list[Group] = state.cached(
        key, lambda: state.workspace().figures(variable, place, years, include_unreviewed=include_unreviewed)
    )
    return groups


def money_flow(
    state: AppState, state_share: float | None, seed: int, include_unreviewed: bool
) -> MoneyFlowResult:
    key = ("model", state_share, seed, include_unreviewed)
    result: MoneyFlowResult = state.cached(
        key, lambda: state.workspace().money_flow(include_unreviewed, state_share=state_share, seed=seed)
    )
    return result


def indicators(ws: Workspace, document: str | None) -> list[StoredIndicator]:
    return ws.store.indicators(ws.store.resolve_id(document) if document else None)


async def read_upload_body(file: UploadFile, limit: int) -> bytes:
    """The uploaded bytes, read no further than the limit."""
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(f"{file.filename}: larger than the {limit:,}-byte upload limit")
    return data


def ingest_upload(ws: Workspace, name: str, data: bytes, user: str) -> dict[str, Any]:
    """Store the documents of an upload and extract them; one error line per input that failed."""
    outcomes = ws.ingest_upload(name, data, user)
    errors = [f"{o.location}: {o.error}" for o in outcomes if o.error]
    stored = [o.document.id for o in outcomes if o.document is not None]
    if errors and not stored:
        raise InputError(errors[0])
    extracted = {o.document_id: o.claims for o in ws.extract(only=stored, user=user) if o.error is None}
    return {"documents": [{"id": doc_id, "claims": extracted.get(doc_id)} for doc_id in stored],
            "errors": errors}


def screen_names(state: AppState, names: list[str], threshold: float | None) -> list[dict[str, Any]]:
    from labourwatch.screen import DEFAULT_THRESHOLD, Query, Screener, match_dict

    lists = state.screen_lists or ("store",)
    limit = DEFAULT_THRESHOLD if threshold is None else threshold
    screener: Screener = state.cached(
        ("screener", lists, limit), lambda: Screener.from_lists(lists, limit, store_path=state.location)
    )
    cleaned = [n.strip()[:300] for n in names if n.strip()]
    queries = [Query(row={"name": n}, name=n, countries=set(), schema=None) for n in cleaned]
    return [{"query": q.name, "matches": [match_dict(m) for m in found]}
            for q, found in zip(queries, screener.screen_all(queries, jobs=1), strict=True)]


def mse_method(method: str) -> str:
    from labourwatch.analysis.mse import METHOD_NAMES

    if method not in METHOD_NAMES or method == "model":
        raise ParameterError(f"method must be one of {', '.join(m for m in METHOD_NAMES if m != 'model')}")
    return method
