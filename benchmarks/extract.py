"""Extraction benchmark: generated news-like documents of about 600 words.

    python benchmarks/extract.py [--docs 10000]

Prints words/s, documents/s and peak RSS on one core, for a fifth of the corpus and the
whole of it in separate processes (flat memory shows as equal peaks). Documents are
generated one at a time and never held together; then the real dev articles repeated to a
million words (``../shared/corpus/dev``, when it is there). Target: >= 100,000 words/s on
real text, one core.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import peak_rss_mb, scaling_main  # noqa: E402

# Sentence templates written for this benchmark; {n}, {m}, {p}, {c}, {y} are filled at random.
TEMPLATES = [
    "An estimated {n} North Korean workers were sent to {c} in {y}, according to a report by the "
    "Institute for Labour Studies.",
    "The workers earned between ${m} and ${m2} a month, but up to {p} per cent of their wages went to "
    "the state.",
    "Officials in {c} said about {n} labourers remained at construction sites near the port.",
    "The regime raised more than ${b} billion a year from the scheme, the panel estimated.",
    "Former workers described 14-hour days with only two days off a month.",
    "Their passports were taken by supervisors, and they were not allowed to leave the dormitory.",
    "The ministry declined to comment on the figures when contacted on Tuesday.",
    "Many of the brigades worked in logging, mining and textile factories across the region.",
    "Analysts said the numbers were difficult to verify because access to the sites was restricted.",
    "Some {n} people were repatriated by the end of {y}, the foreign ministry told reporters.",
    "The company denied any wrongdoing and said all its employees were paid in full.",
    "Human rights groups have called for an independent investigation into the allegations.",
]
COUNTRIES = ["Russia", "China", "Poland", "Qatar", "Kuwait", "Mongolia", "Angola", "Malaysia"]


def documents(n: int, seed: int = 7) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(n):
        sentences: list[str] = []
        words = 0
        while words < 600:
            t = rng.choice(TEMPLATES).format(
                n=f"{rng.randint(1, 200) * 500:,}", m=rng.randint(100, 400), m2=rng.randint(401, 900),
                p=rng.randint(50, 95), c=rng.choice(COUNTRIES), y=rng.randint(2010, 2024),
                b=rng.randint(1, 3),
            )
            sentences.append(t)
            words += len(t.split())
        paragraphs = [" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)]
        yield "\n\n".join(paragraphs)


def child(n: int) -> None:
    from labourwatch.extract import Pipeline, evidence_record

    pipeline = Pipeline()
    words = claims = 0
    t0 = time.perf_counter()
    for i, text in enumerate(documents(n)):
        record = evidence_record(pipeline(text), {"id": str(i), "path": None, "title": None,
                                                  "published": None})
        words += len(text.split())
        claims += len(record["claims"])
    elapsed = time.perf_counter() - t0
    print(json.dumps({"docs": n, "words": words, "claims": claims, "seconds": elapsed,
                      "words_per_s": words / elapsed, "docs_per_s": n / elapsed,
                      "peak_rss_mb": peak_rss_mb()}))


def line(r: dict) -> str:
    return (f"extract {r['docs']:>6} docs ({r['words'] / r['docs']:.0f} words each): "
            f"{r['words_per_s']:9,.0f} words/s, {r['docs_per_s']:6.1f} docs/s, {r['claims']:,} claims "
            f"in {r['seconds']:.1f} s, peak RSS {r['peak_rss_mb']:.0f} MiB")


DEV = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"
REAL_WORDS = 1_000_000


def real_text() -> None:
    """The real article openings of ../shared/corpus/dev, repeated to a million words, through
    `labourwatch extract --jsonl` as a user runs it: words/s with and without start-up."""
    import subprocess
    import tempfile

    texts = [p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*.txt"))]
    per_round = sum(len(t.split()) for t in texts)
    rounds = -(-REAL_WORDS // per_round)
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "dev.jsonl"
        with feed.open("w", encoding="utf-8") as fh:
            for r in range(rounds):
                for i, text in enumerate(texts):  # a mark per copy: each line is its own document
                    fh.write(json.dumps({"text": text, "title": f"{r}-{i}"}) + "\n")
        cmd = [sys.executable, "-c", (
            "import resource, sys, time; t0 = time.perf_counter()\n"
            "from labourwatch.extract import load_pipeline; p = load_pipeline()\n"
            "t1 = time.perf_counter()\n"
            "from labourwatch.workspace import extract_files\n"
            "n = sum(1 for _ in extract_files(p, [sys.argv[1]]))\n"
            "t2 = time.perf_counter()\n"
            "print(n, t1 - t0, t2 - t1, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
        ), str(feed)]
        t0 = time.perf_counter()
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.split()
        wall = time.perf_counter() - t0
    docs, startup, work, peak = int(out[0]), float(out[1]), float(out[2]), float(out[3])
    words = per_round * rounds
    print(f"real text ({len(texts)} dev articles x {rounds} = {docs:,} documents, {words:,} words): "
          f"{words / work:,.0f} words/s without start-up, {words / wall:,.0f} with it "
          f"(start-up {startup:.1f} s); peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    scaling_main(__file__, __doc__, child, line)
    if "--child" not in sys.argv and DEV.is_dir():
        real_text()
