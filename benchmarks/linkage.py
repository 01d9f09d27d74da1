"""Linkage and estimation end to end on synthetic populations of known size.

    python benchmarks/linkage.py [--seeds 100] [--size 400] [--method lcmcr]

Each seed draws a population (Korean names in Hangul and several romanisations, birth dates
with typos, two groups of very different catchability, one list following another), samples
it into 4 lists of records, links them (labourwatch.analysis.linkage) and estimates the total
with a 95% interval. Prints the pairwise precision and recall of the linkage, the people found
against the people truly seen, and the coverage: in how many seeds the interval holds the
true size (target: most of them). Estimating from the true linkage as well separates the
error of linking from the error of the model.
"""

from __future__ import annotations

import argparse
import itertools
import time
import warnings

import numpy as np


def pairs_of(groups: dict[str, object]) -> set[frozenset[str]]:
    by: dict[object, list[str]] = {}
    for record, group in groups.items():
        by.setdefault(group, []).append(record)
    return {frozenset(p) for members in by.values() for p in itertools.combinations(members, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--size", type=int, default=400)
    ap.add_argument("--method", default="lcmcr")
    ap.add_argument("--threshold", type=float, default=0.88)
    args = ap.parse_args()
    from labourwatch.analysis.linkage import Linkage, Linker
    from labourwatch.analysis.mse import LCMCRSettings, estimate
    from labourwatch.analysis.simulate import Scenario, population, sample_lists

    warnings.simplefilter("ignore", RuntimeWarning)
    scenario = Scenario(size=args.size)
    settings = LCMCRSettings(burnin=2_000, samples=500, thinning=5, chains=2)
    covered = covered_true = 0
    precision, recall, found, seen, widths = [], [], [], [], []
    t0 = time.perf_counter()
    for seed in range(args.seeds):
        rng = np.random.default_rng(seed)
        people = population(scenario, rng)
        records, truth = sample_lists(people, scenario, rng)
        linkage = Linker(records).link(args.threshold)
        true_pairs, found_pairs = pairs_of(truth), pairs_of(linkage.person)
        hits = len(true_pairs & found_pairs)
        precision.append(hits / max(len(found_pairs), 1))
        recall.append(hits / max(len(true_pairs), 1))
        found.append(linkage.people)
        seen.append(len(set(truth.values())))
        result = estimate(linkage.captures().total, args.method, seed=seed, lcmcr=settings,
                          bootstrap=0 if args.method == "lcmcr" else 500)
        ideal = Linkage(records, {r: f"P{p}" for r, p in truth.items()}, 1.0)
        oracle = estimate(ideal.captures().total, args.method, seed=seed, lcmcr=settings,
                          bootstrap=0 if args.method == "lcmcr" else 500)
        if result.interval and result.interval[0] <= args.size <= result.interval[1]:
            covered += 1
        if oracle.interval and oracle.interval[0] <= args.size <= oracle.interval[1]:
            covered_true += 1
        if result.interval:
            widths.append((result.interval[1] - result.interval[0]) / args.size)
    seconds = time.perf_counter() - t0
    print(f"{args.seeds} populations of {args.size}, 4 lists, threshold {args.threshold}, "
          f"method {args.method}")
    print(f"  linkage: pairwise precision {np.mean(precision):.3f}, recall {np.mean(recall):.3f}; "
          f"people found {np.mean(found):.0f} for {np.mean(seen):.0f} truly seen")
    print(f"  coverage of the true size by the 95% interval: {covered}/{args.seeds} linked, "
          f"{covered_true}/{args.seeds} with the true linkage; mean width {np.mean(widths):.0%} of N")
    print(f"  {seconds:.0f} s in all, {seconds / args.seeds:.1f} s a population")


if __name__ == "__main__":
    main()
