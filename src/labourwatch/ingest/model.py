"""What ingestion hands to the store."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


class IngestError(Exception):
    """A file (or a line of one) that cannot be ingested; ``str()`` is the one-line reason."""

    def __init__(self, location: str, reason: str) -> None:
        super().__init__(f"{location}: {reason}")
        self.location = location
        self.reason = reason


@dataclass
class IngestedDocument:
    original: bytes
    text: str
    media_type: str
    locations: list[tuple[str, str]]  # (where it came from, kind: file | jsonl | url)
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    status: str = "ok"  # ok | needs_ocr
    id: str = field(init=False)

    def __post_init__(self) -> None:
        self.id = hashlib.sha256(self.original).hexdigest()
