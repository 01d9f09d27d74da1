"""Who says so: text in, the source of one figure out (table-driven)."""

from __future__ import annotations

import pytest
from extract_helpers import claim_for, run

# (text, mention, source): the source as the text names it, or None where nobody is named.
SOURCES = [
    # A headline that ends in its source.
    ("About 3,000 N. Koreans work at farms in Laos: official\nThe body of the article goes on here "
     "for a while, long enough to be read as a paragraph and not as a heading of its own.",
     "3,000", "official"),
    ("Nepal hosts 400 North Korean cooks: Amnesty International\nA long paragraph follows the "
     "heading and runs on for a while so that the heading is a line of its own in the text.",
     "400", "Amnesty International"),
    # A subtitle is no source.
    ("Laos: 3,000 workers and a hidden economy\nA long paragraph follows the heading and runs on for "
     "a while so that the heading is a line of its own in the text.", "3,000", None),
    # The verb's subject past auxiliaries, appositions and a relative clause.
    ("The report said that Pyongyang plans to send 5,000 more workers to Laos.", "5,000", "report"),
    ("Kim Min-jun, a former welder from Chongjin, has revealed that 300 workers shared one barrack.",
     "300", "Kim Min-jun"),
    ("A foreman who refused to give his name said at least 80 North Koreans worked on the site.",
     "80", "foreman"),
    ("A researcher, Anna Berg, writing for a Swedish weekly, found that 60 North Koreans built the hall.",
     "60", "Anna Berg"),
    ("The European Commission on Monday accused 12 firms of hiring North Korean crews.", "12",
     "European Commission"),
    ("The ILO in March estimated that 4,000 North Koreans work in the region.", "4,000", "ILO"),
    ("Local papers in Gdansk report there are 90 North Korean welders at the yard.", "90", "Local papers"),
    ("Several reports had placed the number of North Korean workers in Oman in the low thousands.",
     "low thousands", "Several reports"),
    # Someone cited as saying, not the outlet that cites them; and not the figure's own phrase.
    ("Agents offer $5,000 for each runaway, the agency cited three local traders as saying.", "$5,000",
     "three local traders"),
    ("The agency cited two of the unnamed traders as saying so.", "two", "agency"),
    # "citing" a reason names nobody; a passive "is believed to" names nobody either.
    ("The paper said 40 workers fled, citing safety fears.", "40", "paper"),
    ('"A worker is believed to receive $90 a month," the envoy said.', "$90", "envoy"),
    # A document released by a body: the body.
    ("About 1.5 million people live in servitude, according to a report released on Monday by the "
     "Geneva-based Global Labour Watch.", "1.5 million", "Geneva-based Global Labour Watch"),
    ("Some 120 workers remained, according to the government's latest UN Security Council (UNSC) "
     "implementation report.", "120", "government's latest UN Security Council (UNSC) implementation report"),
    # "the United States" holds no speech verb.
    ("Pak Chol said he took jobs with firms across the United States, earning $4,000 a month.", "$4,000",
     "Pak Chol"),
]


@pytest.mark.parametrize(("text", "mention", "source"), SOURCES, ids=[s[1] for s in SOURCES])
def test_source(text, mention, source):
    assert claim_for(run(text), mention)["source"] == source


def test_a_name_shown_later_is_a_name_where_the_text_opens():
    record = run("Chol-su, a former logger, has described camps where 200 men slept in tents. "
                 "Reporters later met him again, and Chol-su's account matched the records.")
    mentions = [m for p in record["people"] if p["name"] == "Chol-su" for m in p["mentions"]]
    assert [0, 7] in mentions
    assert claim_for(record, "200")["source"] == "Chol-su"
