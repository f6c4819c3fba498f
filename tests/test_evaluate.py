"""The scorer: hand-computed metrics, text drift, input formats and every input error."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import DEVSET

from dataset_builder.evaluate import EvaluationError, evaluate, evaluate_paths, format_report, prf

needs_devset = pytest.mark.skipif(not (DEVSET / "gold").is_dir(), reason="../shared/devset is not present")

TEXT = "Russian President Vladimir Putin met Kim Jong Un in Moscow on Friday, the Kremlin said last week."


def span(text: str, surface: str, nth: int = 0) -> dict:
    """The ``nth`` occurrence of ``surface`` in ``text`` as a span dict."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return {"start": start, "end": start + len(surface), "text": surface}


def ent(surface: str, label: str, text: str = TEXT) -> dict:
    return {**span(text, surface), "label": label, "canonical": surface}


def tmx(surface: str, type_: str, value: str, text: str = TEXT) -> dict:
    return {**span(text, surface), "type": type_, "value": value}


def gold_doc(text: str = TEXT, doc: str = "putin-kim", **layers) -> dict:
    return {"doc": doc, "dct": "2025-10-25", "text": text, "entities": [], "timexes": [], "claims": [], **layers}


def pred_doc(source_file: str = "putin-kim.txt", text: str | None = TEXT, **layers) -> dict:
    record = {"source_file": source_file, **layers}
    if text is not None:
        record["text"] = text
    return record


# --- entities ----------------------------------------------------------------------


def test_entities_strict_partial_type_and_per_label():
    gold = gold_doc(entities=[ent("Vladimir Putin", "PERSON"), ent("Kim Jong Un", "PERSON"), ent("Moscow", "GPE")])
    # 1 exact + 1 overlapping with the wrong label.
    pred = pred_doc(entities=[ent("Vladimir Putin", "PERSON"), ent("Kim Jong", "ORG")])
    report = evaluate([gold], [pred])["entities"]
    # strict: tp 1 of 2 pred, 3 gold -> P = 1/2, R = 1/3, F1 = 2*(1/6)/(5/6) = 0.4
    assert report["strict"] == pytest.approx(
        {"tp": 1, "gold": 3, "pred": 2, "precision": 0.5, "recall": 1 / 3, "f1": 0.4}
    )
    # partial: both overlap a gold span -> P = 2/2 = 1, R = 2/3, F1 = 2*(2/3)/(5/3) = 0.8
    assert report["partial"] == pytest.approx(
        {"tp": 2, "gold": 3, "pred": 2, "precision": 1.0, "recall": 2 / 3, "f1": 0.8}
    )
    # type: "Kim Jong" has the wrong label -> same as strict: P = 1/2, R = 1/3, F1 = 0.4
    assert report["type"]["f1"] == pytest.approx(0.4)
    per = report["per_label"]
    # PERSON: 2 gold, 1 pred, 1 tp -> P = 1, R = 1/2, F1 = 2/3
    assert (per["PERSON"]["gold"], per["PERSON"]["pred"]) == (2, 1)
    assert per["PERSON"]["strict"]["f1"] == pytest.approx(2 / 3)
    # ORG: 0 gold, 1 pred -> all 0 (R over zero gold is 0 by definition); GPE: 1 gold, 0 pred -> all 0
    assert per["ORG"]["strict"] == {"tp": 0, "gold": 0, "pred": 1, "precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert per["GPE"]["type"] == {"tp": 0, "gold": 1, "pred": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_entity_span_with_title_counts_for_type_but_not_strict():
    gold = gold_doc(entities=[ent("Vladimir Putin", "PERSON"), ent("Kremlin", "ORG")])
    pred = pred_doc(entities=[ent("President Vladimir Putin", "PERSON"), ent("the Kremlin", "ORG")])
    report = evaluate([gold], [pred])["entities"]
    assert report["strict"]["tp"] == 0  # neither boundary pair is exact: P = R = F1 = 0
    assert report["strict"]["f1"] == 0.0
    assert report["type"]["f1"] == pytest.approx(1.0)  # both overlap with the right label: 2/2, 2/2
    assert report["per_label"]["ORG"]["type"]["f1"] == pytest.approx(1.0)


def test_duplicated_prediction_is_a_false_positive():
    gold = gold_doc(entities=[ent("Moscow", "GPE")])
    pred = pred_doc(entities=[ent("Moscow", "GPE"), ent("Moscow", "GPE")])
    strict = evaluate([gold], [pred])["entities"]["strict"]
    # one-to-one: tp 1, pred 2, gold 1 -> P = 1/2, R = 1, F1 = 2*(1/2)/(3/2) = 2/3
    assert strict == pytest.approx({"tp": 1, "gold": 1, "pred": 2, "precision": 0.5, "recall": 1.0, "f1": 2 / 3})


def test_overlap_matching_is_one_to_one_largest_overlap_first():
    gold = gold_doc(entities=[ent("Kim Jong Un", "PERSON")])
    pred = pred_doc(entities=[ent("Kim", "PERSON"), ent("Kim Jong", "PERSON")])
    report = evaluate([gold], [pred])["entities"]
    # Only one of the two overlapping predictions can take the one gold item:
    # partial tp 1 -> P = 1/2, R = 1/1, F1 = 2/3
    assert report["partial"]["tp"] == 1
    assert report["partial"]["f1"] == pytest.approx(2 / 3)


def test_exact_match_is_taken_before_an_equal_overlap():
    text = "The North Korean leader Kim Jong Un arrived in Moscow on Tuesday."
    gold = gold_doc(text, entities=[ent("Kim Jong Un", "PERSON", text), ent("Moscow", "GPE", text)])
    long = ent("leader Kim Jong Un arrived in Moscow", "PERSON", text)
    pred = pred_doc(text=text, entities=[ent("Kim Jong Un", "PERSON", text), long])
    report = evaluate([gold], [pred])["entities"]
    # The long span overlaps "Kim Jong Un" by 11, as much as the exact prediction, and starts
    # earlier; exact first gives Kim -> exact, Moscow -> long: partial tp 2, P = R = F1 = 1.
    # (Overlap alone would pair Kim with the long span and leave tp 1.)
    assert report["partial"]["tp"] == 2
    # strict: only the exact one -> P = 1/2, R = 1/2
    assert report["strict"]["f1"] == pytest.approx(0.5)


def test_empty_prediction_missing_layer_and_zero_division():
    gold = gold_doc(entities=[ent("Moscow", "GPE")], timexes=[tmx("Friday", "DATE", "2025-10-24")])
    pred = pred_doc(entities=[], claims=[])  # no "timexes" key: that layer was not predicted
    report = evaluate([gold], [pred])
    # predicted nothing: P = 0 (defined for 0 predictions), R = 0/1 = 0, F1 = 0
    assert report["entities"]["strict"] == {"tp": 0, "gold": 1, "pred": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert report["timexes"] is None
    # no gold and no predicted claims: every ratio has a zero denominator and is 0; no pairs, accuracy 0
    assert report["claims"]["content"]["f1"] == 0.0
    assert report["claims"]["matched"] == 0
    assert report["claims"]["source_accuracy"] == 0.0
    assert "timexes   (not predicted)" in format_report(report)


def test_prf_zero_division():
    assert prf(0, 0, 0) == {"tp": 0, "gold": 0, "pred": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert prf(0, 5, 0)["precision"] == 0.0
    assert prf(2, 4, 2) == pytest.approx({"tp": 2, "gold": 4, "pred": 2, "precision": 1.0, "recall": 0.5, "f1": 2 / 3})


# --- temporal expressions ---------------------------------------------------------------


def test_timex_strict_overlap_type_and_value():
    gold = gold_doc(timexes=[tmx("Friday", "DATE", "2025-10-24"), tmx("last week", "DATE", "2025-W42")])
    pred = pred_doc(
        timexes=[
            tmx("on Friday", "DATE", "2025-10-24"),  # overlap only, type and value right
            tmx("last week", "DURATION", "P1W"),  # exact span, wrong type and value
            tmx("Moscow", "DATE", "2025"),  # nothing there: false positive
        ]
    )
    report = evaluate([gold], [pred])["timexes"]
    # strict: tp 1 (last week), pred 3, gold 2 -> P = 1/3, R = 1/2, F1 = 2*(1/6)/(5/6) = 0.4
    assert report["strict"] == pytest.approx(
        {"tp": 1, "gold": 2, "pred": 3, "precision": 1 / 3, "recall": 0.5, "f1": 0.4}
    )
    # overlap: tp 2 -> P = 2/3, R = 1, F1 = 2*(2/3)/(5/3) = 0.8
    assert report["overlap"]["f1"] == pytest.approx(0.8)
    assert report["matched"] == 2
    assert report["type_accuracy"] == pytest.approx(0.5)  # 1 of 2 matched pairs
    assert report["value_accuracy"] == pytest.approx(0.5)
    # value F1: tp 1 (Friday, value right) -> P = 1/3, R = 1/2, F1 = 0.4
    assert report["value_f1"]["f1"] == pytest.approx(0.4)


# --- claims ---------------------------------------------------------------------------

QUOTE = "“We will win,” Putin said, “and they will lose.” Kim said the troops had returned home safely from the front."


def claim(content: dict, *, parts=(), source: str | None = "Vladimir Putin", kind: str = "direct") -> dict:
    return {
        "content": content,
        "content_parts": list(parts),
        "source": None,
        "source_canonical": source,
        "cue": span(QUOTE, "said"),
        "kind": kind,
    }


def sub(start: int, end: int, text: str = QUOTE) -> dict:
    return {"start": start, "end": end, "text": text[start:end]}


def test_claim_half_overlap_boundary():
    g = span(QUOTE, "the troops had returned home")  # 28 code points
    assert g["end"] - g["start"] == 28
    gold = gold_doc(QUOTE, claims=[claim(g, source="Kim Jong Un", kind="indirect")])

    def content_f1(pred_span: dict) -> float:
        pred = pred_doc(text=QUOTE, claims=[claim(pred_span, source="Kim Jong Un", kind="indirect")])
        return evaluate([gold], [pred])["claims"]["content"]["f1"]

    s = g["start"]
    assert content_f1(sub(s, s + 14)) == 1.0  # |G∩P| = 14 = 0.5 * max(28, 14): matches
    assert content_f1(sub(s, s + 13)) == 0.0  # 13 < 14: does not
    # longer prediction: 14 shared of max(28, 30) -> 14 < 15: no match
    assert content_f1(sub(s + 14, s + 44)) == 0.0
    assert content_f1(sub(s + 14, s + 42)) == 1.0  # 14 shared of max(28, 28) -> exactly half: match


def test_claim_content_is_the_union_of_its_parts():
    first, second = span(QUOTE, "We will win"), span(QUOTE, "and they will lose.")  # 11 + 19 = 30
    gold = gold_doc(QUOTE, claims=[claim(first, parts=[first, second])])
    # second part alone: 19 shared, 2*19 = 38 >= max(30, 19) = 30 -> match
    assert evaluate([gold], [pred_doc(text=QUOTE, claims=[claim(second)])])["claims"]["content"]["tp"] == 1
    # first part alone: 11 shared, 22 < 30 -> no match
    assert evaluate([gold], [pred_doc(text=QUOTE, claims=[claim(first)])])["claims"]["content"]["tp"] == 0


def test_claim_source_and_kind_accuracy():
    quote, reported = span(QUOTE, "We will win"), span(QUOTE, "the troops had returned home safely")
    gold = gold_doc(
        QUOTE,
        claims=[claim(quote, source="Vladimir Putin"), claim(reported, source="Kim Jong Un", kind="indirect")],
    )
    pred = pred_doc(
        text=QUOTE,
        claims=[
            claim(quote, source="  vladimir   PUTIN "),  # same source after case-folding and spacing
            claim(reported, source=None, kind="mixed"),  # wrong source and kind
            claim(reported, source="Kim Jong Un", kind="indirect"),  # same content again: a false positive
        ],
    )
    report = evaluate([gold], [pred])["claims"]
    # The two predictions on `reported` tie on overlap; ties go by position, then list order, so
    # the first (wrong) one is matched and the second is a false positive.
    # content: tp 2, pred 3, gold 2 -> P = 2/3, R = 1, F1 = 0.8
    assert report["content"]["f1"] == pytest.approx(0.8)
    assert report["source_accuracy"] == pytest.approx(0.5)  # Putin right, Kim wrong
    assert report["kind_accuracy"] == pytest.approx(0.5)


def test_null_sources_count_as_equal():
    content = span(QUOTE, "the troops had returned home safely")
    gold = gold_doc(QUOTE, claims=[claim(content, source=None, kind="indirect")])
    pred = pred_doc(text=QUOTE, claims=[claim(content, source=None, kind="indirect")])
    assert evaluate([gold], [pred])["claims"]["source_accuracy"] == 1.0


# --- documents, drift ----------------------------------------------------------------


def test_gold_document_without_prediction_counts_as_empty():
    other = "Kim Jong Un arrived in Moscow."
    golds = [
        gold_doc(entities=[ent("Moscow", "GPE")]),
        gold_doc(other, doc="kim-arrives", entities=[ent("Kim Jong Un", "PERSON", other)]),
    ]
    report = evaluate(golds, [pred_doc(entities=[ent("Moscow", "GPE")])])
    assert report["documents"]["without_prediction"] == 1
    assert report["documents"]["missing"] == ["kim-arrives"]
    # tp 1, pred 1, gold 2 -> P = 1, R = 1/2
    assert report["entities"]["strict"]["recall"] == pytest.approx(0.5)
    assert report["entities"]["documents_not_predicted"] == 1


def test_text_drift_maps_offsets_and_drops_unmappable_spans():
    gold_text = "Putin’s envoy met Kim in Pyongyang on Friday."
    pred_text = "Putin's envoy met Kim Jong Un in Pyongyang on Friday."
    gold = gold_doc(
        gold_text,
        entities=[
            ent("Putin", "PERSON", gold_text),
            ent("Kim", "PERSON", gold_text),
            ent("Pyongyang", "GPE", gold_text),
        ],
        timexes=[tmx("Friday", "DATE", "2025-10-24", gold_text)],
    )
    pred = pred_doc(
        text=pred_text,
        entities=[
            ent("Putin", "PERSON", pred_text),
            ent("Kim Jong Un", "PERSON", pred_text),  # its last characters are not in the gold text
            ent("Pyongyang", "GPE", pred_text),  # shifted by 8 code points
        ],
        timexes=[tmx("Friday", "DATE", "2025-10-24", pred_text)],
    )
    report = evaluate([gold], [pred])
    assert report["documents"]["text_drift"] == 1
    assert report["entities"]["unmapped_spans"] == 1
    # tp 2, pred 2 (one dropped), gold 3 -> P = 1, R = 2/3, F1 = 0.8
    assert report["entities"]["strict"] == pytest.approx(
        {"tp": 2, "gold": 3, "pred": 2, "precision": 1.0, "recall": 2 / 3, "f1": 0.8}
    )
    assert report["timexes"]["strict"]["f1"] == 1.0


def test_text_drift_span_whose_mapped_text_differs_is_dropped():
    gold_text = "Kim, met Putin in Moscow."
    pred_text = "Kim met Putin in Moscow."
    gold = gold_doc(gold_text, entities=[ent("Moscow", "GPE", gold_text)])
    # Both ends map, but the gold text between them has an extra comma.
    pred = pred_doc(text=pred_text, entities=[ent("Kim met", "PERSON", pred_text), ent("Moscow", "GPE", pred_text)])
    report = evaluate([gold], [pred])["entities"]
    assert report["unmapped_spans"] == 1
    assert report["strict"]["tp"] == 1 and report["strict"]["pred"] == 1


def test_prediction_without_text_points_into_the_gold_text():
    gold = gold_doc(entities=[ent("Moscow", "GPE")])
    report = evaluate([gold], [pred_doc(text=None, entities=[ent("Moscow", "GPE")])])
    assert report["entities"]["strict"]["f1"] == 1.0
    assert report["documents"]["text_drift"] == 0


# --- errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pred", "message"),
    [
        (pred_doc("other-article.txt", entities=[]), "no gold document has this id or source-file stem"),
        (
            pred_doc(entities=[{"start": 52, "end": 9000, "text": "Moscow", "label": "GPE"}]),
            f"entities[0]: end 9000 is past the end of text ({len(TEXT)} code points)",
        ),
        (pred_doc(entities=[{"start": 52, "end": 52, "text": "", "label": "GPE"}]), "start 52 is not before end 52"),
        (pred_doc(entities=[{"start": "52", "end": 58, "text": "Moscow", "label": "GPE"}]), "start must be an integer"),
        (pred_doc(entities=[{**span(TEXT, "Moscow")}]), "entities[0]: missing key 'label'"),
        (pred_doc(entities={"Moscow": "GPE"}), "entities: expected a list, got dict"),
        (
            pred_doc(timexes=[{"start": 0, "end": 7, "text": "Russian", "type": "DATE", "value": None}]),
            "timexes[0]: value must be a string",
        ),
        (pred_doc(claims=[{"content": span(TEXT, "Moscow")}]), "claims[0]: missing key 'kind'"),
        (
            pred_doc(entities=[{"start": 0, "end": 7, "text": "Russia", "label": "NORP"}]),
            "span text 'Russia' differs from text[0:7] 'Russian'",
        ),
        ({"text": TEXT, "entities": []}, "record names no document"),
        (["not", "a", "record"], "expected a record object, got list"),
    ],
)
def test_bad_predictions_raise_evaluation_error(pred, message):
    with pytest.raises(EvaluationError, match="pred record 0") as err:
        evaluate([gold_doc()], [pred])
    assert message in str(err.value)


def test_error_names_file_line_and_document(tmp_path):
    pred = tmp_path / "pred.jsonl"
    bad = pred_doc(entities=[{"start": 52, "end": 9000, "text": "Moscow", "label": "GPE"}])
    pred.write_text(json.dumps(pred_doc(entities=[])) + "\n\n" + json.dumps(bad) + "\n", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(gold_doc()) + "\n", encoding="utf-8")
    with pytest.raises(EvaluationError) as err:
        evaluate_paths(gold, pred)
    # the first line already predicted putin-kim, so line 3 is a second prediction for it
    assert f"{pred} line 3 (doc putin-kim): a second prediction" in str(err.value)
    pred.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"pred\.jsonl line 1 \(doc putin-kim\): entities\[0\]: end 9000 is past"):
        evaluate_paths(gold, pred)


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json\n", "line 1: not valid JSON"), ("", "no records")],
)
def test_unreadable_jsonl(tmp_path, content, message):
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold_doc()) + "\n", encoding="utf-8")
    (tmp_path / "pred.jsonl").write_text(content, encoding="utf-8")
    with pytest.raises(EvaluationError, match=message):
        evaluate_paths(tmp_path / "gold.jsonl", tmp_path / "pred.jsonl")


def test_missing_and_unsupported_paths(tmp_path):
    with pytest.raises(EvaluationError, match="no such file or folder"):
        evaluate_paths(tmp_path / "nope", tmp_path / "nope.jsonl")
    (tmp_path / "pred.csv").write_text("a,b\n", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "text": "x", "entities": [], "timexes": [], "claims": []}) + "\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match="expected a .jsonl or .parquet file"):
        evaluate_paths(gold, tmp_path / "pred.csv")


def test_gold_record_is_checked_too():
    broken = gold_doc(entities=[{"start": 0, "end": 7, "text": "Russia", "label": "NORP"}])
    with pytest.raises(EvaluationError, match=r"gold record 0 \(doc putin-kim\): entities\[0\]: span text"):
        evaluate([broken], [pred_doc(entities=[])])


# --- input formats --------------------------------------------------------------------


def record(doc_id: str, source_file: str, text: str = TEXT, **layers) -> dict:
    return {
        "id": doc_id,
        "source_file": source_file,
        "text": text,
        "entities": [],
        "timexes": [],
        "claims": [],
        **layers,
    }


def write_parquet(rows: list[dict], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def test_release_folder_gold_scores_test_split_and_skips_other_splits(tmp_path):
    release = tmp_path / "0.1.0"
    shards = release / "data" / "documents"
    write_parquet(
        [record("24596bca16d28781", "000_24596bca16d28781.txt", entities=[ent("Moscow", "GPE")])],
        shards / "test-00000-of-00001.parquet",
    )
    write_parquet([record("c78c4bcafad1e95b", "004_c78c4bcafad1e95b.txt")], shards / "train-00000-of-00001.parquet")
    preds = [
        record("24596bca16d28781", "elsewhere/renamed.txt", entities=[ent("Moscow", "GPE")]),  # matched by id
        record("c78c4bcafad1e95b", "004_c78c4bcafad1e95b.txt"),  # train split: skipped
    ]
    report = evaluate_paths(release, write_parquet(preds, tmp_path / "pred.parquet"))
    assert report["documents"]["predicted"] == 1
    assert report["documents"]["skipped_predictions"] == 1
    assert report["entities"]["strict"]["f1"] == 1.0
    # Both sides have ids, so an equal stem with a different id is not the same document.
    stray = record("0000000000000000", "000_24596bca16d28781.txt")
    with pytest.raises(EvaluationError, match="no gold document"):
        evaluate_paths(release, write_parquet([stray], tmp_path / "stray.parquet"))


def test_release_without_test_split_is_an_error(tmp_path):
    write_parquet([record("c78c4bcafad1e95b", "004.txt")], tmp_path / "r" / "data" / "documents" / "train-0.parquet")
    with pytest.raises(EvaluationError, match="has no test split"):
        evaluate_paths(tmp_path / "r", tmp_path / "r")


# --- real data ------------------------------------------------------------------------


@needs_devset
def test_devset_gold_against_itself_is_perfect():
    report = evaluate_paths(DEVSET / "gold", DEVSET / "gold")
    assert report["documents"] == {
        "gold": 4,
        "predicted": 4,
        "without_prediction": 0,
        "missing": [],
        "skipped_predictions": 0,
        "text_drift": 0,
    }
    ents, tims, cls = report["entities"], report["timexes"], report["claims"]
    scores = [ents[m]["f1"] for m in ("strict", "partial", "type")]
    scores += [s["strict"]["f1"] for s in ents["per_label"].values()]
    scores += [
        tims["strict"]["f1"],
        tims["overlap"]["f1"],
        tims["value_f1"]["f1"],
        tims["type_accuracy"],
        tims["value_accuracy"],
    ]
    scores += [cls["content"]["f1"], cls["source_accuracy"], cls["kind_accuracy"]]
    assert scores == [1.0] * len(scores)
    assert (ents["strict"]["gold"], tims["strict"]["gold"], cls["content"]["gold"]) == (109, 20, 17)


@needs_devset
def test_devset_prediction_with_drifted_text(tmp_path):
    """A builder whose cleaning straightens quotes still gets its untouched spans scored."""
    gold = json.loads((DEVSET / "gold" / "autocar-eu-ev-tariffs.json").read_text(encoding="utf-8"))
    text = gold["text"].replace("’", "'")
    moved = []
    for e in gold["entities"]:
        surface = e["text"].replace("’", "'")
        moved.append({**e, "text": surface})
    pred = {"source_file": "raw/autocar-eu-ev-tariffs.txt", "text": text, "entities": moved}
    report = evaluate([gold], [pred])
    assert report["documents"]["text_drift"] == 1
    changed = sum("’" in e["text"] for e in gold["entities"])
    # offsets keep their places (the quote is one code point either way); spans containing a
    # changed quote cannot be carried over and are dropped, every other one matches exactly
    assert report["entities"]["unmapped_spans"] == changed
    assert report["entities"]["strict"]["tp"] == len(gold["entities"]) - changed
    assert report["entities"]["strict"]["precision"] == 1.0
    assert report["timexes"] is None and report["claims"] is None


@needs_devset
def test_format_report_is_a_table():
    report = evaluate_paths(DEVSET / "gold", DEVSET / "gold")
    text = format_report(report)
    assert "entities  strict       109    109    109  1.000  1.000  1.000" in text
    assert "claims: 17 matched pair(s); source accuracy 1.000, kind accuracy 1.000" in text
    assert "PERSON" in text
