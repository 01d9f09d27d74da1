"""Hostile and heavy inputs (issue 16): time and peak memory of ingest + extract for each.

    python benchmarks/hostile.py [--timeout 120] [--only NAME]

Each input is generated here, then ingested and extracted in a fresh process (so peak RSS is
per input), with a wall-clock limit. Target: every input finishes — stored, or refused with a
clear reason — in under 30 s and 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path


def text_file(name: str, body: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_text(body, encoding="utf-8")
        return path
    return make


def pdf_pages(n: int) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        from fpdf import FPDF

        pdf = FPDF()
        pdf.set_font("Helvetica", size=10)
        line = "About 3,000 North Korean workers were sent to the shipyards, the panel said."
        for page in range(n):
            pdf.add_page()
            for _ in range(12):
                pdf.multi_cell(0, 5, f"Page {page + 1}. {line}", new_x="LMARGIN", new_y="NEXT")
        path = folder / f"report-{n}.pdf"
        pdf.output(str(path))
        return path
    return make


def pdf_bomb(inflated_mb: int) -> Callable[[Path], Path]:
    """A one-page PDF whose content stream inflates to ``inflated_mb`` MB of spaces."""
    def make(folder: Path) -> Path:
        stream = zlib.compress(b" " * (inflated_mb * 1024 * 1024), 9)
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        ]
        out = bytearray(b"%PDF-1.4\n")
        offsets = []
        for i, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
        path = folder / "bomb.pdf"
        path.write_bytes(bytes(out))
        return path
    return make


def big_html(mb: int) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        row = "<tr><td>About 300 workers</td><td>were sent to Russia in 2019.</td></tr>\n"
        body = "<html><head><title>Big</title></head><body><table>" + row * (mb * 1024 * 1024 // len(row))
        path = folder / "big.html"
        path.write_text(body + "</table></body></html>", encoding="utf-8")
        return path
    return make


def utf16(folder: Path) -> Path:
    path = folder / "utf16.txt"
    path.write_bytes("About 300 North Korean workers were sent to Poland.\n".encode("utf-16"))
    return path


MB = 1024 * 1024
CASES: dict[str, Callable[[Path], Path]] = {
    "8,000 commas, no sentence end": text_file("commas.txt", "," * 8000),
    "1 MB of 'between 1 and …'": text_file("between.txt", "between 1 and " * (MB // 14)),
    "1 MB of currency symbols": text_file("currency.txt", "$€£¥₩ " * (MB // 12)),
    "1 MB of spaced digits": text_file("digits.txt", "1 2 3 4 5 6 7 8 9 0 " * (MB // 20)),
    "1 MB of nested parentheses": text_file("parens.txt", "(" * (MB // 2) + ")" * (MB // 2)),
    "2 MB of words in parentheses": text_file("words.txt", "(workers) " * (2 * MB // 10)),
    "a 500-page PDF": pdf_pages(500),
    "a 1,000-page PDF": pdf_pages(1000),
    "PDF stream inflating to 200 MB": pdf_bomb(200),
    "16 MB HTML page": big_html(16),
    "49 MB HTML page": big_html(49),
    "UTF-16 text with a BOM": utf16,
}

CHILD = """
import json, resource, sys, time
from labourwatch.workspace import Workspace
t0 = time.perf_counter()
with Workspace.open(sys.argv[1], create=True) as ws:
    outcomes = list(ws.ingest([sys.argv[2]]))
    extracted = list(ws.extract())
out = {"seconds": time.perf_counter() - t0,
       "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
       # the largest of the processes a very long text is read in (forked: shared pages count in each)
       "child_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
       "ingest": [o.error or o.result for o in outcomes],
       "extract": [e.error or f"{e.claims} claims" for e in extracted]}
print(json.dumps(out))
"""


def run_case(make: Callable[[Path], Path], timeout: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = make(Path(tmp))
        t0 = time.perf_counter()
        try:
            done = subprocess.run([sys.executable, "-c", CHILD, str(Path(tmp) / "s.db"), str(path)],
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"seconds": time.perf_counter() - t0, "outcome": f"still running after {timeout:.0f} s"}
        if done.returncode != 0:
            return {"seconds": time.perf_counter() - t0,
                    "outcome": "crashed: " + (done.stderr.strip().splitlines() or ["?"])[-1][:100]}
        result = json.loads(done.stdout.strip().splitlines()[-1])
        summary = "; ".join(result["ingest"][:1] + result["extract"][:1])
        return {"seconds": result["seconds"], "peak_mb": result["peak_mb"],
                "child_peak_mb": result["child_peak_mb"], "outcome": summary[:110]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--only", help="run only the cases whose name contains this")
    args = ap.parse_args()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    print(f"{'input':<34} {'time':>8} {'peak':>8}  outcome")
    for name, make in CASES.items():
        if args.only and args.only not in name:
            continue
        r = run_case(make, args.timeout)
        peak = f"{r['peak_mb']:.0f} MiB" if "peak_mb" in r else "—"
        if r.get("child_peak_mb", 0) > 1:
            peak += f" (+ processes of up to {r['child_peak_mb']:.0f} MiB)"
        print(f"{name:<34} {r['seconds']:>6.1f} s {peak:>8}  {r['outcome']}", flush=True)


if __name__ == "__main__":
    main()
