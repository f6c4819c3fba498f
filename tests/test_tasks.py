"""Task configs (ner, timex, claims) derived from documents: round trip and stable labels."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from conftest import ROOT

from dataset_builder import build
from dataset_builder.evaluate import EvaluationError, evaluate_paths
from dataset_builder.gold import gold_layers, load_gold_files
from dataset_builder.ingest.reader import read_article
from dataset_builder.records import Document, to_record
from dataset_builder.release import iter_records
from dataset_builder.tasks import BIO_NAMES, ONTONOTES_LABELS, ner_features, ner_spans, spans_from_bio, task_rows


@pytest.fixture(scope="module")
def gold_records():
    records = []
    for source_file, data in load_gold_files(ROOT / "annotations" / "gold").items():
        article = read_article(ROOT / "sources" / "articles" / source_file)
        g = gold_layers(data, article.text)
        records.append(to_record(Document(article, g.entities, g.timexes, g.claims, split="test")))
    return records


def test_label_names_are_the_ontonotes_bio_scheme_in_a_fixed_order():
    names = ner_features()["ner_tags"].feature.names
    assert names[0] == "O" and len(names) == 1 + 2 * 18
    assert names[1:5] == ["B-PERSON", "I-PERSON", "B-NORP", "I-NORP"]
    assert set(ONTONOTES_LABELS) >= {"DATE", "TIME"} and list(BIO_NAMES) == names


def test_ner_rows_round_trip_to_the_document_layers(gold_records, nlp):
    for record in gold_records:
        rows = [row for config, row in task_rows([record], nlp) if config == "ner"]
        assert rows
        back = []
        for row in rows:
            assert len(row["tokens"]) == len(row["ner_tags"]) == len(row["token_starts"]) == len(row["token_ends"])
            for tok, s, e in zip(row["tokens"], row["token_starts"], row["token_ends"], strict=True):
                assert record["text"][s:e] == tok
            back += spans_from_bio(record["text"], row["token_starts"], row["token_ends"],
                                   [BIO_NAMES[t] for t in row["ner_tags"]])
        expected, dropped = ner_spans(record)
        assert sorted(back) == expected
        # everything of the entity layer not overlapping a temporal expression is reproduced exactly
        assert len(expected) + dropped == len(record["entities"]) + len(record["timexes"])


def test_timex_and_claim_rows_carry_their_context(gold_records, nlp):
    for record in gold_records:
        rows = list(task_rows([record], nlp))
        timex = [r for c, r in rows if c == "timex"]
        claims = [r for c, r in rows if c == "claims"]
        assert len(timex) == len(record["timexes"]) and len(claims) == len(record["claims"])
        for r in timex:
            assert r["sentence"][r["start"] - r["sentence_start"] : r["end"] - r["sentence_start"]] == r["text"]
            assert r["dct"] == record["published"]
        for r in claims:
            c = r["content"]
            assert r["context"][c["start"] - r["context_start"] : c["end"] - r["context_start"]] == c["text"]


def test_spans_from_bio_reads_ill_formed_sequences_leniently():
    text = "Kim Jong Un met Putin in Moscow"
    starts, ends = [0, 4, 9, 12, 16, 22, 25], [3, 8, 11, 15, 21, 24, 31]
    tags = ["B-PERSON", "I-PERSON", "I-PERSON", "O", "I-PERSON", "O", "B-GPE"]
    assert spans_from_bio(text, starts, ends, tags) == [(0, 11, "PERSON"), (16, 21, "PERSON"), (25, 31, "GPE")]


def test_evaluate_accepts_predictions_in_the_ner_shape(tmp_path):
    """The bundled release's own ner rows, scored against its documents: every span matches."""
    release, _ = build(out=tmp_path / "out", annotate=False)
    rows = [r for p in sorted((release / "data" / "ner").glob("*.parquet")) for r in pq.read_table(p).to_pylist()]
    pred = tmp_path / "ner.jsonl"
    pred.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = evaluate_paths(release, pred)
    records = list(iter_records(release))
    overlapping = sum(ner_spans(r)[1] for r in records)
    n_entities = sum(len(r["entities"]) for r in records)
    assert report["entities"]["strict"]["tp"] == n_entities - overlapping
    assert report["entities"]["strict"]["precision"] == 1.0
    assert report["timexes"]["strict"]["f1"] == 1.0 and report["timexes"]["type_accuracy"] < 1.0  # DURATION -> DATE
    # a tag that is not in the ClassLabel is a precise error
    rows[0]["ner_tags"][0] = 99
    pred.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"ner\.jsonl line 1: ner_tags\[0\]: 99 is not a tag"):
        evaluate_paths(release, pred)


def test_ner_label_names_match_the_snapshot():
    """Tag ids are part of the release: the names and their order never change silently."""
    snapshot = json.loads((ROOT / "tests" / "data" / "ner_label_names.json").read_text(encoding="utf-8"))
    assert list(BIO_NAMES) == snapshot


@pytest.mark.parametrize("config", ["documents", "ner", "timex", "claims"])
def test_each_config_loads_by_name_offline(config, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from datasets import load_dataset

    release, _ = build(out=tmp_path / "out", annotate=False)
    ds = load_dataset(str(release), config, cache_dir=str(tmp_path / "cache"))
    assert set(ds) == {"test"} and ds["test"].num_rows > 0
    if config == "ner":
        assert ds["test"].features["ner_tags"].feature.names == list(BIO_NAMES)
