"""Streaming (issue 9, item 1): the sharded writer, rows read back, and the streamed data diff."""

from __future__ import annotations

import copy
import random
import shutil
from concurrent.futures import ThreadPoolExecutor

import pyarrow.parquet as pq
import pytest
from conftest import ROOT
from datasets import Features, List, Value

from dataset_builder import build, release
from dataset_builder.ingest.reader import read_article
from dataset_builder.release import SplitWriter, iter_records, write_config
from dataset_builder.rows import grouped_rows
from dataset_builder.schema import load_schema, schema_path
from dataset_builder.tasks import Skeleton, sentences
from dataset_builder.versioning import diff_against, diff_records, read_release

ROWS = Features({"id": Value("string"), "tokens": List(Value("string"))})


def _rows(n: int) -> list[dict]:
    return [{"id": f"{i:016x}", "tokens": ["Kim", "said", "on", f"day-{i}"]} for i in range(n)]


def test_row_groups_hold_at_most_1000_rows_and_rows_read_back_in_order(tmp_path):
    writer = SplitWriter(tmp_path, "ner", "train", ROWS)
    for row in _rows(2500):
        writer.add(row)
    rows = writer.close()
    (path,) = rows.paths
    assert path.name == "train-00000-of-00001.parquet"
    meta = pq.ParquetFile(path).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [1000, 1000, 500]
    assert len(rows) == 2500 and list(rows) == _rows(2500)
    assert rows[0] == _rows(1)[0] and rows[-1]["id"] == f"{2499:016x}" and rows[1500]["id"] == f"{1500:016x}"
    assert list(rows.column("id"))[:2] == ["0000000000000000", "0000000000000001"]


def test_shards_are_cut_by_size_and_named_when_the_split_is_complete(tmp_path, monkeypatch):
    monkeypatch.setattr(release, "MAX_SHARD_BYTES", 1)  # every row group closes its shard
    written = write_config(tmp_path, "ner", {"train": _rows(2100), "test": []}, ROWS)
    names = [p.name for p in written]
    assert names == [*(f"train-{i:05d}-of-00003.parquet" for i in range(3)), "test-00000-of-00001.parquet"]
    assert [pq.ParquetFile(p).metadata.num_rows for p in written] == [1000, 1000, 100, 0]
    assert not list(tmp_path.rglob("*.partial"))


def test_writes_on_a_background_thread_give_the_same_shards_and_raise_their_errors(tmp_path, monkeypatch):
    monkeypatch.setattr(release, "MAX_ROW_GROUP_ROWS", 300)
    monkeypatch.setattr(release, "MAX_SHARD_BYTES", 20_000)  # a few row groups a shard
    direct = SplitWriter(tmp_path / "a", "ner", "train", ROWS)
    with ThreadPoolExecutor(1) as background:
        # two splits sharing the thread, their row groups interleaved in the queue
        threaded = SplitWriter(tmp_path / "b", "ner", "train", ROWS, background)
        other = SplitWriter(tmp_path / "b", "ner", "test", ROWS, background)
        for row in _rows(2000):
            direct.add(row)
            threaded.add(row)
            other.add({**row, "id": "t" + row["id"]})
        a, b, c = direct.close(), threaded.close(), other.close()
    assert len(a.paths) > 1 and [p.name for p in a.paths] == [p.name for p in b.paths]
    assert [p.read_bytes() for p in a.paths] == [p.read_bytes() for p in b.paths]
    assert (len(b), b.num_bytes, b.items) == (len(a), a.num_bytes, a.items)
    assert [r["id"] for r in c] == ["t" + r["id"] for r in _rows(2000)]
    # a failed write is raised, not lost: here the shard's folder disappears under the writer
    with ThreadPoolExecutor(1) as background:
        broken = SplitWriter(tmp_path / "c", "ner", "train", ROWS, background)
        for row in _rows(299):
            broken.add(row)
        (tmp_path / "c").mkdir()
        (tmp_path / "c" / "data").write_text("not a folder", encoding="utf-8")
        with pytest.raises(OSError):
            for row in _rows(1000):
                broken.add(row)
            broken.close()


def test_skeleton_gives_the_sentences_the_parse_gives(nlp):
    text = (
        "PYONGYANG: North Korean leader Kim Jong Un said military brotherhood with Russia would “advance "
        "non-stop”, state media KCNA reported on Friday.\n\nTrump will visit South Korea next week.  It is his "
        "first visit since 2019."
    )
    doc = nlp(text)
    spans = [(text.index(w), text.index(w) + len(w), label)
             for w, label in (("North Korean", "NORP"), ("Kim Jong Un", "PERSON"), ("next week", "DATE"))]
    cuts = {c for s, e, _ in spans for c in (s, e)} | {text.index("non-stop") + 3}  # a cut inside a token
    skeleton = Skeleton.from_json(Skeleton.of(doc).to_json())
    assert sentences(skeleton, cuts, spans) == sentences(doc, cuts, spans)
    assert [text[s:e] for s, e in sentences(skeleton, cuts, spans)[0].tokens[:3]] == ["PYONGYANG", ":", "North"]


@pytest.fixture(scope="module")
def seed_records(tmp_path_factory) -> list[dict]:
    folder, _ = build(out=tmp_path_factory.mktemp("dist"), annotate=False)
    return list(iter_records(folder))


def test_the_streamed_diff_equals_the_in_memory_diff(seed_records, tmp_path):
    first, second = seed_records
    previous = tmp_path / "0.1.0"
    write_config(previous, "documents", {"test": [first, second]}, release.doc_features())
    (previous / "schema").mkdir()
    shutil.copy(schema_path("document.schema.json"), previous / "schema")
    changed = copy.deepcopy(first)
    changed["entities"] = changed["entities"][1:]  # one entity removed
    changed["entities"][0]["label"] = "ORG" if changed["entities"][0]["label"] != "ORG" else "GPE"  # one relabelled
    added = {**copy.deepcopy(second), "id": "0123456789abcdef"}
    current = {"train": [changed], "test": [added]}  # `first` moved to train, `second` removed
    schema = load_schema()
    streamed = diff_against(previous, current, schema).to_dict()
    in_memory = diff_records(
        read_release(previous),
        {r["id"]: (split, r) for split, rows in current.items() for r in rows},
        "0.1.0", schema, schema,
    ).to_dict()
    assert streamed == in_memory
    assert streamed["documents"]["removed"] == [second["id"]] and streamed["documents"]["changed"] == [first["id"]]
    assert streamed["documents"]["moved"] == [{"id": first["id"], "from": "test", "to": "train"}]
    assert sum(c["removed"] for c in streamed["annotations"]["entities"].values()) >= 1


def _sentences_by_definition(skeleton: Skeleton, cuts, spans) -> list[tuple]:
    """The docstring of ``sentences`` read literally, one quadratic scan at a time."""
    bounds: list[list[int]] = []
    for s, e in skeleton.sents:
        if bounds and any(a < s < b for a, b, _ in spans):  # a span crosses this sentence's start
            bounds[-1][1] = e
        else:
            bounds.append([s, e])
    out = []
    for s, e in bounds:
        toks = []
        for a, b in skeleton.tokens:
            if s <= a and b <= e:
                edges = [a, *sorted(c for c in set(cuts) if a < c < b), b]
                toks += list(zip(edges, edges[1:], strict=False))
        if toks:
            out.append((toks[0][0], toks[-1][1], tuple(toks)))
    return out


def test_sentences_split_and_merge_as_defined_on_a_real_parse(nlp):
    text = read_article(sorted((ROOT / "sources" / "articles").glob("*.txt"))[0]).text
    skeleton = Skeleton.of(nlp(text))
    rng = random.Random(7)
    for _ in range(200):
        cuts = [rng.randrange(len(text) + 1) for _ in range(rng.randrange(40))]
        spans = []
        for _ in range(rng.randrange(8)):
            start = rng.randrange(len(text))
            spans.append((start, min(len(text), start + rng.randrange(1, 400)), "X"))
        got = [(s.start, s.end, s.tokens) for s in sentences(skeleton, cuts, spans)]
        assert got == _sentences_by_definition(skeleton, cuts, spans)


def test_rows_converted_in_batches_write_the_bytes_of_rows_added_one_by_one(tmp_path, monkeypatch):
    monkeypatch.setattr(release, "MAX_ROW_GROUP_ROWS", 7)  # row groups close inside a document's rows
    rows = _rows(100)
    groups = [rows[a:b] for a, b in zip([0, 3, 3, 20, 21, 60], [3, 3, 20, 21, 60, 100], strict=True)]
    one_by_one = SplitWriter(tmp_path / "a", "ner", "train", ROWS)
    for row in rows:
        one_by_one.add(row)
    batched = SplitWriter(tmp_path / "b", "ner", "train", ROWS)
    for group in grouped_rows(groups, ROWS.arrow_schema):  # one Arrow batch shared by every group
        batched.add_rows(group)
    (a,), (b,) = one_by_one.close().paths, batched.close().paths
    assert a.read_bytes() == b.read_bytes()
    assert pq.ParquetFile(b).metadata.num_row_groups == 15 and pq.read_table(b).to_pylist() == rows
    assert batched.items == one_by_one.items == {"tokens": 400}


def test_giving_freed_memory_back_starts_no_process(monkeypatch):
    # It runs at the main process's largest: a subprocess forked then (ctypes.util.find_library
    # runs one) would copy all of it and count as a worker's peak memory.
    import subprocess

    def no_process(*args, **kwargs):
        raise AssertionError("a subprocess was started")

    monkeypatch.setattr(subprocess, "Popen", no_process)
    monkeypatch.setattr(release.os, "fork", no_process)
    release._return_freed_memory()
