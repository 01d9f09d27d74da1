"""Ingest benchmark: N generated text documents of about 4 KB, documents/s and peak RSS.

    python benchmarks/ingest.py [--docs 10000]

Runs a small and the full corpus in separate processes, so that a peak memory that
grows with the corpus would show. Target: >= 500 documents/s on one core, flat memory.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import peak_rss_mb, scaling_main  # noqa: E402

WORDS = ("workers abroad construction site wages state company overseas contract logging "
         "shipyard welders hours surveillance passports dormitory brigade employer report "
         "according estimate thousand million dollars month year Russia China Poland Qatar").split()


def write_corpus(folder: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    for i in range(n):
        words = []
        size = 0
        while size < 4000:
            w = rng.choice(WORDS)
            words.append(w)
            size += len(w) + 1
        body = f"Document {i}\n" + " ".join(words) + f"\nAbout {rng.randint(10, 99999)} workers.\n"
        (folder / f"doc{i:06d}.txt").write_text(body, encoding="utf-8")


def child(n: int) -> None:
    from labourwatch.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        write_corpus(folder, n)
        with Workspace.open(Path(tmp) / "bench.db", create=True) as ws:
            t0 = time.perf_counter()
            stored = sum(1 for o in ws.ingest([folder]) if o.result == "stored")
            elapsed = time.perf_counter() - t0
    print(json.dumps({"docs": n, "stored": stored, "seconds": elapsed,
                      "docs_per_s": stored / elapsed, "peak_rss_mb": peak_rss_mb()}))


def line(r: dict) -> str:
    return (f"ingest {r['docs']:>6} docs (~4 KB): {r['docs_per_s']:8.0f} docs/s "
            f"in {r['seconds']:.1f} s, peak RSS {r['peak_rss_mb']:.0f} MiB")


def pdf_report(pages: int = 500) -> None:
    """A report of ``pages`` pages, ingested alone in a fresh process: time and peak memory."""
    code = (
        "import json, resource, sys, tempfile, time; from pathlib import Path\n"
        "from hostile import pdf_pages\n"
        "from labourwatch.workspace import Workspace\n"
        "with tempfile.TemporaryDirectory() as tmp:\n"
        f"    path = pdf_pages({pages})(Path(tmp))\n"
        "    t0 = time.perf_counter()\n"
        "    with Workspace.open(Path(tmp) / 's.db', create=True) as ws:\n"
        "        [o] = list(ws.ingest([path]))\n"
        "    print(json.dumps({'seconds': time.perf_counter() - t0, 'result': o.result or o.error,\n"
        "                      'peak': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                         cwd=Path(__file__).parent)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"ingest a {pages}-page PDF: {r['seconds']:.1f} s, peak RSS {r['peak']:.0f} MiB ({r['result']})")


if __name__ == "__main__":
    scaling_main(__file__, __doc__, child, line)
    if "--child" not in sys.argv:
        pdf_report()
