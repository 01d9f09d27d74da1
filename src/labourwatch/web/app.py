"""The FastAPI application: routes, error handling and security headers."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from labourwatch._version import __version__
from labourwatch.errors import AlreadyExists, InputError, LabourwatchError, NotFound, StoreError
from labourwatch.ingest import DEFAULT_MAX_BYTES
from labourwatch.web import api, pages
from labourwatch.web.auth import Forbidden, LoginRequired
from labourwatch.web.service import PayloadTooLarge
from labourwatch.web.state import AppState

log = logging.getLogger("labourwatch.web")

# No inline script anywhere: the page's JavaScript is one file of our own. The report page
# (inline CSS and SVG, no script) gets its own policy in pages.py.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def create_app(
    location: str,
    screen_lists: tuple[str, ...] = (),
    secure_cookies: bool = False,
    max_upload: int = DEFAULT_MAX_BYTES,
) -> FastAPI:
    """The application over the store at ``location`` (created and migrated if need be)."""
    app = FastAPI(title="labourwatch", version=__version__, docs_url="/api/docs", redoc_url=None,
                  openapi_url="/api/v1/openapi.json")
    state = AppState(location, screen_lists, secure_cookies, max_upload)
    state.workspace()  # open and migrate now: a bad store fails at start, not at the first request
    app.state.labourwatch = state
    app.include_router(api.router)
    app.include_router(pages.router)
    static = resources.files("labourwatch.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    _add_error_handlers(app)
    app.add_middleware(SecurityHeaders)
    return app


class SecurityHeaders:
    """Adds the security headers to every response that does not set its own (plain ASGI:
    Starlette's BaseHTTPMiddleware costs milliseconds a request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope["path"].startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                headers.setdefault("Content-Security-Policy", CSP)
                if api:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str) -> Response:
    if _is_api(request):
        return JSONResponse({"error": message}, status_code=status)
    return pages.error_page(request, status, message)


# The library's errors as HTTP statuses (Starlette picks the most specific class of an error).
STATUS_OF: tuple[tuple[type[Exception], int], ...] = (
    (Forbidden, 403),
    (NotFound, 404),
    (AlreadyExists, 409),
    (PayloadTooLarge, 413),
    (InputError, 422),
    (StoreError, 503),  # the store cannot be used: locked past the timeout, full, read-only
    (LabourwatchError, 422),
)


def _status_handler(status: int) -> Callable[[Request, Exception], Awaitable[Response]]:
    async def handler(request: Request, exc: Exception) -> Response:
        return _error(request, status, str(exc))

    return handler


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if _is_api(request):
            return JSONResponse({"error": "sign in first: a session cookie or 'Authorization: Bearer TOKEN'"},
                                status_code=401, headers={"WWW-Authenticate": "Bearer"})
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    for error_type, status in STATUS_OF:
        app.add_exception_handler(error_type, _status_handler(status))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return _error(request, 422, f"{where}: {first.get('msg', 'invalid request')}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _error(request, 500, "internal error: the server log has the details")
