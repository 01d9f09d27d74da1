"""Users, passwords, sessions and API tokens of a shared store.

Passwords are hashed with argon2id (memory-hard); session cookies and API tokens are random
secrets of which only the SHA-256 is stored, so a copy of the store gives no way in.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from labourwatch.errors import InputError, NotFound
from labourwatch.records import ROLES, User
from labourwatch.store import Store

__all__ = ["Accounts", "LoginLimiter", "Session"]

SESSION_HOURS = 12
MIN_PASSWORD = 10
TOKEN_PREFIX = "lw_"
_HASHER = PasswordHasher()  # argon2id with the library's current defaults


def secret_hash(secret: str) -> str:
    """How a session id or API token is kept: a random secret needs no slow hash."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _in(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat(timespec="seconds")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Session:
    """A signed-in browser: the cookie's secret, its CSRF token and the user."""

    secret: str
    csrf: str
    user: User


class Accounts:
    """User management and sign-in over a store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- users -----------------------------------------------------------------------------
    def add(self, name: str, role: str, password: str, by: str | None = None) -> User:
        _check_name(name)
        _check_role(role)
        _check_password(password)
        return self.store.add_user(name, role, _HASHER.hash(password), by)

    def list(self) -> list[User]:
        return self.store.users()

    def set_role(self, name: str, role: str, by: str | None = None) -> User:
        _check_role(role)
        return self.store.update_user(name, by, role=role)

    def set_password(self, name: str, password: str, by: str | None = None) -> User:
        _check_password(password)
        return self.store.update_user(name, by, password_hash=_HASHER.hash(password))

    def disable(self, name: str, by: str | None = None) -> User:
        return self.store.update_user(name, by, active=False)

    def first_admin(self) -> tuple[User, str] | None:
        """On a store without users: an ``admin`` with a random password, returned once."""
        if self.store.users():
            return None
        password = secrets.token_urlsafe(12)
        return self.add("admin", "admin", password, by="labourwatch serve"), password

    # -- signing in ------------------------------------------------------------------------
    def authenticate(self, name: str, password: str) -> User | None:
        try:
            user, stored = self.store.user(name)
        except NotFound:
            _HASHER.hash(password)  # the same work as for a real user: no timing oracle on names
            return None
        try:
            _HASHER.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        return user if user.active else None

    def start_session(self, user: User) -> Session:
        secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        self.store.add_session(secret_hash(secret), user.id, csrf, _in(SESSION_HOURS))
        return Session(secret, csrf, user)

    def session(self, secret: str) -> Session | None:
        found = self.store.session(secret_hash(secret), _now())
        return None if found is None else Session(secret, found[1], found[0])

    def end_session(self, secret: str) -> None:
        self.store.end_session(secret_hash(secret))

    def new_token(self, name: str, label: str | None = None, by: str | None = None) -> str:
        """An API token for ``name``, shown once: only its hash is kept."""
        user, _ = self.store.user(name)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.store.add_token(secret_hash(token), user.id, label, by)
        return token

    def token_user(self, token: str) -> User | None:
        return self.store.token_user(secret_hash(token))


class LoginLimiter:
    """At most ``attempts`` failed sign-ins per name and per address in ``window`` seconds."""

    def __init__(self, attempts: int = 5, window: float = 300.0) -> None:
        self.attempts, self.window = attempts, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures[key]
        while failures and failures[0] < now - self.window:
            failures.popleft()
        return failures

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.attempts for k in keys)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)


def _check_name(name: str) -> None:
    if not name or len(name) > 64 or not all(c.isalnum() or c in "._-@" for c in name):
        raise InputError(f"user name {name!r}: 1–64 letters, digits or . _ - @")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}: one of {', '.join(ROLES)}")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"a password needs at least {MIN_PASSWORD} characters")
