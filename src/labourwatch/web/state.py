"""What the application holds between requests: the store location, a connection per thread
(SQLite connections are not shared across threads), and caches keyed on the store's generation."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from labourwatch.accounts import LoginLimiter
from labourwatch.ingest import DEFAULT_MAX_BYTES
from labourwatch.workspace import Workspace


@dataclass
class AppState:
    location: str
    screen_lists: tuple[str, ...] = ()
    secure_cookies: bool = False
    max_upload: int = DEFAULT_MAX_BYTES
    limiter: LoginLimiter = field(default_factory=LoginLimiter)
    _local: threading.local = field(default_factory=threading.local)
    _cache: dict[Any, tuple[int, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _key_locks: dict[Any, threading.Lock] = field(default_factory=dict)

    def workspace(self) -> Workspace:
        ws: Workspace | None = getattr(self._local, "workspace", None)
        if ws is None:
            ws = Workspace.open(self.location, create=True)
            self._local.workspace = ws
        return ws

    def cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()``, reused until the store changes (any change writes the audit log).
        Requests that miss at once wait for one computation instead of each doing it."""
        generation = self.workspace().store.generation()
        hit = self._cache.get(key)
        if hit is not None and hit[0] == generation:
            return hit[1]
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == generation:
                return hit[1]
            value = compute()
            # Cached analyses hold ~10 objects per claim. Frozen, the collector no longer walks
            # them on every full collection (a pause of tens of ms on 100,000 claims); they are
            # freed by reference counting when replaced (they hold no cycles).
            gc.freeze()
            with self._lock:
                if len(self._cache) > 256:
                    self._cache.clear()
                    self._key_locks = {key: key_lock}
                self._cache[key] = (generation, value)
        return value


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.labourwatch
    return state


def workspace(request: Request) -> Workspace:
    return app_state(request).workspace()
