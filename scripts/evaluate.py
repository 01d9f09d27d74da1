"""Score the extractor on a folder of texts against a gold file, with the errors by kind.

    python scripts/evaluate.py ../shared/corpus/dev ../shared/gold/dev.json [--holdout 4]

Runs ``labourwatch extract`` over the folder, scores the output with the gold's scorer
(``../shared/tools/score_evidence.py`` beside the gold file by default) and prints the figures,
the number of errors of each kind (missed, value, variable, source, name, …), and with
``--holdout K`` the same figures for every K-th file (the part kept aside while working) and for
the rest, so that a change can be seen to generalise.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path


def extract(files: list[Path], out: Path) -> None:
    cmd = [sys.executable, "-m", "labourwatch", "extract", *map(str, files), "--json"]
    with out.open("w", encoding="utf-8") as fh:
        subprocess.run(cmd, stdout=fh, check=False)


def score(
    scorer: Path, gold: Path, predicted: Path, names: set[str] | None
) -> tuple[dict[str, float], Counter[str]]:
    if names is not None:  # a gold file limited to these documents
        data = json.loads(gold.read_text(encoding="utf-8"))
        docs = data["documents"] if isinstance(data, dict) and "documents" in data else data
        if isinstance(docs, dict):
            kept = {k: v for k, v in docs.items() if k in names}
            data = {**data, "documents": kept} if isinstance(data, dict) and "documents" in data else kept
        limited = predicted.with_suffix(".gold.json")
        limited.write_text(json.dumps(data), encoding="utf-8")
        gold = limited
    run = subprocess.run([sys.executable, str(scorer), str(gold), str(predicted)],
                         capture_output=True, text=True, check=False)
    figures = {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", run.stdout.strip().splitlines()[-1])}
    kinds = Counter(m.group(1) for m in re.finditer(r"^  (\w+)\s", run.stdout, re.M))
    return figures, kinds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("gold", type=Path)
    ap.add_argument("--scorer", type=Path, help="default: tools/score_evidence.py beside the gold folder")
    ap.add_argument("--holdout", type=int, default=0, help="also score every K-th file apart")
    args = ap.parse_args()
    scorer = args.scorer or args.gold.parent.parent / "tools" / "score_evidence.py"
    files = sorted(args.folder.glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        parts: dict[str, list[Path]] = {"all": files}
        if args.holdout:
            parts["held out"] = files[1::args.holdout]
            parts["worked on"] = [f for f in files if f not in parts["held out"]]
        for label, chosen in parts.items():
            out = Path(tmp) / f"{label.replace(' ', '_')}.json"
            extract(chosen, out)
            names = None if label == "all" else {f.name for f in chosen}
            figures, kinds = score(scorer, args.gold, out, names)
            print(f"{label} ({len(chosen)} files): " + " ".join(f"{k}={v:.2f}" for k, v in figures.items()))
            if label == "all":
                print("  errors by kind: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))


if __name__ == "__main__":
    main()
