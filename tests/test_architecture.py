"""The shape the code must keep: no import cycle between parts, SQL only in the store,
a CLI that holds no use-case logic, a small typed public API."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "labourwatch"


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_import_graph_has_no_cycle():
    graph = load_script("import_graph")
    edges = graph.graph()
    assert graph.cycles(edges) == []
    # data flows one way: the leaves import nothing of labourwatch, the store no analysis or view
    for leaf in ("records", "errors", "_version", "formatting", "summary", "yamlfiles"):
        assert edges[leaf] == set(), (leaf, edges[leaf])
    assert edges["store"] <= {"records", "errors", "_version"}
    assert "cli" not in set().union(*edges.values()) - edges["__main__"]


def test_a_cycle_is_found_when_there_is_one():
    graph = load_script("import_graph")
    assert graph.cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_only_the_store_speaks_sql():
    sql = re.compile(r"\bimport sqlite3\b|\bimport psycopg\b|\.execute(?:many)?\(|\bSELECT\b.*\bFROM\b")
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.parent.name != "store" and sql.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_cli_modules_import_no_private_helper_of_another():
    private = re.compile(r"from labourwatch\.cli\.\w+ import [^\n]*\b_\w+")
    offenders = [p.name for p in (SRC / "cli").glob("*.py") if private.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_public_api_is_small_and_typed():
    import labourwatch

    assert set(labourwatch.__all__) == {
        "LabourwatchError", "Pipeline", "Screener", "Workspace", "__version__", "estimate", "open",
    }
    for name in labourwatch.__all__:
        assert getattr(labourwatch, name) is not None
    assert (SRC / "py.typed").exists()
    from labourwatch.errors import IngestError, MSEInputError, ScreenInputError, VocabularyError

    for error in (IngestError, MSEInputError, ScreenInputError, VocabularyError):
        assert issubclass(error, labourwatch.LabourwatchError)
