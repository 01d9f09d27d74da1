"""Text from page images with Tesseract, for scanned PDFs and photographed documents.

Tesseract is a program, not a Python package: where it is not installed, a scan is stored and
reported as needing OCR, as before. The languages come from ``LABOURWATCH_OCR_LANG`` (Tesseract's
codes joined by ``+``, e.g. ``eng+kor``; default ``eng``): more languages read more scripts and
take longer.
"""

from __future__ import annotations

import functools
import os
import shutil
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from labourwatch.errors import IngestError

if TYPE_CHECKING:
    from PIL import Image

ENV_OCR_LANG = "LABOURWATCH_OCR_LANG"
DEFAULT_OCR_LANG = "eng"
OCR_DPI = 300  # Tesseract reads best at about 300 dots per inch
PAGE_TIMEOUT = 120  # seconds Tesseract may take on one page
MAX_IMAGE_PIXELS = 120_000_000  # a page at 300 dpi is ~9 million; past this, a decompression bomb


@dataclass(frozen=True)
class OcrText:
    text: str
    confidence: float | None  # mean word confidence, 0-100; None where no word was read
    languages: str

    def note(self) -> str:
        confidence = f", mean word confidence {self.confidence:.0f}%" if self.confidence is not None else ""
        return f"text read by OCR (Tesseract, {self.languages}){confidence}"


@functools.cache
def tesseract_available() -> bool:
    if shutil.which("tesseract") is None:
        return False
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return False
    return True


@functools.cache
def _installed_languages() -> frozenset[str]:
    import pytesseract

    return frozenset(pytesseract.get_languages(config=""))


def ocr_languages(location: str) -> str:
    wanted = os.environ.get(ENV_OCR_LANG, "").strip() or DEFAULT_OCR_LANG
    missing = [code for code in wanted.split("+") if code not in _installed_languages()]
    if missing:
        installed = ", ".join(sorted(_installed_languages())) or "none"
        raise IngestError(location, f"OCR language {'+'.join(missing)!r} is not installed "
                                    f"(installed: {installed}; set {ENV_OCR_LANG})")
    return wanted


def ocr_pages(images: Iterable[Image.Image], location: str) -> OcrText:
    """The text of page images, in order, pages apart by a blank line."""
    languages = ocr_languages(location)
    pages: list[str] = []
    confidences: list[float] = []
    for number, image in enumerate(images, start=1):
        text, page_confidences = _ocr_page(image, languages, location, number)
        pages.append(text)
        confidences.extend(page_confidences)
    mean = sum(confidences) / len(confidences) if confidences else None
    return OcrText("\n\n".join(p for p in pages if p.strip()), mean, languages)


def _ocr_page(image: Image.Image, languages: str, location: str, number: int) -> tuple[str, list[float]]:
    import pytesseract

    try:
        data = pytesseract.image_to_data(image, lang=languages, output_type=pytesseract.Output.DICT,
                                         timeout=PAGE_TIMEOUT)
    except RuntimeError as exc:  # pytesseract's timeout
        raise IngestError(location, f"OCR of page {number} took over {PAGE_TIMEOUT} s: {exc}") from None
    except pytesseract.TesseractError as exc:
        raise IngestError(location, f"OCR failed on page {number}: {exc.message or exc}") from None
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences: list[float] = []
    for word, conf, block, par, line in zip(data["text"], data["conf"], data["block_num"],
                                            data["par_num"], data["line_num"], strict=True):
        if not str(word).strip() or float(conf) < 0:
            continue
        lines.setdefault((block, par, line), []).append(str(word))
        confidences.append(float(conf))
    return _join_lines(lines), confidences


def _join_lines(lines: dict[tuple[int, int, int], list[str]]) -> str:
    """Lines of a paragraph on their own lines; paragraphs apart by a blank line."""
    out: list[str] = []
    previous: tuple[int, int] | None = None
    for (block, par, _), words in lines.items():
        if previous is not None and (block, par) != previous:
            out.append("")
        out.append(" ".join(words))
        previous = (block, par)
    return "\n".join(out)


def open_image_frames(data: bytes, location: str) -> Iterator[Image.Image]:
    """Each frame of an image file (a TIFF may hold many pages); a corrupt file or a
    decompression bomb is an IngestError."""
    import io

    from PIL import Image, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.verify()  # checks the file without decoding it; the image must be reopened
            with Image.open(io.BytesIO(data)) as image:
                for frame in ImageSequence.Iterator(image):
                    frame.load()
                    yield frame.convert("RGB")
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise IngestError(location, f"unreadable image: {exc}") from None
    except (OSError, SyntaxError, ValueError) as exc:  # Pillow's ways of saying "truncated" or "corrupt"
        raise IngestError(location, f"corrupt image: {exc}") from None
