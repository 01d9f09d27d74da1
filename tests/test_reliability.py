"""Bounded time for every document, and a consistent store under concurrency and a full disk
(issue 16). Time bounds are loose (tens of times the typical rate): they catch quadratic and
worse behaviour, not a slow machine. The figures live in benchmarks/hostile.py."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import table_counts

from labourwatch.extract import Pipeline
from labourwatch.store import Store
from labourwatch.workspace import Workspace

# Typical prose runs at ~600 KB/s; a hostile kilobyte may take 100 times as long, no more.
SECONDS_PER_KB = 0.2
PIECES = [
    "1 2 3 4 5 6 7 8 9 0 ", ",,,,,,,,,,", "$€£¥₩ ", "((((", "))))", "between 1 and ", "from 2 to ",
    "twenty-one thousand ", "tens of thousands of ", "12,000,000,000 ", "Кім Чен Ин ", "조선무역은행 ",
    "北朝鲜 ", "(workers) ", "per cent ", "\n", " ", "U.S. $", "4-5 ", "mid-2019 ",
]


def hostile_texts(seed: int, count: int, size: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        if rng.random() < 0.5:  # one piece repeated: the worst case for a greedy pattern
            piece = rng.choice(PIECES)
            texts.append((piece * (size // len(piece) + 1))[:size])
        else:  # a mixture
            parts: list[str] = []
            while sum(map(len, parts)) < size:
                parts.append(rng.choice(PIECES) * rng.randint(1, 50))
            texts.append("".join(parts)[:size])
    return texts


@pytest.fixture(scope="module")
def pipeline():
    return Pipeline()


@pytest.mark.parametrize("seed", range(3))
def test_hostile_text_takes_bounded_time_and_never_raises(pipeline, seed):
    for text in hostile_texts(seed, count=6, size=20_000):
        t0 = time.perf_counter()
        doc = pipeline(text)  # no exception escapes
        elapsed = time.perf_counter() - t0
        assert elapsed < SECONDS_PER_KB * len(text.encode()) / 1024, (text[:60], elapsed)
        assert all(0 <= c.start < c.end <= len(text) for c in doc.claims)


def test_a_very_long_text_read_in_parallel_pieces_gives_what_one_process_gives(pipeline, monkeypatch):
    from labourwatch.extract import pipeline as pipeline_module
    from labourwatch.extract.record import evidence_record
    from labourwatch.parallel import default_jobs

    monkeypatch.setattr(pipeline_module, "CHUNK", 3_000)  # small pieces: a test-sized "long" text
    monkeypatch.setattr(pipeline_module, "PARALLEL_TEXT", 10_000)
    paragraph = ("About 300 North Korean workers were sent to a shipyard in Gdansk in 2016, the "
                 "labour inspectorate said. They handed 70% of their pay to the state and worked "
                 "12-hour days, according to a report by an NGO.\n")
    text = "".join(paragraph.replace("300", str(300 + n)) for n in range(200))
    pools: list[int] = []
    real_pool = pipeline_module.forked_pool
    monkeypatch.setattr(pipeline_module, "forked_pool",
                        lambda func, state, n: pools.append(n) or real_pool(func, state, n))
    in_processes = evidence_record(pipeline(text), {})
    assert (len(pools) == 1 and pools[0] > 1) or default_jobs() == 1  # it did run in processes
    monkeypatch.setattr(pipeline_module, "can_fork", lambda: False)
    in_one = evidence_record(pipeline(text), {})
    assert in_processes == in_one
    assert len(in_one["claims"]) >= 200


def test_time_grows_linearly_with_an_unending_sentence(pipeline):
    """Doubling a line without a sentence end must not quadruple the time."""
    def seconds(n: int) -> float:
        text = "about 300 workers, " * n
        t0 = time.perf_counter()
        pipeline(text)
        return time.perf_counter() - t0

    seconds(500)  # warm
    small, large = seconds(2_000), seconds(8_000)
    assert large < 8 * small + 0.5, (small, large)


def test_a_slow_document_is_reported_and_the_others_go_on(tmp_path, cli, monkeypatch):
    from labourwatch.cli.demo import sample_dir
    from labourwatch.extract.indicators import IndicatorFinder

    db = tmp_path / "s.db"
    assert cli("ingest", sample_dir(), "--db", db)[0] == 0
    original = IndicatorFinder.__call__

    def slow(self, doc):
        if "Gdansk" in doc.text:
            time.sleep(5)
        return original(self, doc)

    monkeypatch.setattr(IndicatorFinder, "__call__", slow)
    t0 = time.perf_counter()
    code, out, err = cli("extract", "--db", db, "--timeout", "1")
    assert time.perf_counter() - t0 < 5
    assert code == 1 and "over the time budget of 1 s" in err and "extracted 7 documents" in out
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM documents WHERE extracted_at IS NULL").fetchone()[0] == 1
    conn.close()


def write_folder(folder: Path, n: int, tag: str) -> Path:
    folder.mkdir(parents=True)
    for i in range(n):
        text = f"Report {tag} {i}: about {i + 10} workers."
        (folder / f"{tag}{i:03d}.txt").write_text(text, encoding="utf-8")
    return folder


def test_two_ingests_and_an_extraction_at_once(tmp_path):
    db = tmp_path / "s.db"
    a = write_folder(tmp_path / "a", 60, "a")
    b = write_folder(tmp_path / "b", 60, "b")
    shared = write_folder(tmp_path / "shared", 30, "s")
    with Workspace.open(db, create=True) as ws:  # something to extract while the ingests run
        list(ws.ingest([write_folder(tmp_path / "first", 30, "f")]))
    cmd = [sys.executable, "-m", "labourwatch"]
    commands = [["ingest", str(a), str(shared)], ["ingest", str(b), str(shared)], ["extract"]]
    runs = [subprocess.Popen([*cmd, *c, "--db", str(db)], stderr=subprocess.PIPE, text=True)
            for c in commands]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0 and "locked" not in err, err
    counts = table_counts(db)
    assert counts["documents"] == 30 + 60 + 60 + 30  # each document once, none lost
    with Store.open(db) as store:
        assert list(store.verify()) == []
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_full_disk_leaves_the_store_consistent_and_says_so(tmp_path):
    db = tmp_path / "s.db"
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(20):
        text = f"Document {i}. " + "About 300 workers. " * 400
        (folder / f"{i:02d}.txt").write_text(text, encoding="utf-8")
    with Workspace.open(db, create=True) as ws:
        conn = ws.store.conn  # SQLite's own limit stands in for a full disk: SQLITE_FULL on write
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 12}")
        outcomes = list(ws.ingest([folder]))
        stored = [o for o in outcomes if o.result == "stored"]
        failed = [o for o in outcomes if o.error]
        assert stored and failed and len(stored) + len(failed) == 20
        assert all("full" in o.error for o in failed), failed[0].error
        assert ws.count("documents") == len(stored)
        assert list(ws.store.verify()) == []
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_utf16_and_damaged_utf8_are_read(tmp_path, cli):
    db = tmp_path / "s.db"
    (tmp_path / "u16.txt").write_bytes("About 300 North Korean workers were sent to Poland.".encode("utf-16"))
    (tmp_path / "u32.txt").write_bytes("Some 40 workers left Kuwait.".encode("utf-32"))
    damaged = ("About 300 workers were sent to Poland. " * 100).encode() + b"\xff\xfe bad" + b" end."
    (tmp_path / "damaged.txt").write_bytes(damaged)
    code, out, err = cli("ingest", tmp_path, "--db", db)
    assert code == 0 and "2 bytes not valid UTF-8, replaced" in err
    with Store.open(db) as store:
        texts = [store.document(d.id).text for d in store.documents()]
    assert any("North Korean workers" in t for t in texts) and any("left Kuwait" in t for t in texts)


def test_an_html_page_past_the_page_limit_is_refused_at_once(tmp_path, cli):
    from labourwatch.ingest.readers import MAX_HTML

    row = "<tr><td>About 300 workers</td><td>were sent abroad in 2019.</td></tr>\n"
    path = tmp_path / "dump.html"
    path.write_text("<html><body><table>" + row * (MAX_HTML // len(row) + 10) + "</table></body></html>")
    t0 = time.perf_counter()
    code, _, err = cli("ingest", path, "--db", tmp_path / "s.db")
    assert code == 1 and time.perf_counter() - t0 < 20
    assert err.count("\n") == 1 and "dump.html" in err and "over the 20 MB limit for one page" in err
    assert table_counts(tmp_path / "s.db")["documents"] == 0
