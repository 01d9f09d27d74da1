"""Screening benchmark: 10,000 query names against 1,000,000 generated list entities,
index building included; peak RSS reported. Target: at most 60 s on 2 cores.

    python benchmarks/screen.py [--entities 1000000] [--queries 10000]

The list is generated as a FollowTheMoney JSON Lines file (Korean, Chinese and Russian
style person and company names); a third of the queries are spelling variants of listed
names, the rest are names that are not listed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import peak_rss_mb  # noqa: E402

KOREAN_FAMILY = [
    "Kim",
    "Ri",
    "Pak",
    "Choe",
    "Jong",
    "Kang",
    "Jo",
    "Yun",
    "Jang",
    "Han",
    "O",
    "Hyon",
    "Ho",
    "Ryu",
]
KOREAN_SYLLABLES = [
    "Jong",
    "Un",
    "Il",
    "Song",
    "Chol",
    "Yong",
    "Su",
    "Myong",
    "Hyok",
    "Nam",
    "Ho",
    "Gwang",
    "Chun",
    "Hui",
    "Sok",
    "Jin",
    "Hak",
    "Bok",
    "Mi",
    "Ok",
    "Ryong",
    "Hae",
    "Pyong",
    "Thaek",
    "Sun",
]
CHINESE = [
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Zhao",
    "Huang",
    "Zhou",
    "Wu",
    "Xu",
    "Sun",
    "Ma",
    "Hu",
]
CHINESE_GIVEN = [
    "wei",
    "fang",
    "min",
    "jing",
    "lei",
    "jun",
    "yang",
    "yong",
    "jie",
    "tao",
    "ming",
    "chao",
    "xiu",
    "hong",
    "hua",
    "dong",
    "feng",
    "qiang",
    "lin",
    "bo",
]
RUSSIAN_FIRST = [
    "Ivan",
    "Sergei",
    "Alexander",
    "Dmitry",
    "Andrei",
    "Alexei",
    "Mikhail",
    "Nikolai",
    "Oleg",
    "Igor",
]
RUSSIAN_LAST = [
    "Ivanov",
    "Petrov",
    "Sidorov",
    "Smirnov",
    "Kuznetsov",
    "Popov",
    "Volkov",
    "Sokolov",
    "Lebedev",
    "Kozlov",
    "Novikov",
    "Morozov",
    "Pavlov",
    "Fedorov",
    "Orlov",
    "Belov",
]
PLACES = [
    "Dandong",
    "Shenyang",
    "Hunchun",
    "Yanji",
    "Dalian",
    "Vladivostok",
    "Khabarovsk",
    "Nakhodka",
    "Pyongyang",
    "Nampo",
    "Wonsan",
    "Chongjin",
    "Sinuiju",
    "Rason",
]
STEMS = [
    "Ryonha",
    "Kumsan",
    "Sobaek",
    "Namgang",
    "Rungra",
    "Hongxiang",
    "Zhicheng",
    "Sanyang",
    "Ruifeng",
    "Stroy",
    "Amur",
    "Prim",
    "Vostok",
    "Taedong",
    "Chollima",
    "Mirae",
    "Haegum",
    "Songbong",
]
SUFFIX = [
    "Trading Co Ltd",
    "General Trading Corporation",
    "Construction Corporation",
    "Industrial Co Ltd",
    "LLC",
    "JSC",
    "Seafood Co Ltd",
    "Shipping Company",
    "Investment Group",
]


def person(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.5:
        return f"{rng.choice(KOREAN_FAMILY)} {rng.choice(KOREAN_SYLLABLES)} {rng.choice(KOREAN_SYLLABLES)}"
    if kind < 0.8:
        return f"{rng.choice(CHINESE)} {rng.choice(CHINESE_GIVEN).capitalize()}{rng.choice(CHINESE_GIVEN)}"
    return f"{rng.choice(RUSSIAN_FIRST)} {rng.choice(RUSSIAN_LAST)}"


def company(rng: random.Random) -> str:
    stem = rng.choice(STEMS) + rng.choice(["", "do", "san", "gang", "feng", "servis", "trans", "bong"])
    return f"{rng.choice(PLACES)} {stem} {rng.choice(SUFFIX)}"


def variant(name: str, rng: random.Random) -> str:
    """A spelling a document might use: hyphenated syllables, another legal form, case."""
    words = name.split()
    choice = rng.random()
    if choice < 0.3 and len(words) == 3 and len(words[1]) < 8:
        return f"{words[0]} {words[1]}-{words[2].lower()}"
    if choice < 0.5:
        return name.upper()
    if choice < 0.7:
        return name.replace("Co Ltd", "Company Limited").replace("Corporation", "Corp.")
    return name.replace("Kim ", "Gim ").replace("Jong", "Jeong").replace("Ri ", "Lee ")


def write_list(path: Path, n: int, rng: random.Random) -> list[str]:
    names = []
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            is_person = rng.random() < 0.5
            name = person(rng) if is_person else company(rng)
            names.append(name)
            fh.write(
                json.dumps(
                    {
                        "id": f"gen-{i}",
                        "schema": "Person" if is_person else "Company",
                        "properties": {"name": [name], "country": [rng.choice(["kp", "cn", "ru"])]},
                        "datasets": ["generated"],
                    }
                )
                + "\n"
            )
    return names


DEV = Path(__file__).resolve().parents[1].parent / "shared" / "screen" / "dev"
NOMENKLATURA_THRESHOLD = 0.7  # yente's default for logic-v2


def dev_set(folder: Path) -> None:
    """Real names (../shared/screen/dev): labourwatch and nomenklatura's logic-v2 side by side."""
    import csv

    from labourwatch.screen import Screener
    from labourwatch.screen.evaluate import labelled_queries, score

    rows = list(csv.DictReader((folder / "queries.csv").open(encoding="utf-8")))
    listing = folder / "list.ftm.jsonl"
    queries = labelled_queries(rows)
    screener = Screener.from_lists([str(listing)])
    t0 = time.perf_counter()
    results = [screener.screen(q) for q in queries]
    seconds = time.perf_counter() - t0
    ours = score(rows, results)
    print(f"dev set {folder}: {len(rows)} queries against {len(screener.indexes[0][1])} entities")
    print(f"labourwatch (threshold {screener.threshold}), {len(rows) / seconds:,.0f} queries/s:")
    for line in ours.lines():
        print("  " + line)
    index = screener.indexes[0][1]
    positives = [(q, r["expect"]) for q, r in zip(queries, rows, strict=True) if r["expect"]]
    blocked = {q.name: {e.id for e in index.blocked(q.name)} for q, _ in positives}
    found = sum(1 for q, want in positives if want in blocked[q.name])
    matched = [(q, r["expect"]) for q, r, m in zip(queries, rows, results, strict=True)
               if r["expect"] and m and m[0].entity.id == r["expect"]]
    kept = sum(1 for q, want in matched if want in blocked[q.name])
    print("  blocking recall by keys (the listed entity among the candidates): "
          f"{found / len(positives):.3f}; of the matches found comparing the whole list: "
          f"{kept}/{len(matched)} (a list this small is compared whole)")
    compare_nomenklatura(rows, listing)


def compare_nomenklatura(rows: list[dict[str, str]], listing: Path) -> None:
    try:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
        from nomenklatura.matching.types import ScoringConfig
    except ImportError:
        print("nomenklatura is not installed (pip install -e '.[bench]'): no comparison")
        return
    from labourwatch.screen.evaluate import Counts

    algorithm, config = get_algorithm("logic-v2"), ScoringConfig(weights={}, config={})
    entities = [model.get_proxy(json.loads(line)) for line in listing.open(encoding="utf-8") if line.strip()]
    counts = Counts()
    t0 = time.perf_counter()
    for i, row in enumerate(rows):
        query = model.make_entity(row.get("schema") or "LegalEntity")
        query.id = f"q{i}"
        query.add("name", row["name"])
        if row.get("country"):
            query.add("country", row["country"])
        best = max(entities, key=lambda e: algorithm.compare(query, e, config).score)
        top = best.id if algorithm.compare(query, best, config).score >= NOMENKLATURA_THRESHOLD else None
        counts.add(top, row.get("expect") or None)
    seconds = time.perf_counter() - t0
    print(f"nomenklatura logic-v2 (threshold {NOMENKLATURA_THRESHOLD}, every entity compared, no blocking), "
          f"{len(rows) / seconds:,.0f} queries/s:")
    print(f"  all                  precision {counts.precision:.2f}  recall {counts.recall:.2f}  "
          f"(tp {counts.tp}, fp {counts.fp}, fn {counts.fn})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entities", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=10_000)
    ap.add_argument("--dev", type=Path, default=DEV, help="labelled real names (skipped if absent)")
    args = ap.parse_args()
    if (args.dev / "queries.csv").exists():
        dev_set(args.dev)
    from labourwatch.screen import Screener
    from labourwatch.screen.entities import Query

    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        import os

        os.environ["LABOURWATCH_CACHE"] = str(Path(tmp) / "cache")
        listing = Path(tmp) / "list.jsonl"
        t0 = time.perf_counter()
        names = write_list(listing, args.entities, rng)
        print(f"generated {args.entities:,} entities in {time.perf_counter() - t0:.1f} s (not timed below)")
        queries = [
            variant(rng.choice(names), rng) if i % 3 == 0 else (person(rng) if i % 2 else company(rng))
            for i in range(args.queries)
        ]
        del names
        t0 = time.perf_counter()
        screener = Screener.from_lists([str(listing)])
        t_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        hits = sum(
            1 for found in screener.screen_all([Query({"name": q}, q, set(), None) for q in queries]) if found
        )
        t_query = time.perf_counter() - t0
        t0 = time.perf_counter()
        Screener.from_lists([str(listing)])
        t_cached = time.perf_counter() - t0
    print(
        f"index built (load + normalise + block) in {t_build:.1f} s; from the disk cache in {t_cached:.1f} s"
    )
    print(
        f"{args.queries:,} queries in {t_query:.1f} s ({args.queries / t_query:,.0f}/s), "
        f"{hits:,} with a match"
    )
    print(f"total (build + queries): {t_build + t_query:.1f} s; peak RSS {peak_rss_mb():.0f} MiB")


if __name__ == "__main__":
    main()
