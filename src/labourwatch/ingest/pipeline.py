"""Walk paths and read each supported file into documents; the store is not touched here."""

from __future__ import annotations

import dataclasses
import io
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from labourwatch.errors import IngestError
from labourwatch.ingest.readers import SUPPORTED, read_bytes, read_jsonl_lines, suffix_of
from labourwatch.records import IngestedDocument

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def display_path(path: Path | str) -> str:
    """A path as text that any store, terminal or JSON can hold: bytes that are not UTF-8
    in a file name are shown as \\xNN escapes."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class Skipped:
    """A file or folder a folder ingest passed over on purpose, and why; reported, not an error."""

    location: str
    kind: str  # the file type (".csv"), or "page resources" for a saved page's _files folder


def iter_files(
    paths: Iterable[str | os.PathLike[str]], follow_links: bool = False
) -> Iterator[Path | IngestError | Skipped]:
    """Files named, and supported files under folders (recursively, sorted, hidden ones skipped).

    A symbolic link inside a folder is followed only where it stays inside that folder
    (``follow_links`` allows any); special files (FIFOs, devices, sockets) and folders that
    cannot be read are reported, never read or skipped in silence.
    """
    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():
                yield from _walk(path, follow_links)
            elif path.exists():
                yield _check_file(path, path, named=True)
            else:
                yield IngestError(display_path(path), "no such file or folder")
        except OSError as exc:
            yield IngestError(display_path(path), f"cannot read: {exc.strerror or exc}")


def _walk(folder: Path, follow_links: bool) -> Iterator[Path | IngestError | Skipped]:
    root = folder.resolve()
    errors: list[OSError] = []
    for top, dirs, files in os.walk(folder, onerror=errors.append, followlinks=follow_links):
        while errors:
            failed = errors.pop(0)
            yield IngestError(display_path(failed.filename or top), f"cannot read folder: {failed.strerror}")
        resources = _page_resource_folders(dirs, files)
        yield from (Skipped(display_path(Path(top) / d), "page resources") for d in sorted(resources))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in resources)
        for name in sorted(files):
            child = Path(top) / name
            if name.startswith("."):
                continue
            if suffix_of(child) not in SUPPORTED:
                yield Skipped(display_path(child), child.suffix.lower() or "(no extension)")
                continue
            if child.is_symlink() and not follow_links and not child.resolve().is_relative_to(root):
                yield IngestError(display_path(child), "symbolic link out of the folder; not followed "
                                                       "(--follow-links to allow)")
                continue
            yield _check_file(child, child, named=False)
    for failed in errors:
        yield IngestError(display_path(failed.filename or folder), f"cannot read folder: {failed.strerror}")


def _page_resource_folders(dirs: list[str], files: list[str]) -> set[str]:
    """Folders a browser's "save page, complete" writes beside the page ("Page_files" next to
    "Page.html"): its images, scripts and styles, not documents."""
    pages = {Path(name).stem for name in files if suffix_of(Path(name)) in (".html", ".htm")}
    return {d for d in dirs if d.endswith("_files") and d[: -len("_files")] in pages}


def _check_file(path: Path, shown: Path, named: bool) -> Path | IngestError:
    """The path if it is a regular file of a supported type, else the reason it is not read."""
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):
        return IngestError(display_path(shown), "not a regular file (a FIFO, device or socket); not read")
    if named and suffix_of(path) not in SUPPORTED:
        return IngestError(display_path(shown), f"unsupported file type {path.suffix or '(none)'!r}")
    return path


def read_documents(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[IngestedDocument | IngestError]:
    """Documents in one file; never raises for bad input, yields IngestError instead."""
    location = display_path(path)
    try:
        suffix = suffix_of(path)
        if suffix == ".jsonl":
            with path.open("rb") as fh:  # streamed: a JSONL file may hold millions of documents
                yield from read_jsonl_lines(iter(fh), location, max_bytes)
            return
        data = read_limited(path, max_bytes)
        if isinstance(data, IngestError):
            yield data
            return
        yield from read_bytes(suffix, data, location)
    except IngestError as exc:
        yield exc
    except OSError as exc:
        yield IngestError(location, f"cannot read: {exc.strerror or exc}")


def read_limited(path: Path, max_bytes: int) -> bytes | IngestError:
    """A file's bytes, or the error saying it is over ``max_bytes``. The limit applies to what
    is read, not to what stat says: a file may grow, or lie. Raises OSError."""
    with path.open("rb") as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        size = max(path.stat().st_size, len(data))
        return IngestError(display_path(path), f"file of {size:,} bytes exceeds the {max_bytes:,}-byte limit")
    return data


def read_upload(
    name: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[IngestedDocument | IngestError]:
    """Documents in bytes sent by a user (a web upload), read as a file of that name would be;
    the source is recorded as ``upload:NAME``. Nothing touches the file system."""
    location = f"upload:{Path(name).name or 'unnamed'}"
    suffix = suffix_of(Path(name))
    if suffix not in SUPPORTED:
        known = ", ".join(sorted(SUPPORTED))
        return [IngestError(location, f"unsupported file type {suffix or '(none)'!r}; supported: {known}")]
    if len(data) > max_bytes and suffix != ".jsonl":
        return [IngestError(location, f"file of {len(data):,} bytes exceeds the {max_bytes:,}-byte limit")]
    try:
        if suffix == ".jsonl":
            items = list(read_jsonl_lines(iter(io.BytesIO(data)), location, max_bytes))
        else:
            items = list(read_bytes(suffix, data, location))
    except IngestError as exc:
        return [exc]
    return [
        dataclasses.replace(item, locations=[(loc, "upload") for loc, _ in item.locations])
        if isinstance(item, IngestedDocument) else item
        for item in items
    ]
