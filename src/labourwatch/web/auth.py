"""Who is asking: a session cookie (browsers, with a CSRF token) or a bearer token (scripts).

Every route declares the role it needs with ``Depends(Need("editor"))``; there is no anonymous
access. A state-changing request signed in by cookie must carry the session's CSRF token, in
the ``X-CSRF-Token`` header or the form's ``csrf`` field.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from fastapi import Request

from labourwatch.accounts import Accounts
from labourwatch.records import User
from labourwatch.web.state import workspace

COOKIE = "lw_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class LoginRequired(Exception):
    """No valid session or token: 401 for the API, a redirect to the login page for pages."""


class Forbidden(Exception):
    """Signed in, but the role or the CSRF token does not allow this request."""


@dataclass(frozen=True)
class Principal:
    user: User
    csrf: str | None  # None when signed in with an API token (no cookie, so no CSRF)

    @property
    def name(self) -> str:
        return self.user.name


def principal(request: Request) -> Principal | None:
    """The signed-in user of a request, or None."""
    accounts = Accounts(workspace(request).store)
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = accounts.token_user(header[7:].strip())
        return None if user is None else Principal(user, None)
    secret = request.cookies.get(COOKIE)
    session = accounts.session(secret) if secret else None
    return None if session is None else Principal(session.user, session.csrf)


class Need:
    """A route's requirement: a signed-in user with at least ``role``."""

    def __init__(self, role: str) -> None:
        self.role = role

    async def __call__(self, request: Request) -> Principal:
        who = principal(request)
        if who is None:
            raise LoginRequired()
        if not who.user.can(self.role):
            raise Forbidden(f"this needs the {self.role} role; {who.name} is a {who.user.role}")
        if who.csrf is not None and request.method not in SAFE_METHODS:
            await _check_csrf(request, who.csrf)
        return who


async def _check_csrf(request: Request, expected: str) -> None:
    given = request.headers.get("x-csrf-token")
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf")
        given = value if isinstance(value, str) else None
    if not given or not hmac.compare_digest(given, expected):
        raise Forbidden("CSRF token missing or wrong: reload the page and try again")
