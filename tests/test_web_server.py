"""The dashboard in a real browser: `labourwatch serve` on 127.0.0.1, driven by Playwright in
Debian's Chromium. Sign in, upload, select a figure to add a claim, correct a claim, see the
figure follow, review with the keyboard, hostile text shown as text, a phone-sized screen."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from web_helpers import PASSWORDS, chromium

SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "images" / "dashboard.png"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def demo_location(request, demo_store: Path) -> str:
    """The demo store on SQLite, or (param "postgresql") copied to a real PostgreSQL server."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return str(demo_store)
    from labourwatch.store.copy import copy_store

    target = request.getfixturevalue("postgres_db")
    copy_store(str(demo_store), target)
    return target


@pytest.fixture
def server(demo_location: str):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "labourwatch", "serve", "--db", demo_location, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/login", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("labourwatch serve did not start: " + proc.stdout.read().decode() if proc.stdout else "")
    yield base
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def browser():
    with chromium() as b:
        yield b


def new_page(browser, base: str, problems: list[str], width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: (problems.append("dialog: " + d.message), d.dismiss()))
    page.on("request", lambda r: None if r.url.startswith(base) else problems.append("request " + r.url))
    return page


def sign_in(page, base: str, name: str) -> None:
    page.goto(base + "/")
    assert "/login" in page.url
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORDS[name])
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def figures_text(page, base: str) -> str:
    page.goto(base + "/figures?variable=workers_at_site")
    return page.inner_text("table.figures")


def test_review_in_the_browser(server, browser, tmp_path):
    problems: list[str] = []
    page = new_page(browser, server, problems)
    sign_in(page, server, "eve")

    # upload a document; it is extracted and shown with its claim marked in the text
    note = tmp_path / "mine-report.txt"
    note.write_text("Mine report\n\nAbout 7,777 North Korean workers were at the Erdenet mine in 2019, "
                    "the union said. Guards kept their passports.\n", encoding="utf-8")
    page.set_input_files("input[name=file]", str(note))
    page.click("form.upload button[type=submit]")
    page.wait_for_url(f"{server}/documents/*")
    doc_url = page.url
    assert "7,777" in page.locator("mark.claim").first.inner_text()
    assert "7,777" in figures_text(page, server)

    # correct the claim in place: 7,777 becomes 8,888; the figure follows
    page.goto(doc_url)
    card = page.locator("article.claim").first
    card.locator("summary").click()
    card.locator("input[name=low]").fill("8888")
    card.locator("input[name=high]").fill("8888")
    with page.expect_navigation():
        card.locator("form.correct button[type=submit]").click()
    card = page.locator("article.claim").first
    assert "corrected" in card.inner_text() and "machine read" in card.inner_text()
    shown = figures_text(page, server)
    assert "8,888" in shown and "7,777" not in shown

    # add a claim by selecting words in the text
    page.goto(doc_url)
    page.evaluate("""() => {
        const pre = document.getElementById('doctext');
        const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
        let node; while ((node = walker.nextNode()) && !node.data.includes('passports')) {}
        const at = node.data.indexOf('passports');
        const range = document.createRange();
        range.setStart(node, at); range.setEnd(node, at + 'passports'.length);
        const sel = document.getSelection(); sel.removeAllRanges(); sel.addRange(range);
    }""")
    page.wait_for_function("document.getElementById('selected').value === 'passports'")
    form = page.locator("#add-claim")
    form.locator("select[name=variable]").select_option("other")
    form.locator("input[name=low]").fill("1")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    added = page.locator("article.claim", has_text="added by eve")
    assert added.count() == 1 and "passports" in added.inner_text()

    # the review queue answers to the keyboard: "a" accepts the claim shown
    page.goto(server + "/review")
    left = int(page.inner_text("main p").split()[0])
    with page.expect_navigation():
        page.keyboard.press("a")
    assert int(page.inner_text("main p").split()[0]) == left - 1

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(doc_url)
    page.screenshot(path=str(tmp_path / "dashboard.png"))
    if os.environ.get("LABOURWATCH_SCREENSHOTS"):  # refresh the README's picture
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tmp_path / "dashboard.png", SCREENSHOT)

    # sign out: the pages are closed again
    page.click("form.who button")
    page.wait_for_url(f"{server}/login")
    page.goto(server + "/figures")
    assert "/login" in page.url
    assert problems == []


def test_hostile_document_renders_as_text(server, browser, tmp_path):
    problems: list[str] = []
    page = new_page(browser, server, problems)
    sign_in(page, server, "eve")
    evil = tmp_path / "evil.html"
    evil.write_text("<html><head><title>&lt;img src=x onerror=alert(1)&gt;</title></head><body>"
                    "<p>&lt;script&gt;alert('x')&lt;/script&gt; Some 3,000 workers were sent to Qatar.</p>"
                    "</body></html>", encoding="utf-8")
    page.set_input_files("input[name=file]", str(evil))
    page.click("form.upload button[type=submit]")
    page.wait_for_url(f"{server}/documents/*")
    assert "<img src=x onerror=alert(1)>" in page.inner_text("h1")
    assert "<script>alert('x')</script>" in page.inner_text("#doctext")
    assert page.locator("#doctext script, h1 img").count() == 0
    page.goto(server + "/")
    assert problems == []


def test_pages_fit_a_phone(server, browser):
    problems: list[str] = []
    page = new_page(browser, server, problems, width=390)
    sign_in(page, server, "vic")
    for path in ("/", "/claims", "/figures", "/review", "/model"):
        page.goto(server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
    page.goto(server + "/")
    doc = page.locator("table.list a").first.get_attribute("href")
    page.goto(server + doc)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("form.correct").count() == 0  # a viewer gets no editing forms
    assert problems == []


@pytest.mark.parametrize("demo_location", ["sqlite", "postgresql"], indirect=True)
def test_concurrent_reviews_during_an_ingest_lose_no_edit(server, demo_location, tmp_path):
    """Four clients review at once while another process ingests and extracts 150 documents
    into the same store (a SQLite file, or a PostgreSQL server): every review lands, with its
    audit entry, and the ingest completes."""
    demo_store = demo_location
    from concurrent.futures import ThreadPoolExecutor

    from labourwatch.accounts import Accounts
    from labourwatch.store import Store

    with Store.open(demo_store) as s:
        token = Accounts(s).new_token("eve", "concurrency")
    headers = {"Authorization": f"Bearer {token}"}
    claims = httpx.get(f"{server}/api/v1/claims", params={"per_page": 500}, headers=headers).json()["items"]
    wanted = {c["id"]: ("accepted", "rejected", "corrected")[i % 3] for i, c in enumerate(claims)}

    folder = tmp_path / "incoming"
    folder.mkdir()
    for i in range(150):
        (folder / f"wire-{i:03d}.txt").write_text(
            f"Wire {i}\n\nAbout {1000 + i:,} North Korean workers were sent to Russia in 2019, "
            "officials said.\n"
        )
    cli = [sys.executable, "-m", "labourwatch"]
    script = (f"{' '.join(cli)} ingest {folder} --db {demo_store} && "
              f"{' '.join(cli)} extract --db {demo_store}")
    writer = subprocess.Popen(["bash", "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def review(claim_id: int) -> int:
        state = wanted[claim_id]
        body = {"state": state, **({"corrected": {"low": claim_id}} if state == "corrected" else {})}
        with httpx.Client(headers=headers, timeout=60) as c:
            return c.post(f"{server}/api/v1/claims/{claim_id}/review", json=body).status_code

    with ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(review, wanted))
    _, err = writer.communicate(timeout=300)
    assert writer.returncode == 0, err.decode()
    assert codes == [200] * len(wanted)

    with Store.open(demo_store) as s:
        for claim_id, state in wanted.items():
            claim = s.claim(claim_id)
            assert claim["review_state"] == state, claim_id
            if state == "corrected":
                assert claim["low"] == claim_id
        reviews = [e for e in s.audit() if e.action == "review"]
        assert len(reviews) == len(wanted)
        assert sum(1 for d in s.documents() if (d.title or "").startswith("Wire ")) == 150
        assert s.pending() == []
