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

import ctypes
import hashlib
import json
import os
import shutil
import sys
import tempfile
import warnings
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml
from datasets import DatasetInfo, Features

from . import card
from .cache import Cache, mark_use, prune
from .config import RELEASE_NOTES, BuildConfig
from .croissant import write_croissant
from .errors import BuildError
from .evaluate import evaluate
from .ingest.reader import JSONL_SUFFIXES, list_sources
from .parallel import Runner, Settings
from .pipeline import TEST, BuildReport, built_documents
from .rows import Rows, read_records
from .schema import features as doc_features
from .schema import load_schema, schema_path
from .tasks import TASK_FEATURES
from .validate import CHECKSUMS, validate_release, write_checksums
from .versioning import StreamingDiff, VersionError, check_version, find_previous, parse_version, split_records
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
# Row groups of one split waiting for the background writer: bounds the memory they hold.
MAX_PENDING_GROUPS = 2


@dataclass(frozen=True, slots=True)
class ConfigData:
    """One Hub config (subset) of a release: its splits, features and card text.

    Attributes:
        name: the config name, also the folder ``data/<name>/``.
        splits: split name -> records, in a stable order: a list, or the
            :class:`SplitRows` of shards already written (read back on demand).
        features: the ``datasets.Features`` of a record.
        default: whether ``load_dataset(path)`` without a config name loads it.
        description: one sentence for the card and the Croissant record set.
    """

    name: str
    splits: dict[str, Sequence[dict]]
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


class SplitRows(Sequence):
    """The rows of one split of one config, read back from its written shards on demand.

    Iterating reads one row group at a time (at most 1000 rows), so a whole
    split is never in memory; ``len`` and ``num_bytes`` come from the writer.

    Args:
        paths: the split's shards, in order.
        num_rows: rows over all shards.
        num_bytes: the in-memory Arrow size as `datasets` counts it (the sum over
            the written tables).
        items: list field name -> number of items over all rows.
    """

    def __init__(self, paths: list[Path], num_rows: int, num_bytes: int, items: Counter | None = None) -> None:
        self.paths = list(paths)
        self.num_rows = num_rows
        self.num_bytes = num_bytes
        self.items = Counter(items or {})

    def list_items(self, name: str) -> int:
        """How many items the list field ``name`` holds over all rows (counted as they were written)."""
        return self.items[name]

    def __len__(self) -> int:
        return self.num_rows

    def __iter__(self) -> Iterator[dict]:
        for path in self.paths:
            parquet = pq.ParquetFile(path)
            for group in range(parquet.num_row_groups):
                yield from read_records(parquet, group)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        for path in self.paths:
            parquet = pq.ParquetFile(path)
            for group in range(parquet.num_row_groups):
                rows = parquet.metadata.row_group(group).num_rows
                if index < rows:  # decode the row group only up to the row
                    batch = next(parquet.iter_batches(batch_size=index + 1, row_groups=[group]))
                    return batch.slice(index, 1).to_pylist()[0]
                index -= rows
        raise IndexError(index)

    def column(self, name: str) -> Iterator:
        """The values of one top-level column, without reading the others."""
        for path in self.paths:
            parquet = pq.ParquetFile(path)
            for group in range(parquet.num_row_groups):
                yield from parquet.read_row_group(group, columns=[name]).column(0).to_pylist()


class SplitWriter:
    """Writes the rows of one split of one config as they come: ``data/<config>/<split>-NNNNN-of-NNNNN.parquet``.

    Rows are buffered into row groups of at most 1000 rows and about 100 MB (as
    `datasets` sizes them for the Hub's viewer) and written through one
    ``pq.ParquetWriter`` per shard with the pinned options; a shard is closed once
    it holds about 500 MB (in-memory Arrow size) and the next one starts. The cuts
    depend only on the rows, so the bytes do too. Shards get their final
    ``-of-NNNNN`` names when the split is complete.

    With a ``background`` executor of one thread, row groups are compressed and
    written there (pyarrow releases the GIL while it does), in the order they
    were cut, while the caller goes on; at most :data:`MAX_PENDING_GROUPS` wait.
    A failed write is raised by the next ``add_rows`` that cuts a row group, or by
    ``close``.

    Args:
        folder: the release folder being written.
        config_name: the config (subset) name.
        split: the split name.
        features: the features of a row.
        background: a single-thread executor shared by the build's writers, or None
            (write in the calling thread).
    """

    def __init__(
        self, folder: Path, config_name: str, split: str, features: Features, background: Executor | None = None
    ) -> None:
        self.dir = folder / "data" / config_name
        self.split = split
        self.features = features
        self.arrow = features.arrow_schema
        self._lists = [f.name for f in self.arrow if pa.types.is_list(f.type) or pa.types.is_large_list(f.type)]
        self._buffer: list[pa.RecordBatch] = []
        self._buffer_rows = 0
        self._buffer_bytes = 0
        self._writer: pq.ParquetWriter | None = None
        self._shard_bytes = 0
        self._partial: list[Path] = []
        self.num_rows = 0
        self.num_bytes = 0
        self.items: Counter = Counter()
        self._background = background
        self._pending: deque[Future] = deque()

    def add(self, row: dict) -> None:
        """One row, converted here (the build's workers send :class:`~dataset_builder.rows.Rows` instead)."""
        self.add_rows(Rows.of([row], self.arrow))

    def add_rows(self, rows: Rows) -> None:
        """Rows already converted to Arrow; a row group closes after the row that fills it."""
        taken = 0
        for i, size in enumerate(rows.sizes, 1):
            self._buffer_rows += 1
            self._buffer_bytes += size
            if self._buffer_rows >= MAX_ROW_GROUP_ROWS or self._buffer_bytes >= MAX_ROW_GROUP_BYTES:
                self._buffer.append(rows.batch.slice(rows.start + taken, i - taken))
                taken = i
                self._flush()
        if taken < len(rows):
            self._buffer.append(rows.batch.slice(rows.start + taken, len(rows) - taken))

    def _flush(self) -> None:
        if not self._buffer:
            return
        batches = self._buffer
        self._buffer, self._buffer_rows, self._buffer_bytes = [], 0, 0
        if self._background is None:
            self._write(batches)
            return
        self._pending.append(self._background.submit(self._write, batches))
        while len(self._pending) > MAX_PENDING_GROUPS or (self._pending and self._pending[0].done()):
            self._pending.popleft().result()

    def _write(self, batches: list[pa.RecordBatch]) -> None:
        """Write one row group (in the background thread when there is one: only it touches the shard)."""
        # One chunk a column: the same table, and the same Parquet bytes, as from the row dicts.
        table = pa.Table.from_batches(batches, schema=self.arrow).combine_chunks()
        for name in self._lists:  # items of each list field, for the card's counts
            self.items[name] += pc.sum(pc.list_value_length(table.column(name))).as_py() or 0
        if self._writer is None:
            path = self.dir / f".{self.split}-{len(self._partial):05d}.partial"
            path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(path, self.arrow, **PARQUET_OPTIONS)
            self._partial.append(path)
        self._writer.write_table(table, row_group_size=table.num_rows)
        self.num_rows += table.num_rows
        self.num_bytes += table.nbytes
        self._shard_bytes += table.nbytes
        if self._shard_bytes >= MAX_SHARD_BYTES:
            self._writer.close()
            self._writer, self._shard_bytes = None, 0

    def close(self) -> SplitRows:
        """Write what is buffered, name the shards, and return the split's rows (read back on demand)."""
        self._flush()
        while self._pending:
            self._pending.popleft().result()
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if not self._partial:  # an empty split is one empty shard, as before
            path = self.dir / shard_name(self.split, 0, 1)
            write_parquet([], path, self.features)
            return SplitRows([path], 0, pa.Table.from_pylist([], schema=self.arrow).nbytes)
        paths = []
        for index, written in enumerate(self._partial):
            path = self.dir / shard_name(self.split, index, len(self._partial))
            os.replace(written, path)
            paths.append(path)
        return SplitRows(paths, self.num_rows, self.num_bytes, self.items)


def write_config(
    folder: Path, config_name: str, splits: Mapping[str, Iterable[dict]], features: Features
) -> list[Path]:
    """Write the Parquet shards of one config: ``data/<config>/<split>-NNNNN-of-NNNNN.parquet``.

    A split is cut into contiguous shards of about 500 MB (in-memory Arrow size)
    by :class:`SplitWriter`, so the cut depends only on the records.

    Args:
        folder: the release folder being written.
        config_name: the config (subset) name.
        splits: split name -> records (any iterable: they are streamed).
        features: the features of a record.

    Returns:
        The shard paths, in split and shard order.
    """
    written: list[Path] = []
    for split, rows in splits.items():
        writer = SplitWriter(folder, config_name, split, features)
        for row in rows:
            writer.add(row)
        written.extend(writer.close().paths)
    return written


def _num_bytes(rows: Sequence[dict], features: Features) -> int:
    if isinstance(rows, SplitRows):
        return rows.num_bytes
    return pa.Table.from_pylist(list(rows), schema=features.arrow_schema).nbytes


def dataset_info_yaml(config: ConfigData) -> dict:
    """The YAML ``dataset_info`` of one config: features (nested types and class names) and splits."""
    info = DatasetInfo(features=config.features)._to_yaml_dict()
    info["config_name"] = config.name
    # num_bytes as `datasets` counts it: the in-memory Arrow size of the split
    # (summed over the written tables, as its ArrowWriter does).
    info["splits"] = [
        {"name": name, "num_bytes": _num_bytes(rows, config.features), "num_examples": len(rows)}
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

    Documents stream from the sources through the workers into the Parquet
    writers; the card, Croissant metadata, data diff and viewer read the written
    shards back (or use counters), so memory does not grow with the corpus (see
    docs/scaling.md). The annotation cache makes a rebuild re-annotate only the
    articles (or annotator versions) that changed; the release's bytes do not
    depend on the cache, the number of workers or the executor.

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
    if config.previous is not None and not (config.previous / CHECKSUMS).is_file():
        raise BuildError(f"--previous {config.previous} is not a release folder (no {CHECKSUMS})")
    if not config.sources.is_dir():
        raise BuildError(f"sources folder {config.sources} does not exist")
    if config.prune_cache and config.cache_dir is None:
        raise BuildError("--prune-cache deletes the cache entries a build did not use: it needs the cache (not --no-cache)")
    # Every entry this build reads or writes is newer than the mark; pruning deletes the rest.
    mark = mark_use(config.cache_dir) if config.prune_cache else None
    settings = Settings(
        spacy_model=config.spacy_model,
        annotate=config.annotate,
        gold=config.gold,
        cache=config.cache_dir,
        silver_of_gold=config.annotate,
        touch_cache=config.prune_cache,
    )
    if config.executor is not None:
        from .distributed import annotate_with_executor

        annotate_with_executor(config, settings)
    report = BuildReport()
    # The workers live until the release is validated: they also render the viewer's
    # pages and read the records back for the validation.
    with _system_allocator(), Runner(settings, config.workers) as runner:
        release = publish_atomically(
            config.release_dir,
            lambda tmp: _write_release(tmp, config, report, runner),
            map_groups=partial(runner.ordered_map, batch_size=1),
        )
    if mark is not None:
        report.pruned = prune(config.cache_dir, mark)
    return release, report


def _return_freed_memory() -> None:
    """Give the free pages of the C heap back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    Streaming the documents leaves the main process's heap full of freed holes; the
    viewer and the validation that follow would otherwise grow from that high-water
    mark (docs/scaling.md).
    """
    # The C library already loaded into this process (find_library would fork a subprocess
    # of this process at its largest).
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


@contextmanager
def _system_allocator() -> Iterator[None]:
    """Arrow allocates from the C library's malloc while the build runs (and in its workers).

    The build reads every row group back (viewer, validation); with pyarrow's default
    mimalloc pool the memory of each row group read stayed with the process, so peak
    memory grew with the number of row groups (docs/scaling.md). Buffers remember
    their pool, so switching it is safe; the previous one is restored.
    """
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def _write_release(folder: Path, config: BuildConfig, report: BuildReport, runner: Runner) -> set[bytes]:
    """Stream the documents into the release folder ``folder`` and write everything else from the shards.

    Returns:
        The digests of the records, which all passed the record checks on their way in.
    """
    writers: dict[tuple[str, str], SplitWriter] = {}
    features = {CONFIG: doc_features(), **{name: make() for name, make in TASK_FEATURES.items()}}

    # One thread compresses and writes the row groups of every split while this one goes on
    # (closed, after waiting for its writes, before the folder can be removed on an error).
    background = ThreadPoolExecutor(1, thread_name_prefix="parquet")

    def writer(name: str, split: str) -> SplitWriter:
        if (name, split) not in writers:
            writers[(name, split)] = SplitWriter(folder, name, split, features[name], background)
        return writers[(name, split)]

    silver_of_gold: list[dict] | None = [] if config.annotate else None
    previous = config.previous or find_previous(config.out, config.version)
    differ = StreamingDiff(previous, load_schema())
    digests: dict[str, bytes] = {}  # id -> record digest: the viewer's page cache keys, the checked records
    with background, _progress(config) as bar:
        for built in built_documents(config, report, runner):
            writer(CONFIG, built.split).add_rows(built.row)
            digests[built.id] = built.digest
            differ.add(built.split, built.id, built.digest, built.full_record, built.labels)
            for name in TASK_FEATURES:
                writer(name, built.split).add_rows(built.tasks[name])
            if built.silver is not None and silver_of_gold is not None:
                silver_of_gold.append(built.silver)
            bar.update(len(report.included) + len(report.rejected) - bar.n)
        bar.update(len(report.included) + len(report.rejected) - bar.n)
        doc_splits = sorted({split for name, split in writers if name == CONFIG})
        for name in TASK_FEATURES:  # every task config has the documents' splits, even when empty
            for split in doc_splits:
                writer(name, split)
        rows = {key: w.close() for key, w in sorted(writers.items())}
    _return_freed_memory()
    splits = {split: rows[(CONFIG, split)] for split in doc_splits}

    config.out.mkdir(parents=True, exist_ok=True)
    write_atomically(config.out / "build-report.json", json.dumps(report.to_dict(), indent=2) + "\n")
    if report.rejected and not config.allow_rejects:
        raise BuildError(
            f"{len(report.rejected)} input file(s) rejected (see {config.out / 'build-report.json'}); "
            "fix them or pass --allow-rejects:\n  " + "\n  ".join(f"{r['source_file']}: {r['reason']}" for r in report.rejected)
        )
    if not splits:
        raise BuildError(f"no article of {config.sources} could be included")
    diff = differ.finish()
    notes = check_version(config.version, diff)
    for note in notes:
        warnings.warn(note, VersionWarning, stacklevel=3)
    baselines = evaluate(list(splits[TEST]), silver_of_gold) if silver_of_gold and TEST in splits else None
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
        ConfigData(CONFIG, splits, features[CONFIG], default=True, description=card.DOCUMENTS_DESCRIPTION),
        *(
            ConfigData(name, {split: rows[(name, split)] for split in doc_splits}, features[name],
                       description=card.TASK_DESCRIPTIONS[name])
            for name in TASK_FEATURES
        ),
    ]
    (folder / "schema").mkdir()
    shutil.copyfile(schema_path("document.schema.json"), folder / "schema" / "document.schema.json")
    (folder / "build_report.json").write_text(json.dumps(release_report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_croissant(folder, configs, config.version)
    write_card(folder, configs, release_report, config.version, baselines)
    page_cache = None if config.cache_dir is None else Cache(config.cache_dir / "viewer", touch=config.prune_cache)
    write_viewer(folder, baselines=baselines, map_pages=runner.ordered_map, page_cache=page_cache, digests=digests)
    write_checksums(folder, partial(runner.ordered_map, batch_size=1))
    return set(digests.values())


def estimate_inputs(sources: Path) -> int:
    """How many inputs a sources folder holds (files, and JSONL lines): the progress bar's total."""
    total = 0
    for path in list_sources(sources):
        if path.suffix.lower() in JSONL_SUFFIXES and path.is_file():
            with path.open("rb") as handle:
                total += sum(1 for line in handle if line.strip())
        else:
            total += 1
    return total


def _progress(config: BuildConfig):
    """A tqdm bar (documents/s, ETA) on stderr; a silent one when stderr is not a terminal or with --quiet."""
    from tqdm.auto import tqdm

    enabled = config.progress and sys.stderr.isatty()
    total = estimate_inputs(config.sources) if enabled else None  # counting JSONL lines reads the files
    return tqdm(total=total, unit="doc", desc="building", disable=not enabled, file=sys.stderr, smoothing=0.1)


class VersionWarning(UserWarning):
    """A dataset version that is allowed but worth a look (e.g. no data change)."""


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


def publish_atomically(
    final: Path, write: Callable[[Path], Collection[bytes] | None], map_groups: Callable | None = None
) -> Path:
    """Write a release into a temporary sibling folder, validate it, then rename it into place.

    Args:
        final: the release folder to create.
        write: writes the release into the folder it is given; it may return the digests of
            records known to pass the record checks, which the validation does not check again
            (see :func:`~dataset_builder.validate.validate_release`).
        map_groups: where the validation reads the row groups (see :func:`~dataset_builder.validate.validate_release`).
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(final.parent)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-", dir=final.parent))
    try:
        checked = write(tmp) or frozenset()
        problems = validate_release(tmp, checked, map_groups)
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


def iter_records(release: Path) -> Iterator[dict]:
    """The documents of a release, shard by shard and row group by row group (never a whole shard in memory)."""
    for _, record in split_records(release, CONFIG):
        yield record

