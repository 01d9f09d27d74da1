"""Shared helpers for the benchmarks: peak memory and running a size in a fresh process."""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from collections.abc import Callable


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(script: str, *args: str) -> dict:
    """Run ``script --child ARGS`` in a fresh interpreter so peak RSS is per corpus size."""
    out = subprocess.run(
        [sys.executable, script, "--child", *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def scaling_main(script: str, doc: str, child: Callable[[int], None], line: Callable[[dict], str]) -> None:
    """``--docs N``: run a fifth of N and N documents, each in a fresh process, one line each;
    ``--child`` is the measured run itself, printing one JSON object."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.docs)
        return
    for n in (max(args.docs // 5, 1), args.docs):
        print(line(run_child(script, "--docs", str(n))))
