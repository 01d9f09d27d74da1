"""Word documents (.docx): paragraphs and table cells in reading order."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from labourwatch.errors import IngestError
from labourwatch.records import IngestedDocument

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_UNPACKED = 200 * 1024 * 1024  # bytes a .docx may unpack to: past it, a zip bomb


def read_docx(data: bytes, location: str) -> Iterator[IngestedDocument | IngestError]:
    import docx

    _check_package(data, location)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors on damaged files
        raise IngestError(location, f"malformed DOCX: {type(exc).__name__}: {exc}") from None
    text = "\n\n".join(_blocks(document))
    if not text.strip():
        raise IngestError(location, "no text in the DOCX document")
    from labourwatch.ingest.readers import first_line_title

    title = (document.core_properties.title or "").strip() or first_line_title(text)
    # The file's own dates (created, modified) say when the file was made, not when the
    # evidence was published: they are not used as the publication date.
    yield IngestedDocument(original=data, text=text, media_type=DOCX, locations=[(location, "file")],
                           title=title)


def _check_package(data: bytes, location: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
            names = set(package.namelist())
    except zipfile.BadZipFile:
        raise IngestError(location, "malformed DOCX: not a zip package") from None
    if unpacked > MAX_UNPACKED:
        raise IngestError(location, f"DOCX unpacks to {unpacked:,} bytes, over the "
                                    f"{MAX_UNPACKED:,}-byte limit")
    if "word/document.xml" not in names:
        raise IngestError(location, "malformed DOCX: no word/document.xml (not a Word document?)")


def _blocks(document: Any) -> Iterator[str]:
    """Paragraphs and tables in the order they stand in the body."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():
                yield block.text.strip()
        elif isinstance(block, Table):
            for row in block.rows:
                cells = [c.text.strip() for c in row.cells if c.text.strip()]
                if cells:
                    yield " | ".join(dict.fromkeys(cells))  # merged cells repeat their text
