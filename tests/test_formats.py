"""Ingest as a user meets it: scans read by OCR, Word and e-mail files, Windows code pages,
saved pages with their _files folders, long first lines, and what a folder ingest says."""

from __future__ import annotations

import email.message
import io
from pathlib import Path

import pytest
from conftest import table_counts

from labourwatch.ingest import read_documents
from labourwatch.ingest.ocr import tesseract_available
from labourwatch.records import IngestedDocument

needs_tesseract = pytest.mark.skipif(not tesseract_available(),
                                     reason="Tesseract is not installed (apt-get install tesseract-ocr)")

SCANNED_LINES = ["North Korean workers in Russia", "earned 500 dollars a month", "in the year 2019"]


def page_image(lines: list[str]):
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1700, 700), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=64)
    for number, line in enumerate(lines):
        draw.text((80, 80 + number * 140), line, fill="black", font=font)
    return image


def one(path: Path) -> IngestedDocument:
    [doc] = list(read_documents(path))
    assert isinstance(doc, IngestedDocument), doc
    return doc


@needs_tesseract
def test_an_image_only_pdf_is_read_by_ocr(tmp_path: Path) -> None:
    from fpdf import FPDF

    png = tmp_path / "page.png"
    page_image(SCANNED_LINES).save(png)
    pdf = FPDF(orientation="L")
    pdf.add_page()
    pdf.image(str(png), x=10, y=10, w=270)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    doc = one(path)
    assert doc.text_origin == "ocr" and doc.status == "ok"
    words = " ".join(doc.text.split()).lower()
    for line in SCANNED_LINES:
        assert line.lower() in words
    assert doc.ocr_confidence is not None and doc.ocr_confidence > 80
    assert doc.original == path.read_bytes()  # the scan itself is the evidence copy
    assert any("OCR" in note for note in doc.notes)


@needs_tesseract
def test_a_photographed_page_is_read_by_ocr_and_extracted(tmp_path: Path, db: Path, cli) -> None:
    path = tmp_path / "photo.png"
    page_image(SCANNED_LINES).save(path)
    code, out, err = cli("ingest", path, "--db", db)
    assert code == 0 and "1 stored" in out
    assert "text read by OCR" in err
    code, out, _ = cli("extract", "--db", db)
    assert code == 0
    code, out, _ = cli("claims", "--db", db, "--format", "json")
    assert '"low": 500' in out


def test_without_tesseract_a_scan_is_stored_as_needing_ocr(tmp_path: Path, monkeypatch) -> None:
    from labourwatch.ingest import readers

    monkeypatch.setattr(readers, "tesseract_available", lambda: False)
    path = tmp_path / "photo.jpg"
    page_image(["a page"]).save(path)
    doc = one(path)
    assert (doc.status, doc.text, doc.media_type) == ("needs_ocr", "", "image/jpeg")


def test_a_corrupt_image_is_refused_and_nothing_stored(tmp_path: Path, db: Path, cli) -> None:
    good = io.BytesIO()
    page_image(["a page"]).save(good, format="PNG")
    path = tmp_path / "broken.png"
    path.write_bytes(good.getvalue()[:400])  # cut short
    code, _, err = cli("ingest", path, "--db", db)
    assert code == 1
    assert err.count("\n") == 1 and "broken.png" in err and "image" in err
    assert table_counts(db)["documents"] == 0


def test_a_docx_is_read_in_order_with_its_tables(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "Field notes"
    document.add_paragraph("Workers arrived in 2018.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Site", "Workers"
    table.cell(1, 0).text, table.cell(1, 1).text = "Vladivostok", "300"
    document.add_paragraph("They left in 2020.")
    path = tmp_path / "notes.docx"
    document.save(str(path))
    doc = one(path)
    assert doc.title == "Field notes"
    assert doc.text.index("arrived") < doc.text.index("Vladivostok | 300") < doc.text.index("left")
    assert doc.published is None  # a file's creation date is not the evidence's date


def test_a_damaged_docx_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "damaged.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    [error] = list(read_documents(path))
    assert not isinstance(error, IngestedDocument)
    assert "malformed DOCX" in error.reason


def test_an_eml_message_keeps_its_headers_and_names_its_attachments(tmp_path: Path) -> None:
    message = email.message.EmailMessage()
    message["From"] = "Field researcher <researcher@example.org>"
    message["To"] = "desk@example.org"
    message["Subject"] = "Dormitory visit"
    message["Date"] = "Tue, 14 May 2019 09:30:00 +0300"
    message.set_content("Forty workers shared one dormitory near the port.")
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="photos.pdf")
    path = tmp_path / "visit.eml"
    path.write_bytes(bytes(message))
    doc = one(path)
    assert doc.title == "Dormitory visit" and doc.published == "2019-05-14"
    assert "Forty workers shared one dormitory" in doc.text and "From: Field researcher" in doc.text
    assert any("photos.pdf" in note for note in doc.notes)


@pytest.mark.parametrize(("text", "codec"), [
    ("Według danych ministerstwa w Polsce pracowało około 800 robotników z Korei Północnej, "
     "głównie w stoczniach i szklarniach; większość zarobków oddawali państwu.", "cp1250"),
    ("По данным министерства, в России работали около 30 тысяч граждан КНДР, в основном "
     "на стройках; большую часть заработка они отдавали государству.", "cp1251"),
])
def test_windows_code_pages_are_decoded(tmp_path: Path, text: str, codec: str) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes(text.encode(codec))
    assert one(path).text == text


def test_a_long_first_line_still_gives_a_title(tmp_path: Path) -> None:
    path = tmp_path / "one-line.txt"
    path.write_text("Report on overseas workers " + "and their conditions " * 40, encoding="utf-8")
    title = one(path).title
    assert title and title.startswith("Report on overseas workers") and title.endswith("…")
    assert len(title) <= 200 and not title[:-1].endswith(" ")


def test_a_saved_page_folder_is_not_ingested_and_skips_are_summarised(tmp_path: Path, db: Path, cli) -> None:
    folder = tmp_path / "saved"
    (folder / "Article_files").mkdir(parents=True)
    (folder / "Article.html").write_text(
        "<html><head><title>Article</title></head><body><p>Three hundred workers were sent abroad "
        "in 2017, officials said.</p></body></html>", encoding="utf-8")
    (folder / "Article_files" / "widget.html").write_text("<html><body>share this</body></html>")
    (folder / "Article_files" / "style.css").write_text("body{}")
    (folder / "data.csv").write_text("a\n1\n")
    code, out, _ = cli("ingest", folder, "--db", db)
    assert code == 0
    assert table_counts(db)["documents"] == 1
    assert "skipped 1 unsupported file: .csv" in out
    assert "skipped 1 folder of a saved page's resources (_files)" in out


def test_reingesting_a_folder_prints_a_summary_not_a_line_per_file(tmp_path: Path, db: Path, cli) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for number in range(5):
        (folder / f"{number}.txt").write_text(f"Document number {number} about workers.", encoding="utf-8")
    cli("ingest", folder, "--db", db)
    code, out, err = cli("ingest", folder, "--db", db)
    assert code == 0
    assert out.strip().splitlines() == [f"5 already stored → {db}"]
    assert err == ""


# -- publication dates: from metadata or a dateline, never from a file's creation time ------
def test_a_dateline_dates_a_text_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "wire.txt"
    path.write_text("Workers sent home\nWINDHOEK, Namibia (Sept 14, 2023) - About 200 workers left.\n")
    doc = one(path)
    assert (doc.published, doc.published_source) == ("2023-09-14", "dateline")


def test_a_year_in_the_story_is_not_a_publication_date(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>Camps</title></head><body><article><p>In 2023, about 20,000 "
                    "workers were in Russia, up from 5,000 in 2021, officials said. Several hundred more "
                    "arrived later that year, according to local reports.</p></article></body></html>")
    doc = one(path)
    assert doc.published is None and doc.published_source is None


def test_a_page_date_in_its_markup_is_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text('<html><head><title>Camps</title><meta property="article:published_time" '
                    'content="2018-06-01T09:00:00Z"></head><body><article><p>In 2023, about 20,000 workers '
                    "were in Russia, officials said. Several hundred more arrived later that year, according "
                    "to local reports.</p></article></body></html>")
    doc = one(path)
    assert (doc.published, doc.published_source) == ("2018-06-01", "metadata")


def test_a_pdf_is_not_dated_by_its_creation_time(tmp_path: Path) -> None:
    from conftest import make_pdf

    undated = one(make_pdf(tmp_path / "undated.pdf", "About 300 workers were sent to Russia in 2019."))
    assert undated.published is None  # fpdf2 stamps today's CreationDate: not a publication date
    dated = one(make_pdf(tmp_path / "dated.pdf", "Report compiled 12 January 2024\nAbout 300 workers."))
    assert (dated.published, dated.published_source) == ("2024-01-12", "dateline")


def test_jsonl_dates_day_first_and_unreadable_ones_are_said(tmp_path: Path, db: Path, cli) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"text": "About 300 workers were sent.", "published": "15/03/2019"}\n'
                    '{"text": "About 400 workers were sent.", "published": "yesterday"}\n')
    first, second = list(read_documents(feed))
    assert isinstance(first, IngestedDocument) and isinstance(second, IngestedDocument)
    assert (first.published, first.published_source) == ("2019-03-15", "metadata")
    assert second.published is None
    code, _, err = cli("ingest", feed, "--db", db)
    assert code == 0 and "feed.jsonl:2: published date 'yesterday' is not a date" in err
