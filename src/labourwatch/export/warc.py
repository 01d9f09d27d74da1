"""Captured web pages as one standard WARC file (WARC/1.1, gzip per record), replayable with
pywb or the Wayback Machine's tools."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

from labourwatch._version import __version__
from labourwatch.errors import ExportError
from labourwatch.ingest.capture import USER_AGENT, warcinfo_record
from labourwatch.store import Store


def write_warc(store: Store, folder: Path) -> tuple[Path, int]:
    """A warcinfo record, then each capture's request and response as they were stored (their
    bytes, and so their digests, unchanged). Returns the file and the number of captures."""
    captures = store.captures()
    first = next(captures, None)
    if first is None:
        raise ExportError(f"{store.location}: no captured web pages to export (ingest URLs to capture them)")
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    path = folder / f"labourwatch-{stamp}.warc.gz"
    count = 0
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as fh:
            fh.write(warcinfo_record(path.name, {
                "software": f"labourwatch/{__version__}", "format": "WARC File Format 1.1",
                "http-header-user-agent": USER_AGENT, "description": f"captures from {store.location}",
            }))
            for capture in itertools.chain([first], captures):  # streamed: one capture in memory
                fh.write(capture.warc)
                count += 1
    except FileExistsError:
        raise ExportError(f"{path}: already exists; not overwritten") from None
    except OSError as exc:
        raise ExportError(f"{folder}: cannot write the WARC file: {exc.strerror or exc}") from None
    return path, count
