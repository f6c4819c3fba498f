"""Site furniture and headline detection on dumps shaped like real news pages (guidelines §0).

Each dump is written for this test (sports, business, courts, disasters, politics, science;
several countries), in layouts seen on news sites: promo banners, logos printed twice,
breadcrumbs run into the title, headlines printed several times, slug lines, UI labels,
image credits, lone punctuation, related links after the body.
"""

from __future__ import annotations

import pytest

from dataset_builder.ingest.clean import clean


def paragraphs(raw: str) -> list[str]:
    return clean(raw).text.split("\n\n")


CRICKET = """🏏 Get 3 months of premium for $1 — SUBSCRIBE NOW
Cricket NewsCricket News
Home Sport Cricket
Australia clinch Border-Gavaskar Trophy with six-wicket win in Sydney

Australia sealed a 3-1 series victory over India on Sunday as Travis Head steered the chase at the SCG.

Australia clinch Border-Gavaskar Trophy with six-wicket win in Sydney
Author
Daniel Brettig
Published 4:52 PM AEDT, Sun January 5, 2025
© AAP.
Scott Boland took ten wickets in the match as India were bowled out for 157 in their second innings.
Pat Cummins said the win was one of his best. “To do it at home means a lot,” he told reporters.
Advertisement
India now turn to the Champions Trophy in February, with captain Rohit Sharma's future unclear.
More from Cricket
Bumrah ruled out of Champions Trophy with back injury
"""


def test_promo_logo_and_repeated_headline_around_a_sports_story():
    c = clean(CRICKET)
    assert c.headline == "Australia clinch Border-Gavaskar Trophy with six-wicket win in Sydney"
    assert c.standfirst.startswith("Australia sealed a 3-1 series victory")
    assert c.byline == "Daniel Brettig"  # the name after the "Author" label
    assert c.publisher == "Cricket News"  # the logo printed twice
    assert c.published == "2025-01-05T16:52:00+11:00"  # time printed before the date
    assert c.text.split("\n\n") == [
        c.headline,
        c.standfirst,
        "Scott Boland took ten wickets in the match as India were bowled out for 157 in their second innings.",
        "Pat Cummins said the win was one of his best. “To do it at home means a lot,” he told reporters.",
        # "Advertisement" mid-body is a label, not the end of the article
        "India now turn to the Champions Trophy in February, with captain Rohit Sharma's future unclear.",
    ]


VOLKSWAGEN = """ date 2024-12-20 Skip to content
Menu
Volkswagen agrees to cut 35,000 jobs in Germany by 2030 after marathon talks
business volkswagen agrees to cut 35000 jobs in germany by 2030 after marathon talks dw
Date:2024-12-20 18:04:11
Image
IG Metall negotiator Thorsten Gröger speaks to reporters in Hanover. © dpa
Volkswagen and the IG Metall union agreed on Friday to cut 35,000 jobs in Germany by 2030, the company said.
The agreement, reached after more than 70 hours of negotiations in Hanover, avoids immediate plant closures.
Porsche posts slump in quarterly profit
"""


def test_slug_line_caption_credit_and_trailing_related_link_in_a_business_story():
    c = clean(VOLKSWAGEN)
    assert c.published == "2024-12-20T18:04:00"  # "Date:" glued to the date, seconds dropped
    assert c.text.split("\n\n") == [
        "Volkswagen agrees to cut 35,000 jobs in Germany by 2030 after marathon talks",
        "Volkswagen and the IG Metall union agreed on Friday to cut 35,000 jobs in Germany by 2030, the company said.",
        "The agreement, reached after more than 70 hours of negotiations in Hanover, avoids immediate plant closures.",
    ]


COURT = """You are here: Home > News > UK > Courts
Former postmaster cleared by Court of Appeal after 20-year fight
View comments
Updated: 11/03/2025 14:20 GMT
Published: 10/03/2025 09:15 GMT
By Amelia Hart
A former sub-postmaster wrongly convicted of theft in 2005 has had his conviction quashed on appeal.
What happens next
The Post Office said it would contact the man's lawyers about compensation within 28 days.
Share this article
Copy link
"""


def test_breadcrumb_labels_and_crosshead_in_a_court_story():
    c = clean(COURT)
    assert c.headline == "Former postmaster cleared by Court of Appeal after 20-year fight"
    assert c.byline == "Amelia Hart"
    # a British page with no evidence of month-first dates: day first
    assert c.published == "2025-03-10T09:15:00+00:00"
    assert c.updated == "2025-03-11T14:20:00+00:00"
    assert c.text.split("\n\n") == [
        c.headline,
        "A former sub-postmaster wrongly convicted of theft in 2005 has had his conviction quashed on appeal.",
        "What happens next",  # a crosshead inside the body is newsroom text
        "The Post Office said it would contact the man's lawyers about compensation within 28 days.",
    ]


TYPHOON = """Home News Nation
Typhoon Yagi leaves trail of destruction in northern Vietnam
Share
Typhoon Yagi leaves trail of destruction in northern Vietnam
Sept. 8, 2024 at 7:15 p.m.
Typhoon Yagi leaves trail of destruction in northern Vietnam
Description
Residents clear fallen trees in Hai Phong on Sunday. (AP Photo/Hau Dinh)
HANOI, Vietnam (AP) — Typhoon Yagi killed at least 14 people in northern Vietnam on Sunday, state media said.
—
More than 3 million people were left without power in Quang Ninh and Hai Phong provinces.
"""


def test_headline_printed_three_times_and_lone_dash_in_a_disaster_story():
    c = clean(TYPHOON)
    assert c.published == "2024-09-08T19:15:00"
    assert c.text.split("\n\n") == [
        "Typhoon Yagi leaves trail of destruction in northern Vietnam",
        "HANOI, Vietnam (AP) — Typhoon Yagi killed at least 14 people in northern Vietnam on Sunday, state media said.",
        "More than 3 million people were left without power in Quang Ninh and Hai Phong provinces.",
    ]


def test_repeated_headline_wins_over_furniture_above_it():
    # Neither line above the headline is a known furniture shape; the repetition decides.
    raw = (
        "The Morning Briefing series banner\n"
        "Heatwave forces Greek authorities to close the Acropolis\n"
        "Heatwave forces Greek authorities to close the Acropolis\n"
        "June 12, 2024\n"
        "Greek authorities closed the Acropolis on Wednesday afternoon as temperatures passed 40 degrees Celsius.\n"
    )
    c = clean(raw)
    assert c.headline == "Heatwave forces Greek authorities to close the Acropolis"
    assert paragraphs(raw) == [c.headline, raw.splitlines()[4]]


def test_headline_ending_in_a_quotation_or_a_bracket_is_still_a_headline():
    raw = (
        "Minister on flood defences: ‘We were not ready’\n"
        "3 May 2025\n"
        "Environment Secretary Steve Reed admitted on Saturday that flood defences had not been maintained.\n"
    )
    assert clean(raw).headline == "Minister on flood defences: ‘We were not ready’"
    bracketed = "Fans storm pitch after derby win in Buenos Aires (VIDEO)"
    raw = raw.replace("Minister on flood defences: ‘We were not ready’", bracketed)
    assert clean(raw).headline == bracketed


def test_question_headline_and_wire_byline():
    raw = (
        "Will the Fed cut rates again in December?\n"
        "Posted: Nov 8, 2024 / 02:26 PM ET\n"
        "By Reuters\n"
        "The Federal Reserve cut its benchmark rate by a quarter of a percentage point on Thursday.\n"
        "Copyright 2024 Reuters. All rights reserved.\n"
    )
    c = clean(raw)
    assert c.headline == "Will the Fed cut rates again in December?"
    assert c.byline == "Reuters"
    assert c.published == "2024-11-08T14:26:00-05:00"
    assert c.text.endswith("on Thursday.")


@pytest.mark.parametrize(
    "headline",
    [
        "Home Office defends new visa rules for overseas researchers",  # "Home" is not always navigation
        "Home prices in Canada fall for a third month",
        "Sale of Thames Water to creditors approved by judge",  # promo words in a real headline
    ],
)
def test_headlines_that_look_like_furniture_at_first_sight_are_kept(headline):
    raw = f"{headline}\n09/11/2024\nThe decision was announced on Wednesday and takes effect next month.\n"
    assert clean(raw).headline == headline


def test_section_labels_are_not_headlines():
    raw = (
        "Latest News\nWorld | Politics\nMay 3, 2025\nTalks resume in Geneva\n"
        "Officials said the talks in Geneva would resume next week after a pause of two months.\n"
    )
    assert clean(raw).headline == "Talks resume in Geneva"


def test_a_discount_reported_in_the_body_is_not_a_promo():
    sentence = "Retailers in Tokyo offered discounts of up to 50% off winter clothing as sales slumped."
    raw = f"Japanese retail sales fall for second month\n14 Feb 2025\n{sentence}\nThe yen weakened on the news."
    assert sentence in clean(raw).text


@pytest.mark.parametrize(
    "furniture",
    [
        "© Reuters.",
        "(c) AFP",
        "REUTERS/Kim Kyung-Hoon",
        "desktopAdmobileAd",
        "Advertisement",
        "Listen to this article",
        "* * *",
        "Description",
        "TSLA",  # a ticker label, not a wire service
    ],
)
def test_furniture_lines_inside_the_body_are_dropped(furniture):
    raw = (
        "Nairobi court halts plan to lease airport to Indian conglomerate\n13/08/2025\n"
        "The High Court in Nairobi on Monday suspended a proposed deal to lease the main airport to a foreign firm.\n"
        "Justice John Chigiti said the order would remain in force until the case was heard.\n"
        f"{furniture}\n"
        "Critics have warned the deal would hand a strategic national asset to a foreign company.\n"
    )
    c = clean(raw)
    assert furniture not in c.text
    assert len(c.text.split("\n\n")) == 4  # headline and three body paragraphs
    assert c.byline is None


def test_site_copyright_notice_still_ends_the_article():
    raw = (
        "Chile wildfires kill at least 46\nFeb 3, 2024\n"
        "Wildfires in central Chile have killed at least 46 people, President Gabriel Boric said on Saturday.\n"
        "© 2024 The Associated Press. All rights reserved.\n"
        "Most read: Five things to know before markets open\n"
    )
    assert paragraphs(raw)[-1].startswith("Wildfires in central Chile")
