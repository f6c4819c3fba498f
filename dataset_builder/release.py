"""The release folder: Parquet shards, dataset card, schema copy, report, checksums.

Layout (Hugging Face Hub conventions)::

    <out>/<version>/
      README.md                         dataset card with YAML metadata
      data/documents/<split>-00000-of-00001.parquet
      schema/document.schema.json       the contract the records were checked against
      build_report.json                 every input: included or rejected, with the reason
      SHA256SUMS

The folder is written under a temporary name beside its final place and renamed
into place only when complete and validated, so a crash never leaves a partial
release. An existing version is never rewritten: a rebuild that reproduces it
byte for byte is a no-op, anything else is refused.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from datasets import DatasetInfo

from . import card
from .config import BuildConfig
from .errors import BuildError
from .pipeline import BuildReport, documents
from .records import to_record
from .schema import features, schema_path
from .validate import CHECKSUMS, validate_release, write_checksums

CONFIG = "documents"
# Pinned writer options: the same records give the same bytes. Content-defined
# chunking and the page index are what `datasets` writes for the Hub since 4.1.
PARQUET_OPTIONS = dict(
    compression="zstd",
    compression_level=3,
    use_dictionary=True,
    write_statistics=True,
    write_page_index=True,
    use_content_defined_chunking=True,
    row_group_size=1000,
)


def write_parquet(records: list[dict], path: Path) -> None:
    feats = features()
    table = pa.Table.from_pylist(records, schema=feats.arrow_schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, **PARQUET_OPTIONS)


def dataset_info_yaml(splits: dict[str, list[dict]]) -> dict:
    info = DatasetInfo(features=features())._to_yaml_dict()
    arrow = features().arrow_schema
    info["config_name"] = CONFIG
    # num_bytes as `datasets` counts it: the in-memory Arrow size of the split.
    info["splits"] = [
        {"name": name, "num_bytes": pa.Table.from_pylist(rows, schema=arrow).nbytes, "num_examples": len(rows)}
        for name, rows in splits.items()
    ]
    return info


def card_metadata(splits: dict[str, list[dict]]) -> dict:
    return {
        "pretty_name": card.PRETTY_NAME,
        "license": "other",
        "license_name": "news-edc-mixed",
        "license_details": card.LICENSE_SUMMARY,
        "language": ["en"],
        "task_categories": ["token-classification"],
        "task_ids": ["named-entity-recognition"],
        "tags": ["news", "timex3", "temporal-expressions", "attribution", "claims", "ontonotes"],
        "size_categories": ["n<1K"],
        "configs": [
            {
                "config_name": CONFIG,
                "default": True,
                "data_files": [{"split": name, "path": f"data/{CONFIG}/{name}-*.parquet"} for name in splits],
            }
        ],
        "dataset_info": dataset_info_yaml(splits),
    }


def write_card(folder: Path, splits: dict[str, list[dict]], report: BuildReport, version: str) -> None:
    meta = yaml.safe_dump(card_metadata(splits), sort_keys=False, allow_unicode=True, width=100)
    body = card.render(splits=splits, report=report.to_dict(), version=version)
    (folder / "README.md").write_text(f"---\n{meta}---\n\n{body}", encoding="utf-8")


def build(config: BuildConfig | None = None, **overrides) -> tuple[Path, BuildReport]:
    """Build a release from a folder of raw articles.

    Args:
        config: the build configuration (default: the bundled seed articles).
        **overrides: fields of :class:`BuildConfig` to change, e.g. ``sources=Path(...)``.

    Returns:
        The release folder and the build report.

    Raises:
        BuildError: rejected inputs (without ``allow_rejects``), broken gold, a
            record that breaks the contract, or an existing different release.
    """
    config = config or BuildConfig()
    if overrides:
        config = BuildConfig(**{**{f: getattr(config, f) for f in config.__dataclass_fields__}, **overrides})
    report = BuildReport()
    splits: dict[str, list[dict]] = {}
    for document in documents(config, report):
        splits.setdefault(document.split, []).append(to_record(document))
    config.out.mkdir(parents=True, exist_ok=True)
    (config.out / "build-report.json").write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
    if report.rejected and not config.allow_rejects:
        raise BuildError(
            f"{len(report.rejected)} input file(s) rejected (see {config.out / 'build-report.json'}); "
            "fix them or pass --allow-rejects:\n  " + "\n  ".join(f"{r['source_file']}: {r['reason']}" for r in report.rejected)
        )
    if not splits:
        raise BuildError(f"no article of {config.sources} could be included")
    splits = dict(sorted(splits.items()))
    return publish_atomically(config.release_dir, lambda tmp: _write(tmp, splits, report, config.version)), report


def _write(folder: Path, splits: dict[str, list[dict]], report: BuildReport, version: str) -> None:
    for name, rows in splits.items():
        write_parquet(rows, folder / "data" / CONFIG / f"{name}-00000-of-00001.parquet")
    (folder / "schema").mkdir()
    shutil.copyfile(schema_path("document.schema.json"), folder / "schema" / "document.schema.json")
    (folder / "build_report.json").write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
    write_card(folder, splits, report, version)
    write_checksums(folder)


def publish_atomically(final: Path, write) -> Path:
    """Write a release into a temporary sibling folder, validate it, then rename it into place."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-", dir=final.parent))
    try:
        write(tmp)
        problems = validate_release(tmp)
        if problems:
            raise BuildError("the new release does not validate:\n  " + "\n  ".join(problems[:20]))
        if final.exists():
            if (final / CHECKSUMS).is_file() and (final / CHECKSUMS).read_bytes() == (tmp / CHECKSUMS).read_bytes():
                return final  # reproduced byte for byte: nothing to do
            raise BuildError(
                f"release {final} already exists with different content; a published version is never "
                "rewritten: bump VERSION in dataset_builder/config.py (with release notes) or choose another --out"
            )
        os.rename(tmp, final)
        return final
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def load_line(release: Path) -> str:
    return f'from datasets import load_dataset; ds = load_dataset("{release.resolve()}", "{CONFIG}")'


def iter_records(release: Path) -> Iterable[dict]:
    for path in sorted((release / "data" / CONFIG).glob("*.parquet")):
        yield from pq.read_table(path).to_pylist()
