"""Screening: normalisation rules (table-driven), the labelled pairs' precision and recall
at the default threshold, the blocking index, the CLI and bad input."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
import yaml

from labourwatch.screen import DEFAULT_THRESHOLD, Screener
from labourwatch.screen.entities import Entity, Query, ScreenInputError, read_list, read_queries
from labourwatch.screen.index import BlockingIndex
from labourwatch.screen.matcher import name_features
from labourwatch.screen.normalize import normalize, transliterate

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("name", "distinctive", "forms"),
    [
        ("Korea Rungrado General Trading Corporation", ("rungrado",), {"corporation"}),
        ("Mansudae Overseas Projects Co., Ltd.", ("mansudae",), {"limited"}),
        ("OOO Stroyservis", ("stroyservis",), {"llc"}),
        ("ООО Стройсервис", ("stroyservis",), {"llc"}),
        ("JSC Sovfracht", ("sovfracht",), {"jsc"}),
        ("Sovfracht Joint Stock Company", ("sovfracht",), {"jsc"}),
        ("丹东鸿祥实业发展有限公司", ("dan", "dong", "hong", "xiang"), {"limited"}),
        ("Dandong Hongxiang Industrial Development Co Ltd", ("dandong", "hongxiang"), {"limited"}),
        ("조선릉라도무역총회사", ("reungrado",), {"corporation"}),  # a Hangul run is one word
        ("단천상업은행", ("dancheon", "commercial", "bank"), set()),  # business words translated
        ("朝鲜国家保险公司", ("national", "insurance"), {"company"}),
        ("FOREIGN TRADE BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA", ("foreign", "bank"), set()),
        ("Obshchestvo s Ogranichennoi Otvetstvennostyu Profinet", ("profinet",), {"llc"}),
        ("General Trading", ("general", "trading"), set()),  # nothing distinctive left: keep the words
    ],
)
def test_legal_forms_and_generic_words(name, distinctive, forms):
    form = normalize(name)
    assert form.distinctive == distinctive and form.legal_forms == forms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("김정은", "gim jeongeun"),  # family name, then the given name as one word
        ("남강무역", "namgang trading"),  # a company: no family name split off
        ("Кім Чен Ин", "kim cheon eun"),  # Ukrainian: і is и, и is ы
        ("Сергей Лавров", "sergey lavrov"),
        ("Ким Чен Ын", "kim cheon eun"),  # Korean read back from Kontsevich's Russian
        ("Чхве Рён Хэ", "choe ryeon he"),
        ("马晓红", "ma xiao hong"),
        ("Tomás Ojea", "tomas ojea"),
    ],
)
def test_transliteration(text, expected):
    assert " ".join(transliterate(text).split()) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kim Jong Un", "Gim Jeong-eun"),
        ("Kim Jong Un", "김정은"),
        ("Kim Jong Un", "Ким Чен Ын"),
        ("Kim Jong Un", "Kim Jongun"),
        ("Choe Ryong Hae", "Ch'oe Ryong-hae"),
        ("Ri Su Yong", "Lee Su-yong"),
        ("Tanchon Commercial Bank", "Dancheon Commercial Bank"),
        ("Korea Ryonbong General Corporation", "Korea Yonbong General Corporation"),
    ],
)
def test_romanisations_share_a_sound(a, b):
    assert normalize(a).keys(True) == normalize(b).keys(True) or normalize(a).key == normalize(b).key


def score(
    query: str,
    name: str,
    q_schema: str | None = None,
    e_schema: str = "Person",
    q_country: set[str] | None = None,
    e_country: set[str] | None = None,
) -> float:
    return name_features(
        Query({"name": query}, query, q_country or set(), q_schema),
        Entity(name, e_schema, [name], e_country or set()),
    ).score


@pytest.mark.parametrize(
    ("query", "name", "above"),
    [
        ("Kim Jong-un", "Kim Jong Un", True),
        ("Jong Un Kim", "Kim Jong Un", True),  # family name moved to the end
        ("Kim Jong Nam", "Kim Jong Un", False),  # a brother is not the same person
        ("Ri Yong Su", "Ri Su Yong", False),  # given-name syllables swapped: another name
        ("Igor Ivanovich Sechin", "Igor Sechin", True),  # a patronymic more
        ("Cheng Guangwei", "Chen Guangwei", False),  # ng and n fold only for Russian renderings
        ("Mansudae Art Studio", "Mansudae Overseas Project Group of Companies", False),
        ("Kim Sol Song", "Kim Song", False),  # a Korean given name is one unit
        ("Kim Un", "Kim Jong Un", False),
        ("CHOI Bu-il", "CHOE Pu Il", True),  # Choi/Choe, Bu/Pu, one word or two
        ("PARK Jin Hyok", "PAK Jin Hyok", True),
        ("Кім Чен Ин", "Kim Jong Un", True),
        ("박진혁", "PARK Jin Hyok", True),
    ],
)
def test_name_decisions(query, name, above):
    assert (score(query, name) >= DEFAULT_THRESHOLD) == above


def test_country_and_schema_move_the_score():
    base = score("Kim Jong Nam", "Kim Jong Un")
    assert score("Kim Jong Nam", "Kim Jong Un", q_country={"KP"}, e_country={"KP"}) == pytest.approx(
        base + 0.05
    )
    # listed North Korean bodies work abroad: a query's country of operation costs nothing
    assert score("Kim Jong Un", "Kim Jong Un", q_country={"RU"}, e_country={"KP"}) == pytest.approx(1.0)
    # but a South Korean namesake is told apart by country
    assert score("Kim Jong Un", "Kim Jong Un", q_country={"KR"}, e_country={"KP"}) == pytest.approx(0.85)
    assert score("Kim Jong Un", "Kim Jong Un", q_schema="Company") == pytest.approx(0.70)


def labelled_pairs() -> list[tuple[str, Entity, int]]:
    data = yaml.safe_load((DATA / "screening_pairs.yaml").read_text(encoding="utf-8"))
    pairs = []
    for e in data:
        entity = Entity(e["name"], e["schema"], [e["name"]], {e["country"]})
        pairs += [(v, entity, 1) for v in e["same"]] + [(v, entity, 0) for v in e["different"]]
    for a, b in itertools.permutations(data, 2):  # every entity's first spelling against the others
        if a["schema"] == b["schema"]:
            pairs.append((a["same"][0], Entity(b["name"], b["schema"], [b["name"]], {b["country"]}), 0))
    return pairs


def test_labelled_pairs_precision_and_recall_at_the_default_threshold():
    pairs = labelled_pairs()
    assert len(pairs) >= 300 and sum(label for *_, label in pairs) >= 150
    decided = [
        (name_features(Query({"name": q}, q, set(), None), e).score >= DEFAULT_THRESHOLD, label)
        for q, e, label in pairs
    ]
    tp = sum(1 for hit, label in decided if hit and label)
    fp = sum(1 for hit, label in decided if hit and not label)
    fn = sum(1 for hit, label in decided if not hit and label)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"labelled pairs: {len(pairs)}, precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.95 and recall >= 0.9


def test_blocking_index_finds_the_candidates_the_matcher_needs():
    pairs = labelled_pairs()
    entities = {e.id: e for _, e, _ in pairs}
    index = BlockingIndex(list(entities.values()))
    found = [
        any(c.id == e.id for c in index.candidates(q))
        for q, e, label in pairs
        if label and name_features(Query({"name": q}, q, set(), None), e).score >= DEFAULT_THRESHOLD
    ]
    assert all(found)


def test_index_cache_is_used_and_rebuilt_when_the_list_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("LABOURWATCH_CACHE", str(tmp_path / "cache"))
    listing = tmp_path / "list.csv"
    listing.write_text(
        "name,aliases,country\nKorea Namgang Construction Corporation,Namgang,KP\n", encoding="utf-8"
    )
    Screener.from_lists([str(listing)])
    [cached] = list((tmp_path / "cache").glob("index-*.npz"))
    screener = Screener.from_lists([str(listing)])
    assert len(list((tmp_path / "cache").glob("index-*.npz"))) == 1
    assert screener.screen(
        Query({"name": "Korea Namgang Construction Corp"}, "Korea Namgang Construction Corp", set(), None)
    )
    listing.write_text("name\nDaedong Credit Bank\n", encoding="utf-8")
    screener = Screener.from_lists([str(listing)])
    assert len(list((tmp_path / "cache").glob("index-*.npz"))) == 2
    assert screener.screen(Query({"name": "Taedong Credit Bank"}, "Taedong Credit Bank", set(), None))
    assert cached.exists()


def test_sample_employers_against_the_test_sanctions_file(tmp_path, db, cli, monkeypatch):
    from labourwatch.cli.demo import sample_dir

    monkeypatch.setenv("LABOURWATCH_CACHE", str(tmp_path / "cache"))
    cli("ingest", sample_dir(), "--db", db)
    cli("extract", "--db", db)
    code, out, _ = cli("screen", "store", "--db", db, "--against", DATA / "sanctions.jsonl", "--json")
    assert code == 0
    results = json.loads(out)
    hits = {r["query"]["name"]: r["matches"] for r in results if r["matches"]}
    found = {m["id"] for matches in hits.values() for m in matches}
    assert found == {"lw-test-mop", "lw-test-genco", "lw-test-namgang"}
    for matches in hits.values():
        best = matches[0]
        assert set(best) >= {"name", "score", "id", "matched_alias", "explanation", "datasets", "topics"}
        assert best["score"] >= DEFAULT_THRESHOLD and best["explanation"]["name"]["note"]
        assert best["datasets"] == ["labourwatch_test_sanctions"] and "sanction" in best["topics"]


def test_queries_csv_across_scripts(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("LABOURWATCH_CACHE", str(tmp_path / "cache"))
    queries = tmp_path / "q.csv"
    queries.write_text(
        "name,country,schema\nKim Jong-un,KP,Person\n김정은,,\nКим Чен Ын,,\n"
        "丹东鸿祥实业发展有限公司,CN,Company\n"
        "Korea Rungrado General Trading Corp.,KP,Company\nBaltic Amber Shipping,,Company\n"
        "Kim Jong Nam,KP,Person\n",
        encoding="utf-8",
    )
    code, out, _ = cli("screen", queries, "--against", DATA / "sanctions.jsonl", "--json")
    best = {r["query"]["name"]: (r["matches"][0]["id"] if r["matches"] else None) for r in json.loads(out)}
    assert best == {
        "Kim Jong-un": "lw-test-kju",
        "김정은": "lw-test-kju",
        "Ким Чен Ын": "lw-test-kju",
        "丹东鸿祥实业发展有限公司": "lw-test-hongxiang",
        "Korea Rungrado General Trading Corp.": "lw-test-rungrado",
        "Baltic Amber Shipping": "lw-test-unrelated",
        "Kim Jong Nam": None,
    }
    code, out, _ = cli("screen", queries, "--against", DATA / "sanctions.jsonl", "--csv")
    assert out.splitlines()[0].startswith("query_name,query_id,match_name,score")


@pytest.mark.parametrize(
    ("content", "suffix", "reason"),
    [
        ("id,title\n1,x\n", ".csv", "needs a 'name' column"),
        ("not json at all\n", ".jsonl", "not a FollowTheMoney JSON Lines file"),
        ('{"id": "x", "caption": "no schema"}\n', ".jsonl", "not a FollowTheMoney entity"),
        ("name\n", ".xml", "unknown list format"),
        ("name\n\n", ".csv", "holds no entity"),
    ],
)
def test_bad_list_files(tmp_path, cli, content, suffix, reason):
    listing = tmp_path / f"list{suffix}"
    listing.write_text(content, encoding="utf-8")
    queries = tmp_path / "q.csv"
    queries.write_text("name\nKim Jong Un\n", encoding="utf-8")
    code, _, err = cli("screen", queries, "--against", listing)
    assert code == 1 and listing.name in err and reason in err


def test_query_rows_warnings_and_encodings(tmp_path):
    queries = tmp_path / "q.csv"
    queries.write_bytes(
        "name,colour,schema\nSovfracht,red,Company\n,blue,\nKöhler GmbH,green,Vessel\n".encode("cp1252")
    )
    warnings: list[str] = []
    rows = read_queries(queries, warnings)
    assert [r.name for r in rows] == ["Sovfracht", "Köhler GmbH"]
    assert any("colour" in w for w in warnings) and any("no name" in w for w in warnings)
    assert any("unknown schema 'Vessel'" in w for w in warnings)
    with pytest.raises(ScreenInputError, match="'name' column"):
        bad = tmp_path / "bad.csv"
        bad.write_text("title\nx\n", encoding="utf-8")
        read_queries(bad, [])


def test_ftm_line_without_name_is_a_warning(tmp_path):
    listing = tmp_path / "l.jsonl"
    listing.write_text(
        '{"id": "a", "schema": "Company", "properties": {"name": ["Sovfracht"]}}\n'
        '{"id": "b", "schema": "Company", "properties": {}}\n',
        encoding="utf-8",
    )
    warnings: list[str] = []
    assert [e.id for e in read_list(str(listing), warnings)] == ["a"]
    assert any("has no name" in w for w in warnings)


@pytest.mark.parametrize(
    ("query", "name", "q_schema", "above"),
    [
        ("RGB", "Reconnaissance General Bureau", "Organization", True),  # initials
        ("DCB", "Daedong Credit Bank", "Company", True),
        ("Rgb", "Reconnaissance General Bureau", "Organization", False),  # not written as initials
        ("ABC", "Reconnaissance General Bureau", "Organization", False),
        ("정찰총국", "Reconnaissance General Bureau", "Organization", True),  # translated
        ("국방과학원", "Academy of National Defense Science", "Organization", True),  # other word order
        ("고려항공", "Air Koryo", "Company", True),
        ("Ministry of State Security Prisons Bureau", "Ministry of State Security", "Organization", False),
        ("North Korea's Foreign Trade Bank", "Foreign Trade Bank of the DPRK", "Company", True),
        ("Pyongjin Trading", "Yongjin Trading", "Company", False),  # sister companies
        ("Kumgangsan LLC", "Commercial Bank Kumgangsan", "Company", True),  # the name within its kind
        ("Hongsheng Trade Co., Ltd.", "Shenyang Hongsheng Trading Co., Ltd.", "Company", True),  # a city
        ("Ryongbong Trading Company", "Ryongbong Shipping Corp", "Company", False),  # another line
        ("Korea Expo", "Korea Expo Joint Venture", "Company", True),
    ],
)
def test_organisation_decisions(query, name, q_schema, above):
    assert (score(query, name, q_schema, e_schema="Organization") >= DEFAULT_THRESHOLD) == above


DEV = Path(__file__).resolve().parents[2] / "shared" / "screen" / "dev"


@pytest.mark.skipif(not (DEV / "queries.csv").exists(), reason="../shared/screen/dev is not beside it")
def test_real_names_floor():
    """Real sanctioned entities and real spellings of them (../shared/screen/dev): the floor the
    matcher must keep (measured: precision 1.00, recall 0.91)."""
    import csv

    from labourwatch.screen.evaluate import labelled_queries
    from labourwatch.screen.evaluate import score as evaluate

    rows = list(csv.DictReader((DEV / "queries.csv").open(encoding="utf-8")))
    screener = Screener.from_lists([str(DEV / "list.ftm.jsonl")])
    scores = evaluate(rows, screener.screen_all(labelled_queries(rows), jobs=1))
    print("\n".join(scores.lines()))
    assert scores.overall.precision >= 0.97 and scores.overall.recall >= 0.88
    for script in ("latin", "hangul", "cyrillic"):
        assert scores.groups[f"script:{script}"].recall >= 0.65, script
    assert scores.groups["kind:negative"].fp == 0


def test_blocking_finds_a_short_name_made_of_first_syllables():
    entities = [Entity(n, "Company", [n], {"KP"}) for n in (
        "Korea General Corporation for External Construction", "Korea Mining Development Trading Corporation",
        "Korea Ryonbong General Corporation", "General Bureau of Atomic Energy")]
    index = BlockingIndex(entities)
    assert entities[0].id in {e.id for e in index.blocked("KOGEN")}
    assert entities[0].id in {e.id for e in index.blocked("GENCO")}
    assert entities[1].id in {e.id for e in index.blocked("KOMID")}
    assert entities[3].id not in {e.id for e in index.blocked("KOGEN")}


@pytest.mark.parametrize(("name", "form", "distinctive"), [
    # spellings only rigour's organisation-type table knows
    ("Zakrytoe Aktsionernoe Obshchestvo Tumen", "jsc", ("tumen",)),
    ("Open Joint Stock Company Tumen", "jsc", ("tumen",)),
    ("Limited Liability Company Sobaeksu", "llc", ("sobaeksu",)),
    ("Tovarystvo z obmezhenoyu vidpovidalnistyu Sobaeksu", "llc", ("sobaeksu",)),
    # spellings rigour lacks, from the project's own table
    ("Obshchestvo s ogranichennoj otvetstvennostju Sobaeksu", "llc", ("sobaeksu",)),
    ("Sobaeksu FZE", "llc", ("sobaeksu",)),
    ("Sobaeksu Co Limited", "limited", ("sobaeksu",)),
])
def test_legal_forms_from_rigour_and_the_project_table(name, form, distinctive):
    from labourwatch.screen.normalize import normalize

    normal = normalize(name)
    assert normal.legal_forms == {form} and normal.distinctive == distinctive
