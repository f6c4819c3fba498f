"""Tests of the rule-based TIMEX3 annotator (guidelines §2).

Sentences are taken from, or shaped like, the seed and devset articles and other
wire copy; each case fixes the DCT, so weekday, month-end and year-boundary
resolution is checked on different days of the week.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import DEVSET, ROOT

from dataset_builder.annotators.timex import _PATTERNS, TimexAnnotator, normalise, normalise_text, value_pattern
from dataset_builder.records import Article, Timex


def annotate(nlp, sentence: str, dct: str) -> list[Timex]:
    article = Article(id="0" * 16, source_file="test.txt", published=dct, text=sentence)
    return TimexAnnotator(nlp).annotate(nlp(sentence), article, {})


# (sentence, expression, DCT, type, value, mod)
CASES = [
    # seed 000 (DCT Saturday 2025-10-25)
    (
        "Kim said brotherhood would advance non-stop, state media KCNA reported on Friday.",
        "Friday",
        "2025-10-25",
        "DATE",
        "2025-10-24",
        None,
    ),
    (
        "Putin remained defiant on Thursday after Trump hit Russia's oil companies with sanctions.",
        "Thursday",
        "2025-10-25",
        "DATE",
        "2025-10-23",
        None,
    ),
    (
        "Trump told reporters later on Thursday: “I'm glad he feels that way.”",
        "Thursday",
        "2025-10-25",
        "DATE",
        "2025-10-23",
        None,
    ),
    (
        "South Korea's intelligence agency estimated in September that about 2,000 soldiers had been killed.",
        "September",
        "2025-10-25",
        "DATE",
        "2025-09",
        None,
    ),
    (
        "Trump will visit South Korea, North Korea's bitter rival, next week.",
        "next week",
        "2025-10-25",
        "DATE",
        "2025-W44",
        None,
    ),
    (
        "It marks a U-turn by Trump, who said only last week that he would hold a summit.",
        "last week",
        "2025-10-25",
        "DATE",
        "2025-W42",
        None,
    ),
    (
        "Russia is squeezed in its 3-1/2-year-old full-scale invasion of Ukraine.",
        "3-1/2-year-old",
        "2025-10-25",
        "DURATION",
        "P3Y6M",
        None,
    ),
    (
        "“I'll let you know about it in six months from now.”",
        "six months from now",
        "2025-10-25",
        "DATE",
        "2026-04",
        None,
    ),
    # seed 004 (DCT Wednesday 2025-08-13 with a +05:30 offset)
    (
        "Kim and Putin held a phone call, the countries' state media said Wednesday.",
        "Wednesday",
        "2025-08-13T08:03+05:30",
        "DATE",
        "2025-08-13",
        None,
    ),
    (
        "Putin during the call on Tuesday praised the bravery of North Korean troops.",
        "Tuesday",
        "2025-08-13T08:03+05:30",
        "DATE",
        "2025-08-12",
        None,
    ),
    (
        "Putin shared information about his upcoming talks with Trump scheduled to take place Friday in Alaska.",
        "Friday",
        "2025-08-13T08:03+05:30",
        "DATE",
        "2025-08-15",
        None,
    ),
    (
        "They discussed ties under an agreement they signed during a summit last year, KCNA said.",
        "last year",
        "2025-08-13T08:03+05:30",
        "DATE",
        "2024",
        None,
    ),
    (
        "The program derailed in 2019 following a collapsed summit with Trump.",
        "2019",
        "2025-08-13T08:03+05:30",
        "DATE",
        "2019",
        None,
    ),
    (
        "North Korea has sent around 15,000 troops to Russia since last fall.",
        "last fall",
        "2025-08-13T08:03+05:30",
        "DATE",
        "2024-FA",
        None,
    ),
    (
        "Pyongyang will fully support all measures to be taken by the Russian leadership in the future, too.",
        "the future",
        "2025-08-13T08:03+05:30",
        "DATE",
        "FUTURE_REF",
        None,
    ),
    # devset-shaped
    (
        "Estimates by the three pollsters ranged from 30% to nearly 43% as of 0823 GMT.",
        "0823 GMT",
        "2024-02-14",
        "TIME",
        "2024-02-14T08:23Z",
        None,
    ),
    (
        "An official result is not expected until several weeks after the vote.",
        "several weeks",
        "2024-02-14",
        "DURATION",
        "PXW",
        None,
    ),
    ("It follows weeks of painstaking negotiations in Doha.", "weeks", "2025-01-15", "DURATION", "PXW", None),
    (
        "Prabowo, a former commander feared in the 1990s, leads the count.",
        "the 1990s",
        "2024-02-14",
        "DATE",
        "199",
        None,
    ),
    (
        "Hamas will release all women, children and men over the age of 50, the agency said.",
        "over the age of 50",
        "2025-01-15",
        "DURATION",
        "P50Y",
        "MORE_THAN",
    ),
    (
        "“We hope that the details will be finalised tonight,” he said.",
        "tonight",
        "2025-01-15",
        "TIME",
        "2025-01-15TNI",
        None,
    ),
    (
        "The deal will pause fighting which has raged in Gaza for more than a year.",
        "more than a year",
        "2025-01-15",
        "DURATION",
        "P1Y",
        "MORE_THAN",
    ),
    (
        "Israel launched an offensive following the attacks on 7 October, 2023, which left 1,200 people dead.",
        "7 October, 2023",
        "2025-01-15",
        "DATE",
        "2023-10-07",
        None,
    ),
    (
        "The Federal Reserve last cut rates in March 2020 in an emergency response.",
        "March 2020",
        "2024-09-18",
        "DATE",
        "2020-03",
        None,
    ),
    (
        "Gaza ceasefire will begin on Sunday, Qatari prime minister says",
        "Sunday",
        "2025-01-15",
        "DATE",
        "2025-01-19",
        None,
    ),
    (
        "The Commission introduced temporary tariffs on Chinese EVs in July.",
        "July",
        "2024-10-04",
        "DATE",
        "2024-07",
        None,
    ),
    (
        "Charges of up to 45% will be applied to Chinese electric cars for the next five years.",
        "the next five years",
        "2024-10-04",
        "DURATION",
        "P5Y",
        None,
    ),
    (
        "The Fed cut rates by half a point, marking its first rate cut in four years.",
        "four years",
        "2024-09-18",
        "DURATION",
        "P4Y",
        None,
    ),
    ("The deal outlines a six-week initial ceasefire phase.", "six-week", "2025-01-15", "DURATION", "P6W", None),
    ("A runoff between the top two finishers will be held in June.", "June", "2024-02-14", "DATE", "2024-06", None),
    # absolute dates and clock times
    ("The vote is scheduled for Aug 13 2025.", "Aug 13 2025", "2025-03-31", "DATE", "2025-08-13", None),
    (
        "The law, passed on March 3, 2024, takes effect on April 1.",
        "March 3, 2024",
        "2025-03-31",
        "DATE",
        "2024-03-03",
        None,
    ),
    ("The minister landed at 8:04 AM IST.", "8:04 AM IST", "2025-08-13", "TIME", "2025-08-13T08:04+05:30", None),
    ("Polls close at 8 p.m. ET on Tuesday.", "8 p.m. ET", "2025-11-03", "TIME", "2025-11-04T20:00-05:00", None),
    (
        "The vote took place on 24 October 2025 at 10:00 local time.",
        "10:00",
        "2025-10-25",
        "TIME",
        "2025-10-24T10:00",
        None,
    ),
    (
        "The storm hit on Thursday afternoon, officials said.",
        "Thursday afternoon",
        "2025-10-25",
        "TIME",
        "2025-10-23TAF",
        None,
    ),
    # year boundaries and month ends
    ("The index fell 3% last week, its worst showing in months.", "last week", "2025-01-01", "DATE", "2024-W52", None),
    ("Sales rose sharply in December, the company said.", "December", "2025-01-10", "DATE", "2024-12", None),
    ("The summit will be held in December, officials said.", "December", "2025-01-10", "DATE", "2025-12", None),
    ("The bank said on Monday it would raise rates.", "Monday", "2025-12-31", "DATE", "2025-12-29", None),
    ("The new rules take effect next month.", "next month", "2025-12-15", "DATE", "2026-01", None),
    ("Exports fell 2% last month.", "last month", "2025-01-05", "DATE", "2024-12", None),
    ("The results will be announced tomorrow.", "tomorrow", "2024-12-31", "DATE", "2025-01-01", None),
    (
        "By the end of the year, the company plans to hire 500 workers.",
        "the end of the year",
        "2025-10-22",
        "DATE",
        "2025",
        "END",
    ),
    # weekdays: past vs future, next/last
    ("The minister met his French counterpart on Friday.", "Friday", "2025-10-22", "DATE", "2025-10-17", None),
    ("The minister will travel to Paris on Friday.", "Friday", "2025-10-22", "DATE", "2025-10-24", None),
    ("Talks are due to resume next Tuesday.", "next Tuesday", "2025-10-22", "DATE", "2025-10-28", None),
    (
        "Initially scheduled for May 3 in Rome, the round of talks was postponed.",
        "May 3",
        "2025-05-06",
        "DATE",
        "2025-05-03",
        None,
    ),
    # relative periods, vague references, durations, sets
    ("Earlier this year the bank raised rates twice.", "Earlier this year", "2025-10-22", "DATE", "2025", None),
    ("The company reported its results this month.", "this month", "2025-10-22", "DATE", "2025-10", None),
    ("Prices have doubled over the past three years.", "the past three years", "2025-10-22", "DURATION", "P3Y", None),
    ("Last summer the river flooded the old town.", "Last summer", "2025-03-31", "DATE", "2024-SU", None),
    (
        "Officials said the new law would come into force in the spring.",
        "the spring",
        "2025-10-25",
        "DATE",
        "2026-SP",
        None,
    ),
    ("Over the weekend, protesters gathered in the capital.", "the weekend", "2025-03-31", "DATE", "2025-W13-WE", None),
    ("The war began three years ago.", "three years ago", "2025-03-31", "DATE", "2022", None),
    ("Inflation is now at 3%, the central bank said.", "now", "2025-03-31", "DATE", "PRESENT_REF", None),
    ("Prices recently climbed to a record.", "recently", "2025-03-31", "DATE", "PAST_REF", None),
    ("The 50-year-old driver was arrested at the scene.", "50-year-old", "2025-03-31", "DURATION", "P50Y", None),
    ("Troops will stay for a year and a half.", "a year and a half", "2025-03-31", "DURATION", "P1Y6M", None),
    ("The talks lasted nearly five hours.", "nearly five hours", "2025-03-31", "DURATION", "PT5H", "LESS_THAN"),
    ("The talks will take place over two days in Muscat.", "two days", "2025-05-06", "DURATION", "P2D", None),
    ("Growth slowed in the first quarter of 2025.", "the first quarter of 2025", "2025-10-22", "DATE", "2025-Q1", None),
    ("Its architecture dates from the 20th century.", "the 20th century", "2025-10-22", "DATE", "19", None),
    ("The group meets every Monday in the town hall.", "every Monday", "2025-03-31", "SET", "XXXX-WXX-1", None),
    ("The company earns $5 billion a year from the field.", "a year", "2025-03-31", "SET", "P1Y", None),
    ("A year later it closed.", "A year later", "2025-03-31", "DATE", "XXXX", None),
    ("The plant was shut for a year after the blast.", "a year", "2025-03-31", "DURATION", "P1Y", None),
    (
        "Shares of the miner fell after it posted weaker fourth-quarter earnings.",
        "fourth-quarter",
        "2024-05-21",
        "DATE",
        "2023-Q4",
        None,
    ),
    (
        "Sales were 3 percent lower than the prior year, the company said.",
        "the prior year",
        "2024-05-21",
        "DATE",
        "XXXX",
        None,
    ),
    # --- generalisation cases (v2), new sentences shaped like wire copy ---
    # present tense about an incident: the date is in the past, even when the
    # next occurrence is nearer (crime, disaster)
    (
        "The lawsuit stems from a crash on Sept. 14 that killed three teenagers near Leeds.",
        "Sept. 14",
        "2025-05-02",
        "DATE",
        "2024-09-14",
        None,
    ),
    (
        "The inquiry focuses on Aug. 30, when the ferry capsized off Sulawesi.",
        "Aug. 30",
        "2025-06-20",
        "DATE",
        "2024-08-30",
        None,
    ),
    # a present tense without cue leans to the past unless the future date is much nearer
    ("Inflation in February is estimated at 2.8%.", "February", "2025-03-12", "DATE", "2025-02", None),
    ("The new tariff takes effect Jan. 1, the ministry said.", "Jan. 1", "2025-10-10", "DATE", "2026-01-01", None),
    # a present reporting verb next to a calendar date does not force the past (results calendar)
    ("The company reports fourth-quarter results on Feb. 5.", "Feb. 5", "2025-01-20", "DATE", "2025-02-05", None),
    # approximators belong to clock times; the time takes the date written next to it
    (
        "The earthquake struck at approximately 3:15 a.m. on Saturday.",
        "approximately 3:15 a.m.",
        "2025-06-02",
        "TIME",
        "2025-05-31T03:15",
        "APPROX",
    ),
    (
        "Flights resumed at around 4 p.m. local time, the airline said.",
        "around 4 p.m.",
        "2025-06-02",
        "TIME",
        "2025-06-02T16:00",
        "APPROX",
    ),
    # midnight: the coming one in a future clause, the one that began the day in a past clause
    (
        "The ban will take effect at midnight, the interior ministry said.",
        "midnight",
        "2025-06-02",
        "TIME",
        "2025-06-03T00:00",
        None,
    ),
    (
        "Police expect the protesters to leave shortly after midnight.",
        "midnight",
        "2025-06-02",
        "TIME",
        "2025-06-03T00:00",
        None,
    ),
    (
        "The fire broke out shortly after midnight in the old town.",
        "midnight",
        "2025-06-02",
        "TIME",
        "2025-06-02T00:00",
        None,
    ),
    (
        "Voting closes at midnight tonight, officials said.",
        "midnight tonight",
        "2025-06-02",
        "TIME",
        "2025-06-03T00:00",
        None,
    ),
    # reporting periods (business)
    ("Samsung posts record Q3 profit as chip sales surge", "Q3", "2025-10-31", "DATE", "2025-Q3", None),
    ("Net profit for Q1 2025 rose 12% to 4.2 billion rupees.", "Q1 2025", "2025-05-20", "DATE", "2025-Q1", None),
    (
        "Infosys reported a 12% rise in net profit for the quarter ended June 30.",
        "the quarter ended June 30",
        "2025-07-17",
        "DATE",
        "2025-Q2",
        None,
    ),
    (
        "Turnover in the December quarter rose 7% to A$1.2 billion.",
        "the December quarter",
        "2024-01-10",
        "DATE",
        "2023-Q4",
        None,
    ),
    ("Siemens expects fiscal 2026 revenue to grow 6% to 8%.", "fiscal 2026", "2025-11-14", "DATE", "2026", None),
    (
        "Nvidia raised its full-year 2025 forecast, sending shares up 4%.",
        "full-year 2025",
        "2025-02-27",
        "DATE",
        "2025",
        None,
    ),
    ("Tata Motors said FY25 sales rose 5%.", "FY25", "2025-05-20", "DATE", "2025", None),
    (
        "Sales have fallen for three consecutive quarters.",
        "three consecutive quarters",
        "2025-10-29",
        "DURATION",
        "P9M",
        None,
    ),
    (
        "Shares have fallen for the first time in six quarters, analysts said.",
        "six quarters",
        "2025-10-28",
        "DURATION",
        "P18M",
        None,
    ),
    # season labels over two years are written as the year they start in (sports, budgets)
    ("Bayern Munich lifted the Bundesliga 2024-25 trophy on Saturday.", "2024-25", "2025-05-20", "DATE", "2024", None),
    ("Arsenal finished second in the 2024-25 season.", "the 2024-25 season", "2025-05-20", "DATE", "2024", None),
    ("The 1999-00 season was his best.", "The 1999-00 season", "2025-01-02", "DATE", "1999", None),
    ("The budget for 2025-26 allocates Rs 6.8 lakh crore to defence.", "2025-26", "2025-05-20", "DATE", "2025", None),
    # ages in apposition are durations, like "29-year-old" (guidelines §2 age rule)
    ("President Joe Biden, 81, said he would not step aside.", "81", "2024-07-01", "DURATION", "P81Y", None),
    ("Police arrested a man, 34, after a woman was stabbed in Glasgow.", "34", "2025-05-20", "DURATION", "P34Y", None),
    ("A firefighter, 41, died after the roof collapsed.", "41", "2025-05-20", "DURATION", "P41Y", None),
]


@pytest.mark.parametrize(("sentence", "expression", "dct", "ttype", "value", "mod"), CASES)
def test_expression_is_found_and_resolved(nlp, sentence, expression, dct, ttype, value, mod):
    found = [t for t in annotate(nlp, sentence, dct) if t.text == expression]
    assert found, f"{expression!r} not annotated in {sentence!r}"
    assert (found[0].type, found[0].value, found[0].mod) == (ttype, value, mod)


# (sentence, words that must not be (part of) a TIMEX3)
NEGATIVES = [
    ("Since Russia's invasion of Ukraine, Kim has made Moscow his priority.", "Russia's invasion"),
    ("The talks derailed in 2019 during his first term.", "first term"),
    ("Chinese majors suspended Russian oil purchases in the short term.", "short term"),
    ("A guarantee has been provided for the long-term development of the friendship.", "long-term"),
    ("Intelligence believes the deployment could happen soon.", "soon"),
    ("“The years of militant fraternity will advance non-stop,” Kim said.", "years"),
    ("The Commission said it represents the next step in its investigation.", "next step"),
    ("“Recent indicators suggest that economic activity has continued to expand,” the Fed said.", "Recent"),
    ("The Federal Reserve last cut rates in March 2020.", "last cut"),
    ("Over the years, the party grew into a national force.", "years"),
    ("The rate was cut to 4% from 4.25% at the meeting.", "4.25"),
    ("The mission could last decades, officials warned.", "last"),
    # v2: adjectives of frequency name a kind of figure, not a recurrence
    ("Average daily volume fell 3% in the period.", "daily"),
    # a quarter of a game, a fraction or a district is not a calendar quarter
    ("Curry scored 15 points in the third quarter as the Warriors rallied.", "third quarter"),
    ("Mahomes threw a touchdown pass early in the fourth quarter.", "fourth quarter"),
    ("Three quarters of voters backed the measure, and a quarter of them were first-timers.", "quarter"),
    ("Residents of the quarter fled as shelling intensified.", "quarter"),
    ("The Fed cut rates by a quarter point on Wednesday.", "quarter"),
    # numbers between commas after places are not ages
    ("Japan, 12, and China, 10, led the medal table.", "12"),
    ("The vote was 52, 41 and 7 across the three districts.", "41"),
]


@pytest.mark.parametrize(("sentence", "words"), NEGATIVES)
def test_non_temporal_words_are_not_annotated(nlp, sentence, words):
    start = sentence.index(words)
    end = start + len(words)
    timexes = annotate(nlp, sentence, "2025-10-25")
    assert not [t for t in timexes if t.start < end and start < t.end]


def test_repeated_weekday_is_annotated_at_each_occurrence(nlp):
    text = "The Fed cut rates on Wednesday. The Federal Reserve on Wednesday cut rates by half a point."
    timexes = annotate(nlp, text, "2024-09-18")
    second = text.index("Wednesday", 25)
    assert [(t.start, t.value) for t in timexes] == [(21, "2024-09-18"), (second, "2024-09-18")]


def test_story_quarter_anchors_the_quarter_references(nlp):
    # An earnings story published weeks after its quarter ended: "the quarter" and
    # "this quarter" (past tense) refer back to the quarter it reports.
    text = (
        "Shell reported third-quarter profit of $5.4 billion on Thursday. Profit in the quarter was down 10% "
        "from the same quarter last year, and chief executive Wael Sawan said this quarter was the strongest "
        "for trading."
    )
    found = {t.text: t.value for t in annotate(nlp, text, "2025-10-28")}
    assert found == {
        "third-quarter": "2025-Q3",
        "Thursday": "2025-10-23",
        "the quarter": "2025-Q3",
        "the same quarter last year": "2024-Q3",
        "this quarter": "2025-Q3",
    }


def test_dated_quarter_is_preferred_as_story_focus(nlp):
    # A bare "third quarter" of a fiscal year gets an inferred calendar year; the
    # quarter dated by its end is the one later references point to.
    text = (
        "The refiner reported a 62 percent rise in net profit for the quarter ended March 31. Profit for the "
        "third quarter of this fiscal year doubled. Sales for the quarter rose to Rs4.4 billion, compared with "
        "Rs2.5 billion in the same period last year."
    )
    found = {t.text: t.value for t in annotate(nlp, text, "2022-04-23")}
    assert found["the quarter ended March 31"] == "2022-Q1"
    assert found["the quarter"] == "2022-Q1"
    assert found["the same period last year"] == "2021-Q1"


def test_conjoined_dates_are_split(nlp):
    timexes = annotate(nlp, "Refiners are set to cut their crude imports in November and December.", "2025-10-25")
    assert [(t.text, t.value) for t in timexes] == [("November", "2025-11"), ("December", "2025-12")]


# Pure normalisation: (expression, DCT, tense) → (type, value, mod)
NORMALISE = [
    ("last week", date(2025, 1, 1), None, ("DATE", "2024-W52", None)),
    ("this week", date(2024, 12, 30), None, ("DATE", "2025-W01", None)),
    ("next year", date(2025, 12, 31), None, ("DATE", "2026", None)),
    ("last fall", date(2025, 1, 10), None, ("DATE", "2024-FA", None)),
    ("next spring", date(2025, 3, 31), None, ("DATE", "2026-SP", None)),
    ("Friday", date(2025, 10, 25), "past", ("DATE", "2025-10-24", None)),
    ("Friday", date(2025, 10, 25), "future", ("DATE", "2025-10-31", None)),
    ("Saturday", date(2025, 10, 25), "past", ("DATE", "2025-10-25", None)),
    ("last Saturday", date(2025, 10, 25), None, ("DATE", "2025-10-18", None)),
    ("December", date(2025, 1, 10), "past", ("DATE", "2024-12", None)),
    ("December", date(2025, 1, 10), "future", ("DATE", "2025-12", None)),
    ("January", date(2024, 12, 20), "future", ("DATE", "2025-01", None)),
    ("Oct. 24", date(2025, 10, 25), "past", ("DATE", "2025-10-24", None)),
    ("six months from now", date(2025, 8, 31), None, ("DATE", "2026-02", None)),
    ("two weeks ago", date(2025, 1, 3), None, ("DATE", "2024-W51", None)),
    ("the past decade", date(2025, 1, 3), None, ("DURATION", "P1DE", None)),
    ("the nineties", date(2025, 1, 3), None, ("DATE", "199", None)),
    ("mid-2024", date(2025, 1, 3), None, ("DATE", "2024", "MID")),
    ("early next week", date(2025, 1, 3), None, ("DATE", "2025-W02", "START")),
    ("half an hour", date(2025, 1, 3), None, ("DURATION", "PT30M", None)),
    ("24-hour", date(2025, 1, 3), None, ("DURATION", "PT24H", None)),
    ("a day and a half", date(2025, 1, 3), None, ("DURATION", "P1DT12H", None)),
    ("two and a half years", date(2025, 1, 3), None, ("DURATION", "P2Y6M", None)),
    ("decade-long", date(2025, 1, 3), None, ("DURATION", "P1DE", None)),
    ("at least 10 days", date(2025, 1, 3), None, ("DURATION", "P10D", "EQUAL_OR_MORE")),
    ("0500 GMT", date(2025, 1, 3), None, ("TIME", "2025-01-03T05:00Z", None)),
    ("last night", date(2025, 3, 1), None, ("TIME", "2025-02-28TNI", None)),
    ("Christmas", date(2025, 1, 3), "past", ("DATE", "2024-12-25", None)),
    ("first term", date(2025, 1, 3), None, None),
    ("the years", date(2025, 1, 3), None, None),
    # v2
    ("Sept. 1", date(2025, 4, 16), "present", ("DATE", "2024-09-01", None)),
    ("Jan. 1", date(2025, 10, 10), "present", ("DATE", "2026-01-01", None)),
    ("Sept. 1", date(2025, 4, 16), None, ("DATE", "2025-09-01", None)),
    ("midnight", date(2024, 9, 11), "future", ("TIME", "2024-09-12T00:00", None)),
    ("midnight", date(2024, 9, 11), "past", ("TIME", "2024-09-11T00:00", None)),
    ("about 6:50 p.m.", date(2025, 4, 16), None, ("TIME", "2025-04-16T18:50", "APPROX")),
    ("the quarter", date(2024, 7, 23), "past", ("DATE", "2024-Q2", None)),
    ("the quarter", date(2024, 9, 23), "past", ("DATE", "2024-Q3", None)),
    ("this quarter", date(2024, 7, 23), "past", ("DATE", "2024-Q3", None)),
    ("the year-ago quarter", date(2024, 7, 23), None, ("DATE", "2023-Q2", None)),
    ("the same quarter of 2022", date(2024, 7, 23), "past", ("DATE", "2022-Q2", None)),
    ("the previous quarter", date(2024, 7, 23), None, ("DATE", "2024-Q2", None)),
    ("Q4 FY25", date(2025, 5, 2), None, ("DATE", "2025-Q4", None)),
    ("nine quarters", date(2024, 7, 23), None, ("DURATION", "P27M", None)),
    ("2023/24", date(2024, 5, 5), None, ("DATE", "2023", None)),
    ("2019-23", date(2024, 5, 5), None, None),
    ("the end of the 2020-21 season", date(2023, 3, 9), None, ("DATE", "2020", "END")),
    ("the quarter ending May 31", date(2024, 6, 19), "past", None),
    ("the third quarter ended May 31, 2024", date(2024, 6, 19), "past", ("DATE", "2024-Q3", None)),
    ("the previous year", date(2024, 7, 23), "past", ("DATE", "XXXX", None)),
]


@pytest.mark.parametrize(("text", "dct", "tense", "expected"), NORMALISE)
def test_normalise_text(text, dct, tense, expected):
    assert normalise_text(text, dct, tense) == expected


def test_normalise_reads_tense_from_the_parse(nlp):
    doc = nlp("The leaders will meet on Friday. The leaders met on Friday.")
    future, past = (ent for ent in doc.ents if ent.text == "Friday")
    assert normalise(future, date(2025, 10, 22)) == ("DATE", "2025-10-24", None)
    assert normalise(past, date(2025, 10, 22)) == ("DATE", "2025-10-17", None)


def test_every_table_value_matches_the_schema_grammar():
    pattern = value_pattern()
    values = [case[4] for case in CASES] + [case[3][1] for case in NORMALISE if case[3]]
    assert all(pattern.fullmatch(v) for v in values)
    assert not pattern.fullmatch("2025-13-XX-Y")  # the grammar really constrains


GOLD = sorted((DEVSET / "gold").glob("*.json"))


@pytest.fixture(scope="module")
def devset_runs(nlp):
    if not GOLD:
        pytest.skip("devset gold not available")
    annotator = TimexAnnotator(nlp)
    runs = []
    for path in GOLD:
        gold = json.loads(path.read_text(encoding="utf-8"))
        article = Article(id="x" * 16, source_file=path.name, published=gold["dct"], text=gold["text"])
        runs.append((gold, annotator.annotate(nlp(gold["text"]), article, {}), annotator.origin))
    return runs


def test_devset_output_is_well_formed(devset_runs):
    pattern = value_pattern()
    for gold, timexes, origin in devset_runs:
        text = gold["text"]
        assert [t.start for t in timexes] == sorted(t.start for t in timexes)
        for t in timexes:
            assert text[t.start : t.end] == t.text
            assert t.text == t.text.strip()
            assert pattern.fullmatch(t.value), t
            assert t.type in ("DATE", "TIME", "DURATION", "SET")
            assert t.origin == origin


def test_devset_spans_and_values_match_gold(devset_runs):
    n_pred = n_gold = strict = value_ok = 0
    for gold, timexes, _ in devset_runs:
        by_span = {(g["start"], g["end"]): g for g in gold["timexes"]}
        n_pred += len(timexes)
        n_gold += len(by_span)
        for t in timexes:
            g = by_span.get((t.start, t.end))
            if g:
                strict += 1
                value_ok += g["value"] == t.value
    precision, recall = strict / n_pred, strict / n_gold
    assert 2 * precision * recall / (precision + recall) >= 0.9
    assert value_ok / strict >= 0.9


# Texts for every guarded recognition pattern (see timex._PATTERNS).
GUARD_EXAMPLES = [
    "a 3-1/2-year-old boy, a six-week trial and a decade-long war",
    "people over the age of 65 and under the age of 18",
    "on Friday, 24th of October 2025, and on 1 March",
    "in the 1990s and in the late '80s",
    "since the 21st century began",
    "for three consecutive quarters, the past two quarters",
    "at about 6:50 p.m. (EDT), at 10.30am, 3 p.m. and 11pm",
]


def test_every_match_of_a_guarded_pattern_contains_its_guard():
    # The guard lets a text skip a pattern's scan: it must be part of every match.
    texts = GUARD_EXAMPLES + [case[0] for case in CASES]
    texts += [p.read_text(encoding="utf-8") for p in sorted(DEVSET.glob("raw/*.txt"))]
    guarded = [(pattern, guard) for pattern, guard in _PATTERNS if guard is not None]
    assert guarded
    for pattern, guard in guarded:
        matches = [(text, m) for text in texts for m in pattern.finditer(text)]
        assert matches, pattern.pattern  # the examples exercise every guarded pattern
        for text, m in matches:
            assert guard.search(text, m.start(), m.end()), (pattern.pattern, m.group())


def test_the_regex_engine_finds_what_re_would():
    # The patterns are compiled by ``regex`` (faster on their long case-insensitive
    # alternations); on real texts every pattern must find exactly what ``re`` finds.
    import re

    texts = GUARD_EXAMPLES + [case[0] for case in CASES]
    for folder in (ROOT / "sources" / "articles", DEVSET / "raw"):
        texts += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    found = 0
    for pattern, _ in _PATTERNS:
        stdlib = re.compile(pattern.pattern, re.IGNORECASE)
        for text in texts:
            spans = [m.span() for m in pattern.finditer(text)]
            assert spans == [m.span() for m in stdlib.finditer(text)], (pattern.pattern, text[:80])
            found += len(spans)
    assert found > 100
