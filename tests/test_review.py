"""Review and accounts in the library and the CLI: what the web application stands on."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from web_helpers import PASSWORDS

from labourwatch.accounts import Accounts
from labourwatch.errors import InputError, NotFound, StoreError
from labourwatch.workspace import Workspace


def test_cli_figures_model_and_report_leave_rejected_claims_out(demo_store, cli, tmp_path):
    with Workspace.open(demo_store) as ws:
        claims = ws.claims(variable="workers_abroad")
        ws.review("claim", claims[0]["id"], "accepted", "eve")
        ws.review("claim", claims[1]["id"], "rejected", "eve")
    code, out, _ = cli("figures", "--db", demo_store, "--format", "json")
    ids = {v["claim_id"] for g in json.loads(out) for v in g["values"]}
    assert code == 0 and claims[0]["id"] in ids and claims[1]["id"] not in ids
    code, out, _ = cli("figures", "--db", demo_store, "--format", "json", "--reviewed-only")
    assert {v["claim_id"] for g in json.loads(out) for v in g["values"]} == {claims[0]["id"]}
    md = tmp_path / "r.md"
    assert cli("report", "--db", demo_store, "--md", md)[0] == 0
    assert "1 accepted" in md.read_text() and "1 rejected left out" in md.read_text()


def test_a_rejected_name_is_not_screened_from_the_store(demo_store):
    with Workspace.open(demo_store) as ws:
        names = ws.store.names()
        target = names[0]
        before = sum(1 for m in ws.store.named_mentions() if m.name == target.name)
        ws.review("name", target.id, "rejected", "eve")
        after = sum(1 for m in ws.store.named_mentions() if m.name == target.name)
    assert after == before - 1


def test_an_indicator_correction_counts_under_its_new_code(demo_store):
    with Workspace.open(demo_store) as ws:
        item = ws.store.indicators()[0]
        new = "debt_bondage" if item.indicator != "debt_bondage" else "isolation"
        before = ws.store.indicator_counts()[item.document_id][new]
        ws.review("indicator", item.id, "corrected", "eve", {"indicator": new})
        assert ws.store.indicator_counts()[item.document_id][new] == before + 1
        with pytest.raises(InputError, match="one of"):
            ws.review("indicator", item.id, "corrected", "eve", {"indicator": "slavery"})


def test_accepting_a_corrected_claim_restores_the_machine_reading(demo_store):
    with Workspace.open(demo_store) as ws:
        claim = ws.claims()[0]
        ws.review("claim", claim["id"], "corrected", "eve", {"year": 2001})
        assert ws.store.claim(claim["id"])["year"] == 2001
        ws.review("claim", claim["id"], "accepted", "ada")
        again = ws.store.claim(claim["id"])
        assert again["year"] == claim["year"] and again["extracted"] is None and again["reviewed_by"] == "ada"
        with pytest.raises(NotFound):
            ws.review("claim", 10**9, "accepted", "ada")


def test_accounts(demo_store):
    with Workspace.open(demo_store) as ws:
        accounts = Accounts(ws.store)
        with pytest.raises(InputError, match="at least"):
            accounts.add("short", "viewer", "abc")
        with pytest.raises(InputError, match="unknown role"):
            accounts.add("x", "owner", "long-enough-password")
        with pytest.raises(StoreError, match="exists"):
            accounts.add("eve", "viewer", "long-enough-password")
        assert accounts.authenticate("eve", PASSWORDS["eve"]) is not None
        assert accounts.authenticate("eve", "wrong-password") is None
        assert accounts.authenticate("nobody", "wrong-password") is None
        session = accounts.start_session(accounts.authenticate("eve", PASSWORDS["eve"]))
        token = accounts.new_token("eve")
        accounts.set_password("eve", "a-new-password-2")
        assert accounts.session(session.secret) is None and accounts.token_user(token) is None
        assert accounts.authenticate("eve", "a-new-password-2") is not None
        accounts.disable("vic")
        assert accounts.authenticate("vic", PASSWORDS["vic"]) is None
        assert accounts.first_admin() is None  # users exist: no new admin


def test_users_cli(tmp_path, cli):
    from typer.testing import CliRunner

    from labourwatch.cli.main import app

    db = tmp_path / "s.db"
    runner = CliRunner()
    result = runner.invoke(app, ["users", "add", "amira", "--role", "editor", "--db", str(db)],
                           input="a-long-password\n")
    assert result.exit_code == 0, result.output
    code, out, _ = cli("users", "list", "--db", db)
    assert "amira" in out and "editor" in out
    assert cli("users", "role", "amira", "owner", "--db", db)[0] == 1
    code, out, _ = cli("users", "token", "amira", "--db", db)
    assert code == 0 and out.startswith("lw_")
    code, out, _ = cli("audit", "--db", db)
    assert "add_user" in out


def test_places_by_name_or_code_and_misspelt_variables(demo_store, cli):
    by_code = json.loads(cli("claims", "--db", demo_store, "--place", "RU", "--format", "json")[1])
    by_name = json.loads(cli("claims", "--db", demo_store, "--place", "Russia", "--format", "json")[1])
    assert by_code and by_code == by_name
    figures_code = cli("figures", "--db", demo_store, "--place", "ru", "--format", "json")[1]
    by_full_name = cli("figures", "--db", demo_store, "--place", "Russian Federation", "--format", "json")[1]
    assert figures_code == by_full_name
    for command in ("figures", "claims", "timeline"):
        done = subprocess.run([sys.executable, "-m", "labourwatch", command, "--db", str(demo_store),
                               "--variable", "workerz"], capture_output=True, text=True)
        assert done.returncode == 1 and done.stderr.count("\n") == 1
        assert "unknown variable 'workerz'" in done.stderr and "workers_abroad" in done.stderr
    code, out, _ = cli("variables", "--json")
    assert code == 0 and {v["name"] for v in json.loads(out)} >= {"workers_abroad", "revenue", "worker_share"}



def test_indicators_and_entities_from_the_cli_and_as_frames(demo_store, cli):
    code, out, _ = cli("indicators", "--db", demo_store, "--format", "json")
    found = json.loads(out)
    assert code == 0 and found and all(r["quote"] for r in found)
    code, out, _ = cli("entities", "--db", demo_store, "--format", "csv")
    assert code == 0 and out.startswith("kind,name,") and "\nplace," in out and "\norganisation," in out
    with Workspace.open(demo_store) as ws:
        assert len(ws.frame("indicators")) == len(found)
        assert set(ws.frame("entities")["kind"]) >= {"place", "organisation"}


def test_filters_match_the_reviewed_values_not_the_machine_ones(demo_store):
    with Workspace.open(demo_store) as ws:
        claim = next(c for c in ws.claims() if c["place"] and c["place"] != "MN")
        machine_place, variable = claim["place"], claim["variable"]
        ws.review("claim", claim["id"], "corrected", "eve", {"place": "Mongolia", "variable": "victims"})
        ids = lambda **f: {c["id"] for c in ws.claims(**f)}  # noqa: E731
        assert claim["id"] in ids(place="MN") and claim["id"] in ids(variable="victims", place="Mongolia")
        assert claim["id"] not in ids(place=machine_place) and claim["id"] not in ids(variable=variable)
        assert ws.count_claims(place="MN") == len(ids(place="MN"))
