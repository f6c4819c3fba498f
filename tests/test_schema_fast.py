"""The compiled schema check (fastjsonschema) never accepts what jsonschema rejects.

The build checks every record with the compiled check first and asks
``jsonschema`` only when it fails (see :mod:`dataset_builder.schema`). That is
right only if the compiled check is never more lenient: here, on real records
and on records broken at a random place in a random way.
"""

from __future__ import annotations

import copy
import json

import fastjsonschema
import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataset_builder.gold import gold_layers, load_gold_files
from dataset_builder.ingest.reader import read_article
from dataset_builder.records import Document, to_record
from dataset_builder.schema import compiled, is_valid, iter_problems, load_schema, validator

# Values that break some field and not others: wrong types, bounds, patterns,
# lengths, a trailing newline (where Python's `$` and `\Z` differ), bools for ints.
REPLACEMENTS = [None, True, False, 0, -1, 1, 1.0, 2.5, "", "x", "abc\n", "0123456789abcdef\n", "2025-10-25",
                "2025-10-25T08:03+05:30", "Q42", "Q0", "PERSON", "person", "P6M", "gold", "gold.v1", [], {}, ["x"],
                {"start": 0, "end": 1, "text": "K"}]


def _real_record() -> dict:
    """The gold record of a seed article: every layer filled."""
    source = ROOT / "sources" / "articles" / "000_24596bca16d28781.txt"
    article = read_article(source)
    gold = gold_layers(load_gold_files(ROOT / "annotations" / "gold")[source.name], article.text)
    return to_record(Document(article, entities=gold.entities, timexes=gold.timexes, claims=gold.claims))


def _paths(node, prefix=()):
    """Every (path, value) of a JSON document, containers included."""
    yield prefix, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node[:3]):  # a few items of each list are enough
            yield from _paths(value, (*prefix, i))


def _fast_accepts(instance) -> bool:
    try:
        compiled()(instance)
        return True
    except fastjsonschema.JsonSchemaException:
        return False


@pytest.fixture(scope="module")
def real():
    record = _real_record()
    if not validator().is_valid(record):  # the fixture itself must be a valid record
        pytest.fail("fixture record invalid: " + "; ".join(iter_problems(record)))
    return record


def test_real_records_pass_both_checks(real):
    assert _fast_accepts(real) and validator().is_valid(real) and is_valid(real)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_broken_record_is_never_accepted_by_the_compiled_check_alone(real, data):
    paths = [path for path, _ in _paths(real) if path]
    path = data.draw(st.sampled_from(paths))
    action = data.draw(st.sampled_from(["replace", "delete", "add"]))
    record = copy.deepcopy(real)
    parent = record
    for step in path[:-1]:
        parent = parent[step]
    if action == "replace":
        parent[path[-1]] = copy.deepcopy(data.draw(st.sampled_from(REPLACEMENTS)))
    elif action == "delete":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent["unexpected"] = 1
    else:
        parent.append(copy.deepcopy(data.draw(st.sampled_from(REPLACEMENTS))))
    slow = validator().is_valid(record)
    if _fast_accepts(record):
        assert slow, f"compiled check accepted what jsonschema rejects: {path} {action}"
    # whatever the compiled check says, the answer and the messages are jsonschema's
    assert is_valid(record) == slow
    assert (list(iter_problems(record)) == []) == slow


def test_only_schemas_that_mean_the_same_under_draft_7_are_compiled():
    # the record schema: Draft 7 keywords only, so compiled
    assert compiled("document.schema.json") is not None
    # the gold file schema uses unevaluatedProperties (2019-09+), which fastjsonschema would ignore
    assert "unevaluatedProperties" in json.dumps(load_schema("annotations.schema.json"))
    assert compiled("annotations.schema.json") is None
    broken_gold = {"source_file": "a.txt", "guidelines": "v1", "entities": [], "timexes": [], "claims": [],
                   "unexpected": 1}
    assert not is_valid(broken_gold, "annotations.schema.json")
