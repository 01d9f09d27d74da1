"""The HTML report in a real headless browser (Chromium from Debian's packages, driven by
Playwright): sections and figures present, no console errors, no network requests."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHARED
from web_helpers import chromium

from labourwatch.cli.demo import sample_dir

SEEDS = SHARED / "corpus" / "seeds"


def page_width(path: Path, width: int) -> tuple[int, list[str]]:
    """How wide the page lays out in a window ``width`` pixels wide, and what sticks out."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(path.resolve().as_uri())
        scroll = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                         && getComputedStyle(e.parentElement).overflowX === 'visible'
                         && !e.closest('table'))
            .map(e => e.tagName + '.' + e.className)""")
    return scroll, wide


def open_in_browser(path: Path) -> tuple[str, list[str], list[str], dict]:
    """(visible text, console errors, URLs requested other than the page, section ids and counts)."""
    errors: list[str] = []
    requests: list[str] = []
    url = path.resolve().as_uri()
    with chromium() as browser:
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url) if r.url != url else None)
        page.goto(url)
        page.wait_for_load_state("load")
        text = page.inner_text("body")
        info = page.evaluate("""() => ({
            sections: [...document.querySelectorAll('section')].map(s => s.id),
            links: [...document.querySelectorAll('a.v')].map(a => a.getAttribute('href')),
            anchors: [...document.querySelectorAll('[id^=claim-]')].map(e => e.id),
            svgs: document.querySelectorAll('svg').length,
            conflicts: document.querySelectorAll('.conflict').length,
        })""")
    return text, errors, requests, info


def structure(source: str) -> dict:
    """The same facts as the browser reads, from the HTML string itself (lxml)."""
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(source)
    return {
        "sections": [s.get("id") for s in tree.iter("section")],
        "links": [a.get("href") for a in tree.xpath("//a[contains(concat(' ', @class, ' '), ' v ')]")],
        "anchors": [e.get("id") for e in tree.xpath("//*[starts-with(@id, 'claim-')]")],
        "svgs": len(tree.xpath("//svg")),
        "conflicts": len(tree.xpath("//*[contains(concat(' ', @class, ' '), ' conflict ')]")),
    }


SECTIONS = ["summary", "figures", "timeline", "map", "indicators", "model", "documents", "quotes"]


def test_report_structure_in_the_html_string(tmp_path, cli):
    """Runs in every checkout, browser or not."""
    db = tmp_path / "r.db"
    cli("ingest", sample_dir(), *([SEEDS] if SEEDS.exists() else []), "--db", db)
    cli("extract", "--db", db)
    html = tmp_path / "report.html"
    assert cli("report", "--db", db, "--html", html)[0] == 0
    info = structure(html.read_text(encoding="utf-8"))
    assert info["sections"] == SECTIONS
    assert info["svgs"] >= 3 and info["conflicts"] >= 1
    assert info["links"] and {h.lstrip("#") for h in info["links"]} <= set(info["anchors"])


def test_report_of_seeds_and_samples(tmp_path, cli):
    db = tmp_path / "r.db"
    inputs = [sample_dir()] + ([SEEDS] if SEEDS.exists() else [])
    cli("ingest", *inputs, "--db", db)
    cli("extract", "--db", db)
    html = tmp_path / "report.html"
    md = tmp_path / "report.md"
    code, out, _ = cli("report", "--db", db, "--html", html, "--md", md)
    assert code == 0 and html.exists() and md.read_text(encoding="utf-8").startswith("# labourwatch")
    source = html.read_text(encoding="utf-8")
    # self-contained: no script, no stylesheet or image or link to fetch (URLs may appear as text)
    assert "<script" not in source and not re.search(r"(?:src|href)\s*=\s*['\"]?(?:https?:)?//", source)
    text, errors, requests, info = open_in_browser(html)
    assert errors == [] and requests == []
    assert info == structure(source)  # the browser reads what the string holds
    assert info["sections"] == [
        "summary",
        "figures",
        "timeline",
        "map",
        "indicators",
        "model",
        "documents",
        "quotes",
    ]
    assert info["svgs"] >= 3 and info["conflicts"] >= 1
    # every number links to a quote that is on the page
    assert info["links"] and {h.lstrip("#") for h in info["links"]} <= set(info["anchors"])
    for expected in ("workers_abroad", "revenue", "Money-flow model", "withholding", "SHA-256"):
        assert expected in text
    if SEEDS.exists():
        assert "200,000" in text and "≥ 50,000" in text  # the disagreement the seeds hold, as written


def test_report_of_an_empty_store_says_so(tmp_path, cli):
    db = tmp_path / "empty.db"
    subprocess.run(
        [sys.executable, "-m", "labourwatch", "ingest", str(tmp_path / "nothing"), "--db", str(db)],
        capture_output=True,
    )
    html = tmp_path / "empty.html"
    code, _, err = cli("report", "--db", db, "--html", html)
    assert code == 0 and "empty" in err
    text, errors, requests, info = open_in_browser(html)
    assert "The store is empty" in text and errors == [] and requests == []
    assert info["sections"] == ["summary", "empty"]


def test_map_projection_places_every_point():
    from labourwatch.report.svg import world_map

    svg = world_map([("Big", 55.75, 37.62, 30_000, "a"), ("Small", 52.23, 21.01, 0, "b"),
                     ("Other", 39.03, 125.75, 0, "c")], width=720, height=360)
    circles = re.findall(r"<circle cx='([\d.]+)' cy='([\d.]+)'", svg)
    places = ((55.75, 37.62), (52.23, 21.01), (39.03, 125.75))
    expected = [((lon + 180) * 2, (90 - lat) * 2) for lat, lon in places]
    for (cx, cy), (x, y) in zip(circles, expected, strict=True):
        assert float(cx) == pytest.approx(x, abs=0.1) and float(cy) == pytest.approx(y, abs=0.1)


def test_report_shows_file_names_not_the_investigators_folders(tmp_path, cli):
    folder = tmp_path / "cases" / "informant-kim"
    folder.mkdir(parents=True)
    (folder / "note.txt").write_text("Some 300 workers were sent to Russia in 2019.", encoding="utf-8")
    db = tmp_path / "s.db"
    cli("ingest", folder, "--db", db)
    cli("extract", "--db", db)
    plain, full = tmp_path / "plain.html", tmp_path / "full.html"
    assert cli("report", "--db", db, "--html", plain)[0] == 0
    assert cli("report", "--db", db, "--html", full, "--include-paths")[0] == 0
    assert "note.txt" in plain.read_text() and "informant-kim" not in plain.read_text()
    assert str(folder / "note.txt") in full.read_text()


def test_report_says_what_is_not_extracted(tmp_path, cli):
    (tmp_path / "a.txt").write_text("Some 300 workers were sent to Russia in 2019.", encoding="utf-8")
    db = tmp_path / "s.db"
    cli("ingest", tmp_path / "a.txt", "--db", db)
    md = tmp_path / "r.md"
    assert cli("report", "--db", db, "--md", md)[0] == 0
    assert "1 document(s) not yet extracted" in md.read_text()
    cli("extract", "--db", db)
    assert cli("report", "--db", db, "--md", md)[0] == 0
    assert "not yet extracted" not in md.read_text()


def test_report_fits_a_400_pixel_screen_and_draws_the_world(tmp_path, cli):
    """At 400 px the page was 1,077 px wide; the map had no land. Now wide tables scroll inside
    themselves, the page is no wider than the screen, and the map draws country outlines."""
    db = tmp_path / "r.db"
    cli("ingest", sample_dir(), *([SEEDS] if SEEDS.exists() else []), "--db", db)
    cli("extract", "--db", db)
    html = tmp_path / "report.html"
    assert cli("report", "--db", db, "--html", html)[0] == 0
    source = html.read_text(encoding="utf-8")
    map_svg = source[source.index("<section id='map'>"):source.index("<section id='indicators'>")]
    assert map_svg.count("class='land") > 150 and "named-country" in map_svg
    scroll, wide = page_width(html, 400)
    assert scroll <= 400, wide


def test_timeline_has_a_series_per_place_and_the_unit_on_its_axis(tmp_path, cli):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("In 2017 about 30,000 North Korean workers were in Russia, officials said. "
                                  "In 2017 some 50,000 North Korean workers were in China.\n")
    (folder / "b.txt").write_text("In 2019 about 20,000 North Korean workers were in Russia, the ministry "
                                  "said. In 2019 some 70,000 North Korean workers were in China.\n")
    (folder / "c.txt").write_text("In 2016 North Korean workers in Poland earned 1,500 zloty a month. "
                                  "In 2018 North Korean workers in Russia earned 500 dollars a month.\n")
    db = tmp_path / "t.db"
    cli("ingest", folder, "--db", db)
    cli("extract", "--db", db)
    html, md = tmp_path / "t.html", tmp_path / "t.md"
    assert cli("report", "--db", db, "--html", html, "--md", md)[0] == 0
    source = html.read_text(encoding="utf-8")
    timeline = source[source.index("<section id='timeline'>"):source.index("<section id='map'>")]
    workers = timeline[timeline.index("workers_abroad"):]
    assert workers.count("<polyline") == 2  # Russia's line and China's: never one series
    assert ">people</text>" in workers and "RU</span>" in workers and "CN</span>" in workers
    assert "PLN per month" in timeline and "USD per month" in timeline  # zloty never on a dollar axis
    assert "1,500 zloty" not in timeline.split("PLN per month")[0].split("USD per month")[-1]
    markdown = md.read_text(encoding="utf-8")
    for heading in ("## Timeline", "### workers_abroad (people)", "### worker_pay (PLN per month)",
                    "## Places", "### Disagreements across years"):
        assert heading in markdown
    assert "| 2019 | RU |" in markdown and "| Russia | country | RU |" in markdown
