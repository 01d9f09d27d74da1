"""Quantities: sentence in, expected claim out (table-driven), and sentences where no rule may fire."""

from __future__ import annotations

import pytest
from extract_helpers import claim_for, run

# (sentence, mention, expected fields)
CLAIMS = [
    ("Officials say around 3,000 North Korean labourers remain in Vladivostok.", "3,000",
     {"low": 3000, "high": 3000, "unit": "person", "qualifier": "about", "variable": "workers_at_site",
      "place": "RU"}),
    ("At least 150,000 North Koreans were working overseas in 2017, according to the South Korean "
     "intelligence service.", "150,000",
     {"low": 150000, "high": None, "qualifier": "at_least", "variable": "workers_abroad", "year": 2017,
      "source": "South Korean intelligence service"}),
    ("Between 50,000 and 100,000 workers were sent to China and Russia.", "50,000",
     {"low": 50000, "high": 100000, "qualifier": "range", "variable": "workers_abroad", "place": "CN"}),
    ("From 50,000 to 200,000 North Koreans have worked abroad over the past decade.", "50,000",
     {"low": 50000, "high": 200000, "qualifier": "range", "variable": "workers_abroad"}),
    ("Some 10,000 workers were repatriated last year.", "10,000",
     {"low": 10000, "high": 10000, "qualifier": "about", "variable": "repatriated"}),
    ("Half a million people are thought to live in forced labour.", "Half a million",
     {"low": 500000, "unit": "person", "variable": "victims"}),
    ("The UN estimated that 2.5 million people were in forced labour in the country.", "2.5 million",
     {"low": 2500000, "variable": "victims", "source": "UN"}),
    ("Tens of thousands of labourers were dispatched to building sites in the Gulf.", "Tens of thousands",
     {"low": 10000, "high": None, "qualifier": "at_least", "unit": "person"}),
    ("Twenty-five workers shared one room in the dormitory.", "Twenty-five",
     {"low": 25, "unit": "person"}),
    ("A dozen welders slept in one container.", "dozen", {"low": 12, "unit": "person"}),
    ("More than 20 companies hired the brigades.", "20 companies",
     {"low": 20, "high": None, "unit": "company", "qualifier": "at_least"}),
    ("The factory employed ３００ workers from the North.", "３００", {"low": 300, "unit": "person"}),
    ("As many as 40,000 North Koreans were in Russia at the peak.", "40,000",
     {"low": None, "high": 40000, "qualifier": "at_most", "variable": "workers_abroad", "place": "RU"}),
    ("50,000 or more workers may have left.", "50,000",
     {"low": 50000, "high": None, "qualifier": "at_least"}),
    # The role of a figure from its clause: plural sites are a country's workers, one site is a site;
    # money handed to the state is its share; gross pay the state takes from is the employer's.
    ("About 6,000 North Koreans work at construction sites across Kuwait.", "6,000",
     {"variable": "workers_abroad", "place": "KW"}),
    ("Some 900 North Koreans are employed by 14 companies in Malta.", "900", {"variable": "workers_abroad"}),
    ("Nearly 300 North Koreans sew uniforms at a garment factory in Dandong.", "300",
     {"variable": "workers_at_site"}),
    ("Each worker was ordered to hand over $150 of their wages every month.", "$150",
     {"low": 150, "unit": "USD", "variable": "state_share"}),
    ("The welders earn $900 a month. Of that sum, each must submit $600 to the state.", "$900",
     {"variable": "employer_pay"}),
    ("The state takes up to 80 percent of their wages, which range from $400 to $700.", "$400",
     {"low": 400, "high": 700, "variable": "employer_pay"}),
    ("Pyongyang earns $200 million a year from exports of coal and seafood.", "$200 million",
     {"variable": "other"}),
    ("North Korea runs about 60 restaurants in some 10 countries.", "10 countries",
     {"unit": "country", "variable": "host_countries"}),
    ("The brigades operated in more than 40 countries, where the workers built housing.", "40 countries",
     {"low": 40, "unit": "country", "variable": "host_countries", "qualifier": "at_least"}),
    # vague amounts a reader sees: at least the round figure
    ("Thousands of workers were seen at the port.", "Thousands of",
     {"low": 1000, "high": None, "unit": "person", "qualifier": "at_least"}),
    ("Hundreds of North Korean laborers were sent home.", "Hundreds of",
     {"low": 100, "unit": "person", "variable": "repatriated"}),
    ("Most workers have left, but several thousand remain in Russia.", "several thousand",
     {"low": 1000, "unit": "person", "qualifier": "at_least"}),
    # counts by place, the noun given once
    ("Workers went to 16 countries: Russia (20,000), China (19,000) and Poland (400-500).", "20,000",
     {"low": 20000, "unit": "person", "variable": "workers_abroad", "place": "RU"}),
    ("Of the workers, nine are in Russia and seven in Cambodia.", "nine",
     {"low": 9, "unit": "person", "place": "RU"}),
    ("North Korean workers abroad number around 53,000, he said.", "around 53,000",
     {"low": 53000, "unit": "person", "qualifier": "about"}),
    # a handful of people is an incident, not a workforce
    ("Two North Korean workers died at the site in Moscow.", "Two",
     {"low": 2, "unit": "person", "variable": "other"}),
    # money
    ("North Korea earned $1.2-2.3 billion a year from labour exports.", "$1.2",
     {"low": 1.2e9, "high": 2.3e9, "unit": "USD", "per": "year", "variable": "revenue"}),
    ("The scheme raised £1.6bn for the regime, a research institute estimated.", "£1.6bn",
     {"low": 1.6e9, "unit": "GBP", "variable": "revenue", "source": "research institute"}),
    ("The labour exports generate USD 2.3 million annually for the party.", "USD 2.3 million",
     {"low": 2.3e6, "unit": "USD", "per": "year", "variable": "revenue"}),
    ("Each worker costs the employer €800 a month.", "€800",
     {"low": 800, "unit": "EUR", "per": "month", "variable": "employer_pay"}),
    ("The company paid 1,200 yuan per month for each labourer.", "1,200 yuan",
     {"low": 1200, "unit": "CNY", "per": "month", "variable": "employer_pay"}),
    ("Loggers said they received wages of 30,000 rubles a month.", "30,000 rubles",
     {"low": 30000, "unit": "RUB", "per": "month", "variable": "worker_pay"}),
    ("A welder took home 2,000 zloty monthly.", "2,000 zloty",
     {"low": 2000, "unit": "PLN", "per": "month", "variable": "worker_pay"}),
    ("The monthly salary of $400 was paid to a state agency.", "$400", {"low": 400, "per": "month"}),
    ("Seized funds totalled $3m.", "$3m", {"low": 3e6, "unit": "USD"}),
    # shares
    ("The workers kept just 10% of their salaries.", "10%",
     {"low": 10, "unit": "percent", "variable": "worker_share"}),
    ("The state confiscated 70 percent of their wages.", "70 percent",
     {"low": 70, "unit": "percent", "variable": "state_share"}),
    ("Ninety percent of the money goes to the state.", "Ninety percent",
     {"low": 90, "unit": "percent", "variable": "state_share"}),
    ("Workers receive between 10 and 20 per cent of their pay, according to Human Rights Watch.", "10",
     {"low": 10, "high": 20, "qualifier": "range", "variable": "worker_share",
      "source": "Human Rights Watch"}),
    ("About 60 per cent of the population lacks clean water.", "60 per cent",
     {"low": 60, "variable": "other"}),
    # time
    ("Workers said they toiled 12-16 hours a day.", "12-16",
     {"low": 12, "high": 16, "unit": "hour", "per": "day", "variable": "work_hours", "qualifier": "range"}),
    ("They worked up to 20 hours a day in summer.", "20 hours",
     {"low": None, "high": 20, "unit": "hour", "per": "day", "variable": "work_hours"}),
    ("Crews worked 18-hour shifts on the trawlers.", "18-hour",
     {"low": 18, "unit": "hour", "per": "day", "variable": "work_hours"}),
    ("They had two days off per month.", "two days",
     {"low": 2, "unit": "day", "per": "month", "variable": "days_off"}),
    ("The contract ran for three years.", "three years", {"low": 3, "unit": "year", "variable": "other"}),
    # attribution
    ("Around 1,500 North Koreans work in the city's shipyards. That's according to local journalists.",
     "1,500", {"source": "local journalists", "variable": "workers_at_site"}),
    ("Citing figures from the labour ministry, he said 8,000 workers had entered the country.", "8,000",
     {"source": "labour ministry"}),
    ("A report by the Korea Institute for National Unification found that 60,000 workers were abroad.",
     "60,000", {"source": "Korea Institute for National Unification"}),
    ("Amnesty International's report put the number at 5,000 workers.", "5,000",
     {"source": "Amnesty International"}),
    ("\"About 500 workers were in the camp,\" said Kim Song-il.", "500", {"source": "Kim Song-il"}),
    ("The trade earned the regime hundreds of millions of dollars, a U.N. panel of experts said.",
     "hundreds of millions", {"low": 1e8, "high": None, "unit": "USD", "variable": "revenue",
                              "source": "U.N. panel of experts"}),
    ("Some 100,000 North Korean workers were in China. Another 20,000 to 30,000 were in Russia.",
     "20,000 to 30,000", {"low": 20000, "high": 30000, "unit": "person", "variable": "workers_abroad",
                          "place": "RU"}),
    ("IT workers can each earn up to $300,000 a year, the Treasury Department said. It estimated that "
     "they generate $250 million to $600 million annually.", "$250 million",
     {"variable": "revenue", "source": "Treasury Department", "per": "year"}),
    ("Walk Free, which publishes the Global Slavery Index, estimates that 2.6 million people in North "
     "Korea live in modern slavery.", "2.6 million", {"variable": "victims", "source": "Walk Free"}),
    ("She worked 15 hours a day with only one day off per month.", "one day off",
     {"low": 1, "unit": "day", "per": "month", "variable": "days_off"}),
    ("Our researchers interviewed 64 former North Korean workers.", "64",
     {"low": 64, "unit": "person"}),
    ("Employers paid between US$ 600 and US$ 900 per worker per month to the agency.", "US$ 600",
     {"low": 600, "high": 900, "unit": "USD", "per": "month", "variable": "employer_pay"}),
    ("The total annual income generated for the regime was likely in the range of US$ 200-500 million.",
     "US$ 200", {"low": 2e8, "high": 5e8, "per": "year", "variable": "revenue"}),
    ("Each worker costs his company about 60,000 rubles ($650) a month.", "60,000 rubles",
     {"low": 60000, "unit": "RUB", "per": "month", "variable": "employer_pay", "qualifier": "about"}),
    ("By one estimate, the women keep less than a third of what they earn.", "a third",
     {"low": None, "high": 33.33, "unit": "percent", "variable": "worker_share", "qualifier": "at_most"}),
    ("About 400 women filleted squid. Another facility nearby employed some 1,200 of them.", "1,200",
     {"low": 1200, "unit": "person", "qualifier": "about"}),
    ("Experts at the Asan Institute for Policy Studies in Seoul put the number of North Koreans working "
     "in Russia at around 10,000 in 2023, down from more than 40,000 before the ban.", "40,000",
     {"low": 40000, "high": None, "unit": "person", "variable": "workers_abroad",
      "source": "Asan Institute for Policy Studies"}),
    # A count that names no noun takes the noun of the last count before it (a list by place),
    # people when the words after it say so, or the noun of a change it continues.
    ("The state runs about 80 cafes and 60 bakeries abroad. Some 40 are in Laos, nine in Nepal.", "nine",
     {"low": 9, "unit": "bakery", "place": "NP"}),
    ("Pyongyang ran 25 clinics in Africa: 14 in Tanzania and 11 in Uganda.", "11",
     {"low": 11, "unit": "site", "place": "UG"}),
    ("Some 600 Poles were hired last year, and perhaps 300 living in Gdansk came from Ukraine.", "300",
     {"low": 300, "unit": "person"}),
    ("An estimated 1.2 million living in servitude were counted by the index.", "1.2 million",
     {"low": 1.2e6, "unit": "person", "variable": "victims"}),
    ("The number of North Koreans in Laos rose from one worker in 2012 to 15 in 2014 and to 60 in 2016.",
     "60", {"low": 60, "unit": "person", "variable": "workers_abroad"}),
    ("The number of North Koreans in Laos rose from one worker in 2012 to 15 in 2014.", "one worker",
     {"low": 1, "unit": "person"}),
    ("The Gdansk workforce, which once stood at 4,000 labourers, shrank.", "4,000",
     {"low": 4000, "unit": "person"}),
    ("Officials said a further 2,000 labourers would follow, after 3,000 were sent.", "2,000",
     {"low": 2000, "unit": "person"}),
    ("We are 50 workers here; there are around 30 of us in each dormitory.", "30",
     {"low": 30, "unit": "person", "qualifier": "about"}),
    ("In a 2019 case, 9 North Koreans were charged with fraud.", "9 North",
     {"low": 9, "unit": "person"}),
    ("By the end of May, 320 North Korean labourers remained in Oman.", "320",
     {"low": 320, "unit": "person", "place": "OM"}),
    ("There were 640 North Koreans employed in the vast country last year.", "640",
     {"variable": "workers_abroad"}),
    # Counted nouns after modifiers, brackets and "of the"; measure nouns of two words.
    ("Three Chinese fishing trawlers left port.", "Three", {"low": 3, "unit": "trawler"}),
    ("The regime opened 20 medical clinics and four small hotels.", "four", {"low": 4, "unit": "site"}),
    ("Diplomats from at least 12 Asian (ASEAN) member states attended.", "12",
     {"low": 12, "high": None, "unit": "country"}),
    ("Police questioned two of the unnamed Nepali brokers.", "two", {"low": 2, "unit": "broker"}),
    ("The hold reached 45 degrees Celsius in July.", "45", {"low": 45, "unit": "degree Celsius"}),
    ("About 2,000 N. Koreans work in Oman, an official said.", "2,000",
     {"low": 2000, "unit": "person", "nationality": "KP"}),
    # Shares: fractions from their parts, and a change "by" a fraction.
    ("Nearly four-fifths of each salary is deposited into accounts controlled by the state.",
     "four-fifths", {"low": 80, "unit": "percent", "qualifier": "about", "variable": "state_share"}),
    ("The new rules aim to cut the country's export earnings by a third.", "a third",
     {"low": 33.33, "unit": "percent"}),
    ("Three-tenths of their wages go to the state.", "Three-tenths", {"low": 30, "unit": "percent"}),
]


@pytest.mark.parametrize(("sentence", "mention", "expected"), CLAIMS, ids=[c[1] for c in CLAIMS])
def test_claim(sentence, mention, expected):
    claim = claim_for(run(sentence), mention)
    for key, value in expected.items():
        if isinstance(value, float):
            assert claim[key] == pytest.approx(value), (key, claim)
        else:
            assert claim[key] == value, (key, claim)


NOT_CLAIMS = [
    "Resolution 2397 was adopted by the Security Council in December 2017.",
    "Section 321 of the act covers goods made with forced labour.",
    "The meeting is on April 27 at 10:30 in Geneva.",
    "The summit took place on 12 June 2018.",
    "A 35-year-old welder described the camp.",
    "Logging camps have operated since the 1990s.",
    "Article 5 of the treaty bans slavery.",
    "COVID-19 closed the borders.",
    "One worker said the food was poor.",
    "One woman escaped.",
    "Billions of dollars were lost to the scheme.",
    "They earned a few dollars a day.",
    "The findings of the 2012 report were repeated.",
    "In 2016 North Korean workers in Poland built ships.",  # a year before the counted noun
    "Since 2017 North Korean workers have left Malaysia.",
    "The G7 leaders met in Cornwall.",
    "He came second in the election.",
    "The 5G network reached the town.",
    "Call +44 20 7946 0000 for details.",
    "Roughly one in every 10 people lives in slavery.",
    "Exports fell in the first half of 2019.",
    "Half of the year was lost to the pandemic.",
    "The deadline is March 22, 2019 for member states.",  # a date's year, not 2,019 states
    "It happened always twice.",
]


@pytest.mark.parametrize("sentence", NOT_CLAIMS)
def test_no_claim(sentence):
    record = run(sentence)
    assert record["claims"] == [], [c["text"] for c in record["claims"]]


def test_offsets_index_the_text_and_quote_is_the_sentence():
    text = "Intro line.\nThe firm paid $700 a month for each worker. Another sentence follows."
    record = run(text)
    [claim] = record["claims"]
    assert text[claim["start"]:claim["end"]] == claim["text"] == "$700 a month"
    assert claim["quote"] == "The firm paid $700 a month for each worker."
    assert text[claim["quote_start"]:].startswith(claim["quote"])


@pytest.mark.parametrize(("sentence", "expected"), [
    # the year belongs to the figure it modifies, not to every figure in the sentence
    ("Roughly 20,000 North Koreans are now working in Russia, up from about 5,000 in 2021, "
     "officials said.", {"20,000": None, "5,000": 2021}),
    ("In 2019, about 300 workers were sent to a shipyard in Poland.", {"300": 2019}),
    # unlike figures share the year of the event: the money was earned in 2023
    ("Around 100,000 North Koreans worked overseas in 2023, earning about US$500 million for the state.",
     {"100,000": 2023, "US$500 million": 2023}),
])
def test_year_per_figure(sentence, expected):
    record = run(sentence)
    for mention, year in expected.items():
        assert claim_for(record, mention)["year"] == year, mention


@pytest.mark.parametrize(("sentence", "mention", "place"), [
    # the source's country is not the figure's place
    ("South Korea's National Intelligence Service says more than 40,000 North Korean workers are abroad.",
     "40,000", None),
    ("Japan's Kyodo news agency reported that 300 North Korean workers arrived.", "300", None),
    ("South Korea's spy agency said about 4,000 North Korean workers were sent to Russia last year.",
     "4,000", "RU"),
    ("About 300 North Korean workers were sent to Poland, the Polish labour inspectorate said.", "300", "PL"),
    # a clause of time or condition does not place the figure: a worldwide plan stays worldwide
    ("The state plans to send another 80,000 workers abroad once the border with Mongolia reopens.",
     "80,000", None),
    # a place in the clause of a like figure is that figure's, not the total's
    ("Of the 30,000 workers sent overseas this way, 2,500 are in Malaysia.", "30,000", None),
    ("Of the 30,000 workers sent overseas this way, 2,500 are in Malaysia.", "2,500", "MY"),
    # a nationality is not where a figure is: the Dandong factory is in China
    ("I have seen North Korean workers faint after three years in the factory in Dandong, China.",
     "three years", "CN"),
])
def test_place_is_where_the_workers_are_not_where_the_source_is(sentence, mention, place):
    assert claim_for(run(sentence), mention)["place"] == place
