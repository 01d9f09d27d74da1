"""Places, organisations, people, sectors and ILO indicators: table-driven."""

from __future__ import annotations

import pytest
from extract_helpers import run

PLACES = [
    ("Workers from the DPRK arrived last spring.", {"KP"}),
    ("The U.S. Treasury sanctioned the firm.", {"US"}),
    ("She was ambassador to the UK before she defected.", {"GB"}),
    ("Polish inspectors visited the yard.", {"PL"}),
    ("Russia's timber camps still use the brigades.", {"RU"}),
    ("North Korean crews fished off the coast.", {"KP"}),
    ("The workers were moved from China to Laos.", {"CN", "LA"}),
    ("Jordan said the contract had ended.", set()),  # a person, not the country
    ("Brigades were also seen in Jordan.", {"JO"}),
    ("Workers used mobile phones in secret.", set()),  # not the city of Mobile
]


@pytest.mark.parametrize(("sentence", "countries"), PLACES)
def test_countries(sentence, countries):
    found = {p["country"] for p in run(sentence)["places"] if p["kind"] == "country"}
    assert found == countries


def test_cities_have_coordinates_and_country():
    record = run("The brigade moved from Vladivostok to Szczecin and then to Gdansk.")
    cities = {p["name"]: p for p in record["places"] if p["kind"] == "city"}
    assert set(cities) == {"Vladivostok", "Szczecin", "Gdansk"}  # as the text writes them
    assert cities["Szczecin"]["country"] == "PL"
    assert cities["Szczecin"]["lat"] == pytest.approx(53.43, abs=0.1)
    assert cities["Vladivostok"]["country"] == "RU"


def test_regions():
    record = run("They work across Asia, Africa, the Middle East and Europe.")
    regions = {p["name"] for p in record["places"] if p["kind"] == "region"}
    assert regions == {"Asia", "Africa", "Middle East", "Europe"}


def test_place_mentions_are_grouped_with_offsets():
    text = "Russia hosts the most. In Russia, and in Russia's far east, the camps remain."
    [russia] = [p for p in run(text)["places"] if p["country"] == "RU"]
    assert len(russia["mentions"]) == 3
    assert all(text[s:e] == "Russia" for s, e in russia["mentions"])


ORGANISATIONS = [
    ("The Global Slavery Index ranks the country last.", "Global Slavery Index"),
    ("A spokesman for the International Labour Organization declined to comment.",
     "International Labour Organization"),
    ("Sanctions were imposed on Korea Rungra 888 Trading Corporation last year.",
     "Korea Rungra 888 Trading Corporation"),
    ("Employers paid the money to Mansudae Overseas Projects Group.", "Mansudae Overseas Projects Group"),
    ("The CIA declined to comment.", "CIA"),
    ("The Outlaw Ocean Project traced the seafood.", "Outlaw Ocean Project"),
    # One word framed as a body: by a dateline, by what it is called, by its kind after it.
    ("BERLIN (Xinhua) - Two hundred workers left the port on Monday.", "Xinhua"),
    ("The yard belongs to a firm called Brightwater, the files show.", "Brightwater"),
    ("The regulator Goskomstat and the watchdog Trudnadzor both inspected the site.", "Trudnadzor"),
    ("She wrote the story for Zeitgeist magazine in March.", "Zeitgeist"),
    # Several words framed as a body: cited, by their kind, by a capital "The", by an acronym,
    # or by an organisation word after a word that is no name alone.
    ("The workers arrived on a charter, according to Radio Free Europe of Prague on Monday.",
     "Radio Free Europe"),
    ("Passengers boarded at dawn, the local airline Baikal Wings confirmed to reporters.", "Baikal Wings"),
    ("He had worked at Amber Textiles, a garment company owned by a provincial trust.", "Amber Textiles"),
    ("Three welders quit, a foreman told The Gdansk Courier at the gate.", "Gdansk Courier"),
    ("Goods were held by Trade and Border Control (TBC) and Labour and Migration Watch (LMW) in May.",
     "Trade and Border Control"),
    ("The decision came from the Central Committee after long talks at the ministry.", "Central Committee"),
    ("The report went to Parliament after a long delay in the spring.", "Parliament"),
]


@pytest.mark.parametrize(("sentence", "name"), ORGANISATIONS)
def test_organisations(sentence, name):
    orgs = [o["name"] for o in run(sentence)["organisations"]]
    assert any(name in o for o in orgs), orgs


PEOPLE = [
    ("CIA director Mike Pompeo visited Pyongyang.", "Mike Pompeo"),
    ("Former deputy ambassador Thae Yong-ho told the committee about the workers.", "Thae Yong-ho"),
    ("Kim Jong-un inspected the factory.", "Kim Jong-un"),
    ("Marzuki Darusman, the UN special rapporteur, spoke on Tuesday.", "Marzuki Darusman"),
    ("Researcher Remco Breuker described the contracts.", "Remco Breuker"),
    ("Welder Pak Yong Nam said he worked sixteen hours a day.", "Pak Yong Nam"),
    # An age after the name; a person of a body; a title with a long name.
    ("The victims, Chkhe Dong Min, 41 and Ri Sun, 29, were found at dawn on the site.", "Chkhe Dong Min"),
    ("“The camps are grim,” said Simon Adler of Baltic Tours, a travel firm.", "Simon Adler"),
    ("Swedish photographer Lenka Vrba took the pictures.", "Lenka Vrba"),
    ("Chief Minister Datuk Amar Hamid Bakri Tun Salleh said the permits were void.",
     "Datuk Amar Hamid Bakri Tun Salleh"),
]


@pytest.mark.parametrize(("sentence", "name"), PEOPLE)
def test_people(sentence, name):
    people = [p["name"] for p in run(sentence)["people"]]
    assert name in people, people
    assert not any(name in p and p != name for p in people), people  # no word around the name


def test_a_dateline_city_that_is_usually_a_name():
    record = run("WASHINGTON, May 2 (Yonhap) -- The report named 23 countries.\nWashington Irving wrote it.")
    cities = [p for p in record["places"] if p["name"] == "Washington"]
    assert [m for p in cities for m in p["mentions"]] == [[0, 10]] and cities[0]["country"] == "US"


def test_surname_mentions_join_the_person():
    text = "Marzuki Darusman, the UN special rapporteur, spoke. Later Darusman said more."
    [person] = run(text)["people"]
    assert person["name"] == "Marzuki Darusman" and len(person["mentions"]) == 2


def test_country_names_are_not_organisations():
    record = run("The Russian Federation and the United Kingdom signed the text.")
    assert record["organisations"] == []
    assert {p["country"] for p in record["places"]} == {"RU", "GB"}


def test_capitalised_words_that_are_not_names():
    record = run("However, Construction brigades work hard. Workers said nothing. Labour inspectors came.")
    assert record["people"] == []
    assert record["organisations"] == []


SECTORS = [
    ("They worked on construction sites.", {"construction"}),
    ("Loggers felled timber in the taiga.", {"logging"}),
    ("The women sewed garments for export.", {"textiles"}),
    ("Welders at the shipyard worked nights.", {"shipbuilding"}),
    ("Seafood processing plants employed hundreds.", {"fishing and seafood processing"}),
    ("IT workers took freelance contracts online.", {"information technology"}),
    ("The delegation met at the ministry.", set()),
]


@pytest.mark.parametrize(("sentence", "sectors"), SECTORS)
def test_sectors(sentence, sectors):
    assert {s["name"] for s in run(sentence)["sectors"]} == sectors


INDICATORS = [
    ("Managers kept the workers' passports for the whole contract.", {"retention_of_documents"}),
    ("Their passports were confiscated on arrival.", {"retention_of_documents"}),
    ("Recruiters deceived them about the pay.", {"deception"}),
    ("They were promised higher wages than they received.", {"deception"}),
    ("Workers were kept under round-the-clock surveillance by minders.", {"restriction_of_movement"}),
    ("They were not allowed to leave the compound.", {"restriction_of_movement"}),
    ("They could not contact their families for months.", {"isolation"}),
    ("Supervisors beat workers who fell behind.", {"physical_sexual_violence"}),
    ("Women reported sexual abuse by managers.", {"physical_sexual_violence"}),
    ("Workers who complained were threatened with deportation.", {"intimidation_threats"}),
    ("They had to pay off the debt to the broker first.", {"debt_bondage"}),
    ("Most of their wages were paid directly to the state.", {"withholding_of_wages"}),
    ("Each month they had to hand over their earnings as loyalty payments.", {"withholding_of_wages"}),
    ("They slept in crowded containers with no heating.", {"abusive_conditions"}),
    ("Shifts ran 18 hours a day.", {"excessive_overtime"}),
    ("They worked without a day off for months.", {"excessive_overtime"}),
    ("Workers kept only 10 per cent of their wages.", {"withholding_of_wages"}),
    ("Recruitment agencies confiscated passports on arrival.", {"retention_of_documents"}),
    ("They have not had a day off in three weeks.", {"excessive_overtime"}),
    ("They work every day of the month.", {"excessive_overtime"}),
    ("Women are sent home if they complain.", {"intimidation_threats"}),
    ("A North Korean company collects the wages directly.", {"withholding_of_wages"}),
    ("The men see only a fraction of it; the rest goes to their handlers.", {"withholding_of_wages"}),
    ("The agency kept most of their earnings.", {"withholding_of_wages"}),
    ("Half the pay is deposited into accounts controlled by the party.", {"withholding_of_wages"}),
    ("Minders closely monitor the construction workers at night.", {"restriction_of_movement"}),
    ("The guards offered a reward for runaways.", {"restriction_of_movement"}),
    ("They live like prisoners in the dormitory.", {"restriction_of_movement"}),
    ("The isolated country relies on the money.", set()),  # the state, not the workers
    ("Workers were kept isolated from the town.", {"isolation"}),
    ("The cook had not been paid since the spring.", {"withholding_of_wages"}),
    ("The welders never received their wages for the last month.", {"withholding_of_wages"}),
    ("The brigade sleeps in cramped rooms above the workshop.", {"abusive_conditions"}),
    ("Brokers tricked the young women into signing the contracts.", {"deception"}),
    ("Labourers threatened with dismissal kept silent.", {"intimidation_threats"}),
    # must not fire
    ("The workers were not beaten.", set()),
    ("The crowd cheered the acrobats' tricks.", set()),  # the noun, not deceit
    ("The staff would sometimes threaten to quit over the food.", set()),  # threats by the workers
    ("Angry employees assaulted the manager from the agency.", set()),
    ("Investors fear that the workers could threaten the deal.", set()),
    ("They work eight hours a day and then go home.", set()),
    ("The delegation discussed trade and investment.", set()),
]


@pytest.mark.parametrize(("sentence", "indicators"), INDICATORS)
def test_indicators(sentence, indicators):
    record = run(sentence)
    assert {i["indicator"] for i in record["indicators"]} == indicators
    text = record["document"]["text"]
    for finding in record["indicators"]:
        assert text[finding["start"]:finding["end"]] == finding["quote"]
        assert text[finding["cue_start"]:finding["cue_end"]] == finding["cue"]


ODD_TEXTS = [
    "",
    "   \n\n  ",
    "no sentence end and 300 workers",
    "a" * 200_000,
    ("words " * 50_000).strip(),
    "About\u00a0300\u2009000 workers earned \u20ac800\u202fa month.",
    "Some ３００ workers\u200f were paid $１２０.",
    "Cafe\u0301 workers: 1\u0301 2\u0300 and 45 countries.",
    "\ufeffThe figure was 50,000.\u2028New line 20 hours a day.",
    "$$$ 100 %%% -- 12-- -- ---- 5- -7 ,,, 1,,000 1.2.3 .5 billion",
]


@pytest.mark.parametrize("text", ODD_TEXTS, ids=range(len(ODD_TEXTS)))
def test_odd_input_never_crashes_and_offsets_hold(text):
    record = run(text)
    for c in record["claims"]:
        assert 0 <= c["start"] < c["end"] <= len(text)
        assert text[c["start"]:c["end"]] == c["text"]
    for p in record["places"]:
        for s, e in p["mentions"]:
            assert 0 <= s < e <= len(text)
