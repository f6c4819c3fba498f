"""Hub-ready Parquet and Croissant metadata of a release (read back with mlcroissant)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from datasets import Features, List, Value

from dataset_builder import build
from dataset_builder.release import ConfigData, card_metadata, iter_records, write_config
from dataset_builder.schema import features
from dataset_builder.validate import sha256_file


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    folder, _ = build(out=tmp_path_factory.mktemp("dist"), annotate=False)
    return folder


def test_shards_carry_hub_names_features_metadata_and_page_index(release):
    shards = sorted((release / "data" / "documents").glob("*.parquet"))
    assert shards and all(re.fullmatch(r"(train|test)-\d{5}-of-\d{5}\.parquet", p.name) for p in shards)
    for path in shards:
        meta = pq.read_schema(path).metadata
        stored = json.loads(meta[b"huggingface"])["info"]["features"]
        assert Features.from_dict(stored) == features()  # nested lists of structs survive
        md = pq.ParquetFile(path).metadata
        column = md.row_group(0).column(0)
        assert column.has_column_index and column.has_offset_index and column.compression == "ZSTD"
        assert all(md.row_group(i).num_rows <= 1000 for i in range(md.num_row_groups))


def test_write_config_is_reusable_for_another_config(tmp_path):
    ner = Features({"id": Value("string"), "tokens": List(Value("string")), "tags": List(Value("string"))})
    rows = [{"id": "742bdfc2096c9f4c", "tokens": ["PYONGYANG", ":"], "tags": ["B-GPE", "O"]}]
    written = write_config(tmp_path, "ner", {"test": rows}, ner)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == ["data/ner/test-00000-of-00001.parquet"]
    assert pq.read_table(written[0]).to_pylist() == rows
    docs = ConfigData("documents", {"test": []}, features(), default=True)
    meta = card_metadata([docs, ConfigData("ner", {"test": rows}, ner)])
    assert [c["config_name"] for c in meta["configs"]] == ["documents", "ner"]
    assert meta["configs"][1]["data_files"] == [{"split": "test", "path": "data/ner/test-*.parquet"}]
    assert [i["config_name"] for i in meta["dataset_info"]] == ["documents", "ner"]
    assert meta["dataset_info"][1]["splits"] == [
        {"name": "test", "num_bytes": meta["dataset_info"][1]["splits"][0]["num_bytes"], "num_examples": 1}
    ]


def test_card_yaml_has_features_and_gating(release):
    header = (release / "README.md").read_text(encoding="utf-8").split("\n---\n")[0].removeprefix("---\n")
    meta = yaml.safe_load(header)
    infos = meta["dataset_info"] if isinstance(meta["dataset_info"], list) else [meta["dataset_info"]]
    assert infos[0]["config_name"] == "documents"
    assert [i["config_name"] for i in infos] == ["documents", "ner", "timex", "claims"]
    names = [f["name"] for f in infos[0]["features"]]
    assert names[:2] == ["id", "source_file"] and "claims" in names
    assert "extra_gated_prompt" in meta and meta["size_categories"] == ["n<1K"]


def test_croissant_loads_without_issues_and_reads_back_the_records(release):
    mlc = pytest.importorskip("mlcroissant")  # a test-only dependency
    path = release / "croissant.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    assert meta["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    for key in (
        "rai:dataCollection",
        "rai:dataAnnotationProtocol",
        "rai:personalSensitiveInformation",
        "rai:dataLimitations",
        "rai:dataBiases",
        "rai:dataUseCases",
    ):
        assert meta[key]
    objects = [d for d in meta["distribution"] if d["@type"] == "cr:FileObject"]
    assert {o["contentUrl"] for o in objects} == {
        p.relative_to(release).as_posix() for p in release.glob("data/*/*.parquet")
    }
    for o in objects:
        assert o["sha256"] == sha256_file(release / o["contentUrl"])
    dataset = mlc.Dataset(jsonld=str(path))
    assert not dataset.metadata.ctx.issues.errors and not dataset.metadata.ctx.issues.warnings
    rows = {r["id"]: r for r in iter_records(release)}
    read = list(dataset.records("documents"))
    assert len(read) == len(rows)
    for rec in read:
        row = rows[rec["documents/id"].decode()]
        assert rec["documents/text"].decode() == row["text"]
        assert rec["documents/split"] == b"test"
        starts = [e["documents/entities/start"] for e in rec["documents/entities"]]
        assert starts == [e["start"] for e in row["entities"]]
        assert [t["documents/timexes/value"].decode() for t in rec["documents/timexes"]] == [
            t["value"] for t in row["timexes"]
        ]


def test_mlcroissant_validate_command_accepts_it(release):
    script = Path(sys.executable).with_name("mlcroissant")
    if not script.exists():
        pytest.skip("the mlcroissant command is not installed")
    done = subprocess.run(
        [str(script), "validate", "--jsonld", str(release / "croissant.json")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Done." in done.stderr
