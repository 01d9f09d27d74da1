"""extract over files and over the store; claims listing; vocabulary files; the seed score."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest
from conftest import SHARED, table_counts

from labourwatch.cli.demo import sample_dir
from labourwatch.extract import PIPELINE_VERSION

SEEDS = sorted((SHARED / "corpus" / "seeds").glob("*.txt"))
needs_shared = pytest.mark.skipif(not SEEDS, reason="../shared/corpus/seeds is not beside the checkout")


def test_extract_file_json_follows_the_contract(tmp_path, cli):
    f = tmp_path / "a.txt"
    text = "Around 800 North Koreans work at the shipyard, the union said.\n"
    f.write_text(text, encoding="utf-8")
    code, out, _ = cli("extract", f, "--json")
    assert code == 0
    record = json.loads(out)
    assert record["schema"] == "labourwatch/evidence/1"
    assert record["document"]["path"] == str(f)
    assert record["document"]["text"] == text
    for key in ("claims", "indicators", "places", "organisations", "people", "sectors"):
        assert isinstance(record[key], list)
    [claim] = record["claims"]
    for key in ("start", "end", "quote", "variable", "low", "high", "unit", "per", "qualifier", "source",
                "place"):
        assert key in claim
    assert claim["low"] == 800 and claim["variable"] == "workers_at_site" and claim["source"] == "union"


def test_extract_several_files_gives_array_and_jsonl_gives_lines(tmp_path, cli):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Some 300 workers were sent to Russia.", encoding="utf-8")
    code, out, _ = cli("extract", tmp_path / "a.txt", tmp_path / "b.txt", "--json")
    assert code == 0 and len(json.loads(out)) == 2
    code, out, _ = cli("extract", tmp_path / "a.txt", tmp_path / "b.txt", "--jsonl")
    assert [json.loads(line)["document"]["path"] for line in out.splitlines()] == [
        str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]


def test_extract_bad_file_is_reported_and_others_go_on(tmp_path, cli):
    good = tmp_path / "good.txt"
    good.write_text("Some 300 workers were sent to Russia.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    code, out, err = cli("extract", bad, good, "--json")
    assert code == 1 and "bad.txt: empty file" in err
    assert json.loads(out)[0]["claims"]


def test_store_extract_only_new_unless_force_and_records_version(tmp_path, db, cli):
    assert cli("ingest", sample_dir(), "--db", db)[0] == 0
    code, out, _ = cli("extract", "--db", db)
    assert code == 0 and "extracted 8 documents" in out
    counts = table_counts(db)
    assert counts["claims"] > 10 and counts["indicators"] > 5 and counts["mentions"] > 20
    conn = sqlite3.connect(db)
    versions = {r[0] for r in conn.execute("SELECT pipeline_version FROM documents")}
    assert versions == {PIPELINE_VERSION}
    assert conn.execute("SELECT COUNT(*) FROM audit WHERE action='extract'").fetchone()[0] == 8
    conn.close()
    code, out, _ = cli("extract", "--db", db)
    assert "extracted 0 documents" in out
    code, out, _ = cli("extract", "--db", db, "--force")
    assert "extracted 8 documents" in out
    assert table_counts(db) == counts  # replaced, not duplicated


def test_store_extract_failure_is_reported_and_others_go_on(tmp_path, db, cli, monkeypatch):
    assert cli("ingest", sample_dir(), "--db", db)[0] == 0
    from labourwatch.extract.indicators import IndicatorFinder

    original = IndicatorFinder.__call__

    def flaky(self, doc):
        if "Gdansk" in doc.text:
            raise RuntimeError("boom")
        return original(self, doc)

    monkeypatch.setattr(IndicatorFinder, "__call__", flaky)
    code, out, err = cli("extract", "--db", db)
    assert code == 1
    assert "extraction failed: component 'indicators' failed: RuntimeError: boom" in err
    assert "extracted 7 documents" in out


def test_claims_filters_and_formats(tmp_path, db, cli):
    cli("ingest", sample_dir(), "--db", db)
    cli("extract", "--db", db)
    code, out, _ = cli("claims", "--db", db, "--format", "json", "--variable", "revenue")
    rows = json.loads(out)
    assert rows and {r["variable"] for r in rows} == {"revenue"}
    assert all(r["quote"] and r["document_title"] for r in rows)
    code, out, _ = cli("claims", "--db", db, "--format", "csv", "--place", "RU")
    lines = out.strip().splitlines()
    assert lines[0].startswith("document_id,variable,low,high")
    assert len(lines) > 1 and all(",RU," in line for line in lines[1:])
    code, _, err = cli("claims", "--db", db, "--format", "xml")
    assert code == 2 and "--format" in err


def test_user_vocabulary_extends_the_builtin_one(tmp_path, cli):
    vocab = tmp_path / "extra.yaml"
    vocab.write_text(
        "sectors:\n  brick making: ['brick kilns?']\n"
        "indicators:\n  debt_bondage: ['advance on (?:their|his|her) wages']\n",
        encoding="utf-8",
    )
    f = tmp_path / "a.txt"
    f.write_text("They took an advance on their wages and went to the brick kilns.", encoding="utf-8")
    code, out, _ = cli("extract", f, "--json")
    assert json.loads(out)["sectors"] == [] and json.loads(out)["indicators"] == []
    code, out, _ = cli("extract", f, "--json", "--vocab", vocab)
    record = json.loads(out)
    assert [s["name"] for s in record["sectors"]] == ["brick making"]
    assert [i["indicator"] for i in record["indicators"]] == ["debt_bondage"]


@pytest.mark.parametrize(("content", "reason"), [
    ("sectors: [unclosed", "malformed YAML"),
    ("- just a list", "must be a mapping"),
    ("colours: {red: 1}", "unknown vocabulary section"),
    # a string where a list belongs would make every letter a cue
    ("indicators:\n  debt_bondage: 'a'", "indicators.debt_bondage: expected a list of strings, got a string"),
    ("indicators:\n  debt_bondage: ['advance (on']", "indicators.debt_bondage[0]: bad pattern"),
    ("indicators:\n  slavery: ['slaves']", "indicators.slavery: unknown key"),
    ("sectors:\n  brick making: 'kilns'", "sectors.brick making: expected a list of strings"),
    ("sectors: [construction]", "sectors: expected a mapping, got a list"),
    ("places:\n  city_min_population: lots", "places.city_min_population: expected a number"),
    ("places:\n  country_aliases:\n    KP: [3]", "places.country_aliases.KP[0]: expected a non-empty string"),
    ("variables:\n  money:\n    revenue: ['(?P<x>']", "variables.money.revenue[0]: bad pattern"),
])
def test_bad_vocabulary_file(tmp_path, cli, content, reason):
    vocab = tmp_path / "bad.yaml"
    vocab.write_text(content, encoding="utf-8")
    f = tmp_path / "a.txt"
    f.write_text("Some 300 workers.", encoding="utf-8")
    code, _, err = cli("extract", f, "--json", "--vocab", vocab)
    assert code == 2 and "bad.yaml" in err and reason in err
    assert len(err.strip().splitlines()) == 1, err


@needs_shared
def test_seed_articles_meet_the_quality_floors(tmp_path):
    out = tmp_path / "seeds.json"
    with out.open("w") as fh:
        subprocess.run([sys.executable, "-m", "labourwatch", "extract", *map(str, SEEDS), "--json"],
                       check=True, stdout=fh)
    floors = {"claim_recall": 0.9, "claim_precision": 0.9, "value_accuracy": 0.9,
              "variable_accuracy": 0.8, "source_accuracy": 0.8, "indicator_f1": 0.8, "country_f1": 0.9}
    args = [a for k, v in floors.items() for a in ("--min", f"{k}={v}")]
    result = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "score_evidence.py"), str(SHARED / "gold" / "seeds.json"),
         str(out), *args], capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout


def test_opt_in_spacy_model_adds_names(tmp_path, cli):
    import spacy

    nlp = spacy.blank("en")  # a stand-in for a trained model: an entity ruler saved as a model folder
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": "Oksana"},
                        {"label": "ORG", "pattern": "the brigade office"}])
    model = tmp_path / "model"
    nlp.to_disk(model)
    f = tmp_path / "a.txt"
    f.write_text("oksana met them at the brigade office. Oksana said 300 workers came.", encoding="utf-8")
    code, out, _ = cli("extract", f, "--json")
    assert json.loads(out)["people"] == []
    code, out, _ = cli("extract", f, "--json", "--spacy-model", model)
    record = json.loads(out)
    assert [p["name"] for p in record["people"]] == ["Oksana"]
    assert [o["name"] for o in record["organisations"]] == ["the brigade office"]
    code, _, err = cli("extract", f, "--json", "--spacy-model", "no_such_model_xx")
    assert code == 2 and "no_such_model_xx" in err and "not installed" in err


def test_delete_removes_everything_of_a_document_and_is_audited(tmp_path, db, cli):
    f = tmp_path / "a.txt"
    f.write_text("Some 300 workers were sent to Russia.", encoding="utf-8")
    cli("ingest", f, "--db", db)
    cli("extract", "--db", db)
    doc_id = json.loads(cli("documents", "--db", db, "--json")[1])[0]["id"]
    code, _, err = cli("delete", doc_id[:10], "--db", db)  # no answer to "are you sure?"
    assert code == 1 and "not deleted" in err and table_counts(db)["documents"] == 1
    code, out, _ = cli("delete", doc_id[:10], "--db", db, "--yes", "--reason", "a duplicate")
    assert code == 0 and "deleted" in out
    counts = table_counts(db)
    assert all(n == 0 for n in counts.values()), counts
    conn = sqlite3.connect(db)
    deletes = conn.execute("SELECT COUNT(*) FROM audit WHERE action='delete' AND document_id=?", (doc_id,))
    assert deletes.fetchone()[0] == 1
    conn.close()
    assert cli("delete", doc_id[:10], "--db", db, "--yes")[0] == 1
    code, out, _ = cli("audit", "--db", db, "--json")
    entry = [e for e in json.loads(out) if e["action"] == "delete"][0]
    assert "a duplicate" in entry["detail"] and "title" in entry["detail"]


DEV = sorted((SHARED / "corpus" / "dev").glob("*.txt"))


@pytest.mark.skipif(not DEV, reason="../shared/corpus/dev is not beside the checkout")
def test_real_articles_keep_their_floors(tmp_path):
    """36 real article openings (../shared/corpus/dev): the floors no change may undo (measured
    with `python scripts/evaluate.py ../shared/corpus/dev ../shared/gold/dev.json --holdout 4`)."""
    out = tmp_path / "dev.json"
    with out.open("w") as fh:
        subprocess.run([sys.executable, "-m", "labourwatch", "extract", *map(str, DEV), "--json"],
                       check=True, stdout=fh)
    floors = {"claim_recall": 0.93, "claim_precision": 0.97, "value_accuracy": 0.90,
              "variable_accuracy": 0.83, "source_accuracy": 0.94, "indicator_f1": 0.86,
              "country_f1": 0.96, "name_recall": 0.92}
    args = [a for k, v in floors.items() for a in ("--min", f"{k}={v}")]
    result = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "score_evidence.py"), str(SHARED / "gold" / "dev.json"),
         str(out), *args], capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-2000:]


def test_extraction_in_worker_processes_stores_what_one_process_stores(tmp_path, cli):
    rows = []
    for workers in ("1", "2"):
        db = tmp_path / f"w{workers}.db"
        cli("ingest", sample_dir(), *SEEDS, "--db", db)
        code, out, _ = cli("extract", "--db", db, "--workers", workers)
        assert code == 0, out
        conn = sqlite3.connect(db)
        rows.append(conn.execute(
            "SELECT document_id, start, end, variable, low, high, unit, source, place FROM claims"
            " ORDER BY document_id, start").fetchall())
        assert conn.execute("SELECT COUNT(*) FROM documents WHERE extracted_at IS NULL").fetchone()[0] == 0
        conn.close()
    assert rows[0] and rows[0] == rows[1]


def test_a_text_not_in_english_is_said_so(tmp_path, cli):
    f = tmp_path / "ru.txt"
    f.write_text("Северокорейские рабочие в России получают лишь малую часть зарплаты, "
                 "а остальное забирает государство. " * 4, encoding="utf-8")
    code, out, err = cli("extract", f, "--json")
    assert code == 0 and "not English (language 'ru')" in err
    assert json.loads(out)["document"]["language"] == "ru"
    en = tmp_path / "en.txt"
    en.write_text("About 300 North Korean workers were sent to Russia, and they kept only a small part "
                  "of their pay, according to the report by the panel of experts.", encoding="utf-8")
    code, out, err = cli("extract", en, "--json")
    assert "not English" not in err and json.loads(out)["document"]["language"] == "en"
