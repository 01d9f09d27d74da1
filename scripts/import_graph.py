"""Print labourwatch's import graph between its parts (packages and top-level modules) and any
cycle in it; exit 1 if there is one. Lazy imports inside functions count too.

    python scripts/import_graph.py
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "src" / "labourwatch"


def part_of(module: str) -> str:
    """``labourwatch.extract.names`` → ``extract``; ``labourwatch`` → ``labourwatch``."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else pieces[0]


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for path in ROOT.rglob("*.py"):
        module = ".".join(("labourwatch", *path.relative_to(ROOT).with_suffix("").parts))
        module = module.removesuffix(".__init__")
        source = part_of(module)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for target in targets:
                if target.split(".")[0] == "labourwatch" and part_of(target) != source:
                    edges[source].add(part_of(target))
        edges.setdefault(source, set())
    return dict(edges)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(edges.get(node, ())):
            if nxt in path:
                cycle = path[path.index(nxt):] + [nxt]
                if sorted(cycle[:-1]) not in [sorted(c[:-1]) for c in found]:
                    found.append(cycle)
            else:
                visit(nxt, [*path, nxt])

    for start in sorted(edges):
        visit(start, [start])
    return found


def main() -> int:
    edges = graph()
    for source in sorted(edges):
        print(f"{source:<12} → {', '.join(sorted(edges[source])) or '(nothing)'}")
    loops = cycles(edges)
    for loop in loops:
        print("cycle: " + " → ".join(loop))
    print("no cycle" if not loops else f"{len(loops)} cycles")
    return 1 if loops else 0


if __name__ == "__main__":
    sys.exit(main())
