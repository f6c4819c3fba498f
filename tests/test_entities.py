"""Tests for the entity annotator and its knowledge file, on real news sentences."""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest

from dataset_builder.annotators.entities import (
    _POINT_WORDS,
    KNOWLEDGE_PATH,
    EntityAnnotator,
    KnowledgeError,
    _may_match_names,
    load_knowledge,
)
from dataset_builder.records import Article, Entity


@pytest.fixture(scope="module")
def annotator(nlp) -> EntityAnnotator:
    return EntityAnnotator(nlp)


@pytest.fixture(scope="module")
def annotate(nlp, annotator):
    def run(text: str) -> list[Entity]:
        article = Article(id="0" * 16, source_file="test.txt", published="2025-10-25", text=text)
        doc = nlp(text)
        entities = annotator.annotate(doc, article, {})
        # The name patterns' prefilter is a necessary condition: it never skips a match.
        assert _may_match_names(doc) or not annotator._names(doc)
        # Offsets are truth, spans are sorted and never overlap.
        for e in entities:
            assert text[e.start:e.end] == e.text
            assert e.origin == annotator.origin
        assert all(a.end <= b.start for a, b in zip(entities, entities[1:], strict=False))
        return entities

    return run


def by_text(entities: list[Entity]) -> dict[str, Entity]:
    return {e.text: e for e in entities}


# ----------------------------------------------------------------- span rules


def test_possessive_is_left_out(annotate):
    ents = by_text(annotate("South Korea’s intelligence agency estimated in September that about 2,000 "
                            "North Korean soldiers had been killed in the fighting."))
    assert ents["South Korea"].label == "GPE"
    assert "South Korea’s" not in ents


def test_title_is_left_out_and_demonym_kept(annotate):
    ents = by_text(annotate("Meanwhile, Russian President Vladimir Putin remained defiant on Thursday."))
    assert ents["Vladimir Putin"].label == "PERSON"
    assert ents["Russian"].label == "NORP"
    assert not any("President" in t for t in ents)


def test_title_with_of_is_left_out(annotate):
    ents = by_text(annotate("U.S. Secretary of State Marco Rubio met his Chinese counterpart Wang Yi in Kuala Lumpur."))
    assert ents["U.S."].canonical == "United States"
    assert ents["Marco Rubio"].label == "PERSON"
    assert "State" not in ents


def test_honorific_and_role_title_left_out(annotate):
    text = ("The ceasefire will take effect on Sunday, Qatari prime minister Sheikh Mohammed bin "
            "Abdulrahman Al Thani said.")
    ents = by_text(annotate(text))
    assert ents["Mohammed bin Abdulrahman Al Thani"].label == "PERSON"
    assert ents["Qatari"].label == "NORP"


def test_determiner_is_left_out(annotate):
    ents = by_text(annotate("He warned a sharp supply drop would be uncomfortable for countries like "
                            "the United States."))
    assert ents["United States"].canonical == "United States"


def test_numbers_keep_approximator_not_counted_noun(annotate):
    ents = by_text(annotate("Kyiv and Seoul estimate North Korea deployed more than 10,000 troops to the war."))
    assert ents["more than 10,000"].label == "CARDINAL"
    assert not any("troops" in t for t in ents)


def test_range_is_one_entity_without_from(annotate):
    ents = by_text(annotate("The number of votes tallied by the three pollsters ranged from 30% to nearly 43%."))
    assert ents["30% to nearly 43%"].label == "PERCENT"


def test_change_and_level_are_two_entities(annotate):
    ents = by_text(annotate("The Bank of England raised its key rate by a quarter of a percentage point to 5.25%."))
    assert ents["a quarter of a percentage point"].label == "PERCENT"
    assert ents["5.25%"].label == "PERCENT"


def test_percentage_points_are_percent(annotate):
    ents = by_text(annotate("The Federal Reserve on Wednesday cut interest rates by half a percentage point, "
                            "or 50 basis points."))
    assert ents["half a percentage point"].label == "PERCENT"
    assert ents["50 basis points"].label == "PERCENT"


def test_age_adjective_is_not_a_cardinal(annotate):
    ents = annotate("The move is a signal of intent in its 3-1/2-year-old full-scale invasion of Ukraine.")
    assert [e.text for e in ents if e.label == "CARDINAL"] == []


def test_region_word_leaves_span_and_makes_gpe(annotate):
    ents = by_text(annotate("Russia's Defence Ministry said its forces had captured the village of "
                            "Novoselivka in the Donetsk region."))
    assert (ents["Donetsk"].label, ents["Donetsk"].canonical) == ("GPE", "Donetsk Oblast")
    assert ents["Novoselivka"].label == "GPE"
    assert not any(t.endswith("region") for t in ents)


def test_dates_and_times_are_not_entities(annotate):
    labels = {e.label for e in annotate("Putin remained defiant on Thursday after talks last week at 0823 GMT.")}
    assert not labels & {"DATE", "TIME"}


# ------------------------------------------------------------ types and names


def test_knowledge_overrides_wrong_model_type(nlp, annotate):
    text = ("Putin also shared with Kim information about his upcoming talks with Trump scheduled to take "
            "place Friday in Alaska, according to Russia's TASS news agency, citing the Kremlin.")
    # en_core_web_sm types this "Trump" as an organisation; the knowledge file knows the person.
    assert ("Trump", "ORG") in {(e.text, e.label_) for e in nlp(text).ents}
    ents = by_text(annotate(text))
    assert (ents["Trump"].label, ents["Trump"].canonical, ents["Trump"].kb_id) == ("PERSON", "Donald Trump", "Q22686")
    assert (ents["TASS"].label, ents["Kremlin"].label, ents["Alaska"].label) == ("ORG", "ORG", "GPE")
    assert ents["Putin"].canonical == "Vladimir Putin"


def test_known_city_typed_as_person_becomes_gpe(annotate):
    ents = by_text(annotate("Kyiv and Seoul estimate North Korea deployed more than 10,000 troops to the war."))
    assert (ents["Kyiv"].label, ents["Kyiv"].kb_id) == ("GPE", "Q1899")


def test_us_short_form_takes_canonical_name_and_qid(annotate):
    ents = by_text(annotate("US President Donald Trump hit Russia’s two biggest oil companies with sanctions."))
    assert ents["US"].canonical == "United States"
    assert ents["US"].kb_id == "Q30"
    assert ents["two"].label == "CARDINAL"


def test_surname_takes_full_name(annotate):
    ents = annotate("North Korean leader Kim Jong Un said the ties would advance. "
                    "Kim made the comments during a speech.")
    kims = [e for e in ents if e.text == "Kim"]
    assert kims and all(e.label == "PERSON" and e.canonical == "Kim Jong Un" for e in kims)


def test_unknown_first_names_resolve_within_document(annotate):
    text = ("Rivals Anies Baswedan and Ganjar Pranowo had about 23% and 17.7% respectively. "
            "The contest pits popular former governors Ganjar and Anies against the frontrunner.")
    ents = annotate(text)
    canon = {(e.text, e.canonical) for e in ents if e.label == "PERSON"}
    assert {("Anies", "Anies Baswedan"), ("Ganjar", "Ganjar Pranowo"), ("Ganjar Pranowo", "Ganjar Pranowo")} <= canon
    assert {e.text for e in ents if e.label == "PERCENT"} == {"about 23%", "17.7%"}


def test_bare_commission_takes_named_body(annotate):
    text = ("The European Commission has voted to make large tariffs on Chinese-made electric cars permanent. "
            "In a statement released by the Commission, it said the EU will work with Chinese authorities.")
    ents = annotate(text)
    bare = [e for e in ents if e.text == "Commission"]
    assert bare and bare[0].label == "ORG" and bare[0].canonical == "European Commission"
    eu = by_text(ents)["EU"]
    assert (eu.label, eu.canonical, eu.kb_id) == ("ORG", "European Union", "Q458")
    assert [e.text for e in ents if e.label == "NORP"] == ["Chinese", "Chinese"]


def test_acronym_defined_in_text(annotate):
    ents = by_text(annotate("The central bank’s Federal Open Market Committee (FOMC) voted 11–1, with "
                            "Governor Michelle Bowman supporting a quarter-point rate cut."))
    assert ents["FOMC"].canonical == "Federal Open Market Committee"
    assert ents["11–1"].label == "CARDINAL"
    assert ents["Michelle Bowman"].label == "PERSON"
    assert ents["quarter-point"].label == "PERCENT"


def test_the_north_refers_to_named_state(annotate):
    text = ("North Korea has sent around 15,000 troops to Russia. His government has dismissed Washington "
            "and Seoul's desires to restart diplomacy aimed at defusing the North's nuclear program.")
    north = by_text(annotate(text))["North"]
    assert (north.label, north.canonical) == ("GPE", "North Korea")


def test_headline_overreach_is_cut_to_known_name(annotate):
    ents = annotate("Federal Reserve Cuts Interest Rates by Half a Percentage Point\n\n"
                    "The Federal Reserve cut interest rates on Wednesday.")
    assert [(e.text, e.label) for e in ents] == [
        ("Federal Reserve", "ORG"), ("Half a Percentage Point", "PERCENT"), ("Federal Reserve", "ORG")]


def test_dateline_in_capitals_is_known_place(annotate):
    jakarta = by_text(annotate("JAKARTA — Unofficial figures showed Defense Minister Prabowo Subianto on track."))
    assert jakarta["JAKARTA"].canonical == "Jakarta"
    assert "Unofficial" not in jakarta and "Defense" not in jakarta
    assert jakarta["Prabowo Subianto"].label == "PERSON"


# --------------------------------------------------------------- knowledge file


def test_knowledge_file_is_schema_valid_and_broad():
    entries = load_knowledge()
    assert len(entries) >= 300
    assert {"PERSON", "NORP", "GPE", "LOC", "ORG"} <= {e.label for e in entries}


def test_knowledge_aliases_never_conflict():
    names = defaultdict(set)
    for e in load_knowledge():
        for n in e.names:
            names[n].add((e.canonical, e.label))
    conflicts = {n: v for n, v in names.items() if len(v) > 1}
    assert conflicts == {}


def test_knowledge_qids_are_well_formed():
    qid = re.compile(r"^Q[1-9][0-9]*$")
    ids = [e.kb_id for e in load_knowledge() if e.kb_id]
    assert ids and all(qid.match(i) for i in ids)
    assert len(ids) == len(set(ids))


def test_bad_knowledge_line_names_the_line(tmp_path):
    path = tmp_path / "knowledge.jsonl"
    good = json.dumps({"canonical": "Seoul", "label": "GPE"})
    bad = json.dumps({"canonical": "Seoul", "label": "CITY", "kb_id": "8684"})
    path.write_text(f"{good}\n{bad}\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"knowledge\.jsonl:2:"):
        load_knowledge(path)


def test_knowledge_path_is_packaged():
    assert KNOWLEDGE_PATH.name == "knowledge.jsonl" and KNOWLEDGE_PATH.is_file()


# ------------------------------------------------- name shapes beyond the seeds


def test_club_names_keep_their_suffix_and_scores_are_cardinal(annotate):
    ents = by_text(annotate("Orlando City SC beat Atlanta United 3-1 at Exploria Stadium on Saturday."))
    assert ents["Orlando City SC"].label == "ORG"
    # en_core_web_sm tags only "Atlanta" (GPE) and only the "3" of the score.
    assert ents["Atlanta United"].label == "ORG"
    assert ents["3-1"].label == "CARDINAL"
    assert ents["Exploria Stadium"].label == "FAC"
    assert "Atlanta" not in ents and "3" not in ents


def test_club_prefix_and_score_with_en_dash(annotate):
    ents = by_text(annotate("Kerala Blasters lost 2-0 to FC Goa at the Jawaharlal Nehru Stadium in Kochi, "
                            "while RB Leipzig drew 1–1 with Borussia Dortmund."))
    assert (ents["FC Goa"].label, ents["RB Leipzig"].label) == ("ORG", "ORG")
    assert (ents["2-0"].label, ents["1–1"].label) == ("CARDINAL", "CARDINAL")
    assert ents["Jawaharlal Nehru Stadium"].label == "FAC"


def test_number_ranges_with_units_or_months_are_not_scores(annotate):
    ents = by_text(annotate("Rain fell 1-2 inches across Texas, and the talks run Jan. 3-5 in Geneva."))
    assert ents["1-2 inches"].label == "QUANTITY"
    assert not any(e.label == "CARDINAL" and "3-5" in t for t, e in ents.items())


def test_facility_head_makes_fac_not_org(annotate):
    ents = by_text(annotate("Flights resumed at Ben Gurion Airport, and traffic returned to the "
                            "Chesapeake Bay Bridge."))
    assert ents["Ben Gurion Airport"].label == "FAC"
    # The model calls the bridge an ORG.
    assert ents["Chesapeake Bay Bridge"].label == "FAC"


def test_named_storm_is_event_and_bare_name_repeats_it(annotate):
    ents = annotate("Typhoon Yagi slammed into Hainan province on Friday; Yagi was the strongest storm "
                    "to hit the island in a decade.")
    yagi = [(e.text, e.label, e.canonical) for e in ents if "Yagi" in e.text]
    assert yagi == [("Typhoon Yagi", "EVENT", "Typhoon Yagi"), ("Yagi", "EVENT", "Typhoon Yagi")]


def test_storm_name_at_sentence_start_is_found(annotate):
    ents = annotate("Hurricane Helene made landfall in Florida's Big Bend on Thursday night. "
                    "Helene later weakened over Georgia.")
    assert [(e.text, e.label) for e in ents if "Helene" in e.text] == [
        ("Hurricane Helene", "EVENT"), ("Helene", "EVENT")]


def test_missiles_and_forecasters_are_not_storms(annotate):
    ents = by_text(annotate("Ukraine fired British-supplied Storm Shadow missiles, and the National "
                            "Hurricane Center issued no warning."))
    assert ents["Storm Shadow"].label != "EVENT"
    assert ents["National Hurricane Center"].label == "ORG"


def test_county_in_a_title_is_a_gpe(annotate):
    ents = by_text(annotate('"The evidence is clear," Cook County State\'s Attorney Kim Foxx said on Monday.'))
    # The model makes "Cook County State's" a FAC; the county is the GPE, the title goes.
    assert ents["Cook County"].label == "GPE"
    assert ents["Kim Foxx"].label == "PERSON"
    assert not any("Attorney" in t for t in ents)


def test_county_that_starts_a_longer_name_is_left_alone(annotate):
    ents = by_text(annotate("The Orange County Register reported that Harris County Judge Lina Hidalgo "
                            "ordered evacuations."))
    assert ents["Orange County Register"].label == "ORG"
    assert ents["Harris County"].label == "GPE" and ents["Lina Hidalgo"].label == "PERSON"


def test_possessive_office_name_is_one_org(annotate):
    ents = by_text(annotate("The Governor's Office of Emergency Services said more than 2,000 firefighters "
                            "were battling the blaze."))
    assert ents["Governor's Office of Emergency Services"].label == "ORG"
    assert ents["more than 2,000"].label == "CARDINAL"
    assert not any(e.label == "PERSON" for e in ents.values())


def test_possessive_office_name_with_curly_apostrophe_and_conjoined_words(annotate):
    ents = by_text(annotate("A spokesman for the Mayor’s Office of Housing and Community Development "
                            "said rents fell."))
    office = ents["Mayor’s Office of Housing and Community Development"]
    assert (office.label, office.canonical) == ("ORG", "Mayor's Office of Housing and Community Development")


def test_ticker_makes_company_and_spreads(annotate):
    ents = annotate("Snowflake (SNOW) shares jumped 20% on Thursday. Snowflake said product revenue rose 29%.")
    found = [(e.text, e.label, e.canonical) for e in ents if e.label == "ORG"]
    assert found == [("Snowflake", "ORG", "Snowflake"), ("SNOW", "ORG", "Snowflake"),
                     ("Snowflake", "ORG", "Snowflake")]


def test_exchange_ticker_takes_company_name(annotate):
    ents = by_text(annotate("Delta Air Lines (NYSE: DAL) cut its outlook for the year."))
    assert (ents["DAL"].label, ents["DAL"].canonical) == ("ORG", "Delta Air Lines")
    assert (ents["NYSE"].label, ents["NYSE"].canonical) == ("ORG", "New York Stock Exchange")


def test_company_acronym_from_knowledge(annotate):
    ents = annotate("UPS shares fell premarket after the parcel carrier missed estimates, while FedEx rose.")
    assert [(e.text, e.label, e.canonical) for e in ents if e.label == "ORG"] == [
        ("UPS", "ORG", "United Parcel Service"), ("FedEx", "ORG", "FedEx")]


def test_finance_jargon_and_lowercase_abbreviations_are_not_entities(annotate):
    ents = by_text(annotate("Nvidia posted record Q3 revenue, and adjusted EPS of $0.81 beat estimates, while "
                            "liquefied natural gas (LNG) exports rose."))
    assert {"Q3", "EPS", "LNG"}.isdisjoint(ents)
    assert ents["$0.81"].label == "MONEY"


def test_acronym_tagged_alone_takes_defined_name(annotate):
    ents = annotate("The National Rifle Association (NRA) sued the state, and the NRA said it would appeal.")
    nra = [(e.label, e.canonical) for e in ents if e.text == "NRA"]
    # The model tags both "NRA" as GPE.
    assert nra == [("ORG", "National Rifle Association")] * 2


def test_short_form_with_initials_takes_full_club_name(annotate):
    ents = by_text(annotate("Lucknow Super Giants beat Delhi Capitals by six wickets. "
                            "Lucknow SG have now won four games."))
    assert (ents["Lucknow SG"].label, ents["Lucknow SG"].canonical) == ("ORG", "Lucknow Super Giants")


def test_surname_particle_joins_the_name(annotate):
    ents = by_text(annotate("Manchester United manager Erik ten Hag praised the players after the match."))
    assert ents["Erik ten Hag"].label == "PERSON"
    assert ents["Manchester United"].label == "ORG"
    assert "ten" not in ents


def test_lone_count_tagged_date_is_cardinal_but_age_is_not(annotate):
    ents = by_text(annotate("Arsenal had 12 corners to Chelsea's 4, and the visitors' goalkeeper, 31, "
                            "made nine saves."))
    assert ents["4"].label == "CARDINAL"
    assert "31" not in ents


def test_team_nickname_after_capital_the(annotate):
    ents = by_text(annotate("Despite trailing early, The Gunners rallied to win their third title."))
    assert ents["Gunners"].label == "ORG"


def test_bare_office_title_is_not_an_org(annotate):
    ents = by_text(annotate("The Delhi High Court heard the case, and Solicitor General Tushar Mehta told "
                            "the bench the government would reply."))
    assert "Solicitor General" not in ents
    assert ents["Tushar Mehta"].label == "PERSON"


def test_wall_street_as_the_financial_industry_is_org(annotate):
    ents = by_text(annotate("Wall Street analysts had expected earnings of $1.20 a share."))
    assert ents["Wall Street"].label == "ORG"


def test_every_percent_pattern_ends_in_a_point_word(annotator):
    # _pattern_cands skips the Matcher for a document without one of _POINT_WORDS.
    for pattern in annotator._patterns.get("PERCENT")[1]:
        last = pattern[-1]
        assert "OP" not in last
        words = {last["LOWER"]} if isinstance(last["LOWER"], str) else set(last["LOWER"]["IN"])
        assert words <= _POINT_WORDS


@pytest.mark.parametrize("text", [
    "Atlanta United beat the Seattle Sounders.",  # club word after a name
    "The Governor’s Office of Emergency Services said so.",  # office phrase
    "They won 3-1 on Sunday.",  # score as one token
    "They won 3 - 1 on Sunday.",  # score as three tokens
    "Crowds gathered at Salt Lake Stadium.",  # anchor word
])
def test_name_prefilter_lets_every_pattern_shape_through(nlp, annotator, text):
    doc = nlp(text)
    assert annotator._names(doc) and _may_match_names(doc)


def test_name_prefilter_skips_documents_without_an_anchor(nlp, annotator):
    doc = nlp("The United States and the United Nations met on Friday; the president's office declined to comment.")
    assert not _may_match_names(doc) and not annotator._names(doc)
