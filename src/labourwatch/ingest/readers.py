"""One reader per file format: bytes in, IngestedDocument(s) out, IngestError for bad input."""

from __future__ import annotations

import codecs
import dataclasses
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labourwatch.errors import IngestError
from labourwatch.ingest.dates import dateline_date, normalise_date, read_given_date
from labourwatch.ingest.ocr import OCR_DPI, OcrText, ocr_pages, open_image_frames, tesseract_available
from labourwatch.records import IngestedDocument

if TYPE_CHECKING:
    from PIL import Image

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
    return _likeliest_code_page(data, str(best), best.encoding)


# Windows and ISO code pages of the languages of this evidence (Polish, Czech, Russian, ...):
# statistical detection confuses them on short texts (Polish in cp1250 read as cp1252 gives
# "Wed³ug" for "Według"), so each is tried and the reading with the fewest impossible words wins.
_CODE_PAGES = ("cp1250", "cp1251", "cp1252", "iso8859_2", "iso8859_5", "koi8_r")


CODE_PAGE_SAMPLE = 64 * 1024  # bytes judged: enough to tell code pages apart, cheap on 50 MB


def _likeliest_code_page(data: bytes, detected: str, encoding: str) -> str:
    if encoding.replace("-", "_").lower() not in (*_CODE_PAGES, "latin_1", "iso8859_1"):
        return detected
    sample = data[:CODE_PAGE_SAMPLE]  # single-byte code pages: any cut is a character boundary
    best, best_penalty = None, _mojibake_penalty(detected[:CODE_PAGE_SAMPLE])
    for codec in _CODE_PAGES:
        try:
            penalty = _mojibake_penalty(sample.decode(codec))
        except UnicodeDecodeError:
            continue
        if penalty < best_penalty:
            best, best_penalty = codec, penalty
    if best is None:
        return detected
    try:
        return data.decode(best)
    except UnicodeDecodeError:  # a byte past the sample this code page lacks
        return detected


_CASE_FLIP = re.compile(r"(?<=[^\W\d_])(?:[a-zа-яё][A-ZА-ЯЁ]|[A-ZА-ЯЁ]{2}[a-zа-яё][A-ZА-ЯЁ])")
_IN_WORD = frozenset("'’-.&")


def _mojibake_penalty(text: str) -> int:
    """Signs of a wrong code page: symbols inside words ("Wed³ug"), case flipping inside words
    (KOI8-R read as Windows-1251), and characters no text uses (C1 controls)."""
    symbols = sum(1 for before, ch, after in zip(text, text[1:], text[2:], strict=False)
                  if before.isalpha() and after.isalpha() and not ch.isalpha() and not ch.isspace()
                  and ch not in _IN_WORD)
    controls = sum(1 for ch in text if "\x80" <= ch <= "\x9f")
    return symbols + len(_CASE_FLIP.findall(text)) + 2 * controls


MAX_TITLE = 200


def first_line_title(text: str) -> str | None:
    """The first non-blank line; a long one (a file without line breaks) is cut at a word
    before MAX_TITLE characters and marked with an ellipsis."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return short_title(line)
    return None


def short_title(line: str) -> str:
    line = " ".join(line.split())
    if len(line) <= MAX_TITLE:
        return line
    cut = line[:MAX_TITLE - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[MAX_TITLE // 2:] else cut).rstrip(" ,;:-") + "…"


def read_text(data: bytes, location: str) -> Iterator[IngestedDocument | IngestError]:
    notes: list[str] = []
    text = decode_text(data, location, notes)
    media = "text/markdown" if location.lower().endswith(".md") else "text/plain"
    yield IngestedDocument(
        original=data, text=text, media_type=media, locations=[(location, "file")],
        title=first_line_title(text), notes=notes,
    )


def read_html(data: bytes, location: str) -> Iterator[IngestedDocument | IngestError]:
    import trafilatura

    if len(data) > MAX_HTML:
        raise IngestError(location, f"HTML page of {len(data) / MB:.0f} MB is over the {MAX_HTML // MB} MB "
                                    "limit for one page: a page this large is a data dump, not an article "
                                    "(save its tables as CSV, or split it)")
    notes: list[str] = []
    html = decode_text(data, location, notes)
    if "<" not in html:
        raise IngestError(location, "not an HTML page (no markup)")
    if len(html) > MAX_MAIN_TEXT_HTML:
        yield _large_html(data, html, location, notes)
        return
    try:
        # Only the page's own date markup: the "extensive search" takes "in 2019" in the text
        # for a publication date (2019-01-01).
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, as_dict=False,
                                          date_extraction_params=_PAGE_DATE_ONLY)
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise IngestError(location, f"malformed HTML: {exc}") from exc
    if isinstance(doc, dict):  # as_dict=False gives a Document; the annotation allows both
        raise IngestError(location, "unexpected result from the HTML reader")
    text = (doc.text if doc else None) or html_visible_text(html)
    status = "ok"
    if needs_browser(text, html):
        status = "needs_browser"
        notes.append("the page has no text of its own (it is written by scripts); "
                     "save it from a browser and ingest that file")
    elif not text.strip():
        raise IngestError(location, "no text in HTML page")
    yield IngestedDocument(
        original=data, text=text, media_type="text/html", locations=[(location, "file")],
        title=(doc.title if doc else None) or None,
        published=normalise_date(doc.date if doc else None),
        publisher=(doc.sitename if doc else None) or None, notes=notes, status=status,
        published_source="metadata" if doc and normalise_date(doc.date) else None,
    )


_PAGE_DATE_ONLY = {"extensive_search": False, "original_date": True}


# What a page says while its scripts have not run: a placeholder, not its text.
_PLACEHOLDER = re.compile(
    r"loading|please wait|enable javascript|javascript (?:is )?(?:required|disabled)|"
    r"checking your browser|turn on javascript|browser (?:is )?not supported|just a moment",
    re.IGNORECASE,
)
MAX_PLACEHOLDER = 300  # characters: a page with more text than this has text of its own


def needs_browser(text: str, html: str) -> bool:
    """A page whose text is empty or only a placeholder ("Loading...") while it carries
    scripts: its content arrives by JavaScript, which labourwatch does not run."""
    words = " ".join(text.split())
    if len(words) > MAX_PLACEHOLDER or "<script" not in html.lower():
        return False
    return not words or bool(_PLACEHOLDER.search(words))


# Main-text extraction (trafilatura) takes minutes on pages of tens of MB; past this size a page
# is read as all its visible text, which takes seconds, and the document says so.
MB = 1024 * 1024
MAX_MAIN_TEXT_HTML = 4 * MB
# Past this, a page is refused: read as visible text, 16 MB of table rows holding a figure each
# take 30 s and 1 GB to extract; a page three times that would take minutes and gigabytes.
MAX_HTML = 20 * MB


def _large_html(data: bytes, html: str, location: str, notes: list[str]) -> IngestedDocument:
    import lxml.html

    text = html_visible_text(html)
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


def html_visible_text(html: str) -> str:
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
    limit and a limit on the text a PDF may inflate to. A PDF without a text layer (a scan) is
    read by OCR where Tesseract is installed, else stored as needing OCR."""
    import pypdfium2 as pdfium

    if not data.startswith(b"%PDF"):
        raise IngestError(location, "malformed PDF: no %PDF header")
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as exc:  # pdfium raises its own PdfiumError, among others
        raise IngestError(location, f"malformed PDF: {type(exc).__name__}: {exc}") from exc
    ocr: OcrText | None = None
    try:
        if len(pdf) > MAX_PDF_PAGES:
            raise IngestError(location, f"{len(pdf):,} pages, over the limit of {MAX_PDF_PAGES:,} pages")
        text = "\n\n".join(p for p in _pdf_pages(pdf, location) if p.strip())
        if not text.strip() and tesseract_available():
            ocr = ocr_pages(_pdf_page_images(pdf, location), location)
        meta = pdf.get_metadata_dict(skip_empty=True)
    finally:
        pdf.close()
    title = meta.get("Title")
    # The PDF's CreationDate is when the file was made (often the day it was saved or printed),
    # not when the evidence was published: the date comes from the text's dateline, if any.
    yield _with_ocr(IngestedDocument(
        original=data, text=text, media_type="application/pdf", locations=[(location, "file")],
        title=str(title) if title else None, status="ok" if text.strip() else "needs_ocr",
    ), ocr)


def _with_ocr(doc: IngestedDocument, ocr: OcrText | None) -> IngestedDocument:
    """The document with its text read by OCR, marked as such; as it was without OCR."""
    if ocr is None:
        return doc
    status = "ok" if ocr.text.strip() else "needs_ocr"
    notes = [*doc.notes, ocr.note() if ocr.text.strip() else "OCR found no words"]
    return dataclasses.replace(doc, text=ocr.text, status=status, notes=notes, text_origin="ocr",
                               ocr_confidence=ocr.confidence)


def _pdf_page_images(pdf: Any, location: str) -> Iterator[Image.Image]:
    for number in range(len(pdf)):
        page = pdf[number]
        try:
            bitmap = page.render(scale=OCR_DPI / 72)
            try:
                yield bitmap.to_pil()
            finally:
                bitmap.close()
        except IngestError:
            raise
        except Exception as exc:
            raise IngestError(location, f"malformed PDF: page {number + 1} cannot be drawn: {exc}") from exc
        finally:
            page.close()


IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".tif": "image/tiff",
               ".tiff": "image/tiff"}


def read_image(data: bytes, location: str) -> Iterator[IngestedDocument | IngestError]:
    """A photographed or scanned page: read by OCR where Tesseract is installed, else stored
    as needing OCR. The image is checked either way: a corrupt one is refused."""
    media = _image_media_type(data) or IMAGE_TYPES.get(Path(location.split("?")[0]).suffix.lower(), "image/*")
    frames = open_image_frames(data, location)
    if tesseract_available():
        ocr: OcrText | None = ocr_pages(frames, location)
    else:
        ocr = None
        for _ in frames:  # decode every frame: a truncated file fails here, not later
            pass
    yield _with_ocr(IngestedDocument(original=data, text="", media_type=media, locations=[(location, "file")],
                                     status="needs_ocr"), ocr)


def _image_media_type(data: bytes) -> str | None:
    for magic, media in ((b"\x89PNG", "image/png"), (b"\xff\xd8", "image/jpeg"), (b"II*\x00", "image/tiff"),
                         (b"MM\x00*", "image/tiff")):
        if data.startswith(magic):
            return media
    return None


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
        published, unread = read_given_date(record.get("published"))
        yield with_dateline(IngestedDocument(
            original=line, text=text, media_type="application/jsonl", locations=locations,
            title=_optional_str(record.get("title")), published=published,
            published_source="metadata" if published else None,
            publisher=_optional_str(record.get("source")), notes=[unread] if unread else [],
        ))


def _valid_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _optional_str(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


def _office_readers() -> dict[str, Reader]:
    from labourwatch.ingest.mail import read_eml
    from labourwatch.ingest.word import read_docx

    return {".docx": read_docx, ".eml": read_eml}


READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".md": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
    **dict.fromkeys(IMAGE_TYPES, read_image),
    **_office_readers(),
}
SUPPORTED = frozenset(READERS) | {".jsonl"}


def suffix_of(path: Path) -> str:
    return path.suffix.lower()


def read_bytes(suffix: str, data: bytes, location: str) -> Iterator[IngestedDocument | IngestError]:
    """The documents in the bytes of a file of this type, each dated from its metadata or,
    failing that, from a dateline in its opening lines."""
    for item in READERS[suffix](data, location):
        yield with_dateline(item) if isinstance(item, IngestedDocument) else item


def with_dateline(doc: IngestedDocument) -> IngestedDocument:
    if doc.published or not (date := dateline_date(doc.text)):
        return doc
    return dataclasses.replace(doc, published=date, published_source="dateline")
