"""The contract: JSON Schemas, readable errors, and the Arrow features derived from them."""

from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import ROOT
from datasets import List, Value

from dataset_builder.schema import features, iter_problems, load_schema
from dataset_builder.validate import record_problems

SCHEMAS = sorted((ROOT / "schema").glob("*.schema.json"))


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schemas_conform_to_their_meta_schema(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def record(**changes):
    text = "Kim said on Friday that 2,000 troops had died."
    base = {
        "id": "742bdfc2096c9f4c", "source_file": "a.txt", "publisher": None, "url": None,
        "published": "2025-10-25", "updated": None, "headline": None, "standfirst": None,
        "byline": None, "dateline": None, "topics": [], "language": "en", "ingest": None, "text": text,
        "entities": [{"start": 0, "end": 3, "text": "Kim", "label": "PERSON", "canonical": "Kim Jong Un",
                      "origin": "gold", "kb_id": None}],
        "timexes": [{"start": 12, "end": 18, "text": "Friday", "type": "DATE", "value": "2025-10-24",
                     "origin": "timex.rules.v1+en_core_web_sm-3.8.0", "mod": None}],
        "claims": [{"content": {"start": 24, "end": 45, "text": "2,000 troops had died"},
                    "cue": {"start": 4, "end": 8, "text": "said"}, "kind": "indirect", "origin": "gold",
                    "source": {"start": 0, "end": 3, "text": "Kim"}, "source_canonical": "Kim Jong Un",
                    "content_parts": [], "via": None}],
    }
    base.update(changes)
    return base


def test_a_complete_record_is_valid():
    assert record_problems(record()) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "not-an-id"}, "id: 'not-an-id' is not a valid document id"),
        ({"published": "25/10/2025"}, "published: '25/10/2025' is not a valid ISO 8601 date or date-time"),
        ({"language": None}, "language: None is not of type 'string'"),
        ({"extra": 1}, "(record): Additional properties are not allowed ('extra' was unexpected)"),
    ],
)
def test_a_broken_record_gets_a_readable_message(change, message):
    assert any(p.startswith(message) for p in record_problems(record(**change)))


def test_nested_problems_name_their_path():
    rec = record()
    rec["timexes"][0]["value"] = "Friday"
    rec["entities"][0]["label"] = "DATE"
    problems = record_problems(rec)
    assert any(p.startswith("timexes[0].value: 'Friday' is not a valid TIMEX3 value") for p in problems)
    assert any(p.startswith("entities[0].label: 'DATE' is not one of") for p in problems)


def test_offsets_are_checked_after_the_schema():
    rec = record()
    rec["entities"][0]["end"] = 4
    assert record_problems(rec) == ["entities[0]: text[0:4] is 'Kim ', span says 'Kim'"]
    rec = record()
    rec["claims"][0]["cue"] = {"start": 40, "end": 99, "text": "said"}
    assert record_problems(rec) == ["claims[0].cue: [40, 99) is not a span of text (length 46)"]


def _expected_feature(node, root):
    """An independent reading of the schema: what Arrow type each JSON type must become."""
    while "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in node:
        node = next(n for n in node["anyOf"] if n.get("type") != "null")
        return _expected_feature(node, root)
    kind = node.get("type", "string")
    kind = next(k for k in kind if k != "null") if isinstance(kind, list) else kind
    return {"integer": Value("int64"), "string": Value("string")}.get(kind) or (
        List(_expected_feature(node["items"], root)) if kind == "array"
        else {k: _expected_feature(v, root) for k, v in node["properties"].items()}
    )


def test_features_agree_with_the_json_schema_field_by_field():
    schema = load_schema()
    feats = features()
    assert list(feats) == list(schema["properties"])  # same fields, same order
    for name, sub in schema["properties"].items():
        assert feats[name] == _expected_feature(sub, schema), name
    # every required field is a column: nothing the schema demands is lost in Parquet
    assert set(schema["required"]) == set(feats)


def test_gold_file_errors_are_readable():
    bad = {"source_file": "a.txt", "entities": [{"start": 0, "end": 3, "text": "Kim", "prefix": "", "suffix": "",
                                                  "label": "PER", "canonical": "Kim Jong Un", "kbid": "Q1"}],
           "timexes": [], "claims": []}
    problems = list(iter_problems(bad, "annotations.schema.json"))
    assert "entities[0]: Unevaluated properties are not allowed ('kbid' was unexpected)" in problems
    assert any(p.startswith("entities[0].label: 'PER' is not one of") for p in problems)
