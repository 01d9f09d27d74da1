"""Multiple systems estimation benchmark on the published data sets in ../shared/mse.

    python benchmarks/mse.py [--shared ../shared]

Targets: BIC over all 6,893 hierarchical models of 5 lists (max order 4) in <= 5 s on one
core; stepwise on the 8-list data in <= 1 s; 1,000 bootstrap resamples with stepwise
selection on 5 lists in <= 30 s on 2 cores; 1,000 resamples of the BIC selection over the
6,893 models of 5 lists in <= 5 min on 2 cores (resamples refit the models near the best;
the agreement with refitting every model is measured on the first resamples); LCMCR on the
same 5 lists (4 chains of 15,000 iterations).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import peak_rss_mb  # noqa: E402


def timed(label: str, fn) -> None:
    t0 = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - t0
    interval = f", interval {result.interval[0]:.0f}–{result.interval[1]:.0f}" if result.interval else ""
    print(f"{label:58} {elapsed:7.2f} s   estimate {result.estimate:,.2f} {result.model}{interval}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--check", type=int, default=40, help="resamples refit over every model to compare")
    args = ap.parse_args()
    from labourwatch.analysis.mse import estimate, read_capture_csv

    mse = args.shared / "mse"
    uk = read_capture_csv(mse / "UK2013_5lists.csv")
    new_orleans = read_capture_csv(mse / "NewOrleans_8lists.csv")
    western = read_capture_csv(mse / "Western.csv")
    warnings.simplefilter("ignore", RuntimeWarning)
    timed("BIC, 6,893 models of 5 lists (UK, max order 4), 1 core", lambda: estimate(uk, "bic", max_order=4))
    timed("stepwise, 8 lists (New Orleans), 1 core", lambda: estimate(new_orleans, "stepwise"))
    timed(
        f"stepwise + 1,000 BCa resamples, 5 lists (Western), {args.jobs} cores",
        lambda: estimate(western, "stepwise", bootstrap=1000, seed=1, jobs=args.jobs),
    )
    timed(
        f"BIC (6,893 models) + 1,000 BCa resamples, 5 lists (UK), {args.jobs} cores",
        lambda: estimate(uk, "bic", max_order=4, bootstrap=1000, seed=1, jobs=args.jobs),
    )
    agreement(uk, args.check, args.jobs)
    timed("LCMCR, 5 lists (UK), 4 chains x 15,000 iterations, 1 core",
          lambda: estimate(uk, "lcmcr", seed=1))
    print(f"peak RSS {peak_rss_mb():.0f} MiB")


def agreement(data, resamples: int, jobs: int) -> None:
    """How often the resamples' selection near the best equals the selection over every model."""
    import numpy as np

    from labourwatch.analysis.mse.bootstrap import _estimate
    from labourwatch.analysis.mse.selection import Options, near_best, select
    from labourwatch.parallel import LocalMapper

    options = Options(max_order=4)
    near = Options(max_order=4, candidates=near_best(data, select(data, "bic", options)))
    draws = list(np.random.default_rng(1).multinomial(data.n, data.counts / data.n, size=resamples))
    t0 = time.perf_counter()
    exact = np.array(list(LocalMapper(jobs).map(_estimate, (data, "bic", options), draws)))
    seconds = time.perf_counter() - t0
    fast = np.array(list(LocalMapper(jobs).map(_estimate, (data, "bic", near), draws)))
    same = int(np.sum(np.isclose(exact, fast, rtol=1e-9) | (np.isnan(exact) & np.isnan(fast))))
    print(f"{'  the same estimate as refitting all 6,893 models':58} {same} of {resamples} resamples "
          f"(all models: {seconds / resamples * 1000 / 60:.0f} min per 1,000 resamples)")

if __name__ == "__main__":
    main()
