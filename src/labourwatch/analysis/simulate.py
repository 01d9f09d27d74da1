"""Synthetic populations of known size, sampled into overlapping lists of records as NGOs keep
them: Korean names written in Hangul or in one of several romanisations, birth dates with
typos, places and employers, unequal catchability and lists that depend on each other. They
check linkage and estimation end to end, where the truth is known.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from labourwatch.analysis.linkage import Record
from labourwatch.analysis.mse.data import CaptureData

# The simulation HRDAG uses to check LCMCR implementations: 2,000 people in two latent classes
# of very different catchability on 5 lists (most people are rarely caught).
HETEROGENEOUS: list[tuple[int, list[float]]] = [
    (1800, [0.033, 0.033, 0.099, 0.132, 0.033]),
    (200, [0.660, 0.825, 0.759, 0.990, 0.693]),
]

# Each syllable: its Hangul and the romanisations found in lists (McCune–Reischauer as North
# Korea writes it, Revised Romanisation as the South does, and common spellings).
SURNAMES = [("김", "Kim", "Gim"), ("리", "Ri", "Lee", "Yi"), ("박", "Pak", "Park", "Bak"),
            ("최", "Choe", "Choi"), ("정", "Jong", "Jeong", "Chung"), ("강", "Kang", "Gang"),
            ("조", "Jo", "Cho"), ("윤", "Yun", "Yoon"), ("장", "Jang", "Chang"), ("한", "Han"),
            ("림", "Rim", "Lim"), ("신", "Sin", "Shin"), ("권", "Kwon", "Gwon"), ("황", "Hwang"),
            ("안", "An", "Ahn"), ("송", "Song"), ("전", "Jon", "Jeon"), ("홍", "Hong")]
SYLLABLES = [("철", "Chol", "Cheol", "Chul"), ("남", "Nam"), ("영", "Yong", "Young", "Yeong"),
             ("수", "Su", "Soo"), ("명", "Myong", "Myeong", "Myung"), ("호", "Ho"), ("일", "Il"),
             ("성", "Song", "Seong", "Sung"), ("혁", "Hyok", "Hyeok", "Hyuk"), ("진", "Jin", "Chin"),
             ("광", "Kwang", "Gwang"), ("민", "Min"), ("학", "Hak"), ("국", "Kuk", "Guk"),
             ("현", "Hyon", "Hyeon", "Hyun"), ("은", "Un", "Eun"), ("희", "Hui", "Hee"),
             ("순", "Sun", "Soon"), ("옥", "Ok"), ("용", "Yong", "Young"), ("룡", "Ryong", "Yong"),
             ("금", "Kum", "Geum"), ("향", "Hyang"), ("춘", "Chun")]
PLACES = ["Vladivostok", "Khabarovsk", "Dandong", "Shenyang", "Moscow", "Kuwait City", "Doha", "Ulan Bator"]
EMPLOYERS = ["Rungrado Trading", "Korea Mirae", "Namgang Construction", "Paekho Trading", "Chonji Ltd"]


@dataclass(frozen=True)
class Person:
    id: int
    syllables: tuple[int, int, int]  # surname, given name (two syllables)
    birth: str
    place: str
    employer: str


@dataclass(frozen=True)
class Scenario:
    """How people are caught: two groups of different catchability (a hidden majority) and
    lists that follow one another (the second list takes many of the first's cases)."""

    size: int = 800
    lists: int = 4
    hidden_share: float = 0.7
    capture_hidden: tuple[float, ...] = (0.12, 0.10, 0.15, 0.08)
    capture_visible: tuple[float, ...] = (0.45, 0.40, 0.50, 0.35)
    follows: float = 0.25  # P(on list 2 | on list 1) rises by this much: list dependence
    hangul: float = 0.2  # share of records written in Hangul
    birth_known: float = 0.8
    birth_typo: float = 0.03


def population(scenario: Scenario, rng: np.random.Generator) -> list[Person]:
    people = []
    for i in range(scenario.size):
        syllables = (int(rng.integers(len(SURNAMES))), int(rng.integers(len(SYLLABLES))),
                     int(rng.integers(len(SYLLABLES))))
        birth = f"{rng.integers(1965, 2000)}-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d}"
        people.append(Person(i, syllables, birth, str(rng.choice(PLACES)), str(rng.choice(EMPLOYERS))))
    return people


def sample_lists(
    people: list[Person], scenario: Scenario, rng: np.random.Generator
) -> tuple[list[Record], dict[str, int]]:
    """Each list's records of the people it caught, each written as that list writes it, and
    the truth: which person each record is."""
    hidden = rng.random(len(people)) < scenario.hidden_share
    p = np.where(hidden[:, None], scenario.capture_hidden, scenario.capture_visible)
    caught = rng.random(p.shape) < p
    if scenario.lists > 1:
        extra = caught[:, 0] & (rng.random(len(people)) < scenario.follows)
        caught[:, 1] |= extra
    records: list[Record] = []
    truth: dict[str, int] = {}
    for person in people:
        for j in np.flatnonzero(caught[person.id]):
            records.append(_record(person, f"list{j + 1}", len(records), scenario, rng))
            truth[records[-1].id] = person.id
    return records, truth


def _record(person: Person, source: str, number: int, scenario: Scenario, rng: np.random.Generator) -> Record:
    s, g1, g2 = person.syllables
    if rng.random() < scenario.hangul:
        name = SURNAMES[s][0] + SYLLABLES[g1][0] + SYLLABLES[g2][0]
    else:
        surname, first, second = (str(rng.choice(t[1:])) for t in (SURNAMES[s], SYLLABLES[g1], SYLLABLES[g2]))
        given = rng.choice([f"{first} {second}", f"{first}-{second.lower()}", f"{first}{second.lower()}"])
        name = f"{given} {surname}" if rng.random() < 0.15 else f"{surname} {given}"
    birth = ""
    if rng.random() < scenario.birth_known:
        birth = person.birth
        if rng.random() < scenario.birth_typo:
            birth = birth[:-2] + f"{int(rng.integers(1, 29)):02d}"
    return Record(f"{source}-{number}", source, name, birth, person.place, person.employer)



def latent_class_histories(groups: list[tuple[int, list[float]]], rng: np.random.Generator) -> CaptureData:
    """Capture histories of a population made of ``groups`` (size, capture probability per
    list), lists independent within a group: the model LCMCR assumes, with a known total."""
    caught = np.concatenate([rng.random((size, len(p))) < p for size, p in groups]).astype(int)
    caught = caught[caught.any(axis=1)]
    histories: dict[tuple[int, ...], int] = {}
    for row in map(tuple, caught):
        histories[row] = histories.get(row, 0) + 1
    return CaptureData.from_histories([f"L{j + 1}" for j in range(caught.shape[1])], histories)
