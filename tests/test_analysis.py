"""Figures, conflicts, timeline and the money-flow model on hand-made claims."""

from __future__ import annotations

import json

import numpy as np
import pytest

from labourwatch.analysis.figures import Value, group_values, most_discordant, timeline
from labourwatch.analysis.moneyflow import claim_range, money_flow


def value(
    claim_id: int,
    variable: str,
    low: float | None,
    high: float | None,
    source: str | None,
    unit: str = "person",
    per: str | None = None,
    place: str | None = None,
    year: int | None = None,
    qualifier: str = "exact",
    published: str | None = None,
) -> Value:
    return Value(
        claim_id,
        low,
        high,
        unit,
        per,
        qualifier,
        source,
        f"doc{claim_id:04d}",
        f"Doc {claim_id}",
        published,
        f"quote {claim_id}",
        f"mention {claim_id}",
        year,
        place,
        variable,
    )


def test_grouping_by_variable_place_year_and_unit():
    values = [
        value(1, "workers_abroad", 50_000, 50_000, "UN", year=2015),
        value(2, "workers_abroad", 200_000, 200_000, "Index", year=2015),
        value(3, "workers_abroad", 30_000, 30_000, "Ministry", place="RU", year=2018),
        value(4, "workers_abroad", 100_000, 100_000, "Diplomats", year=2017),
        value(5, "worker_pay", 120, 150, "NGO", unit="USD", per="month", year=2015),
        value(6, "worker_pay", 30_000, 30_000, "NGO", unit="RUB", per="month", year=2015),
    ]
    groups = {(g.variable, g.place, g.year, g.unit): g for g in group_values(values)}
    assert set(groups) == {
        ("workers_abroad", None, 2015, "person"),
        ("workers_abroad", "RU", 2018, "person"),
        ("workers_abroad", None, 2017, "person"),
        ("worker_pay", None, 2015, "USD"),
        ("worker_pay", None, 2015, "RUB"),
    }
    g = groups[("workers_abroad", None, 2015, "person")]
    assert g.spread == (50_000, 125_000, 200_000)
    assert {v.claim_id for v in g.conflict} == {1, 2}
    assert not groups[("worker_pay", None, 2015, "USD")].conflict


@pytest.mark.parametrize(
    ("values", "conflict"),
    [
        # factor 2 exactly is no conflict; more is
        ([(100, "A"), (200, "B")], False),
        ([(100, "A"), (201, "B")], True),
        # a disagreement is one of values: a source that says 100 and 900 disagrees with itself
        ([(100, "A"), (900, "A")], True),
        ([(100, "A"), (150, "B"), (1000, "A")], True),
        ([(100, "A"), (150, "A"), (190, "B")], False),
        # a range counts by its midpoint: 120–150 vs 300 → 135 vs 300
        ([((120, 150), "A"), (300, "B")], True),
        # "more than 10k" (open) by its lower bound
        ([((10_000, None), "A"), (15_000, "B")], False),
        # a value without a source stands for its own document
        ([(100, None), (500, None)], True),
    ],
)
def test_conflict_detection(values, conflict):
    vals = []
    for i, (v, source) in enumerate(values):
        low, high = v if isinstance(v, tuple) else (v, v)
        vals.append(value(i, "workers_abroad", low, high, source))
    assert (most_discordant(vals) is not None) == conflict


def test_other_never_conflicts():
    vals = [value(1, "other", 12, 12, "A"), value(2, "other", 10_500_000, 10_500_000, "B")]
    [group] = group_values(vals)
    assert group.conflict is None


def test_other_figures_are_not_summarised_together():
    """USD 100 million and USD 100 in the catch-all are different things: no min/median/max."""
    vals = [value(1, "other", 100e6, 100e6, "A", unit="USD"), value(2, "other", 100, 100, "B", unit="USD")]
    [group] = group_values(vals)
    assert group.spread is None and group.to_dict()["median"] is None
    assert group.spread_text.startswith("not summarised")


def test_many_reports_crediting_one_source_still_conflict():
    """300 wire items all crediting "officials", some with 5,000 and some with 100,000: the
    20-fold spread is a conflict, and who says what shows one source saying both."""
    vals = [value(i, "workers_abroad", n, n, "officials") for i in range(300)
            for n in [5_000 if i % 3 else 100_000]]
    [group] = group_values(vals)
    assert group.conflict is not None
    assert "5,000 (officials) vs 100,000 (officials): 20× apart" == group.conflict_text
    [(who, said)] = group.by_source
    assert who == "officials" and {v.low for v in said} == {5_000, 100_000}
    assert group.to_dict()["by_source"] == [{"source": "officials", "n": 300, "low": 5_000, "high": 100_000}]


def test_year_from_claim_else_document():
    from labourwatch.analysis.figures import value_from_row

    row = {
        "id": 1,
        "low": 1,
        "high": 1,
        "unit": "person",
        "per": None,
        "qualifier": "exact",
        "source": None,
        "document_id": "d",
        "document_title": None,
        "document_published": "2019-05-02",
        "quote": "q",
        "mention": "m",
        "place": None,
        "variable": "workers_abroad",
        "year": None,
    }
    assert value_from_row(row).year == 2019
    assert value_from_row({**row, "year": 2012}).year == 2012


def test_timeline_orders_by_date():
    vals = [
        value(1, "workers_abroad", 1, 1, "A", year=2019),
        value(2, "workers_abroad", 2, 2, "B", year=2012),
        value(3, "workers_abroad", 3, 3, "C", published="2015-03-01"),
    ]
    assert [v.claim_id for v in timeline(vals)["workers_abroad"]] == [2, 3, 1]


def test_model_reproduces_a_hand_computation():
    vals = [value(1, "revenue", 2e9, 2e9, "Report", unit="USD", per="year")]
    result = money_flow(vals, workers=100_000, pay=500, state_share=0.8, n_draws=1000)
    assert result.median == pytest.approx(100_000 * 500 * 12 * 0.8)
    [check] = result.checks
    assert check.verdict.startswith("more than the inputs support")
    # the pay per worker per month that $2bn implies with 100,000 workers keeping 20%
    assert check.implied_pay == pytest.approx(2e9 / (100_000 * 12 * 0.8))


def test_model_from_claims_is_seeded_and_uses_worker_pay_over_share():
    vals = [
        value(1, "workers_abroad", 50_000, 50_000, "A"),
        value(2, "workers_abroad", 100_000, 100_000, "B"),
        value(3, "worker_pay", 120, 150, "C", unit="USD", per="month"),
        value(6, "worker_pay", 130, 140, "F", unit="USD", per="month"),
        value(4, "worker_share", 10, 20, "D", unit="percent"),
        value(7, "worker_share", 12, 18, "G", unit="percent"),
        value(5, "revenue", 1.2e9, 2.3e9, "E", unit="USD", per="year"),
    ]
    a = money_flow(vals, seed=3, n_draws=5000)
    b = money_flow(vals, seed=3, n_draws=5000)
    c = money_flow(vals, seed=4, n_draws=5000)
    assert np.array_equal(a.revenue, b.revenue) and not np.array_equal(a.revenue, c.revenue)
    # employer pay = worker pay / worker share; the state keeps the rest
    workers = a.inputs["workers"].draws
    share = a.inputs["worker_share"].draws
    pay = a.inputs["worker_pay"].draws
    assert np.allclose(a.revenue, workers * pay / share * 12 * (1 - share))
    assert set(np.unique(workers)) <= {50_000.0, 100_000.0}
    assert 120 <= pay.min() and pay.max() <= 150
    lo, hi = a.interval(0.95)
    assert lo < a.median < hi
    payload = json.loads(json.dumps(a.to_dict()))  # JSON-ready: round-trips with its figures
    assert payload["median"] == pytest.approx(a.median) and payload["interval_95"] == pytest.approx([lo, hi])
    shares = a.inputs["worker_share"].values
    assert payload["inputs"]["worker_share"]["claims"] == [v.claim_id for v in shares]


def test_model_says_what_is_missing():
    with pytest.raises(ValueError, match="workers_abroad"):
        money_flow([value(1, "worker_share", 10, 10, "A", unit="percent")])


@pytest.mark.parametrize(
    ("low", "high", "qualifier", "expected"),
    [
        (10, 20, "range", (10, 20)),
        (50_000, None, "at_least", (50_000, 75_000)),
        (None, 20, "at_most", (20 / 1.5, 20)),
        (100, 100, "about", (90, 110)),
        (100, 100, "exact", (100, 100)),
    ],
)
def test_claim_ranges(low, high, qualifier, expected):
    assert claim_range(value(1, "x", low, high, "A", qualifier=qualifier)) == pytest.approx(expected)


def test_cli_figures_and_model_on_the_samples(tmp_path, db, cli):
    from labourwatch.cli.demo import sample_dir

    cli("ingest", sample_dir(), "--db", db)
    cli("extract", "--db", db)
    code, out, _ = cli("figures", "--db", db, "--format", "json", "--variable", "workers_abroad")
    groups = json.loads(out)
    assert code == 0 and all(g["variable"] == "workers_abroad" for g in groups)
    assert all(v["quote"] for g in groups for v in g["values"])
    code, out, _ = cli(
        "model", "--db", db, "--json", "--workers", "100000", "--pay", "500", "--state-share", "0.8"
    )
    assert code == 0 and json.loads(out)["median"] == pytest.approx(480_000_000)
    code, _, err = cli("model", "--db", db, "--state-share", "80")
    assert code == 2 and "fraction" in err


def test_python_api(tmp_path, db, cli):
    import labourwatch
    from labourwatch.cli.demo import sample_dir

    cli("ingest", sample_dir(), "--db", db)
    cli("extract", "--db", db)
    with labourwatch.open(str(db)) as ev:
        assert len(ev.documents()) == 8
        revenue = ev.claims(variable="revenue")
        assert revenue and all(c["variable"] == "revenue" for c in revenue)
        groups = ev.figures(variable="workers_abroad")
        assert groups and all(g.variable == "workers_abroad" for g in groups)
        result = ev.money_flow(workers=100_000, pay=500, state_share=0.8, n_draws=500)
        summary = result.summary()
        assert "Money-flow model" in summary.as_text() and "<h2>Money-flow model</h2>" in summary.as_html()
        pd = pytest.importorskip("pandas")
        frame = ev.frame("claims", variable="revenue")
        assert isinstance(frame, pd.DataFrame) and len(frame) == len(revenue)
        assert set(ev.frame("figures").columns) >= {"variable", "place", "year", "conflict"}
    with pytest.raises(FileNotFoundError):
        labourwatch.open(str(tmp_path / "missing.db"))


def test_figures_on_seeds_and_samples_show_the_disagreements(tmp_path, db, cli):
    from conftest import SHARED

    from labourwatch.cli.demo import sample_dir

    seeds = SHARED / "corpus" / "seeds"
    if not seeds.exists():
        pytest.skip("../shared/corpus/seeds is not beside the checkout")
    cli("ingest", seeds, sample_dir(), "--db", db)
    cli("extract", "--db", db)
    code, out, _ = cli("figures", "--db", db, "--variable", "workers_abroad", "--format", "json")
    [undated] = [g for g in json.loads(out) if g["year"] is None and g["place"] is None]
    lows = {v["low"] for v in undated["values"]}
    assert {50_000, 200_000} <= lows and undated["conflict"]
    code, out, _ = cli("figures", "--db", db, "--conflicts")
    assert "Disagreements across years" in out
    across = out.split("Disagreements across years")[1]
    assert "revenue" in across and "CONFLICT" in across
    code, out, _ = cli("model", "--db", db, "--json")
    model = json.loads(out)
    lo, hi = model["interval_95"]
    assert model["revenue_claims"]
    for claim in model["revenue_claims"]:  # each verdict agrees with where the figure stands
        stated, verdict = claim["stated"], claim["verdict"]
        expected = "within" if lo <= stated <= hi else "more than" if stated > hi else "less than"
        assert verdict.startswith(expected), (stated, lo, hi, verdict)
