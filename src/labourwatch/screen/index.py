"""A blocking index: each query is compared with a few candidates that share a key with it
(a word's sound, or the start of the whole name's sound), not with the whole list. Built
once per list and cached on disk."""

from __future__ import annotations

import hashlib
import os
import pickle
from array import array
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from labourwatch.screen.entities import Entity
from labourwatch.screen.normalize import korean_key, normalize

INDEX_VERSION = "1"
MAX_CANDIDATES = 30
COMMON_KEY = 0.05  # keys shared by more than this share of the list are skipped when others exist
PREFIX = 5


def blocking_keys(name: str) -> set[str]:
    form = normalize(name)
    keys = {"w:" + korean_key(t) for t in form.distinctive if len(t) >= 2}
    if len(form.key) >= 3:
        keys.add("j:" + form.key[:PREFIX])
    return keys


class BlockingIndex:
    """Entities kept in columns (plain lists pickle fast), made into objects only when a
    query needs them; postings as numpy arrays of entity numbers."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.ids: list[str] = []
        self.schemas: list[str] = []
        self.names: list[tuple[str, ...]] = []
        self.countries: list[tuple[str, ...]] = []
        self.datasets: list[tuple[str, ...]] = []
        self.topics: list[tuple[str, ...]] = []
        self.quotes: list[tuple[str, ...]] = []
        postings: dict[str, array[int]] = {}
        for i, entity in enumerate(entities):
            self.ids.append(entity.id)
            self.schemas.append(entity.schema)
            self.names.append(tuple(entity.names))
            self.countries.append(tuple(sorted(entity.countries)))
            self.datasets.append(tuple(entity.datasets))
            self.topics.append(tuple(entity.topics))
            self.quotes.append(tuple(entity.quotes))
            keys: set[str] = set()
            for name in entity.names:
                keys |= blocking_keys(name)
            for key in keys:
                if key not in postings:
                    postings[key] = array("I")
                postings[key].append(i)
        self.postings = {k: np.frombuffer(v, dtype=np.uint32) for k, v in postings.items()}

    def __len__(self) -> int:
        return len(self.ids)

    def entity(self, i: int) -> Entity:
        return Entity(
            self.ids[i],
            self.schemas[i],
            list(self.names[i]),
            set(self.countries[i]),
            list(self.datasets[i]),
            list(self.topics[i]),
            list(self.quotes[i]),
        )

    def candidates(self, name: str, limit: int = MAX_CANDIDATES) -> list[Entity]:
        """Entities sharing keys with the name, each key's vote weighted by its rarity."""
        lists = sorted((self.postings[k] for k in blocking_keys(name) if k in self.postings), key=len)
        if not lists:
            return []
        if len(lists) > 1:  # a key shared by a large part of the list says little
            lists = [p for p in lists if len(p) <= COMMON_KEY * len(self)] or lists[:1]
        ids = np.concatenate(lists)
        weights = np.concatenate([np.full(len(p), 1.0 / len(p)) for p in lists])
        unique, inverse = np.unique(ids, return_inverse=True)
        votes = np.bincount(inverse, weights=weights)
        top = np.argsort(-votes, kind="stable")[:limit]
        return [self.entity(int(unique[i])) for i in top]


def cache_dir() -> Path:
    base = os.environ.get("LABOURWATCH_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "labourwatch"
    )
    return Path(base)


def load_or_build(fingerprint: bytes | None, entities: Callable[[], Iterable[Entity]]) -> BlockingIndex:
    """The cached index for this list if its content has not changed, else a new one (saved)."""
    if fingerprint is None:
        return BlockingIndex(entities())
    digest = hashlib.sha256(fingerprint + INDEX_VERSION.encode()).hexdigest()[:32]
    path = cache_dir() / f"index-{digest}.pkl"
    if path.exists():
        try:
            with path.open("rb") as fh:
                loaded: BlockingIndex = pickle.load(fh)
                return loaded
        except (OSError, pickle.UnpicklingError, EOFError):
            pass  # a broken cache is rebuilt
    index = BlockingIndex(entities())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with tmp.open("wb") as fh:
            pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass  # a cache we cannot write is no error
    return index


def file_fingerprint(path: Path) -> bytes:
    """A list file's identity: its path, size and modification time (cheap; content changes move them)."""
    st = path.stat()
    return f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode()
