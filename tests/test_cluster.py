"""Extraction on a real Dask cluster (a LocalCluster of two worker processes), writing to a
real PostgreSQL server: the same results as on one machine, each document written once even
when a worker dies in the middle."""

from __future__ import annotations

import json
import os
import signal
from collections import Counter
from pathlib import Path

import pytest

from labourwatch.cluster import PipelineSpec, extract_on_cluster
from labourwatch.records import IngestedDocument
from labourwatch.store import Store
from labourwatch.workspace import Workspace

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "labourwatch" / "samples"

distributed = pytest.importorskip("distributed", reason="Dask is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1", silence_logs=40) as local:
        yield local


@pytest.fixture
def client(cluster):
    with distributed.Client(cluster.scheduler_address) as connected:
        yield connected


def _texts(n: int) -> list[str]:
    """Real-like documents: the samples' plain-text paragraphs, each made distinct."""
    paragraphs = [p for f in ("01-logging-camps.txt", "06-employers.txt")
                  for p in (SAMPLES / f).read_text(encoding="utf-8").split("\n\n") if len(p) > 200]
    return [f"{paragraphs[i % len(paragraphs)]}\n\nReport {i} of the series." for i in range(n)]


def _fill(location: str, n: int) -> list[str]:
    with Store.open(location) as store:
        docs = [IngestedDocument(t.encode(), t, "text/plain", [(f"doc-{i}.txt", "file")]) for i, t in
                enumerate(_texts(n))]
        for doc in docs:
            store.add_document(doc)
        return [doc.id for doc in docs]


def _claims(location: str) -> Counter[tuple[str, int, int, str]]:
    with Store.open(location) as store:
        return Counter((c["document_id"], c["start"], c["end"], c["variable"]) for c in store.claims())


def test_the_cluster_gives_what_one_machine_gives_on_postgresql_and_on_sqlite(
    client, postgres_db: str, tmp_path: Path, cli
):
    local, on_sqlite = str(tmp_path / "local.db"), str(tmp_path / "cluster.db")
    for location in (local, postgres_db, on_sqlite):
        _fill(location, 12)
    code, _, stderr = cli("extract", "--db", local, "--workers", "1")
    assert code == 0, stderr
    for location in (postgres_db, on_sqlite):
        code, stdout, stderr = cli("extract", "--db", location, "--cluster", client.scheduler.address)
        assert code == 0, stderr
        assert "extracted 12 documents" in stdout
        assert _claims(location) == _claims(local)
        with Store.open(location) as store:
            assert store.pending() == []


def test_a_worker_killed_mid_run_loses_nothing_and_writes_nothing_twice(client, cluster, postgres_db: str):
    ids = _fill(postgres_db, 48)
    outcomes, killed = [], None
    with Workspace.open(postgres_db) as ws:
        for outcome in extract_on_cluster(ws, client, PipelineSpec(), batch=4):
            if killed is None:  # the first batch is back: the others are on the workers now
                nanny = next(iter(cluster.workers.values()))
                killed = nanny.process.process.pid
                os.kill(killed, signal.SIGKILL)
            outcomes.append(outcome)
    assert killed is not None and nanny.process.process.pid != killed  # it died, and was replaced
    assert sorted(o.document_id for o in outcomes) == sorted(ids)
    assert all(o.error is None for o in outcomes)
    with Store.open(postgres_db) as store:
        extracted = Counter(e.document_id for e in store.audit() if e.action == "extract")
        assert extracted == Counter(dict.fromkeys(ids, 1))  # every document exactly once
        assert store.pending() == []
        claims = _claims(postgres_db)
        assert max(claims.values()) == 1  # no claim written twice
        assert sum(o.claims for o in outcomes) == sum(claims.values())


def test_an_unreachable_scheduler_is_one_line(cli, tmp_path: Path):
    _fill(str(tmp_path / "s.db"), 1)
    code, _, stderr = cli("extract", "--db", str(tmp_path / "s.db"), "--cluster", "tcp://127.0.0.1:9")
    assert code == 2
    assert stderr.startswith("error: tcp://127.0.0.1:9: no Dask scheduler answers")


def _stored(location: str) -> dict[str, tuple[str, str, str]]:
    with Store.open(location) as store:
        return {d.id: (store.document(d.id).text, d.media_type, d.status) for d in store.documents()}


def test_ingest_on_the_cluster_stores_what_one_machine_stores(client, postgres_db: str, tmp_path: Path, cli):
    """Every sample type (text, Markdown, HTML, JSON Lines, PDF), read by the workers; the
    PostgreSQL store written by them, the SQLite one by the client; originals intact."""
    local, on_sqlite = str(tmp_path / "local.db"), str(tmp_path / "cluster.db")
    code, _, stderr = cli("ingest", str(SAMPLES), "--db", local)
    assert code == 0, stderr
    for location in (postgres_db, on_sqlite):
        code, stdout, stderr = cli("ingest", str(SAMPLES), "--db", location, "--cluster",
                                   client.scheduler.address)
        assert code == 0, stderr
        assert _stored(location) == _stored(local)
        assert cli("verify", "--db", location)[0] == 0
        code, stdout, _ = cli("ingest", str(SAMPLES), "--db", location, "--cluster", client.scheduler.address)
        assert code == 0 and "stored" not in stdout.replace("already stored", "")  # nothing twice


def test_ingest_on_the_cluster_reports_a_bad_file_and_goes_on(client, postgres_db: str, tmp_path: Path, cli):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (folder / "good.txt").write_text("A report on workers abroad.", encoding="utf-8")
    code, _, stderr = cli("ingest", str(folder), "--db", postgres_db, "--cluster", client.scheduler.address)
    assert code == 1
    assert "broken.pdf" in stderr and "good.txt" not in stderr
    assert [d[0] for d in _stored(postgres_db).values()] == ["A report on workers abroad."]


def test_screening_and_a_bootstrap_on_the_cluster_match_this_machine(client, tmp_path, cli, monkeypatch):
    monkeypatch.setenv("LABOURWATCH_CACHE", str(tmp_path / "cache"))
    data = Path(__file__).parent / "data"
    queries = tmp_path / "q.csv"
    queries.write_text("name\nKim Jong-un\n김정은\nКим Чен Ын\n丹东鸿祥实业发展有限公司\n"
                       "Baltic Amber Shipping\nNobody In Particular\n", encoding="utf-8")
    args = ("screen", queries, "--against", data / "sanctions.jsonl", "--json")
    here, there = cli(*args), cli(*args, "--cluster", client.scheduler.address)
    assert here[0] == there[0] == 0 and here[1] == there[1]
    args = ("estimate", "mse", data / "mse" / "Western.csv", "--bootstrap", "60", "--seed", "4", "--json")
    here, there = cli(*args), cli(*args, "--cluster", client.scheduler.address)
    assert here[0] == there[0] == 0
    assert json.loads(here[1])["interval"] == json.loads(there[1])["interval"] is not None
