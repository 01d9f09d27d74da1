"""Scale benchmark: real-like documents ingested and extracted on SQLite with one process, and on
PostgreSQL with a Dask LocalCluster of 1 and 2 workers.

    python benchmarks/scale.py [--documents 100000] [--postgres postgresql://…]

The documents are the dev corpus's articles (../shared/corpus/dev), repeated and varied (each
copy gets its own dispatch line and its paragraphs in another order, so every one is a new
document with its own hash). Without --postgres a server is started in a temporary folder
(Debian's PostgreSQL, as the tests do). Prints documents/s for each run, the scaling from 1 to
2 workers (target >= 1.8x) and each worker's peak memory after a quarter and after all of the
documents (flat: it does not grow with the number of documents).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV = HERE.parents[1] / "shared" / "corpus" / "dev"
sys.path.insert(0, str(HERE.parent / "tests"))  # the tests' PostgreSQL starter


def write_corpus(folder: Path, n: int) -> None:
    articles = [p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*.txt"))]
    if not articles:
        raise SystemExit(f"no articles in {DEV}")
    for i in range(n):
        paragraphs = [p for p in articles[i % len(articles)].split("\n\n") if p.strip()]
        turn = (i // len(articles)) % max(len(paragraphs), 1)
        body = "\n\n".join(paragraphs[turn:] + paragraphs[:turn])
        (folder / f"{i:06d}.txt").write_text(f"Dispatch {i}.\n\n{body}\n", encoding="utf-8")


def timed(label: str, n: int, run: object) -> float:
    t0 = time.perf_counter()
    done = sum(1 for _ in run)  # type: ignore[attr-defined]
    seconds = time.perf_counter() - t0
    print(f"{label:<44} {done:>7} docs in {seconds:7.1f} s: {done / seconds:7.1f} docs/s", flush=True)
    return done / seconds


def sqlite_run(folder: Path, n: int, tmp: Path) -> float:
    from labourwatch.extract import Pipeline
    from labourwatch.workspace import Workspace

    with Workspace.open(tmp / "bench.db", create=True) as ws:
        timed("SQLite, 1 process: ingest", n, ws.ingest([folder]))
        rate = timed("SQLite, 1 process: extract", n, ws.extract(Pipeline(), workers=1))
    print(f"{'':<44} peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return rate


def worker_peaks(client: object) -> list[float]:
    def peak() -> float:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    return sorted(client.run(peak).values())  # type: ignore[attr-defined]


def _load_pipeline() -> None:
    from labourwatch.extract import load_pipeline

    load_pipeline()


def cluster_run(dsn: str, n: int, workers: int, force: bool) -> float:
    import distributed

    from labourwatch.cluster import PipelineSpec, extract_on_cluster
    from labourwatch.workspace import Workspace

    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None, host="127.0.0.1", silence_logs=40) as cluster, \
            distributed.Client(cluster) as client, Workspace.open(dsn) as ws:
        client.run(_load_pipeline)  # loaded before the clock starts
        quarter: list[float] = []
        outcomes = extract_on_cluster(ws, client, PipelineSpec(), force=force)

        def watched():  # type: ignore[no-untyped-def]
            for count, outcome in enumerate(outcomes, 1):
                if count == n // 4:
                    quarter.extend(worker_peaks(client))
                yield outcome

        rate = timed(f"PostgreSQL, Dask LocalCluster {workers} worker(s): extract", n, watched())
        peaks = worker_peaks(client)
        print(f"{'':<44} worker peak memory: after 1/4 {', '.join(f'{m:.0f}' for m in quarter)} MiB;"
              f" after all {', '.join(f'{m:.0f}' for m in peaks)} MiB")
        return rate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=100_000)
    ap.add_argument("--postgres", help="a PostgreSQL database to use (default: a temporary server)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        folder = tmp / "corpus"
        folder.mkdir()
        write_corpus(folder, args.documents)
        print(f"{args.documents} documents from {len(list(DEV.glob('*.txt')))} dev articles, "
              f"{sum(f.stat().st_size for f in folder.iterdir()) / 2**20:.0f} MiB", flush=True)
        sqlite_rate = sqlite_run(folder, args.documents, tmp)
        server = None
        dsn = args.postgres
        if dsn is None:
            import pg_helpers

            server = pg_helpers.start(Path(tempfile.mkdtemp(prefix="labourwatch-pg-")))
            dsn = server.create_database("scale")
        try:
            from labourwatch.workspace import Workspace

            with Workspace.open(dsn, create=True) as ws:
                timed("PostgreSQL, 1 process: ingest", args.documents, ws.ingest([folder]))
            one = cluster_run(dsn, args.documents, 1, force=False)
            two = cluster_run(dsn, args.documents, 2, force=True)
        finally:
            if server is not None:
                server.stop()
    print(f"scaling 1 -> 2 workers: {two / one:.2f}x (target >= 1.8x); "
          f"1 worker on PostgreSQL vs 1 process on SQLite: {one / sqlite_rate:.2f}x")


if __name__ == "__main__":
    main()
