"""Tests for the entity annotator and its knowledge file, on real news sentences."""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest

from dataset_builder.annotators.entities import (
    KNOWLEDGE_PATH,
    EntityAnnotator,
    KnowledgeError,
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
        entities = annotator.annotate(nlp(text), article, {})
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
