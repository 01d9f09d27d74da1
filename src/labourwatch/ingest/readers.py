"""One reader per file format: bytes in, IngestedDocument(s) out, IngestError for bad input."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from labourwatch.errors import IngestError
from labourwatch.ingest.dates import normalise_date
from labourwatch.records import IngestedDocument

Reader = Callable[[bytes, str], Iterator[IngestedDocument | IngestError]]


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
MOSTLY_UTF8 = 0.001  # at most one byte in a thousand invalid: UTF-8 with a few damaged bytes


def decode_text(data: bytes, location: str, notes: list[str] | None = None) -> str:
    """UTF-8 when it is UTF-8 (unchanged, so offsets match the file); UTF-16/32 by their byte
    order mark; UTF-8 with a few bad bytes replaced (and a note saying how many); else the
    detected encoding."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                reason = f"not valid {codec.upper()} despite its byte order mark: {exc}"
                raise IngestError(location, reason) from None
    if not data.strip():
        raise IngestError(location, "empty file")
    if b"\x00" in data[:8192]:
        raise IngestError(location, "binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd") - data.count("\ufffd".encode())
    if bad <= max(1, MOSTLY_UTF8 * len(data)):
        if notes is not None:
            notes.append(f"{bad} byte{'s' if bad != 1 else ''} not valid UTF-8, replaced with U+FFFD")
        return replaced
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
    notes: list[str] = []
    text = decode_text(data, location, notes)
    media = "text/markdown" if location.lower().endswith(".md") else "text/plain"
    yield IngestedDocument(
        original=data, text=text, media_type=media, locations=[(location, "file")],
        title=_first_line_title(text), notes=notes,
    )


def read_html(data: bytes, location: str) -> Iterator[IngestedDocument | IngestError]:
    import trafilatura

    notes: list[str] = []
    html = decode_text(data, location, notes)
    if "<" not in html:
        raise IngestError(location, "not an HTML page (no markup)")
    if len(html) > MAX_MAIN_TEXT_HTML:
        yield _large_html(data, html, location, notes)
        return
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
        publisher=(doc.sitename if doc else None) or None, notes=notes,
    )


# Main-text extraction (trafilatura) takes minutes on pages of tens of MB; past this size a page
# is read as all its visible text, which takes seconds, and the document says so.
MAX_MAIN_TEXT_HTML = 4 * 1024 * 1024


def _large_html(data: bytes, html: str, location: str, notes: list[str]) -> IngestedDocument:
    import lxml.html

    text = _html_fallback_text(html)
    if not text.strip():
        raise IngestError(location, "no text in HTML page")
    title = None
    try:
        found = lxml.html.fromstring(html[:65536] + "</head></html>").findtext(".//title")
        title = found.strip() or None if found else None
    except Exception:
        pass  # no title is no error
    notes.append(f"page of {len(data) / 1024 / 1024:.0f} MB: read as all its visible text, "
                 f"without main-text extraction (over {MAX_MAIN_TEXT_HTML // 1024 // 1024} MB)")
    return IngestedDocument(original=data, text=text, media_type="text/html",
                            locations=[(location, "file")], title=title, notes=notes)


def _html_fallback_text(html: str) -> str:
    """Short pages that trafilatura judges too thin: all visible text, tags stripped."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:
        return ""
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for block in root.iter(*_BLOCKS):  # cells and paragraphs end a line: "300 workers" | "were sent"
        block.tail = "\n" + (block.tail or "")
    return re.sub(r"[ \t]+", " ", root.text_content()).strip()


_BLOCKS = ("p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section",
           "article", "blockquote", "table", "ul", "ol", "header", "footer")


MAX_PDF_PAGES = 1_000
MAX_PDF_TEXT = 50 * 1024 * 1024  # characters of text from one PDF


def read_pdf(data: bytes, location: str) -> Iterator[IngestedDocument | IngestError]:
    """The text layer, page by page with pdfium (memory flat in the number of pages); a page
    limit and a limit on the text a PDF may inflate to."""
    import pypdfium2 as pdfium

    if not data.startswith(b"%PDF"):
        raise IngestError(location, "malformed PDF: no %PDF header")
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as exc:  # pdfium raises its own PdfiumError, among others
        raise IngestError(location, f"malformed PDF: {type(exc).__name__}: {exc}") from exc
    try:
        if len(pdf) > MAX_PDF_PAGES:
            raise IngestError(location, f"{len(pdf):,} pages, over the limit of {MAX_PDF_PAGES:,} pages")
        pages = list(_pdf_pages(pdf, location))
        meta = pdf.get_metadata_dict(skip_empty=True)
    finally:
        pdf.close()
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


def _pdf_pages(pdf: Any, location: str) -> Iterator[str]:
    total = 0
    for number in range(len(pdf)):
        page = pdf[number]
        try:
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            finally:
                textpage.close()
        except Exception as exc:
            raise IngestError(location, f"malformed PDF: page {number + 1}: {exc}") from exc
        finally:
            page.close()
        total += len(text)
        if total > MAX_PDF_TEXT:
            limit = MAX_PDF_TEXT // 1024 // 1024
            raise IngestError(location, f"text inflates past {limit} MB by page {number + 1}")
        yield text


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
