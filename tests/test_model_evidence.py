"""The money-flow model says what it used and why, refuses to rest on one stray figure,
compares like with like, converts other currencies, and words its verdicts as what the
inputs support; claims say whose workers they count."""

from __future__ import annotations

import json

import pytest
from extract_helpers import claim_for, run
from test_analysis import value

from labourwatch.analysis.currency import to_usd
from labourwatch.analysis.moneyflow import money_flow
from labourwatch.errors import AnalysisError

PAY_AND_SHARE = [
    value(10, "worker_pay", 300, 300, "A", unit="USD", per="month"),
    value(11, "worker_pay", 400, 400, "B", unit="USD", per="month"),
    value(12, "worker_share", 20, 20, "C", unit="percent"),
    value(13, "worker_share", 10, 10, "D", unit="percent"),
]


def test_one_stray_world_count_does_not_decide_the_model():
    """A lone "200" with no country was the model's worker count; now the model refuses, naming
    the input, what it found and how to fix it."""
    with pytest.raises(AnalysisError, match=r"too little evidence: workers: 1 claims .* --workers"):
        money_flow([value(1, "workers_abroad", 200, 200, "A"), *PAY_AND_SHARE])


def test_world_counts_below_one_country_are_left_out_with_the_reason():
    vals = [
        value(1, "workers_abroad", 100_000, 100_000, "A"),
        value(2, "workers_abroad", 150_000, 150_000, "B"),
        value(3, "workers_abroad", 200, 200, "C"),  # a site's count that no place was read for
        value(4, "workers_abroad", 30_000, 30_000, "D", place="RU"),
        value(5, "workers_abroad", 20_000, 20_000, "E", place="RU"),
        *PAY_AND_SHARE,
    ]
    result = money_flow(vals, n_draws=2000)
    workers = result.inputs["workers"]
    assert [v.claim_id for v in workers.values] == [1, 2]
    [(left, why)] = workers.left_out
    assert left.claim_id == 3 and "RU" in why and "25,000" in why
    assert "1 claims left out" in " ".join(result.warnings)
    assert result.to_dict()["inputs"]["workers"]["left_out"] == [{"claim_id": 3, "reason": why}]


def test_revenue_is_compared_like_with_like():
    """A China-only revenue figure is not set against the world model, nor the reverse."""
    vals = [value(1, "workers_abroad", 100_000, 100_000, "A"),
            value(2, "workers_abroad", 90_000, 90_000, "B"), *PAY_AND_SHARE,
            value(20, "revenue", 25e6, 25e6, "UN Panel of Experts", unit="USD", per="year", place="CN"),
            value(21, "revenue", 750e6, 750e6, "NKDB", unit="USD", per="year")]
    world = money_flow(vals, n_draws=2000)
    assert [c.value.claim_id for c in world.checks] == [21]
    verdict = world.checks[0].verdict
    assert "inputs support" in verdict and "median" not in verdict


def test_pay_in_other_currencies_is_converted_at_its_years_rate():
    """2,500 yuan a month in 2019 is about USD 362 (ECB yearly mean 6.91 CNY per dollar);
    zloty, roubles and euros too; North Korean won are left out with the reason."""
    assert to_usd("CNY", 2019).factor == pytest.approx(1 / 6.911, rel=1e-3)
    vals = [
        value(1, "workers_abroad", 100_000, 100_000, "A"), value(2, "workers_abroad", 90_000, 90_000, "B"),
        value(3, "worker_pay", 2500, 2500, "C", unit="CNY", per="month", year=2019),
        value(4, "worker_pay", 1500, 1500, "D", unit="PLN", per="month", year=2016),
        value(5, "worker_pay", 30_000, 30_000, "E", unit="RUB", per="month", year=2018),
        value(6, "worker_pay", 1_000_000, 1_000_000, "F", unit="KPW", per="month", year=2018),
        value(12, "worker_share", 20, 20, "G", unit="percent"),
        value(13, "worker_share", 10, 10, "H", unit="percent"),
    ]
    result = money_flow(vals, n_draws=4000)
    pay = result.inputs["worker_pay"]
    assert [v.claim_id for v in pay.values] == [3, 4, 5]
    assert pay.scale[3] * 2500 == pytest.approx(361.7, abs=1)
    assert 300 <= pay.scale[4] * 1500 <= 450 and 400 <= pay.scale[5] * 30_000 <= 520
    [(kpw, why)] = pay.left_out
    assert kpw.claim_id == 6 and why == "North Korean won have no market rate to convert by"


def test_a_rate_of_another_year_is_said():
    conversion = to_usd("RUB", 2024)  # the ECB stopped quoting roubles in March 2022
    assert conversion.factor is not None and "2021" in (conversion.note or "")
    assert to_usd("RUB", 2040).factor is None


def test_claims_say_whose_workers_they_count():
    record = run("About 400,000 Nepali workers are employed in Qatar. Some 50,000 North Korean "
                 "workers are in Russia, earning 700 dollars a month.")
    assert claim_for(record, "400,000")["nationality"] == "NP"
    assert claim_for(record, "400,000")["place"] == "QA"
    assert claim_for(record, "50,000")["nationality"] == "KP"


def test_won_in_south_korea_is_south_korean():
    record = run("Factory workers in Seoul, South Korea, earn about 2,500,000 won a month. "
                 "In Pyongyang a worker earns 5,000 won a month.")
    assert claim_for(record, "2,500,000")["unit"] == "KRW"
    assert claim_for(record, "5,000 won")["unit"] == "KPW"


def test_the_cli_counts_the_sending_states_workers(tmp_path, db, cli):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "nk.txt").write_text("About 50,000 North Korean workers are in Russia, officials said.\n")
    (folder / "nk2.txt").write_text("Some 30,000 North Korean workers were in China in 2019.\n")
    (folder / "np.txt").write_text("About 400,000 Nepali workers are employed in Qatar, officials said.\n")
    cli("ingest", folder, "--db", db)
    cli("extract", "--db", db)
    code, out, _ = cli("sending-state", "--db", db)
    assert code == 0 and "KP" in out and "most often" in out
    code, out, _ = cli("figures", "--db", db, "--format", "json")
    assert {g["place"] for g in json.loads(out)} == {"RU", "CN"}
    code, out, _ = cli("figures", "--db", db, "--format", "json", "--nationality", "any")
    assert {g["place"] for g in json.loads(out)} == {"RU", "CN", "QA"}
    code, out, _ = cli("sending-state", "Nepal", "--db", db)
    assert code == 0 and "NP (as set)" in out
    code, _, err = cli("sending-state", "Atlantis", "--db", db)
    assert code != 0 and "Atlantis" in err and len(err.strip().splitlines()) == 1
    code, _, err = cli("model", "--db", db, "--place", "Russia", "--state-share", "0.8", "--workers", "1000")
    assert code == 1 and "or --pay fixed by hand" in err and "--employer-pay" not in err
    code, _, err = cli("model", "--db", db, "--place", "Russia")
    assert code == 1 and "placed in RU" in err and len(err.strip().splitlines()) == 1
