"""The release folder: Parquet shards, dataset card, schema copy, report, checksums.

Layout (Hugging Face Hub conventions)::

    <out>/<version>/
      README.md                         dataset card: YAML metadata, changes, baselines
      data/<config>/<split>-NNNNN-of-NNNNN.parquet
      schema/document.schema.json       the contract the records were checked against
      build_report.json                 every input (included or rejected, with the reason),
                                        the data diff to the previous release, baselines
      croissant.json                    Croissant 1.1 metadata with Responsible-AI fields
      SHA256SUMS

Nothing time-dependent enters a file: the release date comes from the release
notes in ``config.py``, the previous release is named by version and checksum.

The folder is written under a temporary name beside its final place and renamed
into place only when complete and validated, so a crash never leaves a partial
release. An existing version is never rewritten: a rebuild that reproduces it
byte for byte is a no-op, anything else is refused.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from datasets import DatasetInfo, Features

from . import card
from .config import RELEASE_NOTES, BuildConfig
from .croissant import write_croissant
from .errors import BuildError
from .evaluate import evaluate
from .nlp import load_pipeline
from .pipeline import TEST, BuildReport, documents
from .records import to_record
from .schema import features as doc_features
from .schema import load_schema, schema_path
from .tasks import TASK_FEATURES, task_rows
from .validate import CHECKSUMS, validate_release, write_checksums
from .versioning import VersionError, check_version, diff_against, find_previous, parse_version
from .viewer import write_viewer

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
)
# Sizes as `datasets` chooses them (config.MAX_SHARD_SIZE, MAX_ROW_GROUP_SIZE,
# DEFAULT_MAX_BATCH_SIZE), pinned here so that a `datasets` upgrade cannot change
# the bytes: the dataset viewer reads whole row groups, so they stay small.
MAX_SHARD_BYTES = 500 * 10**6
MAX_ROW_GROUP_BYTES = 100 * 10**6
MAX_ROW_GROUP_ROWS = 1000


@dataclass(frozen=True, slots=True)
class ConfigData:
    """One Hub config (subset) of a release: its splits, features and card text.

    Attributes:
        name: the config name, also the folder ``data/<name>/``.
        splits: split name -> records, in a stable order.
        features: the ``datasets.Features`` of a record.
        default: whether ``load_dataset(path)`` without a config name loads it.
        description: one sentence for the card and the Croissant record set.
    """

    name: str
    splits: dict[str, list[dict]]
    features: Features
    default: bool = False
    description: str = ""


def row_group_rows(num_rows: int, num_bytes: int) -> int:
    """Rows per row group: at most 1000 and about 100 MB uncompressed, as `datasets` writes them."""
    by_size = max(1, num_rows * MAX_ROW_GROUP_BYTES // num_bytes) if num_bytes else MAX_ROW_GROUP_ROWS
    return min(MAX_ROW_GROUP_ROWS, by_size)


def write_parquet(records: list[dict], path: Path, features: Features | None = None) -> None:
    """Write one Parquet file with the pinned options and the ``huggingface`` schema metadata.

    ``Features.arrow_schema`` carries the features as ``huggingface`` metadata, so
    ``ClassLabel`` names and nested types survive a round trip through the file.
    """
    arrow = (features or doc_features()).arrow_schema
    table = pa.Table.from_pylist(records, schema=arrow)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, row_group_size=row_group_rows(table.num_rows, table.nbytes), **PARQUET_OPTIONS)


def shard_name(split: str, index: int, count: int) -> str:
    """``<split>-NNNNN-of-NNNNN.parquet``, the Hub's shard naming."""
    return f"{split}-{index:05d}-of-{count:05d}.parquet"


def write_config(folder: Path, config_name: str, splits: dict[str, list[dict]], features: Features) -> list[Path]:
    """Write the Parquet shards of one config: ``data/<config>/<split>-NNNNN-of-NNNNN.parquet``.

    A split is cut into contiguous shards of at most about 500 MB (in-memory Arrow
    size), so the cut depends only on the records.

    Args:
        folder: the release folder being written.
        config_name: the config (subset) name.
        splits: split name -> records.
        features: the features of a record.

    Returns:
        The shard paths, in split and shard order.
    """
    arrow = features.arrow_schema
    written: list[Path] = []
    for split, rows in splits.items():
        nbytes = pa.Table.from_pylist(rows, schema=arrow).nbytes
        count = max(1, math.ceil(nbytes / MAX_SHARD_BYTES))
        per_shard = math.ceil(len(rows) / count) if rows else 0
        for index in range(count):
            path = folder / "data" / config_name / shard_name(split, index, count)
            write_parquet(rows[index * per_shard : (index + 1) * per_shard], path, features)
            written.append(path)
    return written


def dataset_info_yaml(config: ConfigData) -> dict:
    """The YAML ``dataset_info`` of one config: features (nested types and class names) and splits."""
    info = DatasetInfo(features=config.features)._to_yaml_dict()
    arrow = config.features.arrow_schema
    info["config_name"] = config.name
    # num_bytes as `datasets` counts it: the in-memory Arrow size of the split.
    info["splits"] = [
        {"name": name, "num_bytes": pa.Table.from_pylist(rows, schema=arrow).nbytes, "num_examples": len(rows)}
        for name, rows in config.splits.items()
    ]
    return info


def card_metadata(configs: list[ConfigData]) -> dict:
    """The card's YAML header for a list of configs (``configs`` and ``dataset_info`` entries)."""
    total = sum(len(rows) for rows in configs[0].splits.values()) if configs else 0
    infos = [dataset_info_yaml(c) for c in configs]
    return {
        "pretty_name": card.PRETTY_NAME,
        "license": "other",
        "license_name": "news-edc-mixed",
        "license_details": card.LICENSE_SUMMARY,
        "language": ["en"],
        "task_categories": ["token-classification"],
        "task_ids": ["named-entity-recognition"],
        "tags": ["news", "timex3", "temporal-expressions", "attribution", "claims", "ontonotes"],
        "size_categories": [size_category(total)],
        # The article texts belong to their publishers: on the Hub the repo is gated
        # (see DATASHEET.md), and these fields are what a requester must answer.
        "extra_gated_prompt": card.GATED_PROMPT,
        "extra_gated_fields": {"Affiliation": "text", "I will use the article texts for research only": "checkbox"},
        "configs": [
            {
                "config_name": c.name,
                **({"default": True} if c.default else {}),
                "data_files": [{"split": name, "path": f"data/{c.name}/{name}-*.parquet"} for name in c.splits],
            }
            for c in configs
        ],
        # As `push_to_hub` writes it: a mapping for one config, a list for several.
        "dataset_info": infos[0] if len(infos) == 1 else infos,
    }


def size_category(n: int) -> str:
    """The Hub's ``size_categories`` bucket of ``n`` examples."""
    for limit, name in ((10**3, "n<1K"), (10**4, "1K<n<10K"), (10**5, "10K<n<100K"), (10**6, "100K<n<1M")):
        if n < limit:
            return name
    return "n>1M"


def write_card(folder: Path, configs: list[ConfigData], report: dict, version: str, baselines: dict | None) -> None:
    meta = yaml.safe_dump(card_metadata(configs), sort_keys=False, allow_unicode=True, width=100)
    body = card.render(configs=configs, report=report, version=version, baselines=baselines)
    (folder / "README.md").write_text(f"---\n{meta}---\n\n{body}", encoding="utf-8")


def build(config: BuildConfig | None = None, **overrides) -> tuple[Path, BuildReport]:
    """Build a release from a folder of raw articles.

    The baselines in the card and the build report are computed in the same run: the
    automatic annotators also annotate the gold (``test``) documents, and the scorer
    compares their output with the gold. Those silver predictions are not released.

    Args:
        config: the build configuration (default: the bundled seed articles).
        **overrides: fields of :class:`BuildConfig` to change, e.g. ``sources=Path(...)``.

    Returns:
        The release folder and the build report.

    Raises:
        BuildError: rejected inputs (without ``allow_rejects``), broken gold, a
            record that breaks the contract, an existing different release, or
            (:class:`~dataset_builder.versioning.VersionError`) a version without
            release notes or one that contradicts the data diff.
    """
    config = config or BuildConfig()
    if overrides:
        config = BuildConfig(**{**{f: getattr(config, f) for f in config.__dataclass_fields__}, **overrides})
    parse_version(config.version)
    if config.version not in RELEASE_NOTES:
        raise VersionError(f"no release notes for version {config.version}: add them to RELEASE_NOTES in dataset_builder/config.py")
    report = BuildReport()
    splits: dict[str, list[dict]] = {}
    silver_of_gold: list[dict] | None = [] if config.annotate else None
    for document in documents(config, report, silver_of_gold):
        splits.setdefault(document.split, []).append(to_record(document))
    config.out.mkdir(parents=True, exist_ok=True)
    write_atomically(config.out / "build-report.json", json.dumps(report.to_dict(), indent=2) + "\n")
    if report.rejected and not config.allow_rejects:
        raise BuildError(
            f"{len(report.rejected)} input file(s) rejected (see {config.out / 'build-report.json'}); "
            "fix them or pass --allow-rejects:\n  " + "\n  ".join(f"{r['source_file']}: {r['reason']}" for r in report.rejected)
        )
    if not splits:
        raise BuildError(f"no article of {config.sources} could be included")
    splits = dict(sorted(splits.items()))
    previous = config.previous or find_previous(config.out, config.version)
    if config.previous is not None and not (config.previous / CHECKSUMS).is_file():
        raise BuildError(f"--previous {config.previous} is not a release folder (no {CHECKSUMS})")
    diff = diff_against(previous, splits, load_schema())
    notes = check_version(config.version, diff)
    for note in notes:
        warnings.warn(note, VersionWarning, stacklevel=2)
    baselines = evaluate(splits[TEST], silver_of_gold) if silver_of_gold and TEST in splits else None
    release_report = {
        **report.to_dict(),
        "version": config.version,
        "previous": None if previous is None else {
            "version": diff.previous,
            # identifies the exact previous release without a machine-dependent path
            "sha256sums": hashlib.sha256((previous / CHECKSUMS).read_bytes()).hexdigest(),
        },
        "warnings": notes,
        "changes": diff.to_dict(),
        "baselines": baselines,
    }
    configs = [
        ConfigData(CONFIG, splits, doc_features(), default=True, description=card.DOCUMENTS_DESCRIPTION),
        *task_configs(splits, load_pipeline(config.spacy_model)),
    ]
    return publish_atomically(config.release_dir, lambda tmp: _write(tmp, configs, release_report, config.version)), report


def task_configs(splits: dict[str, list[dict]], nlp) -> list[ConfigData]:
    """The ``ner``, ``timex`` and ``claims`` configs, derived from the document records."""
    rows: dict[str, dict[str, list[dict]]] = {name: {split: [] for split in splits} for name in TASK_FEATURES}
    for split, records in splits.items():
        for name, row in task_rows(records, nlp):
            rows[name][split].append(row)
    return [
        ConfigData(name, rows[name], make_features(), description=card.TASK_DESCRIPTIONS[name])
        for name, make_features in TASK_FEATURES.items()
    ]


class VersionWarning(UserWarning):
    """A dataset version that is allowed but worth a look (e.g. no data change)."""


def _write(folder: Path, configs: list[ConfigData], report: dict, version: str) -> None:
    for c in configs:
        write_config(folder, c.name, c.splits, c.features)
    (folder / "schema").mkdir()
    shutil.copyfile(schema_path("document.schema.json"), folder / "schema" / "document.schema.json")
    (folder / "build_report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_croissant(folder, configs, version)
    write_card(folder, configs, report, version, report.get("baselines"))
    write_viewer(folder, baselines=report.get("baselines"))
    write_checksums(folder)


def write_atomically(path: Path, text: str) -> None:
    """Write a file through a temporary sibling and a rename: a kill leaves the old or the new file."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def remove_stale_temporaries(root: Path) -> None:
    """Temporary release folders left by killed builds (never a finished release: those are renamed)."""
    for stale in root.glob(".*.tmp-*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


def publish_atomically(final: Path, write) -> Path:
    """Write a release into a temporary sibling folder, validate it, then rename it into place."""
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(final.parent)
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
