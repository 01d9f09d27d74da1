"""Walk paths and read each supported file into documents; the store is not touched here."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from labourwatch.errors import IngestError
from labourwatch.ingest.readers import READERS, SUPPORTED, read_jsonl_lines, suffix_of
from labourwatch.records import IngestedDocument

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | IngestError]:
    """Files named, and supported files under folders (recursively, sorted, hidden ones skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    child = Path(root) / name
                    if not name.startswith(".") and suffix_of(child) in SUPPORTED:
                        yield child
        elif path.exists():
            if suffix_of(path) in SUPPORTED:
                yield path
            else:
                yield IngestError(str(path), f"unsupported file type {path.suffix or '(none)'!r}")
        else:
            yield IngestError(str(path), "no such file or folder")


def read_documents(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[IngestedDocument | IngestError]:
    """Documents in one file; never raises for bad input, yields IngestError instead."""
    location = str(path)
    try:
        suffix = suffix_of(path)
        if suffix == ".jsonl":
            with path.open("rb") as fh:  # streamed: a JSONL file may hold millions of documents
                yield from read_jsonl_lines(iter(fh), location, max_bytes)
            return
        size = path.stat().st_size
        if size > max_bytes:
            yield IngestError(location, f"file of {size:,} bytes exceeds the {max_bytes:,}-byte limit")
            return
        data = path.read_bytes()
        yield from READERS[suffix](data, location)
    except IngestError as exc:
        yield exc
    except OSError as exc:
        yield IngestError(location, f"cannot read: {exc.strerror or exc}")
