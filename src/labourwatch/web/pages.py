"""The dashboard: server-rendered pages over the same use cases as the API.

Every value is escaped by Jinja's autoescape (document text is hostile input); forms carry
the session's CSRF token; state-changing forms answer with a redirect (post/redirect/get).
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from labourwatch._version import __version__
from labourwatch.accounts import Accounts
from labourwatch.errors import InputError
from labourwatch.formatting import number, quantity, source_name
from labourwatch.records import CORRECTABLE_CLAIM_FIELDS, INDICATORS, REVIEW_STATES, VARIABLES
from labourwatch.web import service
from labourwatch.web.auth import COOKIE, Need, Principal, principal
from labourwatch.web.highlight import segments
from labourwatch.web.state import app_state, workspace
from labourwatch.web.views import page_count

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(resources.files("labourwatch.web").joinpath("templates")))
templates.env.globals.update(VARIABLES=VARIABLES, INDICATORS=INDICATORS, REVIEW_STATES=REVIEW_STATES,
                             version=__version__, quantity=quantity, number=number,
                             source_name=source_name)
Viewer = Annotated[Principal, Depends(Need("viewer"))]
Editor = Annotated[Principal, Depends(Need("editor"))]
Admin = Annotated[Principal, Depends(Need("admin"))]
PER_PAGE = 50
# The report is a page of its own make: inline CSS and SVG, no script at all.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


def render(request: Request, name: str, who: Principal | None, code: int = 200, **context: Any) -> Response:
    context.update(who=who, csrf=who.csrf if who else None, path=request.url.path)
    return templates.TemplateResponse(request, name, context, status_code=code)


def error_page(request: Request, status: int, message: str) -> Response:
    try:
        who = principal(request)
    except Exception:  # the error may be the store itself
        who = None
    return render(request, "error.html", who, status, status=status, message=message)


def _query(**params: str | bool) -> str:
    """The filters of a list page as a query string for its pager (empty ones left out)."""
    return urlencode({k: "true" if v is True else v for k, v in params.items() if v})


def _back(target: str | None, default: str) -> RedirectResponse:
    """A redirect to a path on this site only (never to another host)."""
    parts = urlsplit(target or "")
    safe = target if target and not parts.scheme and not parts.netloc and target.startswith("/") else default
    return RedirectResponse(safe, status_code=303)


# -- signing in ----------------------------------------------------------------------------
@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", None, next=next, message=None)


@router.post("/login")
def login(
    request: Request, name: Annotated[str, Form()], password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    state = app_state(request)
    keys = (f"name:{name}", f"address:{request.client.host if request.client else '-'}")
    if state.limiter.blocked(*keys):
        return render(request, "login.html", None, 429, next=next,
                      message="Too many failed sign-ins: wait a few minutes and try again.")
    accounts = Accounts(workspace(request).store)
    user = accounts.authenticate(name, password)
    if user is None:
        state.limiter.failed(*keys)
        return render(request, "login.html", None, 401, next=next, message="Wrong name or password.")
    session = accounts.start_session(user)
    response = _back(next, "/")
    response.set_cookie(COOKIE, session.secret, httponly=True, samesite="strict", secure=state.secure_cookies,
                        max_age=12 * 3600, path="/")
    return response


@router.post("/logout")
def logout(request: Request, who: Viewer) -> Response:
    secret = request.cookies.get(COOKIE)
    if secret:
        Accounts(workspace(request).store).end_session(secret)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


# -- documents -----------------------------------------------------------------------------
@router.get("/")
def documents(request: Request, who: Viewer, q: str = "", page: int = 1) -> Response:
    ws = workspace(request)
    page = max(1, page)
    found = ws.store.documents(q or None, PER_PAGE, (page - 1) * PER_PAGE)
    total = ws.store.count_documents(q or None)
    counts = service.review_counts(app_state(request))
    return render(request, "documents.html", who, documents=found, total=total, q=q, page=page,
                  pages=page_count(total, PER_PAGE), counts=counts)


@router.post("/upload")
async def upload(request: Request, who: Editor, file: UploadFile) -> Response:
    data = await service.read_upload_body(file, app_state(request).max_upload)
    result = service.ingest_upload(workspace(request), file.filename or "unnamed", data, who.name)
    docs = result["documents"]
    return _back(f"/documents/{docs[0]['id']}" if len(docs) == 1 else "/", "/")


@router.get("/documents/{doc_id}")
def document(request: Request, who: Viewer, doc_id: str) -> Response:
    detail = service.document_detail(workspace(request), doc_id)
    return render(request, "document.html", who, detail=detail, doc=detail.document,
                  parts=segments(detail.document.text, detail.claims, detail.names),
                  fields=CORRECTABLE_CLAIM_FIELDS)


@router.post("/documents/{doc_id}/delete")
def delete(request: Request, who: Admin, doc_id: str, reason: Annotated[str, Form()] = "",
           confirm: Annotated[str, Form()] = "") -> Response:
    if confirm != "yes":
        raise InputError("tick the box to confirm the deletion")
    workspace(request).delete(doc_id, who.name, reason.strip() or None)
    return RedirectResponse("/", status_code=303)


@router.post("/documents/{doc_id}/claims")
def add_claim(
    request: Request, who: Editor, doc_id: str, start: Annotated[int, Form()], end: Annotated[int, Form()],
    variable: Annotated[str, Form()], low: Annotated[str, Form()] = "", high: Annotated[str, Form()] = "",
    unit: Annotated[str, Form()] = "", per: Annotated[str, Form()] = "", source: Annotated[str, Form()] = "",
    place: Annotated[str, Form()] = "", year: Annotated[str, Form()] = "",
) -> Response:
    fields = {"variable": variable, "low": low, "high": high or low, "unit": unit, "per": per,
              "source": source, "place": place, "year": year}
    claim_id = workspace(request).add_claim(doc_id, start, end, fields, who.name)
    return _back(f"/documents/{doc_id}#claim-{claim_id}", "/")


# -- review --------------------------------------------------------------------------------
@router.post("/{kind}/{item_id}/review")
async def review(request: Request, who: Editor, kind: str, item_id: int) -> Response:
    singular = service.review_kind(kind)
    form = await request.form()
    state = str(form.get("state", ""))
    corrected = None
    if state == "corrected":
        editable = CORRECTABLE_CLAIM_FIELDS if singular == "claim" else (singular,)
        corrected = {f: str(form[f]) for f in editable
                     if f in form and str(form[f]) != str(form.get(f"was_{f}", ""))}
        if not corrected:
            raise InputError("nothing was changed: edit a field, or accept the claim as it is")
    workspace(request).review(singular, item_id, state, who.name, corrected)
    target = form.get("next")
    return _back(target if isinstance(target, str) else None, "/review")


@router.get("/review")
def review_queue(request: Request, who: Viewer, skip: int = 0) -> Response:
    ws = workspace(request)
    queue = ws.claims(states=("unreviewed",), limit=1, offset=max(0, skip))
    left = ws.count_claims(states=("unreviewed",))
    claim = queue[0] if queue else None
    return render(request, "review.html", who, claim=claim, left=left, skip=max(0, skip),
                  fields=CORRECTABLE_CLAIM_FIELDS)


@router.get("/claims")
def claims(
    request: Request, who: Viewer, variable: str = "", place: str = "", source: str = "",
    year: str = "", state: str = "", page: int = 1,
) -> Response:
    filters = service.claim_filters(variable, place, source, int(year) if year.isdigit() else None, None,
                                    [state] if state else None)
    page = max(1, page)
    items, total = service.claim_page(app_state(request), filters, page, PER_PAGE)
    query = _query(variable=variable, place=place, source=source, year=year, state=state)
    return render(request, "claims.html", who, claims=items, total=total, page=page,
                  pages=page_count(total, PER_PAGE), query=query,
                  filters={"variable": variable, "place": place, "source": source, "year": year,
                           "state": state})


# -- analyses ------------------------------------------------------------------------------
@router.get("/figures")
def figures(request: Request, who: Viewer, variable: str = "", place: str = "", conflicts: bool = False,
            reviewed_only: bool = False, page: int = 1) -> Response:
    groups = service.figures(app_state(request), variable or None, place or None, (None, None),
                             not reviewed_only)
    shown = [g for g in groups if not conflicts or g.conflict]
    page = max(1, page)
    counts = service.review_counts(app_state(request))["claim"]
    query = _query(variable=variable, place=place, conflicts=conflicts, reviewed_only=reviewed_only)
    # The table is the same for every user: rendered once per page until the store changes.
    table = app_state(request).cached(
        ("figures_table", variable, place, conflicts, reviewed_only, page),
        lambda: templates.get_template("figures_table.html").render(
            groups=shown[(page - 1) * PER_PAGE:page * PER_PAGE], reviewed_only=reviewed_only),
    )
    return render(request, "figures.html", who, table=table, total=len(shown), page=page,
                  pages=page_count(len(shown), PER_PAGE), query=query, variable=variable, place=place,
                  conflicts=conflicts, reviewed_only=reviewed_only, counts=counts)


@router.get("/model")
def model(request: Request, who: Viewer, reviewed_only: bool = False) -> Response:
    try:
        result = service.money_flow(app_state(request), None, 1, not reviewed_only)
        summary, problem = result.summary().as_html(), None
    except (ValueError, InputError) as exc:
        summary, problem = None, str(exc)
    return render(request, "model.html", who, summary=summary, problem=problem, reviewed_only=reviewed_only)


@router.get("/report")
def report(request: Request, who: Viewer) -> Response:
    from labourwatch.report import render_html

    html = app_state(request).cached("report", lambda: render_html(workspace(request).report_data()))
    return HTMLResponse(html, headers={"Content-Security-Policy": REPORT_CSP})


@router.get("/screen")
def screen_form(request: Request, who: Viewer) -> Response:
    return render(request, "screen.html", who, results=None, names="",
                  lists=app_state(request).screen_lists or ("the organisations and people in the store",))


@router.post("/screen")
def screen(request: Request, who: Viewer, names: Annotated[str, Form()]) -> Response:
    results = service.screen_names(app_state(request), names.splitlines()[:200], None)
    return render(request, "screen.html", who, results=results, names=names,
                  lists=app_state(request).screen_lists or ("the organisations and people in the store",))


@router.get("/audit")
def audit(request: Request, who: Admin) -> Response:
    entries = workspace(request).audit()[-500:]
    entries.reverse()
    return render(request, "audit.html", who, entries=entries)
