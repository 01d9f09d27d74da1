"""The latent-class model (LCMCR) against its references, with its Monte Carlo error measured.

    python benchmarks/lcmcr.py [--seeds 5] [--datasets 100]

1. The Kosovo table (Ball et al. 2002: 4,400 killings on four lists, as the R packages LCMCR
   and SparseMSE ship it), with the R package's example settings (K = 10, a = b = 0.25,
   burn-in 10,000, 1,000 samples thinned by 100) over several seeds: the spread of the
   posterior median between seeds is the Monte Carlo error. The published estimate of that
   study (log-linear, 10,356, 95% interval 9,002–12,122) is printed beside it.
2. Simulated populations drawn from the model LCMCR assumes (two latent classes, 2,000
   people, 5 lists; the simulation HRDAG checks its implementations with): in how many of
   the data sets the 95% interval holds the true size (target: about 95%).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

KOSOVO = Path(__file__).resolve().parents[1] / "tests" / "data" / "mse" / "Kosovo_4lists.csv"
PUBLISHED = (10_356, 9_002, 12_122)


def kosovo(seeds: int) -> None:
    from labourwatch.analysis.mse import LCMCRSettings, read_capture_csv
    from labourwatch.analysis.mse.lcmcr import sample

    data = read_capture_csv(KOSOVO)
    medians = []
    for seed in range(1, seeds + 1):
        t0 = time.perf_counter()
        post = sample(data, LCMCRSettings(), seed=seed)
        low, high = post.interval
        medians.append(post.median)
        print(f"Kosovo seed {seed}: median {post.median:8,.0f}  95% {low:7,.0f}–{high:7,.0f}  "
              f"mean {post.mean:8,.0f}  ESS {post.ess:5.0f}  R-hat {post.rhat:.3f}  "
              f"MC error of the mean {post.monte_carlo_error:4.0f}  {time.perf_counter() - t0:5.1f} s")
    print(f"Kosovo: median over {seeds} seeds {np.mean(medians):,.0f}, spread between seeds (sd) "
          f"{np.std(medians, ddof=1):,.0f}; published log-linear estimate {PUBLISHED[0]:,} "
          f"({PUBLISHED[1]:,}–{PUBLISHED[2]:,})")


def coverage(datasets: int) -> None:
    from labourwatch.analysis.mse import LCMCRSettings
    from labourwatch.analysis.mse.lcmcr import sample
    from labourwatch.analysis.simulate import HETEROGENEOUS, latent_class_histories

    truth = sum(size for size, _ in HETEROGENEOUS)
    settings = LCMCRSettings(burnin=2_000, samples=500, thinning=10, chains=2)
    held, widths, errors = 0, [], []
    t0 = time.perf_counter()
    for seed in range(datasets):
        data = latent_class_histories(HETEROGENEOUS, np.random.default_rng(1000 + seed))
        post = sample(data, settings, seed=seed)
        low, high = post.interval
        held += low <= truth <= high
        widths.append(high - low)
        errors.append(post.median - truth)
    print(f"simulated (N = {truth:,}, 2 latent classes, 5 lists): 95% interval holds the truth in "
          f"{held}/{datasets}; median error {np.median(errors):+,.0f}, "
          f"median width {np.median(widths):,.0f}; "
          f"{time.perf_counter() - t0:.0f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--datasets", type=int, default=100)
    args = ap.parse_args()
    if args.seeds > 0:
        kosovo(args.seeds)
    coverage(args.datasets)


if __name__ == "__main__":
    main()
