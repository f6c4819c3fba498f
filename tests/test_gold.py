"""Gold files: schema check, anchoring, re-anchoring after the cleaner shifts the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT

from dataset_builder.errors import BuildError, OffsetError
from dataset_builder.gold import anchor, gold_layers, load_gold_files, quote
from dataset_builder.ingest.reader import read_article

GOLD = ROOT / "annotations" / "gold"
SEEDS = ROOT / "sources" / "articles"
TEXT = "Kim said on Friday that Kim would visit Moscow. Kim left on Friday."


def test_every_bundled_gold_file_anchors_exactly_in_the_current_text():
    gold = load_gold_files(GOLD)
    assert gold, "no gold files"
    for source_file, data in gold.items():
        text = read_article(SEEDS / source_file).text
        layers = gold_layers(data, text)
        # the cleaner reproduces the gold text: every stored offset holds as written
        for stored, anchored in zip(sorted(data["entities"], key=lambda e: (e["start"], e["end"])), layers.entities, strict=True):
            assert (stored["start"], stored["end"]) == (anchored.start, anchored.end)
        for item in layers.entities + layers.timexes:
            assert text[item.start : item.end] == item.text and item.origin == "gold"
        for claim in layers.claims:
            for span in (claim.content, claim.cue, claim.source, *claim.content_parts):
                if span is not None:
                    assert text[span.start : span.end] == span.text


def test_a_shifted_span_is_found_again_by_its_quote():
    a = quote(TEXT, TEXT.index("Moscow"), TEXT.index("Moscow") + 6)
    shifted = "PYONGYANG: " + TEXT
    span = anchor(shifted, a, "x")
    assert shifted[span.start : span.end] == "Moscow" and span.start == a["start"] + 11


def test_a_repeated_string_is_told_apart_by_its_context():
    second = TEXT.rindex("Friday")
    a = quote(TEXT, second, second + 6)
    shifted = TEXT.replace("Kim said", "Kim Jong Un said")
    span = anchor(shifted, a, "x")
    assert span.start == shifted.rindex("Friday")


def test_a_span_that_is_gone_fails_the_build_naming_it():
    a = quote(TEXT, TEXT.index("Moscow"), TEXT.index("Moscow") + 6)
    with pytest.raises(OffsetError, match=r"file\.json: entities\[3\]: cannot re-anchor 'Moscow' .* not found"):
        anchor(TEXT.replace("Moscow", "Kyiv"), a, "file.json: entities[3]")


def test_an_ambiguous_span_fails_the_build():
    a = {"start": 0, "end": 3, "text": "Kim", "prefix": "", "suffix": " said on"}
    text = "Kim said on Friday. Kim said on Monday."
    with pytest.raises(OffsetError, match="found 2 times"):
        anchor("X" + text, a, "x")


def test_a_broken_gold_file_gets_a_readable_error(tmp_path: Path):
    good = json.loads(next(GOLD.glob("*.json")).read_text(encoding="utf-8"))
    good["timexes"][0]["value"] = "next Friday"
    (tmp_path / "g.json").write_text(json.dumps(good), encoding="utf-8")
    with pytest.raises(BuildError, match=r"g\.json: does not conform .*\n  timexes\[0\]\.value: 'next Friday' is not a valid TIMEX3 value"):
        load_gold_files(tmp_path)
    (tmp_path / "g.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(BuildError, match=r"g\.json: not valid JSON \(line 1"):
        load_gold_files(tmp_path)
