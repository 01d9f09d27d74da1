"""Report benchmark: a store of 10,000 documents and 100,000 claims; figures and the HTML
report timed, peak RSS reported. Target: figures and report in under 10 s together.

    python benchmarks/report.py [--docs 10000] [--claims 100000]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import peak_rss_mb  # noqa: E402

VARIABLES = [
    ("workers_abroad", "person", None),
    ("workers_at_site", "person", None),
    ("revenue", "USD", "year"),
    ("worker_pay", "USD", "month"),
    ("employer_pay", "USD", "month"),
    ("worker_share", "percent", None),
    ("state_share", "percent", None),
    ("work_hours", "hour", "day"),
    ("victims", "person", None),
]
SCALE = {"person": 100_000, "USD": 1_000, "percent": 50, "hour": 14}
PLACES = [None, "RU", "CN", "PL", "QA", "KW", "MN", "AO", "MY"]
SOURCES = [f"Source {i}" for i in range(60)] + [None]


def build(path: Path, n_docs: int, n_claims: int, seed: int = 5) -> None:
    from labourwatch.store import Store

    rng = random.Random(seed)
    with Store.open(path) as store, store.transaction() as conn:
        docs = []
        for i in range(n_docs):
            body = f"Generated document {i} about overseas workers.".encode()
            doc_id = hashlib.sha256(body).hexdigest()
            docs.append(doc_id)
            conn.execute(
                "INSERT INTO documents(id, title, published, media_type, size, text, ingested_at,"
                " tool_version, extracted_at) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    doc_id,
                    f"Document {i}",
                    f"{rng.randint(2010, 2024)}-{rng.randint(1, 12):02d}",
                    "text/plain",
                    len(body),
                    body.decode(),
                    "2026-01-01",
                    "bench",
                    "2026-01-01",
                ),
            )
            conn.execute("INSERT INTO originals VALUES (?,?)", (doc_id, body))
            conn.execute(
                "INSERT INTO sources(document_id, location, kind, ingested_at) VALUES (?,?,?,?)",
                (doc_id, f"doc{i}.txt", "file", "2026-01-01"),
            )
        rows = []
        for _ in range(n_claims):
            variable, unit, per = rng.choice(VARIABLES)
            base = SCALE[unit] * rng.lognormvariate(0, 0.8)
            low, high = (base, base * 1.3) if rng.random() < 0.3 else (base, base)
            rows.append(
                (
                    rng.choice(docs),
                    0,
                    10,
                    "a figure",
                    "A sentence with a figure in it.",
                    0,
                    variable,
                    low,
                    high,
                    unit,
                    per,
                    "exact",
                    rng.choice(SOURCES),
                    rng.choice(PLACES),
                    rng.choice([None, rng.randint(2010, 2024)]),
                )
            )
        conn.executemany(
            "INSERT INTO claims(document_id, start, end, mention, quote, quote_start, variable, low,"
            " high, unit, per, qualifier, source, place, year) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--claims", type=int, default=100_000)
    args = ap.parse_args()
    from labourwatch.report import render_html
    from labourwatch.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        build(db, args.docs, args.claims)
        print(
            f"built a store of {args.docs:,} documents and {args.claims:,} claims in "
            f"{time.perf_counter() - t0:.1f} s"
        )
        with Workspace.open(db) as ws:
            t0 = time.perf_counter()
            groups = ws.figures()
            t_fig = time.perf_counter() - t0
            t0 = time.perf_counter()
            html = render_html(ws.report_data())
            (Path(tmp) / "report.html").write_text(html, encoding="utf-8")
            t_rep = time.perf_counter() - t0
    print(f"figures: {len(groups):,} groups in {t_fig:.2f} s")
    print(f"report:  {len(html) / 1e6:.1f} MB of HTML in {t_rep:.2f} s")
    print(f"figures + report: {t_fig + t_rep:.2f} s; peak RSS {peak_rss_mb():.0f} MiB")


if __name__ == "__main__":
    main()
