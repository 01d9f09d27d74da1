"""One reader per file format: bytes in, IngestedDocument(s) out, IngestError for bad input."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from labourwatch.errors import IngestError
from labourwatch.ingest.dates import normalise_date
from labourwatch.records import IngestedDocument

Reader = Callable[[bytes, str], Iterator[IngestedDocument | IngestError]]


def decode_text(data: bytes, location: str) -> str:
    """UTF-8 when it is UTF-8 (unchanged, so offsets match the file), else the detected encoding."""
    if not data.strip():
        raise IngestError(location, "empty file")
    if b"\x00" in data[:8192]:
        raise IngestError(location, "binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IngestError(location, "cannot detect the text encoding (binary file?)")
    return str(best)


def _first_line_title(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:200] if len(line) <= 200 else None
    return None


def read_text(data: bytes, location: str) -> Iterator[IngestedDocument | IngestError]:
    text = decode_text(data, location)
    media = "text/markdown" if location.lower().endswith(".md") else "text/plain"
    yield IngestedDocument(
        original=data, text=text, media_type=media, locations=[(location, "file")],
        title=_first_line_title(text),
    )


def read_html(data: bytes, location: str) -> Iterator[IngestedDocument | IngestError]:
    import trafilatura

    html = decode_text(data, location)
    if "<" not in html:
        raise IngestError(location, "not an HTML page (no markup)")
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, as_dict=False)
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise IngestError(location, f"malformed HTML: {exc}") from exc
    if isinstance(doc, dict):  # as_dict=False gives a Document; the annotation allows both
        raise IngestError(location, "unexpected result from the HTML reader")
    text = (doc.text if doc else None) or _html_fallback_text(html)
    if not text.strip():
        raise IngestError(location, "no text in HTML page")
    yield IngestedDocument(
        original=data, text=text, media_type="text/html", locations=[(location, "file")],
        title=(doc.title if doc else None) or None,
        published=normalise_date(doc.date if doc else None),
        publisher=(doc.sitename if doc else None) or None,
    )


def _html_fallback_text(html: str) -> str:
    """Short pages that trafilatura judges too thin: all visible text, tags stripped."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:
        return ""
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    return re.sub(r"[ \t]+", " ", root.text_content()).strip()


def read_pdf(data: bytes, location: str) -> Iterator[IngestedDocument | IngestError]:
    import pdfplumber

    if not data.startswith(b"%PDF"):
        raise IngestError(location, "malformed PDF: no %PDF header")
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [(page.extract_text() or "") for page in pdf.pages]
            meta = pdf.metadata or {}
    except Exception as exc:
        raise IngestError(location, f"malformed PDF: {type(exc).__name__}: {exc}") from exc
    text = "\n\n".join(p for p in pages if p.strip())
    title = meta.get("Title")
    created = str(meta.get("CreationDate") or "")
    m = re.match(r"D:(\d{4})(\d{2})?(\d{2})?", created)
    published = normalise_date("-".join(g for g in m.groups() if g)) if m else None
    yield IngestedDocument(
        original=data, text=text, media_type="application/pdf", locations=[(location, "file")],
        title=str(title) if title else None, published=published,
        status="ok" if text.strip() else "needs_ocr",
    )


def read_jsonl_lines(
    lines: Iterator[bytes], location: str, max_bytes: int
) -> Iterator[IngestedDocument | IngestError]:
    """One document per line; a bad line is an error for that line and the others go on."""
    for number, raw in enumerate(lines, start=1):
        where = f"{location}:{number}"
        line = raw.rstrip(b"\r\n")
        if not line.strip():
            continue
        if len(line) > max_bytes:
            yield IngestError(where, f"line larger than the {max_bytes:,}-byte limit")
            continue
        try:
            record = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            yield IngestError(where, f"malformed JSON line: {exc}")
            continue
        except RecursionError:
            yield IngestError(where, "JSON line nested too deep")
            continue
        except ValueError as exc:  # an integer of thousands of digits, among others
            yield IngestError(where, f"unreadable JSON line: {exc}")
            continue
        if not isinstance(record, dict):
            yield IngestError(where, "JSON line is not an object")
            continue
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            yield IngestError(where, "missing or empty 'text' field")
            continue
        bad = next((k for k, v in record.items() if isinstance(v, str) and not _valid_unicode(v)), None)
        if bad:
            yield IngestError(where, f"field {bad!r} holds invalid Unicode (a lone surrogate)")
            continue
        locations = [(where, "jsonl")]
        if isinstance(record.get("url"), str) and record["url"].strip():
            locations.append((record["url"].strip(), "url"))
        yield IngestedDocument(
            original=line, text=text, media_type="application/jsonl", locations=locations,
            title=_optional_str(record.get("title")),
            published=normalise_date(record.get("published")),
            publisher=_optional_str(record.get("source")),
        )


def _valid_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _optional_str(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".md": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
}
SUPPORTED = frozenset(READERS) | {".jsonl"}


def suffix_of(path: Path) -> str:
    return path.suffix.lower()
