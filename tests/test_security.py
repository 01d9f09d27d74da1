"""Hostile inputs, each from the security review: a clear one-line error or the right result,
and the run goes on (issue 18). Table-driven: one row per case."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from labourwatch.store import Store


def good(folder: Path) -> Path:
    f = folder / "good.txt"
    f.write_text("About 300 North Korean workers were sent to Russia.", encoding="utf-8")
    return f


def jsonl(lines: list[str]):
    def make(folder: Path) -> Path:
        f = folder / "feed.jsonl"
        good_line = '{"text": "A good line about 40 workers."}'
        f.write_text("\n".join([*lines, good_line]) + "\n", encoding="utf-8")
        return f
    return make


def link_out(folder: Path) -> Path:
    outside = folder.parent / "outside.txt"
    outside.write_text("secret: not evidence", encoding="utf-8")
    (folder / "notes.txt").symlink_to(outside)
    return folder


def fifo(folder: Path) -> Path:
    os.mkfifo(folder / "pipe.txt")
    return folder


def odd_name(folder: Path) -> Path:
    name = os.fsdecode(b"caf\xe9.txt")  # a Latin-1 byte in a file name: not UTF-8
    (folder / name).write_text("Some 20 workers were seen there.", encoding="utf-8")
    return folder


# (case, how the input is made, what the error line says, documents stored besides good.txt)
INGEST_CASES = [
    ("symlink out of the folder", link_out, "symbolic link out of the folder", 0),
    ("a FIFO among the files", fifo, "not a regular file", 0),
    ("JSON nested 100k deep", jsonl(["[" * 100_000 + "]" * 100_000]), "nested too deep", 1),
    ("a 5,000-digit integer", jsonl(['{"text": "x", "n": ' + "9" * 5000 + "}"]), "unreadable JSON line", 1),
    ("a lone surrogate", jsonl(['{"text": "bad \\ud800 text"}']), "invalid Unicode", 1),
    ("a non-UTF-8 file name", odd_name, None, 1),
]


@pytest.mark.parametrize(("case", "make", "reason", "extra"), INGEST_CASES, ids=[c[0] for c in INGEST_CASES])
def test_hostile_ingest_input(tmp_path, cli, case, make, reason, extra):
    folder = tmp_path / "in"
    folder.mkdir()
    good(folder)
    make(folder)
    db = tmp_path / "s.db"
    code, out, err = cli("ingest", folder, "--db", db)
    if reason:
        assert code == 1 and reason in err, err
        assert all(line.startswith(("error:", "warning:")) for line in err.strip().splitlines()), err
    assert "Traceback" not in err
    with Store.open(db) as store:
        docs = store.documents()
        assert len(docs) == 1 + extra
        assert all("secret" not in store.document(d.id).text for d in docs)
        assert list(store.verify()) == []


MARKUP_TITLE = "Notes [/draft] [link=http://example.invalid]x[/link] [bold]"


def test_rich_markup_in_stored_strings_is_printed_as_written(tmp_path, cli):
    folder = tmp_path / "[bold]"
    folder.mkdir()
    body = MARKUP_TITLE + "\nAbout 300 workers, said [red]Someone[/red]."
    (folder / "a.txt").write_text(body, encoding="utf-8")
    db = tmp_path / "s.db"
    code, out, err = cli("ingest", folder, "--db", db)
    assert code == 0 and "MarkupError" not in err
    code, out, err = cli("documents", "--db", db)
    assert code == 0 and "Notes [/draft]" in out and "\x1b]8;" not in out
    with Store.open(db) as store:
        doc_id = store.documents()[0].id
    code, out, err = cli("show", doc_id[:8], "--db", db)
    assert code == 0 and MARKUP_TITLE in out
    cli("extract", "--db", db)
    for command in (["claims"], ["timeline", "--variable", "other"], ["figures"]):
        code, out, err = cli(*command, "--db", db)
        assert code == 0 and "Traceback" not in err, (command, err)


def test_markdown_report_escapes_html(tmp_path, cli):
    f = tmp_path / "x.txt"
    f.write_text("<svg onload=alert(1)> title\nAbout 300 workers were sent to Russia, said <b>X</b>.",
                 encoding="utf-8")
    db = tmp_path / "s.db"
    cli("ingest", f, "--db", db)
    cli("extract", "--db", db)
    md = tmp_path / "r.md"
    assert cli("report", "--db", db, "--md", md)[0] == 0
    text = md.read_text(encoding="utf-8")
    assert "<svg" not in text and "&lt;svg onload=alert(1)&gt;" in text


def test_huge_number_is_no_claim_and_json_stays_valid(tmp_path, cli):
    f = tmp_path / "n.txt"
    f.write_text("They counted " + "9" * 400 + " workers and 300 workers.", encoding="utf-8")
    code, out, _ = cli("extract", f, "--json")
    record = json.loads(out)  # strict JSON: Infinity would not parse with allow_nan off
    json.dumps(record, allow_nan=False)
    assert [c["low"] for c in record["claims"]] == [300]


@pytest.mark.parametrize("prefix", ["%%%%%%", "______", "abc", "xyz123", "%"])
def test_delete_takes_hex_ids_only(tmp_path, cli, prefix):
    db = tmp_path / "s.db"
    cli("ingest", good(tmp_path), "--db", db)
    code, _, err = cli("delete", prefix, "--db", db)
    assert code == 1 and "not an id" in err
    with Store.open(db) as store:
        assert len(store.documents()) == 1


def test_source_filter_is_literal(tmp_path, cli):
    db = tmp_path / "s.db"
    cli("ingest", good(tmp_path), "--db", db)
    cli("extract", "--db", db)
    assert json.loads(cli("claims", "--db", db, "--format", "json", "--source", "%")[1]) == []


FTM_LINES = [
    ('{"id": "a", "schema": "Person", "properties": {"name": "Kim Jong Un"}}', "not a list of strings"),
    ('{"id": "b", "schema": "Spaceship", "properties": {"name": ["X"]}}', "invalid entity"),
    ('{"id": "c", "schema": "Person", "properties": {"name": [5]}}', "not a list of strings"),
    ('{"id": "d", "schema": "Person", "properties": {"name": ["Kim Jong Un"]}}', None),
]


def test_ftm_lines_are_validated_with_a_warning_each(tmp_path, cli):
    listing = tmp_path / "list.jsonl"
    listing.write_text("\n".join(line for line, _ in FTM_LINES) + "\n", encoding="utf-8")
    queries = tmp_path / "q.csv"
    queries.write_text("name\nKim Jong Un\n", encoding="utf-8")
    code, out, err = cli("screen", queries, "--against", listing, "--json")
    assert code == 0 and "Traceback" not in err
    for number, (_, reason) in enumerate(FTM_LINES, start=1):
        if reason:
            assert f"line {number}: " in err and reason in err
    [result] = json.loads(out)
    assert [m["id"] for m in result["matches"]] == ["d"]


def test_planted_index_cache_runs_no_code(tmp_path, monkeypatch):
    import pickle

    from labourwatch.screen.index import BlockingIndex, load_or_build

    monkeypatch.setenv("LABOURWATCH_CACHE", str(tmp_path))
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (Path.touch, (marker,))

    load_or_build(b"fingerprint", list)  # writes the cache file for this fingerprint
    [cached] = tmp_path.glob("index-*.npz")
    cached.write_bytes(pickle.dumps(Payload()))
    index = load_or_build(b"fingerprint", list)
    assert isinstance(index, BlockingIndex) and not marker.exists()
    assert isinstance(np.load, object)


@pytest.mark.parametrize(("content", "reason"), [
    ("A,B,count\n1,0,1e19\n0,1,3\n1,1,2\n", "larger than"),
    ("A,B,count\n1,0,inf\n0,1,3\n1,1,2\n", "not a finite number"),
    (",".join(f"L{i}" for i in range(14)) + ",count\n" + "1," * 14 + "3\n", "at most 12"),
])
def test_mse_inputs_out_of_range(tmp_path, cli, content, reason):
    f = tmp_path / "lists.csv"
    f.write_text(content, encoding="utf-8")
    code, _, err = cli("estimate", "mse", f)
    assert code != 0 and reason in err and "Traceback" not in err


def test_dga_with_a_huge_population_is_refused(tmp_path, cli):
    f = tmp_path / "lists.csv"
    f.write_text("A,B,C,count\n1,0,0,900000000\n0,1,0,3\n1,1,0,2\n0,0,1,4\n", encoding="utf-8")
    code, _, err = cli("estimate", "mse", f, "--method", "dga")
    assert code != 0 and "at most" in err and "Traceback" not in err


def test_verify_finds_orphans_edited_texts_and_text_originals(tmp_path, cli):
    db = tmp_path / "s.db"
    cli("ingest", good(tmp_path), "--db", db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE documents SET text = text || ' (edited)'")
    conn.execute("UPDATE originals SET content = CAST(content AS TEXT)")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute(
        "INSERT INTO sources(document_id, location, kind, ingested_at) VALUES ('f00d', 'x', 'file', 'now')"
    )
    conn.commit()
    conn.close()
    code, out, err = cli("verify", "--db", db)
    assert code == 1
    for reason in ("working text changed", "original stored as text", "sources rows of a document"):
        assert reason in err, err


def test_unwritable_store_folder_is_one_line(tmp_path, cli):
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    code, _, err = cli("ingest", good(tmp_path), "--db", folder / "s.db")
    assert code == 2 and "cannot" in err and "Traceback" not in err


def test_a_long_text_extracted_in_pieces_gives_what_the_whole_gives(monkeypatch):
    from labourwatch.extract import Pipeline, document, evidence_record

    paragraph = ("About 3,000 North Korean workers were sent to Poland, the report by Walk Free said. "
                 "Their passports were confiscated and they kept 10% of their pay.\n")
    text = paragraph * 40
    pipeline = Pipeline()
    whole = evidence_record(pipeline(text), {"id": "x", "path": None, "title": None, "published": None})
    monkeypatch.setattr("labourwatch.extract.pipeline.CHUNK", 1000)
    assert len(document.chunks(text, 1000)) > 5
    pieces = evidence_record(pipeline(text), {"id": "x", "path": None, "title": None, "published": None})
    assert pieces["claims"] == whole["claims"] and pieces["indicators"] == whole["indicators"]
    assert [p["mentions"] for p in pieces["places"]] == [p["mentions"] for p in whole["places"]]


def test_pdf_over_the_page_limit_is_refused(tmp_path, cli, monkeypatch):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for page in range(4):
        pdf.add_page()
        pdf.cell(0, 10, f"Page {page + 1}: about 300 workers.")
    path = tmp_path / "long.pdf"
    pdf.output(str(path))
    monkeypatch.setattr("labourwatch.ingest.readers.MAX_PDF_PAGES", 3)
    code, _, err = cli("ingest", path, "--db", tmp_path / "s.db")
    assert code == 1 and "4 pages, over the limit of 3 pages" in err
