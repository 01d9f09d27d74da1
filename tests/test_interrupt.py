"""A folder ingest that is killed or interrupted leaves finished documents intact, no partial one."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from labourwatch.store import Store

N_FILES = 1500


def make_corpus(folder: Path) -> None:
    folder.mkdir()
    for i in range(N_FILES):
        body = f"Report {i}: about {i * 7 + 100} workers were sent to site {i}. " * 40
        (folder / f"doc{i:05d}.txt").write_text(body, encoding="utf-8")


def count_documents(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(db, timeout=5)
        try:
            return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


def assert_consistent(db: Path) -> int:
    with Store.open(db) as store:
        assert list(store.verify()) == []
        conn = store.conn
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # every document has its original and at least one source; nothing dangles
        assert conn.execute(
            "SELECT COUNT(*) FROM documents d WHERE NOT EXISTS"
            " (SELECT 1 FROM originals o WHERE o.document_id=d.id)"
            " OR NOT EXISTS (SELECT 1 FROM sources s WHERE s.document_id=d.id)"
        ).fetchone()[0] == 0
        assert conn.execute(
            "SELECT COUNT(*) FROM sources s LEFT JOIN documents d ON d.id=s.document_id"
            " WHERE d.id IS NULL"
        ).fetchone()[0] == 0
        return store.count("documents")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_folder_ingest_leaves_no_partial_document(tmp_path, sig):
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    db = tmp_path / "store.db"
    cmd = [sys.executable, "-m", "labourwatch", "ingest", str(corpus), "--db", str(db)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while count_documents(db) < 50 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert proc.poll() is None, "ingest finished before it could be interrupted"
    proc.send_signal(sig)
    proc.wait(timeout=30)
    assert proc.returncode != 0
    done = assert_consistent(db)
    assert 50 <= done < N_FILES
    # resuming stores the rest: nothing was lost, nothing doubled
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert assert_consistent(db) == N_FILES
