"""Capture by URL against a real HTTP server on 127.0.0.1: the page stored with its HTTP exchange
as WARC, replayable from the export; every way a fetch goes wrong is one clear error and
nothing stored."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest
from conftest import table_counts
from http_helpers import ARTICLE, http_server

from labourwatch.ingest import CapturePolicy
from labourwatch.workspace import Workspace

FAST = CapturePolicy(delay=0, timeout=5)


def capture(db: Path, *urls: str, policy: CapturePolicy = FAST) -> list:
    with Workspace.open(db, create=True) as ws:
        return list(ws.capture(urls, policy))


def test_a_page_is_stored_with_its_http_exchange_and_extracted(db: Path) -> None:
    with http_server() as server:
        [outcome] = capture(db, server.url("/article.html"))
    assert outcome.error is None and outcome.result == "stored"
    with Workspace.open(db) as ws:
        doc_id = hashlib.sha256(ARTICLE).hexdigest()  # the payload is the original
        assert ws.store.original(doc_id) == ARTICLE
        [stored] = ws.store.captures(doc_id)
        assert (stored.url, stored.final_url, stored.status) == (server.url("/article.html"),) * 2 + (200,)
        assert stored.captured_at.endswith("+00:00")
        assert "12,000" in ws.store.document(doc_id).text
        [result] = list(ws.extract())
        assert result.claims >= 1
        assert list(ws.store.verify()) == []


def test_exported_warc_replays_the_response(db: Path, tmp_path: Path, cli) -> None:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.checker import Checker

    with http_server() as server:
        capture(db, server.url("/article.html"))
    code, out, _ = cli("export", "warc", tmp_path / "warc", "--db", db)
    assert code == 0, out
    [warc] = list((tmp_path / "warc").glob("*.warc.gz"))
    records = {}
    with warc.open("rb") as fh:
        for record in ArchiveIterator(fh):
            records[record.rec_type] = (record, record.content_stream().read())
    assert set(records) == {"warcinfo", "request", "response"}
    response, payload = records["response"]
    assert payload == ARTICLE
    assert response.rec_headers.get_header("WARC-Target-URI") == server.url("/article.html")
    assert response.http_headers.get_statuscode() == "200"
    assert response.rec_headers.get_header("WARC-Payload-Digest").startswith("sha256:")
    # Every record's digests check out with warcio's own checker (what replay tools rely on).
    checker = Checker(type("Args", (), {"inputs": [str(warc)], "verbose": False})())
    assert checker.process_all() == 0
    gzip.decompress(warc.read_bytes())  # members concatenate into one valid gzip stream


def test_redirects_are_followed_and_recorded(db: Path) -> None:
    with http_server() as server:
        [outcome] = capture(db, server.url("/hop1"))
    assert outcome.result == "stored"
    with Workspace.open(db) as ws:
        [stored] = ws.store.captures()
        assert stored.final_url == server.url("/article.html")
        assert stored.redirects == [(302, server.url("/hop1")), (307, server.url("/hop2"))]
        locations = [s.location for s in ws.store.sources(stored.document_id)]
        assert locations == [server.url("/hop1"), server.url("/article.html")]


def test_show_lists_the_captures_of_a_document(db: Path, cli) -> None:
    with http_server() as server:
        capture(db, server.url("/old"))
    code, out, _ = cli("show", hashlib.sha256(ARTICLE).hexdigest()[:12], "--db", db)
    assert code == 0
    assert f"HTTP 200 {server.url('/article.html')} ← 301 {server.url('/old')}" in out


def test_a_second_capture_of_the_same_page_is_kept_on_the_same_document(db: Path) -> None:
    with http_server() as server:
        capture(db, server.url("/article.html"))
        [again] = capture(db, server.url("/old"))
    assert again.result == "already stored (new source recorded)"
    with Workspace.open(db) as ws:
        assert ws.store.count_documents() == 1
        assert len(list(ws.store.captures())) == 2


@pytest.mark.parametrize(("path", "reason"), [
    ("/missing", "HTTP 404"),
    ("/to-file", "not a web address"),
    ("/loop", "more than 10 redirects"),
    ("/private/page.html", "robots.txt does not allow /private/page.html"),
    ("/archive.zip", "content type 'application/zip'"),
    ("/huge", "exceeds the"),
    ("/endless", "exceeds the"),
])
def test_a_failed_fetch_is_one_clear_error_and_nothing_stored(db: Path, path: str, reason: str) -> None:
    policy = CapturePolicy(delay=0, timeout=5, max_bytes=2 * 1024 * 1024)
    with http_server() as server:
        [outcome] = capture(db, server.url(path), policy=policy)
        asked = server.paths()
    assert outcome.document is None
    assert reason in outcome.error and "\n" not in outcome.error
    assert table_counts(db)["documents"] == 0
    if "robots" in reason:
        assert "/private/page.html" not in asked  # not even asked for


def test_a_server_that_does_not_answer_in_time(db: Path) -> None:
    with http_server() as server:
        [outcome] = capture(db, server.url("/slow"), policy=CapturePolicy(delay=0, timeout=0.5))
    assert "no complete answer within 0.5 s" in outcome.error
    assert table_counts(db)["documents"] == 0


def test_requests_to_one_host_wait_their_turn(db: Path) -> None:
    with http_server() as server:
        capture(db, server.url("/article.html"), server.url("/old"), policy=CapturePolicy(delay=0.4))
        times = [t for path, t in server.requests if path != "/robots.txt"]
    assert len(times) == 3  # the page, the redirect, the page again
    assert all(b - a >= 0.35 for a, b in zip(times, times[1:], strict=False))


def test_a_script_only_page_is_stored_as_needing_a_browser(db: Path) -> None:
    with http_server() as server:
        [outcome] = capture(db, server.url("/loading.html"))
    assert outcome.document.status == "needs_browser"
    assert any("scripts" in note for note in outcome.document.notes)


def test_cli_captures_urls_from_arguments_and_a_list(db: Path, tmp_path: Path, cli) -> None:
    with http_server() as server:
        listing = tmp_path / "urls.txt"
        listing.write_text(f"# to capture\n{server.url('/old')}\n\n{server.url('/missing')}\n")
        code, out, err = cli("ingest", server.url("/article.html"), "--urls", listing, "--db", db,
                             "--delay", "0")
    assert code == 1  # one of them failed
    assert "1 stored" in out and "1 already stored (new source recorded)" in out
    assert f"error: {server.url('/missing')}: HTTP 404" in err
    assert len([line for line in err.splitlines() if line.startswith("error:")]) == 1
