"""One store test suite, run on every backend (SQLite and a real PostgreSQL server): the same
calls must give the same answers, and the database itself must keep the evidence's rules."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path
from typing import Any

import pytest
from conftest import raw_execute

from labourwatch.errors import AlreadyExists, NotFound, StoreError, StoreNotFound
from labourwatch.records import AddResult, Capture, Extraction, IngestedDocument
from labourwatch.store import ClaimFilter, Store
from labourwatch.store.copy import copy_store

TEXT = "In 2019 about 30,000 North Korean workers were in Russia, the ministry said. They worked long hours."


def document(text: str = TEXT, location: str = "a.txt") -> IngestedDocument:
    return IngestedDocument(text.encode(), text, "text/plain", [(location, "file")], title="A report",
                            published="2020-03-01")


def extraction(text: str = TEXT, place: str = "RU", year: int | None = 2019) -> Extraction:
    start = text.index("30,000")
    end_of_sentence = text.index(".") + 1
    claim: dict[str, Any] = {
        "start": start, "end": start + 6, "text": "30,000", "quote": text[:end_of_sentence],
        "quote_start": 0, "variable": "workers", "low": 30000.0, "high": 30000.0, "unit": None, "per": None,
        "qualifier": "about", "source": "the ministry", "place": place, "year": year,
    }
    hours = text.index("long hours")
    record: Any = {
        "schema": "labourwatch.evidence/1", "document": {}, "claims": [claim],
        "indicators": [{"indicator": "excessive_overtime", "start": hours, "end": hours + 10,
                        "quote": text[end_of_sentence + 1:], "cue": "long hours", "cue_start": hours,
                        "cue_end": hours + 10}],
        "places": [{"name": "Russia", "kind": "country", "country": "RU", "lat": 60.0, "lon": 100.0,
                    "mentions": [[text.index("Russia"), text.index("Russia") + 6]]}],
        "organisations": [{"name": "the ministry", "mentions": [[text.index("ministry") - 4,
                                                                 text.index("ministry") + 8]]}],
        "people": [], "sectors": [],
    }
    return Extraction(record, [(0, end_of_sentence), (end_of_sentence + 1, len(text))], "test-1")


@pytest.fixture
def store(store_location: str):
    with Store.open(store_location) as opened:
        yield opened


def test_a_new_store_is_migrated_once_and_reopens_as_it_was(store_location: str):
    with Store.open(store_location) as store:
        version = store.schema_version
        assert version >= 6
        migrations = [e for e in store.audit() if e.action == "migrate"]
        assert len(migrations) == version
    with Store.open(store_location, create=False) as again:
        assert again.schema_version == version
        assert len([e for e in again.audit() if e.action == "migrate"]) == version


def test_a_missing_store_is_not_created_when_asked_not_to(tmp_path: Path, postgres_db: str):
    with pytest.raises(StoreNotFound, match="no such store"):
        Store.open(tmp_path / "missing.db", create=False)
    with pytest.raises(StoreNotFound, match="no labourwatch store"):
        Store.open(postgres_db, create=False)


def test_an_unreachable_server_is_one_line_naming_it_without_its_password():
    with pytest.raises(StoreError) as caught:
        Store.open("postgresql://someone:secret@127.0.0.1:9/nothing?connect_timeout=2")
    message = str(caught.value)
    assert "secret" not in message and "127.0.0.1:9" in message and "\n" not in message


def test_a_document_is_stored_once_with_its_original_and_every_source(store: Store):
    doc = document()
    assert store.add_document(doc) is AddResult.STORED
    assert store.add_document(doc) is AddResult.ALREADY
    assert store.add_document(document(location="b.txt")) is AddResult.NEW_SOURCE
    assert store.count("documents") == 1
    assert [s.location for s in store.sources(doc.id)] == ["a.txt", "b.txt"]
    assert store.original(doc.id) == TEXT.encode()
    stored = store.document(doc.id)
    assert (stored.text, stored.title, stored.published) == (TEXT, "A report", "2020-03-01")
    assert store.resolve_id(doc.id[:8]) == doc.id
    with pytest.raises(NotFound):
        store.resolve_id("0" * 8 if not doc.id.startswith("0" * 8) else "f" * 8)
    assert [d.id for d in store.documents(query="North Korean")] == [doc.id]
    assert store.count_documents("no such phrase") == 0


def test_documents_are_listed_in_the_order_they_were_stored(store: Store):
    docs = [document(f"Report number {n}.", f"{n}.txt") for n in (3, 1, 2)]
    for doc in docs:
        store.add_document(doc)
    ids = [doc.id for doc in docs]
    assert [d.id for d in store.documents()] == ids
    assert store.pending() == ids
    assert store.count_pending() == 3


def test_captures_keep_their_warc_bytes(store: Store):
    doc = document()
    doc.capture = Capture("http://127.0.0.1/a", "http://127.0.0.1/b", [(301, "http://127.0.0.1/b")], 200,
                          "2026-01-01T00:00:00+00:00", b"WARC/1.1\r\n...")
    store.add_document(doc)
    (capture,) = store.captures(doc.id)
    assert (capture.url, capture.final_url, capture.redirects, capture.warc) == (
        "http://127.0.0.1/a", "http://127.0.0.1/b", [(301, "http://127.0.0.1/b")], b"WARC/1.1\r\n...")


def test_extraction_is_saved_and_queried_by_reviewed_values(store: Store):
    doc = document()
    store.add_document(doc)
    assert store.save_extraction(doc.id, extraction()) is True
    (claim,) = store.claims()
    assert (claim["variable"], claim["low"], claim["place"]) == ("workers", 30000.0, "RU")
    assert claim["year"] == 2019
    assert claim["document_title"] == "A report"
    assert store.count_claims(ClaimFilter(place="ru", year=2019)) == 1
    store.review("claim", claim["id"], "corrected", "editor", {"place": "CN", "year": 2018})
    assert store.count_claims(ClaimFilter(place="RU")) == 0
    assert store.count_claims(ClaimFilter(place="CN", year=2018)) == 1
    assert store.claim(claim["id"])["extracted"] == {"place": "RU", "year": 2019}
    assert store.count_claims(ClaimFilter(source="ministry")) == 1
    assert store.claims(limit=1, offset=0)[0]["id"] == claim["id"]
    assert store.claims_by_id([]) == []
    assert store.indicator_counts() == {doc.id: {"excessive_overtime": 1}}
    assert [(p.name, p.mentions) for p in store.place_counts()] == [("Russia", 1)]
    (mention,) = store.named_mentions()
    assert mention.quote == TEXT[: TEXT.index(".") + 1]


def test_re_extraction_keeps_every_reviewed_item_and_adds_it_once(store: Store):
    doc = document()
    store.add_document(doc)
    store.save_extraction(doc.id, extraction())
    (claim,) = store.claims()
    store.review("claim", claim["id"], "accepted", "editor")
    added = store.add_claim(doc.id, {"start": 0, "end": 7, "variable": "workers", "low": 1.0}, "editor")
    store.save_extraction(doc.id, extraction())
    claims = store.claims()
    assert sorted(c["id"] for c in claims) == sorted([claim["id"], added])
    assert store.review_counts()["claim"] == {"accepted": 2}


def test_a_run_writes_a_document_once_however_often_it_is_retried(store: Store):
    doc = document()
    store.add_document(doc)
    assert store.save_extraction(doc.id, extraction(), run="run-1") is True
    assert store.save_extraction(doc.id, extraction(), run="run-1") is False
    assert store.count("claims") == 1
    assert len([e for e in store.audit() if e.action == "extract"]) == 1
    assert store.save_extraction(doc.id, extraction(), run="run-2") is True
    assert store.count("claims") == 1


def test_delete_removes_everything_derived_and_is_audited(store: Store):
    doc = document()
    store.add_document(doc)
    store.save_extraction(doc.id, extraction())
    store.delete(doc.id, user="admin", reason="duplicate")
    derived = ("documents", "claims", "indicators", "mentions", "sentences", "sources")
    assert {t: store.count(t) for t in derived} == dict.fromkeys(derived, 0)
    assert store.audit()[-1].action == "delete"
    with pytest.raises(NotFound):
        store.delete(doc.id)


def test_the_database_itself_refuses_to_change_the_audit_log(store_location: str):
    with Store.open(store_location) as store:
        store.add_document(document())
        before = store.audit()
    for sql in ("UPDATE audit SET action = 'nothing'", "DELETE FROM audit"):
        with pytest.raises(Exception, match="append-only"):
            raw_execute(store_location, sql)
    with Store.open(store_location) as store:
        assert store.audit() == before


def test_verify_finds_an_original_or_a_text_changed_behind_its_back(store_location: str):
    with Store.open(store_location) as store:
        store.add_document(document())
        assert list(store.verify()) == []
    raw_execute(store_location, "UPDATE documents SET text = 'edited'")
    with Store.open(store_location) as store:
        assert [m.reason for m in store.verify()] == ["working text changed since it was read"]


def test_users_sessions_and_tokens(store: Store):
    user = store.add_user("ana", "editor", "hash-1", by="admin")
    with pytest.raises(AlreadyExists):
        store.add_user("ana", "viewer", "hash-2")
    assert store.user("ana") == (user, "hash-1")
    store.add_session("session-hash", user.id, "csrf", "2999-01-01T00:00:00+00:00")
    store.add_token("token-hash", user.id, "laptop", by="admin")
    assert store.session("session-hash", "2026-01-01T00:00:00+00:00") == (user, "csrf")
    assert store.token_user("token-hash") == user
    store.update_user("ana", "admin", password_hash="hash-3")  # ends sessions and tokens
    assert store.session("session-hash", "2026-01-01T00:00:00+00:00") is None
    assert store.token_user("token-hash") is None
    assert store.update_user("ana", "admin", active=False).active is False


def test_estimates_are_kept_with_their_inputs_and_audited(store: Store):
    inputs = {"lists": ["A", "B"], "histories": {"10": 30, "01": 20, "11": 10}}
    result = {"estimate": 60.0, "interval": [55.0, 70.0],
              "sensitivity": [{"threshold": 0.9, "estimate": 60.0}]}
    first = store.save_estimate("Workers named, by folder", "stepwise", {"file": "lists.csv", "sha256": "ab"},
                                inputs, result, user="ana")
    second = store.save_estimate("again", "lcmcr", {"store": "mentions"}, inputs, {"estimate": 61.5})
    assert second > first
    (kept, other) = store.estimates()
    assert (kept.id, kept.label, kept.method) == (first, "Workers named, by folder", "stepwise")
    assert kept.user == "ana"
    assert kept.inputs == inputs and kept.result == result and kept.origin["sha256"] == "ab"
    assert other.result == {"estimate": 61.5} and other.user is None
    assert [json.loads(e.detail)["id"] for e in store.audit() if e.action == "estimate"] == [first, second]


def test_export_columns_and_rows_are_the_same_on_every_backend(store: Store):
    doc = document()
    store.add_document(doc)
    store.save_extraction(doc.id, extraction())
    columns = [name for name, _ in store.columns("claims")]
    assert columns[:4] == ["id", "document_id", "start", "end"]
    (row,) = store.rows("claims")
    assert dict(zip(columns, row, strict=True))["low"] == 30000.0
    assert ("size", "integer") in store.columns("documents")
    assert all(kind != "bytes" for _, kind in store.columns("captures"))


# -- moving a store between backends ---------------------------------------------------------
def _filled(location: str) -> dict[str, Any]:
    with Store.open(location) as store:
        for n in range(3):
            doc = document(f"{TEXT} Report {n}.", f"{n}.txt")
            store.add_document(doc)
            store.save_extraction(doc.id, extraction(f"{TEXT} Report {n}."))
        store.review("claim", store.claims()[0]["id"], "corrected", "ana", {"low": 25000})
        store.add_user("ana", "editor", "hash")
        store.save_estimate("workers", "main", {"file": "x.csv"}, {"lists": ["A", "B"]}, {"estimate": 9.0})
        return {"estimates": store.estimates(), "claims": store.claims(),
                "audit": [(e.action, e.detail) for e in store.audit()],
                "documents": store.documents()}


@pytest.mark.parametrize("direction", ["sqlite-to-postgresql", "postgresql-to-sqlite"])
def test_store_copy_moves_everything_and_verifies_every_hash(
    direction: str, tmp_path: Path, postgres_db: str
):
    sqlite_location = str(tmp_path / "store.db")
    source, target = ((sqlite_location, postgres_db) if direction.startswith("sqlite")
                      else (postgres_db, sqlite_location))
    before = _filled(source)
    result = copy_store(source, target)
    assert result.mismatches == [] and result.rows["documents"] == 3
    with Store.open(target) as copied:
        assert copied.claims() == before["claims"]
        assert copied.estimates() == before["estimates"]
        assert [(e.action, e.detail) for e in copied.audit()][-len(before["audit"]) - 1:-1] == before["audit"]
        assert copied.audit()[-1].action == "copy"
        assert [d.id for d in copied.documents()] == [d.id for d in before["documents"]]
        copied.add_user("ben", "viewer", "hash")  # ids go on after the copied ones
        doc = document(f"{TEXT} A later report.")
        copied.add_document(doc)
        copied.save_extraction(doc.id, extraction(f"{TEXT} A later report."))
    with pytest.raises(StoreError, match="not empty"):
        copy_store(source, target)


# -- several writers at once -----------------------------------------------------------------
def _ingest_all(location: str, texts: list[str]) -> None:
    with Store.open(location) as store:
        for n, text in enumerate(texts):
            store.add_document(document(text, f"{multiprocessing.current_process().name}-{n}.txt"))


def test_writers_in_several_processes_store_each_document_once(store_location: str):
    texts = [f"Report {n}: about {n * 100} workers were sent abroad." for n in range(30)]
    Store.open(store_location).close()  # created before the writers race
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_ingest_all, args=(store_location, texts)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    with Store.open(store_location) as store:
        assert store.count("documents") == 30
        assert store.count("sources") == 4 * 30
        assert len([e for e in store.audit() if e.action == "ingest" and "status" in e.detail]) == 30
        assert list(store.verify()) == []


def _review_all(location: str, ids: list[int], user: str, field: str) -> None:
    with Store.open(location) as store:
        for claim_id in ids:
            store.review("claim", claim_id, "corrected", user, {field: user})


def test_reviews_made_at_once_are_merged_not_lost(store_location: str):
    with Store.open(store_location) as store:
        for n in range(20):
            doc = document(f"{TEXT} Item {n}.", f"{n}.txt")
            store.add_document(doc)
            store.save_extraction(doc.id, extraction(f"{TEXT} Item {n}."))
        ids = [c["id"] for c in store.claims()]
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_review_all, args=(store_location, ids, user, field))
               for user, field in (("a", "qualifier"), ("b", "unit"))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    with Store.open(store_location) as store:
        for claim in store.claims():
            assert (claim["qualifier"], claim["unit"]) == ("a", "b")
        assert len([e for e in store.audit() if e.action == "review"]) == 40


# -- the same commands on both backends -------------------------------------------------------
SAMPLES = Path(__file__).resolve().parents[1] / "src" / "labourwatch" / "samples"


def test_the_same_commands_give_the_same_evidence_on_both_backends(cli, tmp_path: Path, postgres_db: str):
    answers = {}
    for location in (str(tmp_path / "store.db"), postgres_db):
        assert cli("ingest", SAMPLES, "--db", location)[0] == 0
        assert cli("extract", "--db", location, "--workers", "1")[0] == 0
        code, stdout, _ = cli("claims", "--db", location, "--format", "json")
        assert code == 0
        answers[location] = [{k: v for k, v in c.items() if k != "id"} for c in json.loads(stdout)]
        assert cli("verify", "--db", location)[0] == 0
        assert cli("export", "csv", tmp_path / "csv", "--db", location)[0] == 0
    for on_postgres, on_sqlite in zip(answers[postgres_db], answers[str(tmp_path / "store.db")], strict=True):
        assert on_postgres == on_sqlite
    code, stdout, stderr = cli("store", "copy", postgres_db, tmp_path / "copy.db")
    assert code == 0, stderr
    assert "every hash verified" in stdout and "***" not in stdout
    code, _, stderr = cli("store", "copy", postgres_db, tmp_path / "copy.db")
    assert code == 2 and "not empty" in stderr


WIRE = ("Some 30,000 North Korean workers were sent to building sites in Russia last year, the ministry "
        "said. They worked long hours in guarded dormitories, and most of their wages went to the state in "
        "Pyongyang, according to officials who asked not to be named because the matter is sensitive. {tail}")


def test_near_copies_of_a_story_count_once_and_the_first_copy_takes_over(store: Store):
    """A syndicated wire story stored three times (other closing lines) counts once in figures;
    deleting the first makes the next copy the one that counts. Claims about other workers
    are left out by the nationality filter; unsaid ones stay."""
    from labourwatch.workspace import Workspace

    ws = Workspace(store)
    texts = [WIRE.format(tail=tail) for tail in
             ("Reporting by the wire.", "Copyright the newspaper.", "Read more on our site.")]
    texts.append("Not in Russia but in Qatar, 30,000 Nepali workers, the ministry said. They worked long "
                 "hours on stadium sites, and the government of Nepal counts their remittances each month.")
    ids = []
    for text in texts:
        doc = document(text, f"{len(ids)}.txt")
        [outcome] = ws.store_documents([doc])
        assert outcome.result == "stored"
        ids.append(doc.id)
    summaries = {d.id: d.duplicate_of for d in store.documents()}
    assert summaries == {ids[0]: None, ids[1]: ids[0], ids[2]: ids[0], ids[3]: None}
    for doc_id, text in zip(ids, texts, strict=True):
        record = extraction(text)
        record.record["claims"][0]["nationality"] = "NP" if "Nepali" in text else "KP"
        store.save_extraction(doc_id, record)
    assert len(store.claims(ClaimFilter(copies=True))) == 4
    counted = store.claims(ClaimFilter(copies=False, nationality="kp"))
    assert [c["document_id"] for c in counted] == [ids[0]]
    assert ws.sending_state() == "KP"  # the nationality the claims most say
    assert ws.set_sending_state("Nepal") == "NP" and store.setting("sending_state") == "NP"
    assert [v.document_id for v in ws.values()] == [ids[3]]
    ws.set_sending_state(None)
    store.delete(ids[0])
    assert {d.id: d.duplicate_of for d in store.documents()} == {ids[1]: None, ids[2]: ids[1], ids[3]: None}
    assert [v.document_id for v in ws.values()] == [ids[1]]
    assert not list(store.verify())
