from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from conftest import make_pdf, table_counts

from labourwatch.ingest.dates import normalise_date
from labourwatch.store import Store

HTML = """<!doctype html><html><head><title>Brigades abroad</title>
<meta property="article:published_time" content="2018-04-20T08:00:00Z"></head>
<body><nav>Home | World</nav><article><h1>Brigades abroad</h1>
<p>Some 3,000 workers from the brigade were housed in containers beside the stadium site,
according to the inspectors who visited in the spring.</p>
<p>They were paid through a state agency and kept a small part of their wages.</p>
</article><footer>Copyright</footer></body></html>"""


def stored(db: Path) -> list[sqlite3.Row]:
    with Store.open(db) as store:
        return [store.document(r.id).to_dict() | {"sources": [vars(s) for s in store.sources(r.id)]}
                for r in store.documents()]


def test_txt_is_kept_unchanged_with_hash_of_original(tmp_path, db, cli):
    raw = "Title line\r\n\u00a0About 800 workers\u2009were  there.\n".encode()
    f = tmp_path / "a.txt"
    f.write_bytes(raw)
    code, out, _ = cli("ingest", f, "--db", db)
    assert code == 0, out
    [doc] = stored(db)
    assert doc["id"] == hashlib.sha256(raw).hexdigest()
    assert doc["text"] == raw.decode("utf-8")
    assert doc["title"] == "Title line"
    with Store.open(db) as store:
        assert store.original(doc["id"]) == raw


def test_non_utf8_text_is_detected(tmp_path, db, cli):
    f = tmp_path / "latin.txt"
    text = "Les travailleurs nord-coréens envoyés à l'étranger reçoivent à peine 10 % du salaire.\n"
    f.write_bytes(text.encode("cp1252"))
    assert cli("ingest", f, "--db", db)[0] == 0
    [doc] = stored(db)
    assert "nord-coréens" in doc["text"] and "étranger" in doc["text"]


def test_html_main_text_title_and_date(tmp_path, db, cli):
    f = tmp_path / "page.html"
    f.write_text(HTML, encoding="utf-8")
    assert cli("ingest", f, "--db", db)[0] == 0
    [doc] = stored(db)
    assert doc["title"] == "Brigades abroad"
    assert doc["published"] == "2018-04-20"
    assert "3,000 workers" in doc["text"]
    assert "Copyright" not in doc["text"]


def test_pdf_text_layer(tmp_path, db, cli):
    f = make_pdf(tmp_path / "report.pdf", "Around 450 welders worked at the yard in 2016.")
    assert cli("ingest", f, "--db", db)[0] == 0
    [doc] = stored(db)
    assert doc["status"] == "ok"
    assert "450 welders" in doc["text"]


def test_pdf_without_text_layer_is_stored_and_reported(tmp_path, db, cli):
    f = make_pdf(tmp_path / "scan.pdf", None)
    code, out, err = cli("ingest", f, "--db", db)
    assert code == 0
    assert "no text layer (needs OCR)" in err and "scan.pdf" in err
    [doc] = stored(db)
    assert doc["status"] == "needs_ocr" and doc["text"] == ""


def test_jsonl_one_document_per_line_with_url_as_source(tmp_path, db, cli):
    f = tmp_path / "feed.jsonl"
    lines = [
        {"text": "First report on workers abroad.", "title": "One", "published": "2019-05",
         "url": "https://example.org/1", "source": "Wire"},
        {"text": "Second report.", "published": "14 March 2020"},
    ]
    f.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    assert cli("ingest", f, "--db", db)[0] == 0
    docs = {d["title"]: d for d in stored(db)}
    assert docs["One"]["published"] == "2019-05" and docs["One"]["publisher"] == "Wire"
    assert {s["kind"] for s in docs["One"]["sources"]} == {"jsonl", "url"}
    [second] = [d for t, d in docs.items() if t != "One"]
    assert second["published"] == "2020-03-14"


def test_folder_is_walked_recursively(tmp_path, db, cli):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "a.txt").write_text("alpha document", encoding="utf-8")
    (tmp_path / "in" / "sub" / "b.md").write_text("# beta document", encoding="utf-8")
    (tmp_path / "in" / "sub" / "table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "in" / "sub" / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "in" / "sub" / "tool.exe").write_bytes(b"MZ")
    code, out, _ = cli("ingest", tmp_path / "in", "--db", db)
    assert code == 0
    assert table_counts(db)["documents"] == 2
    assert "skipped 3 unsupported files: .csv (2), .exe" in out  # said, never silent


def test_reingest_is_idempotent_and_records_new_source(tmp_path, db, cli):
    a = tmp_path / "a.txt"
    a.write_text("The same evidence.", encoding="utf-8")
    b = tmp_path / "copy" / "b.txt"
    b.parent.mkdir()
    b.write_bytes(a.read_bytes())
    assert cli("ingest", a, "--db", db)[0] == 0
    before = table_counts(db)
    code, out, _ = cli("ingest", a, "--db", db)
    assert code == 0 and "already stored" in out
    assert table_counts(db) == before
    code, out, _ = cli("ingest", b, "--db", db)
    assert code == 0 and "new source" in out
    after = table_counts(db)
    assert after["documents"] == 1 and after["sources"] == 2


def test_verify_catches_a_changed_original(tmp_path, db, cli):
    f = tmp_path / "a.txt"
    f.write_text("Original evidence.", encoding="utf-8")
    cli("ingest", f, "--db", db)
    code, out, _ = cli("verify", "--db", db)
    assert code == 0 and "1 of 1 originals intact" in out
    conn = sqlite3.connect(db)
    conn.execute("UPDATE originals SET content = ?", (b"Tampered evidence.",))
    conn.commit()
    conn.close()
    code, out, err = cli("verify", "--db", db)
    assert code == 1
    assert "original changed" in err and "0 of 1" in out


def test_audit_log_is_append_only(tmp_path, db, cli):
    f = tmp_path / "a.txt"
    f.write_text("Evidence.", encoding="utf-8")
    cli("ingest", f, "--db", db)
    conn = sqlite3.connect(db)
    actions = [r[0] for r in conn.execute("SELECT action FROM audit ORDER BY id")]
    assert actions[-1] == "ingest"
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit SET action='x'")
    conn.close()


def _bad(tmp_path: Path, kind: str) -> tuple[Path, str, list[str]]:
    p = tmp_path / {"empty": "e.txt", "blank": "b.txt", "binary": "bin.txt", "oversize": "big.txt",
                    "jsonl": "bad.jsonl", "jsonl_notext": "nt.jsonl", "pdf": "broken.pdf",
                    "unsupported": "x.xlsx", "missing": "nothere.txt", "html": "nohtml.html"}[kind]
    extra: list[str] = []
    if kind == "empty":
        p.write_bytes(b"")
        reason = "empty file"
    elif kind == "blank":
        p.write_bytes(b"  \n\t\n")
        reason = "empty file"
    elif kind == "binary":
        p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
        reason = "binary"
    elif kind == "oversize":
        p.write_bytes(b"a" * 2000)
        extra = ["--max-size", "1000"]
        reason = "exceeds"
    elif kind == "jsonl":
        p.write_bytes(b'{"text": "unterminated\n')
        reason = "malformed JSON line"
    elif kind == "jsonl_notext":
        p.write_bytes(b'{"title": "no text"}\n')
        reason = "missing or empty 'text'"
    elif kind == "pdf":
        p.write_bytes(b"%PDF-1.4\n1 0 obj garbage\n%%EOF")
        reason = "malformed PDF"
    elif kind == "unsupported":
        p.write_bytes(b"PK\x03\x04")
        reason = "unsupported file type"
    elif kind == "html":
        p.write_bytes(b"just words, no markup at all")
        reason = "not an HTML page"
    else:
        reason = "no such file"
    return p, reason, extra


@pytest.mark.parametrize(
    "kind",
    ["empty", "blank", "binary", "oversize", "jsonl", "jsonl_notext", "pdf", "unsupported",
     "missing", "html"],
)
def test_bad_input_one_line_error_others_go_on_store_unchanged(tmp_path, db, cli, kind):
    good = tmp_path / "good.txt"
    good.write_text("A good document about 800 workers.", encoding="utf-8")
    cli("ingest", good, "--db", db)
    before = table_counts(db)
    bad, reason, extra = _bad(tmp_path, kind)
    good2 = tmp_path / "good2.txt"
    good2.write_text("Another good document.", encoding="utf-8")
    code, out, err = cli("ingest", bad, good2, "--db", db, *extra)
    assert code == 1
    lines = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1
    assert bad.name in lines[0] and reason in lines[0]
    after = table_counts(db)
    assert after["documents"] == before["documents"] + 1  # only good2
    with Store.open(db) as store:
        assert list(store.verify()) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2018-04-20", "2018-04-20"), ("2018-04-20T10:00:00Z", "2018-04-20"), ("2018-4", "2018-04"),
     ("2018", "2018"), ("April 20, 2018", "2018-04-20"), ("20 Apr 2018", "2018-04-20"),
     ("March 2018", "2018-03"), ("yesterday", None), ("2018-13-01", None), ("", None)],
)
def test_normalise_date(raw, expected):
    assert normalise_date(raw) == expected


def test_documents_and_show(tmp_path, db, cli):
    f = tmp_path / "a.txt"
    f.write_text("Headline\nBody about 45 countries.", encoding="utf-8")
    cli("ingest", f, "--db", db)
    code, out, _ = cli("documents", "--db", db, "--json")
    [row] = json.loads(out)
    assert row["title"] == "Headline" and row["n_sources"] == 1
    code, out, _ = cli("show", row["id"][:8], "--db", db)
    assert code == 0 and "Body about 45 countries." in out and str(f) in out
    code, _, err = cli("show", "ffffffff", "--db", db)
    assert code == 1 and "no document" in err


def test_commands_on_missing_store_fail_cleanly(tmp_path, cli):
    code, _, err = cli("documents", "--db", tmp_path / "none.db")
    assert code == 2 and "no such store" in err
    assert not (tmp_path / "none.db").exists()
