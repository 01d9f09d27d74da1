"""A blocking index: each query is compared with a few candidates that share a key with it
(a word's sound, or the start of the whole name's sound), not with the whole list. Built
once per list and cached on disk."""

from __future__ import annotations

import functools
import hashlib
import json
import zipfile
from array import array
from collections.abc import Callable, Iterable
from importlib import metadata, resources
from pathlib import Path

import numpy as np

from labourwatch.cache import cache_dir, save
from labourwatch.screen.entities import Entity
from labourwatch.screen.features import CONNECTORS
from labourwatch.screen.normalize import korean_key, normalize

INDEX_VERSION = "3"
MAX_CANDIDATES = 30
WHOLE_LIST = 2_000  # a list this small is compared whole: blocking would only cost recall
COMMON_KEY = 0.05  # keys shared by more than this share of the list are skipped when others exist
PREFIX = 5
SYLLABLE_PREFIX = 4  # the longest first syllable a short name takes from a word
# The code and vocabulary that make an index's keys: part of its cache's version.
KEY_SOURCES = ("normalize.py", "features.py", "index.py", "vocab/names.yaml")


@functools.cache
def index_version() -> bytes:
    """What a cached index was built by: the version and the code and vocabulary that make its
    keys, so that a changed normalisation never meets keys made by the old one."""
    package = resources.files("labourwatch.screen")
    parts = [package.joinpath(name).read_bytes() for name in KEY_SOURCES]
    rigour = metadata.version("rigour").encode()  # its organisation-type table shapes the keys
    return hashlib.sha256(INDEX_VERSION.encode() + rigour + b"".join(parts)).digest()


def blocking_keys(name: str, query: bool = False) -> set[str]:
    """A word's sound, the start of the whole name's sound, and initials: a listed name of three
    or more words is found by its initials, which a short capitalised query ("RGB") is."""
    form = normalize(name)
    keys = {"w:" + korean_key(t) for t in form.distinctive if len(t) >= 2}
    if len(form.key) >= 3:
        keys.add("j:" + form.key[:PREFIX])
    if not query and len(form.tokens) >= 3:
        keys.add("a:" + "".join(w[0] for w in form.tokens))
        keys.add("a:" + "".join(w[0] for w in form.tokens if w not in CONNECTORS))
        if len(form.distinctive) >= 3:
            keys.add("a:" + "".join(w[0] for w in form.distinctive))
    if len(form.tokens) == 1 and name.strip().replace(".", "").isupper():
        keys.add("a:" + form.tokens[0])
        if query:  # a short name of first syllables ("KOGEN"): its start and the next word's letter
            token = form.tokens[0]
            keys |= {f"s:{token[:k]}|{token[k]}" for k in range(2, min(len(token) - 1, SYLLABLE_PREFIX) + 1)}
    if not query:
        keys |= _syllable_keys(tuple(t for t in form.tokens if t not in CONNECTORS))
    return keys


def _syllable_keys(words: tuple[str, ...]) -> set[str]:
    """For names made of first syllables: each start of the first or second word (two letters
    or more) with the first letter of the word after it."""
    return {f"s:{words[i][:k]}|{words[i + 1][0]}"
            for i in range(min(2, len(words) - 1)) for k in range(2, min(len(words[i]), SYLLABLE_PREFIX) + 1)}


class BlockingIndex:
    """Entities kept in columns, made into objects only when a query needs them; postings as
    numpy arrays of entity numbers. Saved as JSON and plain arrays (``save``/``load``): a cache
    file is data that cannot run code, whoever planted it."""

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

    _COLUMNS = ("ids", "schemas", "names", "countries", "datasets", "topics", "quotes")

    def save(self, path: Path) -> None:
        columns = {name: getattr(self, name) for name in self._COLUMNS}
        keys = list(self.postings)
        lengths = np.array([len(self.postings[k]) for k in keys], dtype=np.int64)
        values = np.concatenate([self.postings[k] for k in keys]) if keys else np.array([], np.uint32)
        with path.open("wb") as fh:
            np.savez(
                fh,
                columns=np.frombuffer(json.dumps(columns, ensure_ascii=False).encode("utf-8"), np.uint8),
                keys=np.frombuffer(json.dumps(keys, ensure_ascii=False).encode("utf-8"), np.uint8),
                lengths=lengths,
                values=values.astype(np.uint32),
            )

    @classmethod
    def load(cls, path: Path) -> BlockingIndex:
        """An index saved by :meth:`save`; ValueError if the file is not one."""
        with np.load(path, allow_pickle=False) as data:
            columns = json.loads(data["columns"].tobytes().decode("utf-8"))
            keys = json.loads(data["keys"].tobytes().decode("utf-8"))
            lengths, values = data["lengths"], data["values"]
        if not isinstance(columns, dict) or set(columns) != set(cls._COLUMNS) or len(keys) != len(lengths):
            raise ValueError(f"{path}: not a labourwatch index")
        index = cls.__new__(cls)
        for name in cls._COLUMNS:
            rows = columns[name]
            setattr(index, name, rows if name in ("ids", "schemas") else [tuple(r) for r in rows])
        bounds = np.concatenate([[0], np.cumsum(lengths)])
        out_of_range = len(values) > 0 and int(values.max()) >= len(index.ids)
        if bounds[-1] != len(values) or values.dtype != np.uint32 or out_of_range:
            raise ValueError(f"{path}: not a labourwatch index")
        index.postings = {k: values[bounds[i]:bounds[i + 1]] for i, k in enumerate(keys)}
        return index

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
        if len(self) <= WHOLE_LIST:
            return [self.entity(i) for i in range(len(self))]
        return self.blocked(name, limit)

    def blocked(self, name: str, limit: int = MAX_CANDIDATES) -> list[Entity]:
        """The candidates the blocking keys give, at most ``limit``, best voted first."""
        keys = blocking_keys(name, query=True)
        lists = sorted((self.postings[k] for k in keys if k in self.postings), key=len)
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


def load_or_build(fingerprint: bytes | None, entities: Callable[[], Iterable[Entity]]) -> BlockingIndex:
    """The cached index for this list if its content has not changed, else a new one (saved)."""
    if fingerprint is None:
        return BlockingIndex(entities())
    digest = hashlib.sha256(fingerprint + index_version()).hexdigest()[:32]
    path = cache_dir() / f"index-{digest}.npz"
    if path.exists():
        try:
            return BlockingIndex.load(path)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            pass  # a broken or foreign cache file is rebuilt
    index = BlockingIndex(entities())
    save(path, index.save)
    return index


def file_fingerprint(path: Path) -> bytes:
    """A list file's identity: its path, size and modification time (cheap; content changes move them)."""
    st = path.stat()
    return f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode()
