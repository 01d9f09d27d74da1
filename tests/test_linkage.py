"""Record linkage across lists, then estimation: names in several scripts and spellings,
supporting features, the review file read back, and the estimate by threshold."""

from __future__ import annotations

import csv
import itertools
import json

import numpy as np
import pytest

from labourwatch.analysis.linkage import Columns, Linker, Record, read_decisions, read_link_records
from labourwatch.analysis.mse import MSEInputError
from labourwatch.analysis.simulate import Scenario, population, sample_lists


def _pairs(groups: dict[str, object]) -> set[frozenset[str]]:
    by: dict[object, list[str]] = {}
    for record, group in groups.items():
        by.setdefault(group, []).append(record)
    return {frozenset(p) for members in by.values() for p in itertools.combinations(members, 2)}


def test_one_person_across_scripts_and_romanisations_and_two_namesakes_apart():
    records = [
        Record("a1", "union", "Kim Chol Su", "1980-03-02"),
        Record("b1", "court", "김철수", "1980-03-02"),
        Record("c1", "news", "Gim Cheol-soo", ""),
        Record("a2", "union", "Kim Chol Su", "1991-07-30"),  # a namesake, born eleven years later
        Record("b2", "court", "Choe Song Hyok", "1975-01-01", employer="Rungrado Trading"),
        Record("c2", "news", "Song-hyok Choi", "1975-01-01", employer="Rungrado Trading"),
    ]
    linkage = Linker(records).link(0.88)
    same = linkage.person
    assert same["a1"] == same["b1"] == same["c1"]
    assert same["a2"] != same["a1"]
    assert same["b2"] == same["c2"]
    assert linkage.people == 3
    pair = next(p for p in Linker(records).pairs if {p.a, p.b} == {"b2", "c2"})
    assert {"name", "birth", "employer"} <= set(pair.explanation)  # every feature's share shown


def test_linkage_on_a_synthetic_population_finds_most_pairs_and_few_false_ones():
    scenario = Scenario(size=300)
    rng = np.random.default_rng(42)
    records, truth = sample_lists(population(scenario, rng), scenario, rng)
    linkage = Linker(records).link(0.88)
    true_pairs, found = _pairs(truth), _pairs(linkage.person)
    hits = len(true_pairs & found)
    assert hits / len(found) > 0.8 and hits / len(true_pairs) > 0.8
    assert abs(linkage.people - len(set(truth.values()))) < 0.1 * len(set(truth.values()))


def test_decisions_override_the_score():
    records = [Record("x", "A", "Ri Yong Ho"), Record("y", "B", "Lee Young-ho"), Record("z", "B", "Kim Un")]
    linker = Linker(records)
    apart = linker.link(0.99)
    assert apart.person["x"] != apart.person["y"]
    assert [(p.a, p.b) for p in linker.link(0.90).uncertain] == [("x", "y")]  # near the threshold
    joined = linker.link(0.99, {("y", "x"): True})
    assert joined.person["x"] == joined.person["y"]
    split = linker.link(0.5, {("x", "y"): False})
    assert split.person["x"] != split.person["y"]


def test_cli_link_review_decide_and_estimate(tmp_path, cli):
    scenario = Scenario(size=300)
    rng = np.random.default_rng(7)
    records, _ = sample_lists(population(scenario, rng), scenario, rng)
    source = tmp_path / "records.csv"
    with source.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["record", "source", "name", "born", "place", "employer"])
        writer.writerows([r.id, r.list, r.name, r.birth, r.place, r.employer] for r in records)
    review, linked = tmp_path / "review.csv", tmp_path / "linked.csv"
    args = ("link", source, "--list-col", "source", "--name-col", "name", "--id-col", "record",
            "--birth-col", "born", "--place-col", "place", "--employer-col", "employer")
    code, out, err = cli(*args, "--review", review, "--out", linked, "--sensitivity", "0.85,0.95",
                         "--method", "main", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["records"] == len(records) and summary["uncertain_pairs"] > 0
    by_threshold = {row["threshold"]: row for row in summary["sensitivity"]}
    assert by_threshold[0.85]["people"] <= by_threshold[0.95]["people"]  # a lower threshold joins more

    rows = list(csv.DictReader(review.open(encoding="utf-8")))
    assert rows and all(row["decision"] == "" for row in rows)
    rows[0]["decision"] = "same"
    with review.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert read_decisions(review) == {(rows[0]["record_a"], rows[0]["record_b"]): True}
    code, out, err = cli(*args, "--decisions", review, "--json")
    assert code == 0 and json.loads(out)["decisions"] == 1

    code, out, err = cli("estimate", "mse", linked, "--list-col", "list", "--id-col", "person", "--json",
                         "--method", "main")
    assert code == 0, err
    assert json.loads(out)["n"] == summary["people"]


@pytest.mark.parametrize(("text", "reason"), [
    ("source,name\nA,\n", "line 2: no name"),
    ("source,who\nA,Kim\n", "no column 'name'"),
    ("", "no records"),
])
def test_bad_record_files_are_one_clear_error(tmp_path, text, reason):
    f = tmp_path / "r.csv"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(MSEInputError, match=reason):
        read_link_records(f, Columns("source", "name"))


def test_a_bad_decision_is_named(tmp_path):
    f = tmp_path / "d.csv"
    f.write_text("record_a,record_b,decision\nx,y,perhaps\n", encoding="utf-8")
    with pytest.raises(MSEInputError, match="line 2: decision 'perhaps'"):
        read_decisions(f)
