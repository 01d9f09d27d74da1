"""Web benchmark: `labourwatch serve` over a store of 10,000 documents and 100,000 claims,
20 concurrent clients on the claims list and figures (pages and API). Target: 95th percentile
under 200 ms.

    python benchmarks/web.py [--docs 10000] [--claims 100000] [--clients 20] [--requests 400]
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from report import build  # noqa: E402

PASSWORD = "bench-password-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "labourwatch", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(base + "/login", timeout=1)
            return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def timed(client: httpx.Client, url: str) -> float:
    t0 = time.perf_counter()
    r = client.get(url)
    r.raise_for_status()
    return (time.perf_counter() - t0) * 1000


def load(base: str, headers: dict[str, str], urls: list[str], clients: int) -> list[float]:
    """Latencies of ``urls`` fetched by ``clients`` concurrent clients, each with its connection."""
    pool_clients = [httpx.Client(base_url=base, headers=headers, timeout=60) for _ in range(clients)]
    try:
        with ThreadPoolExecutor(clients) as pool:
            return list(pool.map(lambda iu: timed(pool_clients[iu[0] % clients], iu[1]), enumerate(urls)))
    finally:
        for c in pool_clients:
            c.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=400, help="requests per kind of page")
    args = ap.parse_args()
    from labourwatch.accounts import Accounts
    from labourwatch.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        build(db, args.docs, args.claims)
        with Store.open(db) as store:
            Accounts(store).add("bench", "editor", PASSWORD)
            token = Accounts(store).new_token("bench")
        proc, base = start(db)
        headers = {"Authorization": f"Bearer {token}"}
        pages = -(-args.claims // 50)
        rng = random.Random(3)
        kinds = {
            "claims page (HTML, 50 a page)": lambda: f"/claims?page={rng.randint(1, pages)}",
            "claims API (JSON, 50 a page)": lambda: f"/api/v1/claims?page={rng.randint(1, pages)}",
            "claims API, filtered": lambda: (
                f"/api/v1/claims?variable=revenue&place=Russia&page={rng.randint(1, 20)}"
            ),
            "figures page (HTML)": lambda: "/figures",
            "figures API (JSON)": lambda: "/api/v1/figures?variable=workers_abroad",
        }
        try:
            with httpx.Client(base_url=base, headers=headers, timeout=60) as warm:
                page_ms = timed(warm, "/figures")
                api_ms = timed(warm, "/api/v1/figures?variable=workers_abroad")
            print(f"store: {args.docs:,} documents, {args.claims:,} claims;"
                  f" {args.clients} concurrent clients")
            print(f"first figures page (computed, then cached until the store changes): {page_ms:.0f} ms;"
                  f" API {api_ms:.0f} ms")
            print(f"{'request':34} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
            for name, url in kinds.items():
                times = load(base, headers, [url() for _ in range(args.requests)], args.clients)
                print(f"{name:34} {len(times):5d} {statistics.median(times):8.0f} "
                      f"{percentile(times, 0.95):8.0f} {max(times):8.0f}")
        finally:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    main()
