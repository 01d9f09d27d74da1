"""The REST API under ``/api/v1``: the same use cases as the CLI, as JSON.

Errors are JSON ``{"error": message}`` with the status that says what went wrong; lists are
paginated (``page``, ``per_page``) and return ``items`` and ``total``.
"""

from __future__ import annotations

import json
import tempfile
import warnings
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from labourwatch.records import INDICATORS, REVIEW_STATES, VARIABLES
from labourwatch.web import service
from labourwatch.web.auth import Need, Principal
from labourwatch.web.state import app_state, workspace
from labourwatch.web.views import MAX_PAGE, claim_json, document_json, page, stored_document_json

router = APIRouter(prefix="/api/v1")
Viewer = Annotated[Principal, Depends(Need("viewer"))]
Editor = Annotated[Principal, Depends(Need("editor"))]
Admin = Annotated[Principal, Depends(Need("admin"))]
PageNumber = Annotated[int, Query(ge=1, le=1_000_000, alias="page")]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE)]


class ReviewBody(BaseModel):
    state: str = Field(description=f"one of {', '.join(REVIEW_STATES)}")
    corrected: dict[str, Any] | None = Field(None, description="the corrected fields (state 'corrected')")


class NewClaim(BaseModel):
    document_id: str
    start: int = Field(description="offset of the figure's first character in the document text")
    end: int
    variable: str = Field(description=f"one of {', '.join(VARIABLES)}")
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    per: str | None = None
    qualifier: str | None = None
    source: str | None = None
    place: str | None = None
    year: int | None = None


class ScreenBody(BaseModel):
    names: list[str] = Field(max_length=1000)
    threshold: float | None = Field(None, ge=0, le=1)


@router.get("/me")
def me(who: Viewer) -> dict[str, Any]:
    return {"name": who.name, "role": who.user.role}


@router.get("/documents")
def list_documents(
    request: Request, who: Viewer, q: str | None = None, page_number: PageNumber = 1,
    per_page: PageSize = 50,
) -> dict[str, Any]:
    ws = workspace(request)
    found = ws.store.documents(q, per_page, (page_number - 1) * per_page)
    return page([document_json(d) for d in found], ws.store.count_documents(q), page_number, per_page)


@router.get("/documents/{doc_id}")
def read_document(request: Request, who: Viewer, doc_id: str) -> dict[str, Any]:
    detail = service.document_detail(workspace(request), doc_id)
    return {
        **stored_document_json(detail.document, [s.location for s in detail.sources]),
        "claims": [claim_json(c) for c in detail.claims],
        "indicators": [i.to_dict() for i in detail.indicators],
        "names": [n.to_dict() for n in detail.names],
    }


@router.post("/documents", status_code=201)
async def upload_document(
    request: Request, who: Editor, file: Annotated[UploadFile, File()]
) -> dict[str, Any]:
    data = await service.read_upload_body(file, app_state(request).max_upload)
    return service.ingest_upload(workspace(request), file.filename or "unnamed", data, who.name)


@router.delete("/documents/{doc_id}")
def delete_document(request: Request, who: Admin, doc_id: str, reason: str | None = None) -> dict[str, Any]:
    doc = workspace(request).delete(doc_id, who.name, reason)
    return {"deleted": doc.id, "title": doc.title}


@router.get("/claims")
def list_claims(
    request: Request,
    who: Viewer,
    variable: str | None = None,
    place: str | None = None,
    source: str | None = None,
    year: int | None = None,
    document: str | None = None,
    review_state: Annotated[list[str] | None, Query()] = None,
    page_number: PageNumber = 1,
    per_page: PageSize = 50,
) -> JSONResponse:
    filters = service.claim_filters(variable, place, source, year, document, review_state)
    items, total = service.claim_page(app_state(request), filters, page_number, per_page)
    return JSONResponse(page([claim_json(c) for c in items], total, page_number, per_page))


@router.get("/claims/{claim_id}")
def read_claim(request: Request, who: Viewer, claim_id: int) -> dict[str, Any]:
    return claim_json(workspace(request).store.claim(claim_id))


@router.post("/claims", status_code=201)
def add_claim(request: Request, who: Editor, body: NewClaim) -> dict[str, Any]:
    fields = body.model_dump(exclude={"document_id", "start", "end"}, exclude_none=True)
    ws = workspace(request)
    claim_id = ws.add_claim(body.document_id, body.start, body.end, fields, who.name)
    return claim_json(ws.store.claim(claim_id))


@router.post("/{kind}/{item_id}/review")
def review(request: Request, who: Editor, kind: str, item_id: int, body: ReviewBody) -> dict[str, Any]:
    singular = service.review_kind(kind)
    ws = workspace(request)
    ws.review(singular, item_id, body.state, who.name, body.corrected)
    if singular == "claim":
        return claim_json(ws.store.claim(item_id))
    return {"kind": singular, "id": item_id, "state": body.state}


@router.get("/review/counts")
def review_counts(request: Request, who: Viewer) -> dict[str, dict[str, int]]:
    return {k: dict(v) for k, v in workspace(request).store.review_counts().items()}


@router.get("/figures")
def figures(
    request: Request,
    who: Viewer,
    variable: str | None = None,
    place: str | None = None,
    year_from: Annotated[int | None, Query(alias="from")] = None,
    year_to: Annotated[int | None, Query(alias="to")] = None,
    conflicts: bool = False,
    include_unreviewed: bool = True,
    page_number: PageNumber = 1,
    per_page: PageSize = 50,
    max_values: Annotated[int, Query(ge=0, le=10_000, description="values listed per group")] = 10,
) -> Response:
    state = app_state(request)
    years = (year_from, year_to)

    def encode() -> bytes:
        groups = service.figures(state, variable, place, years, include_unreviewed)
        shown = [g for g in groups if not conflicts or g.conflict]
        start = (page_number - 1) * per_page
        items = [g.to_dict(max_values) for g in shown[start:start + per_page]]
        body = {"include_unreviewed": include_unreviewed, **page(items, len(shown), page_number, per_page)}
        return json.dumps(body, ensure_ascii=False).encode()

    key = ("figures_json", variable, place, years, conflicts, include_unreviewed, page_number, per_page,
           max_values)
    return Response(state.cached(key, encode), media_type="application/json")


@router.get("/timeline")
def timeline(
    request: Request, who: Viewer, variable: str = "workers_abroad", place: str | None = None,
    include_unreviewed: bool = True,
) -> list[dict[str, Any]]:
    return [asdict(v) for v in workspace(request).timeline(variable, place, include_unreviewed)]


@router.get("/model")
def model(
    request: Request, who: Viewer, state_share: Annotated[float | None, Query(gt=0, le=1)] = None,
    seed: int = 1, include_unreviewed: bool = True,
) -> dict[str, Any]:
    result = service.money_flow(app_state(request), state_share, seed, include_unreviewed)
    return result.to_dict()


@router.get("/indicators")
def indicators(request: Request, who: Viewer, document: str | None = None) -> dict[str, Any]:
    found = service.indicators(workspace(request), document)
    return {"indicators": INDICATORS, "items": [i.to_dict() for i in found]}


@router.get("/names")
def names(request: Request, who: Viewer, document: str | None = None) -> list[dict[str, Any]]:
    ws = workspace(request)
    full = ws.store.resolve_id(document) if document else None
    return [n.to_dict() for n in ws.store.names(full)]


@router.get("/places")
def places(request: Request, who: Viewer) -> list[dict[str, Any]]:
    return [vars(p) for p in workspace(request).store.place_counts()]


@router.post("/screen")
def screen(request: Request, who: Viewer, body: ScreenBody) -> list[dict[str, Any]]:
    return service.screen_names(app_state(request), body.names, body.threshold)


@router.post("/mse")
async def mse(
    request: Request, who: Viewer, file: Annotated[UploadFile, File()], method: str = "stepwise",
    seed: int = 1,
) -> dict[str, Any]:
    from labourwatch.analysis.mse import estimate, read_capture_csv

    data = await service.read_upload_body(file, 5 * 1024 * 1024)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        path.write_bytes(data)
        table = read_capture_csv(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = estimate(table, service.mse_method(method), seed=seed)
    return result.to_dict()


@router.get("/audit")
def audit(
    request: Request, who: Admin, page_number: PageNumber = 1, per_page: PageSize = 100
) -> dict[str, Any]:
    entries = workspace(request).audit()
    entries.reverse()
    start = (page_number - 1) * per_page
    return page([vars(e) for e in entries[start:start + per_page]], len(entries), page_number, per_page)


@router.get("/users")
def users(request: Request, who: Admin) -> list[dict[str, Any]]:
    return [vars(u) for u in service.accounts(request).list()]
