"""Start-up time of the CLI, as a user meets it: wall time of whole commands.

    python benchmarks/startup.py [--runs 7]

Targets (issue 9): ``labourwatch --help`` under 0.3 s; ``labourwatch extract FILE --json``
on one short file under 1.5 s, both on the 2-core machine the project is built on.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARTICLE = (
    "SEOUL — About 20,000 North Korean workers are now in Russia, up from about 5,000 in 2021, "
    "according to South Korea's intelligence service. They earn $800 a month, of which the state "
    "takes about 80 percent, and their passports are confiscated by managers.\n"
)


def wall(command: list[str], runs: int) -> tuple[float, float]:
    """Median and worst wall time in seconds over ``runs`` runs (after one warm-up run)."""
    subprocess.run(command, capture_output=True, check=True)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), max(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    cli = [sys.executable, "-m", "labourwatch"]
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / "article.txt"
        article.write_text(ARTICLE, encoding="utf-8")
        for label, command, target in (
            ("labourwatch --help", [*cli, "--help"], 0.3),
            ("labourwatch extract FILE --json (one short file)",
             [*cli, "extract", str(article), "--json"], 1.5),
        ):
            median, worst = wall(command, args.runs)
            verdict = "meets" if median <= target else "MISSES"
            print(f"{label:<50} median {median:.2f} s, worst {worst:.2f} s "
                  f"({verdict} the {target} s target)")


if __name__ == "__main__":
    main()
