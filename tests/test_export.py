"""Exports read back with the reference library of each format: pandas (CSV), pyarrow (Parquet),
geojson (GeoJSON), followthemoney and its ftm tool (FtM)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from labourwatch.export import data_dictionary
from labourwatch.records import COUNTED_STATES
from labourwatch.store import EXPORT_TABLES
from labourwatch.workspace import Workspace


def test_csv_export_has_every_table_and_a_dictionary_of_every_column(demo_store: Path, tmp_path: Path,
                                                                      cli) -> None:
    import pandas as pd

    code, out, _ = cli("export", "csv", tmp_path / "csv", "--db", demo_store)
    assert code == 0, out
    with Workspace.open(demo_store) as ws:
        for table in EXPORT_TABLES:
            frame = pd.read_csv(tmp_path / "csv" / f"{table}.csv", keep_default_na=False)
            assert list(frame.columns) == [name for name, _ in ws.store.columns(table)]
            assert len(frame) == ws.store.count(table)
        claims = pd.read_csv(tmp_path / "csv" / "claims.csv")
        first = ws.store.claim(int(claims["id"][0]))
        assert claims["quote"][0] == first["quote"]
    dictionary = pd.read_csv(tmp_path / "csv" / "data-dictionary.csv", keep_default_na=False)
    columns = dictionary[dictionary["column"] != ""]
    assert (columns["meaning"] != "").all()  # every exported column is described
    assert set(dictionary["table"]) == set(EXPORT_TABLES)
    everything = "".join(p.read_text("utf-8") for p in (tmp_path / "csv").iterdir())
    assert "argon2" not in everything and "password" not in everything.lower()  # no users exported


def test_the_dictionary_describes_exactly_what_the_store_exports(demo_store: Path) -> None:
    with Workspace.open(demo_store) as ws:
        for table in EXPORT_TABLES:
            exported = {name for name, _ in ws.store.columns(table)}
            assert exported == set(data_dictionary()[table].columns), table


def test_parquet_export_is_typed_and_complete(demo_store: Path, tmp_path: Path, cli) -> None:
    import pyarrow.parquet as pq

    code, out, _ = cli("export", "parquet", tmp_path / "pq", "--db", demo_store)
    assert code == 0, out
    with Workspace.open(demo_store) as ws:
        for table in EXPORT_TABLES:
            parquet = pq.read_table(tmp_path / "pq" / f"{table}.parquet")
            assert parquet.num_rows == ws.store.count(table)
        claims = pq.read_table(tmp_path / "pq" / "claims.parquet")
        assert str(claims.schema.field("low").type) == "double"
        assert str(claims.schema.field("start").type) == "int64"
        assert claims.schema.field("quote").metadata[b"meaning"]
        assert sorted(claims.column("id").to_pylist()) == sorted(ws.store.claim_ids())


def test_geojson_export_is_valid_and_carries_the_claims_about_each_country(demo_store: Path, tmp_path: Path,
                                                                          cli) -> None:
    import geojson

    path = tmp_path / "places.geojson"
    code, out, _ = cli("export", "geojson", path, "--db", demo_store)
    assert code == 0, out
    collection = geojson.loads(path.read_text("utf-8"))
    assert collection.is_valid, collection.errors()
    assert collection["features"]
    with Workspace.open(demo_store) as ws:
        for feature in collection["features"]:
            lon, lat = feature["geometry"]["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            props = feature["properties"]
            if props["place_kind"] == "country":
                expected = ws.count_claims(place=props["country"], states=COUNTED_STATES)
                assert props["claims"] == len(props["claim_list"]) == expected
        assert any(f["properties"]["claims"] for f in collection["features"])


def test_ftm_export_validates_with_followthemoney(demo_store: Path, tmp_path: Path, cli) -> None:
    from followthemoney import model

    path = tmp_path / "evidence.ftm.json"
    code, out, _ = cli("export", "ftm", path, "--db", demo_store)
    assert code == 0, out
    lines = path.read_text("utf-8").splitlines()
    entities = [model.get_proxy(json.loads(line), cleaned=False) for line in lines]
    by_id = {e.id: e for e in entities}
    assert len(by_id) == len(entities)  # no entity twice
    for entity in entities:
        for prop in entity.iterprops():  # every value clean by its property's type
            for value in entity.get(prop):
                assert prop.type.clean(value) is not None, (entity.schema.name, prop.name, value)
    documents = [e for e in entities if e.schema.is_a("Document")]
    with Workspace.open(demo_store) as ws:
        assert {d.first("contentHash") for d in documents} == {d.id for d in ws.store.documents()}
        notes = [e for e in entities if e.schema.name == "Note"]
        counted = ws.count_claims(states=COUNTED_STATES)
        indicators = [i for i in ws.store.indicators() if i.review.state != "rejected"]
        assert len(notes) == counted + len(indicators)
    for mention in (e for e in entities if e.schema.name == "Mention"):
        assert by_id[mention.first("document")].schema.is_a("Document")
        assert by_id[mention.first("resolved")].schema.name in ("Person", "Organization")
    for note in notes:
        assert note.first("entity") in by_id and note.first("description")
    # The ftm tool itself re-parses and validates the file.
    ftm = Path(sys.executable).parent / "ftm"
    result = subprocess.run([str(ftm), "validate", "-i", str(path), "-o", str(tmp_path / "checked.json")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len((tmp_path / "checked.json").read_text("utf-8").splitlines()) == len(entities)


def test_warc_export_without_captures_is_a_clear_error(demo_store: Path, tmp_path: Path, cli) -> None:
    code, _, err = cli("export", "warc", tmp_path / "w", "--db", demo_store)
    assert code != 0
    assert err.strip().count("\n") == 0 and "no captured web pages" in err


@pytest.mark.parametrize("kind", ["csv", "parquet", "geojson", "ftm"])
def test_export_to_an_unwritable_place_is_one_line(demo_store: Path, tmp_path: Path, cli, kind: str) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, _, err = cli("export", kind, blocker / "inside" / "out", "--db", demo_store)
    assert code != 0
    assert err.strip().count("\n") == 0 and "a-file" in err


def test_an_ftm_list_of_unknown_schemata_is_one_clear_error(tmp_path: Path, cli) -> None:
    path = tmp_path / "list.json"
    spaceship = {"schema": "Spaceship", "properties": {"name": ["A"]}}
    path.write_text("\n".join(json.dumps({"id": f"x{n}", **spaceship}) for n in range(3)) + "\n")
    queries = tmp_path / "names.csv"
    queries.write_text("name\nSome Name\n")
    code, _, err = cli("screen", queries, "--against", path)
    assert code != 0
    assert "no usable FollowTheMoney entity" in err and "unknown schema 'Spaceship'" in err
