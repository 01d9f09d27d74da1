"""The REST API and the pages through FastAPI's test client: every route, every role, CSRF,
errors as JSON, and figures that follow the review."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import PASSWORDS

from labourwatch.web import create_app

API = "/api/v1"


def client(store: Path) -> TestClient:
    return TestClient(create_app(str(store)), raise_server_exceptions=True, follow_redirects=False)


def signed_in(store: Path, name: str) -> tuple[TestClient, str]:
    """A client with a session cookie, and the session's CSRF token (read from a page)."""
    c = client(store)
    r = c.post("/login", data={"name": name, "password": PASSWORDS[name], "next": "/"})
    assert r.status_code == 303, r.text
    page = c.get("/").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf
    return c, csrf.group(1)


def token_client(store: Path, name: str) -> TestClient:
    from labourwatch.accounts import Accounts
    from labourwatch.store import Store

    with Store.open(store) as s:
        token = Accounts(s).new_token(name, "test")
    c = client(store)
    c.headers["Authorization"] = f"Bearer {token}"
    return c


def first_claim(c: TestClient, **params: object) -> dict:
    items = c.get(f"{API}/claims", params={"per_page": 500, **params}).json()["items"]
    assert items
    return items[0]


# -- authentication ----------------------------------------------------------------------
READ_ROUTES = ["/documents", "/claims", "/figures", "/timeline", "/model", "/indicators", "/places", "/names",
               "/review/counts", "/me"]


@pytest.mark.parametrize("route", READ_ROUTES + ["/audit", "/users"])
def test_every_route_needs_a_signed_in_user(demo_store, route):
    r = client(demo_store).get(API + route)
    assert r.status_code == 401
    assert "sign in" in r.json()["error"]


def test_pages_send_strangers_to_the_login_page(demo_store):
    r = client(demo_store).get("/figures")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


@pytest.mark.parametrize("route", READ_ROUTES)
def test_a_viewer_reads_every_route(demo_store, route):
    c = token_client(demo_store, "vic")
    r = c.get(API + route)
    assert r.status_code == 200, r.text


def test_a_viewer_cannot_edit_delete_or_manage(demo_store):
    c = token_client(demo_store, "vic")
    claim = first_claim(c)
    assert c.post(f"{API}/claims/{claim['id']}/review", json={"state": "accepted"}).status_code == 403
    doc = c.get(f"{API}/documents").json()["items"][0]["id"]
    assert c.delete(f"{API}/documents/{doc}").status_code == 403
    assert c.get(f"{API}/users").status_code == 403
    r = c.post(f"{API}/documents", files={"file": ("a.txt", b"Some 5,000 workers were sent to Russia.")})
    assert r.status_code == 403 and "editor" in r.json()["error"]


def test_an_editor_reviews_but_cannot_delete(demo_store):
    c = token_client(demo_store, "eve")
    claim = first_claim(c)
    assert c.post(f"{API}/claims/{claim['id']}/review", json={"state": "accepted"}).status_code == 200
    doc = c.get(f"{API}/documents").json()["items"][0]["id"]
    assert c.delete(f"{API}/documents/{doc}").status_code == 403


def test_wrong_password_and_rate_limit(demo_store):
    c = client(demo_store)
    for _ in range(5):
        assert c.post("/login", data={"name": "ada", "password": "wrong-password"}).status_code == 401
    r = c.post("/login", data={"name": "ada", "password": PASSWORDS["ada"]})
    assert r.status_code == 429  # even the right password waits after five failures
    assert "set-cookie" not in r.headers


def test_session_cookie_is_httponly_and_samesite(demo_store):
    r = client(demo_store).post("/login", data={"name": "vic", "password": PASSWORDS["vic"]})
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_a_cookie_session_needs_the_csrf_token_to_change_anything(demo_store):
    c, csrf = signed_in(demo_store, "eve")
    claim = first_claim(c)
    url = f"{API}/claims/{claim['id']}/review"
    r = c.post(url, json={"state": "rejected"})
    assert r.status_code == 403 and "CSRF" in r.json()["error"]
    assert c.post(url, json={"state": "rejected"}, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert c.post(f"/claims/{claim['id']}/review", data={"state": "rejected"}).status_code == 403
    assert c.get(f"{API}/claims/{claim['id']}").json()["review"]["state"] == "unreviewed"
    r = c.post(url, json={"state": "rejected"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200
    assert r.json()["review"]["state"] == "rejected" and r.json()["review"]["by"] == "eve"


def test_logout_ends_the_session(demo_store):
    c, csrf = signed_in(demo_store, "vic")
    assert c.post("/logout", data={"csrf": csrf}).status_code == 303
    assert c.get(f"{API}/me").status_code == 401


# -- review ------------------------------------------------------------------------------
def _figure(c: TestClient, variable: str, **params: object) -> list[float]:
    groups = c.get(f"{API}/figures", params={"variable": variable, "per_page": 500, **params}).json()["items"]
    return sorted(v["low"] for g in groups for v in g["values"] if v["low"] is not None)


def test_a_correction_keeps_what_the_machine_read_and_moves_the_figure(demo_store):
    c = token_client(demo_store, "eve")
    claim = first_claim(c, variable="workers_abroad")
    before = _figure(c, "workers_abroad")
    r = c.post(f"{API}/claims/{claim['id']}/review",
               json={"state": "corrected", "corrected": {"low": 123456, "high": 123456, "place": "Russia"}})
    assert r.status_code == 200, r.text
    corrected = r.json()
    assert corrected["low"] == 123456 and corrected["place"] == "RU"
    assert corrected["extracted"]["low"] == claim["low"]  # what the machine read is kept
    assert corrected["review"]["state"] == "corrected"
    after = _figure(c, "workers_abroad")
    assert 123456 in after and after != before
    assert any(v["claim_id"] == claim["id"] for g in c.get(f"{API}/figures", params={"place": "Russia"})
               .json()["items"] for v in g["values"])


def test_rejected_claims_leave_figures_and_reviewed_only_leaves_unreviewed_out(demo_store):
    c = token_client(demo_store, "eve")
    claims = c.get(f"{API}/claims", params={"variable": "workers_abroad"}).json()["items"]
    keep, drop = claims[0], claims[1]
    c.post(f"{API}/claims/{keep['id']}/review", json={"state": "accepted"})
    c.post(f"{API}/claims/{drop['id']}/review", json={"state": "rejected"})
    ids = {v["claim_id"] for g in c.get(f"{API}/figures").json()["items"] for v in g["values"]}
    assert keep["id"] in ids and drop["id"] not in ids
    reviewed = c.get(f"{API}/figures", params={"include_unreviewed": False}).json()["items"]
    assert {v["claim_id"] for g in reviewed for v in g["values"]} == {keep["id"]}


def test_bad_reviews_are_clear_errors_and_change_nothing(demo_store):
    c = token_client(demo_store, "eve")
    claim = first_claim(c)
    url = f"{API}/claims/{claim['id']}/review"
    cases = [
        ({"state": "approved"}, "unknown review state"),
        ({"state": "corrected"}, "needs the corrected values"),
        ({"state": "corrected", "corrected": {"low": "many"}}, "not a number"),
        ({"state": "corrected", "corrected": {"variable": "workerz"}}, "unknown variable"),
        ({"state": "corrected", "corrected": {"quote": "x"}}, "cannot set quote"),
        ({"state": "corrected", "corrected": {"place": "Atlantis"}}, "not a country"),
        ({"state": "corrected", "corrected": {"low": 10, "high": 5}}, "below low"),
    ]
    for body, message in cases:
        r = c.post(url, json=body)
        assert r.status_code == 422 and message in r.json()["error"], (body, r.text)
    assert c.post(f"{API}/claims/999999/review", json={"state": "accepted"}).status_code == 404
    assert c.post(f"{API}/things/1/review", json={"state": "accepted"}).status_code == 422
    assert c.get(f"{API}/claims/{claim['id']}").json() == claim


def test_an_editor_adds_a_claim_the_extractor_missed(demo_store):
    c = token_client(demo_store, "eve")
    doc = c.get(f"{API}/documents").json()["items"][0]["id"]
    text = c.get(f"{API}/documents/{doc}").json()["text"]
    start = text.index(" ") + 1
    r = c.post(f"{API}/claims", json={"document_id": doc, "start": start, "end": start + 5,
                                      "variable": "other", "low": 7, "high": 7})
    assert r.status_code == 201, r.text
    added = r.json()
    assert added["text"] == text[start:start + 5] and added["review"]["origin"] == "editor"
    assert added["review"]["state"] == "accepted" and added["review"]["by"] == "eve"
    bad = c.post(f"{API}/claims", json={"document_id": doc, "start": 5, "end": 10 ** 7, "variable": "other"})
    assert bad.status_code == 422 and "not a passage" in bad.json()["error"]


def test_reextraction_keeps_reviews_and_added_claims(demo_store):
    from labourwatch.workspace import Workspace

    c = token_client(demo_store, "eve")
    claims = c.get(f"{API}/claims", params={"per_page": 500}).json()["items"]
    target = claims[0]
    c.post(f"{API}/claims/{target['id']}/review", json={"state": "corrected", "corrected": {"low": 42}})
    doc = target["document_id"]
    start = c.get(f"{API}/documents/{doc}").json()["text"].index(" ") + 1
    added = c.post(f"{API}/claims", json={"document_id": doc, "start": start, "end": start + 3,
                                          "variable": "other", "low": 1}).json()
    with Workspace.open(demo_store) as ws:
        list(ws.extract(force=True))
    after = c.get(f"{API}/claims", params={"per_page": 500}).json()["items"]
    by_id = {x["id"]: x for x in after}
    assert by_id[target["id"]]["low"] == 42 and by_id[target["id"]]["review"]["by"] == "eve"
    assert added["id"] in by_id
    # the reviewed claim is not extracted a second time beside its reviewed copy
    same = [x for x in after if (x["document_id"], x["start"], x["end"]) ==
            (doc, target["start"], target["end"]) and x["variable"] == target["variable"]]
    assert len(same) == 1
    assert len(after) == len(claims) + 1


def test_every_change_is_in_the_audit_log_with_its_user(demo_store):
    c = token_client(demo_store, "eve")
    claim = first_claim(c)
    c.post(f"{API}/claims/{claim['id']}/review", json={"state": "rejected"})
    log = token_client(demo_store, "ada").get(f"{API}/audit").json()["items"]
    review = next(e for e in log if e["action"] == "review")
    assert review["user"] == "eve" and '"to": "rejected"' in review["detail"]


# -- documents ---------------------------------------------------------------------------
def test_upload_ingests_and_extracts(demo_store):
    c = token_client(demo_store, "eve")
    body = b"About 5,000 North Korean workers were sent to Russia in 2019, officials said."
    r = c.post(f"{API}/documents", files={"file": ("note.txt", body, "text/plain")})
    assert r.status_code == 201, r.text
    doc = r.json()["documents"][0]
    assert doc["claims"] >= 1
    read = c.get(f"{API}/documents/{doc['id']}").json()
    assert read["sources"] == ["upload:note.txt"] and read["claims"][0]["low"] == 5000


def test_upload_limits_and_types_are_clear_errors(demo_store, tmp_path):
    app = create_app(str(demo_store), max_upload=100)
    c = TestClient(app)
    from labourwatch.accounts import Accounts
    from labourwatch.store import Store

    with Store.open(demo_store) as s:
        c.headers["Authorization"] = "Bearer " + Accounts(s).new_token("eve")
    before = c.get(f"{API}/documents").json()["total"]
    r = c.post(f"{API}/documents", files={"file": ("big.txt", b"x" * 500)})
    assert r.status_code == 413 and "upload limit" in r.json()["error"]
    r = c.post(f"{API}/documents", files={"file": ("tool.exe", b"MZ")})
    assert r.status_code == 422 and "unsupported file type '.exe'" in r.json()["error"]
    r = c.post(f"{API}/documents", files={"file": ("../../etc/passwd.txt", b"root")})
    assert r.status_code == 201
    stored = c.get(f"{API}/documents/{r.json()['documents'][0]['id']}").json()
    assert stored["sources"] == ["upload:passwd.txt"]
    assert c.get(f"{API}/documents").json()["total"] == before + 1


def test_documents_list_search_and_pagination(demo_store):
    c = token_client(demo_store, "vic")
    everything = c.get(f"{API}/documents", params={"per_page": 2}).json()
    assert everything["per_page"] == 2 and len(everything["items"]) == 2 and everything["total"] > 2
    second = c.get(f"{API}/documents", params={"per_page": 2, "page": 2}).json()["items"]
    assert {d["id"] for d in second}.isdisjoint(d["id"] for d in everything["items"])
    found = c.get(f"{API}/documents", params={"q": "shipyard"}).json()
    assert 1 <= found["total"] < everything["total"]
    assert c.get(f"{API}/documents", params={"per_page": 0}).status_code == 422
    assert c.get(f"{API}/documents/zzz").json()["error"].startswith("document id")


def test_admin_deletes_with_a_reason(demo_store):
    c = token_client(demo_store, "ada")
    doc = c.get(f"{API}/documents").json()["items"][0]
    r = c.delete(f"{API}/documents/{doc['id']}", params={"reason": "duplicate"})
    assert r.status_code == 200
    assert c.get(f"{API}/documents/{doc['id']}").status_code == 404
    entry = [e for e in c.get(f"{API}/audit").json()["items"] if e["action"] == "delete"][0]
    assert entry["user"] == "ada" and "duplicate" in entry["detail"]
    assert (doc["title"] or "") in entry["detail"]


def test_claims_filter_by_place_name_year_and_review_state(demo_store):
    c = token_client(demo_store, "vic")
    by_code = c.get(f"{API}/claims", params={"place": "RU"}).json()
    by_name = c.get(f"{API}/claims", params={"place": "Russia"}).json()
    assert by_code["total"] == by_name["total"] > 0
    claim = by_code["items"][0]
    year = claim["year"] or int(claim["document_published"][:4])
    assert all((x["year"] or int(x["document_published"][:4])) == year
               for x in c.get(f"{API}/claims", params={"year": year}).json()["items"])
    assert c.get(f"{API}/claims", params={"review_state": "accepted"}).json()["total"] == 0
    r = c.get(f"{API}/claims", params={"variable": "workerz"})
    assert r.status_code == 422 and "workers_abroad" in r.json()["error"]


def test_model_screening_and_mse(demo_store, tmp_path):
    c = token_client(demo_store, "vic")
    model = c.get(f"{API}/model").json()
    assert model["median"] > 0 and model["interval_95"][0] <= model["median"] <= model["interval_95"][1]
    names = c.get(f"{API}/names").json()
    assert names
    screened = c.post(f"{API}/screen", json={"names": [names[0]["name"]]}).json()
    assert screened[0]["matches"] and screened[0]["matches"][0]["score"] >= 0.86
    table = b"A,B,C,count\n1,0,0,120\n0,1,0,80\n0,0,1,60\n1,1,0,30\n1,0,1,20\n0,1,1,15\n1,1,1,8\n"
    r = c.post(f"{API}/mse", files={"file": ("lists.csv", table)}, params={"method": "stepwise"})
    assert r.status_code == 200, r.text
    assert r.json()["estimate"] > 333
    bad = c.post(f"{API}/mse", files={"file": ("lists.csv", b"A,B\nmaybe,2\n")})
    assert bad.status_code == 422 and "error" in bad.json()


def test_openapi_documents_the_api(demo_store):
    schema = client(demo_store).get(f"{API}/openapi.json").json()
    assert {"/api/v1/claims", "/api/v1/figures", "/api/v1/documents", "/api/v1/mse"} <= set(schema["paths"])
    assert not any(p.startswith("/documents") for p in schema["paths"])  # pages are not API


# -- security ----------------------------------------------------------------------------
def test_security_headers_and_no_stack_traces(demo_store, monkeypatch):
    c = token_client(demo_store, "vic")
    r = c.get(f"{API}/claims")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"

    from labourwatch.web import service

    def boom(*a, **k):
        raise RuntimeError("secret internal detail /home/investigator/sources")

    monkeypatch.setattr(service, "figures", boom)
    quiet = TestClient(c.app, raise_server_exceptions=False)
    quiet.headers.update(c.headers)
    r = quiet.get(f"{API}/figures")
    assert r.status_code == 500 and "secret" not in r.text and r.json()["error"].startswith("internal error")


def test_hostile_text_and_titles_are_escaped(demo_store):
    c = token_client(demo_store, "eve")
    payload = b"<script>alert(1)</script><img src=x onerror=alert(2)> 5,000 workers were sent to Russia."
    doc = c.post(f"{API}/documents", files={"file": ("<b>x</b>.html", b"<title><script>t()</script></title>"
                                                     + payload)}).json()["documents"][0]["id"]
    for page in (f"/documents/{doc}", "/", "/claims"):
        html = c.get(page).text
        assert "<script>alert" not in html and "<script>t()" not in html and "<img src=x" not in html


def test_open_redirects_are_refused(demo_store):
    r = client(demo_store).post("/login", data={"name": "vic", "password": PASSWORDS["vic"],
                                                "next": "https://evil.example/"})
    assert r.headers["location"] == "/"


def test_a_store_file_alone_gives_no_passwords_or_tokens(demo_store):
    token_client(demo_store, "eve")
    conn = sqlite3.connect(demo_store)
    hashes = [r[0] for r in conn.execute("SELECT password_hash FROM users")]
    tokens = [r[0] for r in conn.execute("SELECT token_hash FROM tokens")]
    conn.close()
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert all(not t.startswith("lw_") and len(t) == 64 for t in tokens)
