"""Per-document work (parse, annotate, gold merge, checks, task rows) on one or many processes.

The build's main process reads, cleans and de-duplicates the sources in order
(:func:`dataset_builder.pipeline.accepted`) and writes the Parquet shards; all
per-document work runs in a :class:`Processor`: in the main process with one
worker, else in a ``multiprocessing`` pool whose initializer builds one
:class:`Processor` (and so loads the spaCy pipeline once) per worker process.

Batches go to the pool in source order and their results are taken back in the
same order (a bounded window of batches in flight, so memory does not grow with
the corpus), so the records, and the release's bytes, do not depend on the
number of workers. A pool of processes, not spaCy's ``nlp.pipe(n_process=N)``:
reading, annotating, checking and rendering are Python code that costs about a
third of the parse, and parallelising only the parse would leave all of it on
one core (benchmarks/RESULTS.md measures both).

Each :class:`Processor` looks its articles up in the annotation cache
(:mod:`dataset_builder.cache`) first and parses and annotates only the misses,
with one ``nlp.pipe`` call per batch; the spaCy pipeline is loaded on the first
miss, so a rebuild of an unchanged corpus never loads it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from types import SimpleNamespace

from . import annotators as annotators_package
from .annotators import default_annotators
from .annotators.base import Annotator, pipeline_id
from .cache import Cache, cache_key
from .errors import BuildError, OffsetError, Rejected, SchemaError
from .gold import gold_layers, load_gold_files
from .ingest.limits import Limits
from .ingest.reader import JSONL_SUFFIXES, Ingested, ingest_sources, list_sources, read_file
from .records import LAYERS, Article, Document, to_record
from .rows import Rows, grouped_rows
from .schema import features as doc_features
from .schema import load_schema
from .tasks import TASK_FEATURES, Skeleton, record_task_rows
from .validate import record_problems
from .versioning import label_counts, record_digest

TEST, TRAIN = "test", "train"
# Articles per task sent to a worker; nlp.pipe batches within it. Big enough to
# amortise the inter-process copy, small enough to keep both cores busy to the end.
BATCH_SIZE = 16
# Files per reading task: reading and cleaning a page takes a few milliseconds.
INGEST_BATCH_SIZE = 8
NLP_BATCH_SIZE = 32
# Batches in flight per worker: enough to hide the main process's reading and
# writing, few enough that memory stays flat.
WINDOW_PER_WORKER = 3


@dataclass(frozen=True, slots=True)
class Settings:
    """What a worker needs to process documents (picklable: it is sent to each worker).

    Attributes:
        spacy_model: an installed spaCy pipeline (None: the default, see :mod:`dataset_builder.nlp`).
        annotate: run the automatic annotators (else the silver layers stay empty).
        gold: the folder of gold annotation files, or None.
        cache: the annotation cache folder, or None (no cache).
        silver_of_gold: also return the silver record of documents that gold covers (baselines).
        touch_cache: refresh the time of every cache entry read, so that pruning keeps it.
    """

    spacy_model: str | None = None
    annotate: bool = True
    gold: Path | None = None
    cache: Path | None = None
    silver_of_gold: bool = False
    touch_cache: bool = False


@dataclass(slots=True)
class Built:
    """One included document, ready to write.

    Attributes:
        record: the document record (checked against the schema and the offsets); None once
            sent from a worker, which sends it once, as ``row`` (see :meth:`full_record`).
        id: the record's id.
        source_file: the record's source file.
        split: ``test`` (gold) or ``train`` (silver).
        layers: ``gold``, ``silver`` or ``none`` (the build report's word).
        row: the record as a row of the documents config, in Arrow (see :mod:`dataset_builder.rows`).
        tasks: task config name -> this document's rows of it, in Arrow.
        silver: for a gold document, the automatic annotators' record of it (never released).
        cached: whether the parse and annotations came from the cache.
        digest: :func:`~dataset_builder.versioning.record_digest` of the record, which passed the checks.
        labels: :func:`~dataset_builder.versioning.label_counts` of the record (for the data diff).
    """

    record: dict | None
    id: str
    source_file: str
    split: str
    layers: str
    row: Rows | None = None
    tasks: dict[str, Rows] = field(default_factory=dict)
    silver: dict | None = None
    cached: bool = False
    digest: bytes = b""
    labels: dict = field(default_factory=dict)

    def full_record(self) -> dict:
        """The record, read back from ``row`` when it was not kept."""
        return self.record if self.record is not None else self.row.arrow().to_pylist()[0]


def pipeline_meta_id(name: str | None) -> str | None:
    """``pipeline_id`` of an installed spaCy pipeline package, read from its ``meta.json`` without loading it.

    Neither the package nor spaCy is imported (a rebuild from the cache never needs
    them). Returns None when the name is not an installed package (a path, say):
    then the caller loads the pipeline to know.
    """
    from .nlp import DEFAULT_MODEL, FALLBACK_MODELS

    for candidate in (name,) if name else (DEFAULT_MODEL, *FALLBACK_MODELS):
        try:
            spec = importlib.util.find_spec(candidate)
            meta = json.loads(Path(spec.origin).with_name("meta.json").read_text(encoding="utf-8"))
        except Exception:  # noqa: BLE001 - not an installed package: try the next, else load the pipeline
            continue
        return pipeline_id(SimpleNamespace(meta=meta))
    return None


class Processor:
    """Turns articles into :class:`Built` documents (the per-document work of a build).

    Args:
        settings: what to run and where the cache is.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.gold = load_gold_files(settings.gold)
        self.cache = Cache(settings.cache, touch=settings.touch_cache) if settings.cache is not None else None
        self.spacy_version = version("spacy")
        self.schema_digest = hashlib.sha256(json.dumps(load_schema(), sort_keys=True).encode("utf-8")).digest()
        self.doc_arrow = doc_features().arrow_schema
        self.task_arrow = {name: make().arrow_schema for name, make in TASK_FEATURES.items()}
        self._nlp = None
        self._annotators: list[Annotator] = []
        self.names = annotators_package.DEFAULT_NAMES if settings.annotate else ()
        pipeline = pipeline_meta_id(settings.spacy_model)
        if pipeline is None:  # not a package: load it now to learn its name and version
            pipeline = pipeline_id(self._load())
        self.pipeline = pipeline
        # The annotators' origins as their contract defines them (name + pipeline):
        # the cache key, known without loading the model.
        self.origins = [f"{name}+{pipeline}" for name in self.names]

    def _load(self):
        if self._nlp is None:
            from .nlp import load_pipeline
            from .pipeline import check_order

            nlp = load_pipeline(self.settings.spacy_model)
            annotators = [cls(nlp) for cls in (default_annotators() if self.names else [])]
            check_order(annotators)
            self._nlp, self._annotators = nlp, annotators
            if hasattr(self, "origins") and [a.origin for a in annotators] != self.origins:
                raise BuildError(
                    f"annotator origins {[a.origin for a in annotators]} differ from name+pipeline {self.origins}"
                )
        return self._nlp

    def key(self, article: Article) -> str:
        """The cache key of an article under this processor's annotators and pipeline."""
        return cache_key(article, self.origins, self.pipeline, self.spacy_version)

    def analyse(self, articles: list[Article]) -> list[tuple[dict, bool]]:
        """``(analysis, cached)`` per article: its silver layers and parse skeleton, from the cache or computed.

        Computed analyses are not stored here: :meth:`process` stores each one once,
        with the mark of its checked record.
        """
        found: list[dict | None] = [self.cache.get(self.key(a)) if self.cache else None for a in articles]
        misses = [i for i, value in enumerate(found) if value is None]
        if misses:
            nlp = self._load()
            docs = nlp.pipe((articles[i].text for i in misses), batch_size=NLP_BATCH_SIZE)
            for i, doc in zip(misses, docs, strict=True):
                article = articles[i]
                layers: dict[str, tuple] = {name: () for name in LAYERS}
                for annotator in self._annotators:
                    layers[annotator.layer] = tuple(annotator.annotate(doc, article, layers))
                silver = None
                if self._annotators:
                    record = to_record(Document(article, **layers))
                    silver = {name: record[name] for name in LAYERS}
                found[i] = {"silver": silver, "skeleton": Skeleton.of(doc).to_json()}
        hit = set(range(len(articles))) - set(misses)
        return [(value, i in hit) for i, value in enumerate(found)]  # type: ignore[misc]

    def process(self, articles: list[Article]) -> list[Built]:
        """Every article as a checked record with its rows (converted to Arrow by batch), in the given order.

        Raises:
            OffsetError, SchemaError: a record breaks the contract.
            BuildError: a gold file does not fit its article.
        """
        out, task_rows = [], []
        for article, (analysis, cached) in zip(articles, self.analyse(articles), strict=True):
            covered = self.gold.get(article.source_file)
            base = to_record(Document(article))
            silver = analysis["silver"]
            silver_record = None
            if covered is not None:
                if silver is not None and self.settings.silver_of_gold:
                    silver_record = {**base, **silver}
                g = gold_layers(covered, article.text)
                record = to_record(Document(article, entities=g.entities, timexes=g.timexes, claims=g.claims))
                split, kind = TEST, "gold"
            else:
                record = {**base, **(silver or {})}
                split, kind = TRAIN, ("silver" if silver is not None else "none")
            digest = record_digest(record)
            # A record identical to one that passed the checks under the same schema
            # passes again: the cache remembers the last valid record of each entry.
            marker = hashlib.sha256(digest + self.schema_digest).hexdigest()
            if analysis.get("valid") != marker:
                problems = record_problems(record)
                if problems:
                    error = OffsetError if any("text[" in p or "not a span" in p for p in problems) else SchemaError
                    raise error(f"{article.source_file}: record breaks the contract:\n  " + "\n  ".join(problems))
                if self.cache is not None:  # a new analysis, or a record checked anew: stored once
                    self.cache.put(self.key(article), {**analysis, "valid": marker})
            tasks: dict[str, list[dict]] = {name: [] for name in TASK_FEATURES}
            for name, row in record_task_rows(record, Skeleton.from_json(analysis["skeleton"])):
                tasks[name].append(row)
            task_rows.append(tasks)
            out.append(Built(record, record["id"], record["source_file"], split, kind, silver=silver_record,
                             cached=cached, digest=digest, labels=label_counts(record)))
        for built, row in zip(out, grouped_rows([[b.record] for b in out], self.doc_arrow), strict=True):
            built.row = row
        for name, schema in self.task_arrow.items():
            for built, rows in zip(out, grouped_rows([t[name] for t in task_rows], schema), strict=True):
                built.tasks[name] = rows
        return out


# --- the pool ---------------------------------------------------------------------------

_WORKER: Processor | None = None


def _init_worker(settings: Settings) -> None:
    global _WORKER
    _WORKER = Processor(settings)


def _work(articles: list[Article]) -> list[Built]:
    assert _WORKER is not None, "worker not initialised"
    out = _WORKER.process(articles)
    for built in out:
        built.record = None  # it travels once, as its Arrow row
    return out


def ingest_cache(settings: Settings) -> Cache | None:
    """The ingestion part of the build cache (``<cache>/ingest``), or None without a cache."""
    return Cache(settings.cache / "ingest", touch=settings.touch_cache) if settings.cache is not None else None


def _ingest(paths: list[Path], limits: Limits, settings: Settings) -> list[tuple]:
    """Read and clean files in a worker: ``("ok", Ingested)`` or ``("rejected", source, reason)`` per item."""
    out: list[tuple] = []
    cache = ingest_cache(settings)
    for path in paths:
        for item in read_file(path, limits, cache):
            out.append(("rejected", item.source, item.reason) if isinstance(item, Rejected) else ("ok", item))
    return out


def _apply(function: Callable, batch: list) -> list:
    return [function(item) for item in batch]


def default_workers() -> int:
    """All cores of the machine (at least one)."""
    return os.cpu_count() or 1


class Runner:
    """Runs batches of articles through :class:`Processor`\\ s, in order.

    Use as a context manager: with more than one worker it owns a process pool,
    started on entry (before the caller starts threads, e.g. a progress bar) and
    stopped on exit.

    Args:
        settings: what the processors run.
        workers: processes; 1 runs in this process.
    """

    def __init__(self, settings: Settings, workers: int | None = None) -> None:
        self.settings = settings
        self.workers = max(1, workers or default_workers())
        self._pool = None
        self._local: Processor | None = None

    def __enter__(self) -> Runner:
        if self.workers > 1:
            # fork: the workers start in milliseconds and share the parent's imports;
            # the main process never loads spaCy when it has workers, so nothing
            # thread-bound is copied. Elsewhere (macOS, Windows) spawn.
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            ctx = multiprocessing.get_context(method)
            self._pool = ctx.Pool(self.workers, initializer=_init_worker, initargs=(self.settings,))
        else:
            self._local = Processor(self.settings)
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            if exc[0] is None:
                self._pool.close()
            else:
                self._pool.terminate()
            self._pool.join()
            self._pool = None

    def ingest(self, sources: Path, limits: Limits) -> Iterator[Ingested | Rejected]:
        """Every entry of the sources folder read and cleaned, in name order, as ``ingest_sources`` gives them.

        With workers, page files (text, HTML) are read in the pool, a few per task,
        in order; a JSONL file is read here, line by line, so that one big file is
        never held whole. Lazy: nothing is read before the first item is asked for.
        """
        cache = ingest_cache(self.settings)
        if self._pool is None:
            yield from ingest_sources(sources, limits, cache)
            return
        pending: deque = deque()
        batch: list[Path] = []
        window = self.workers * WINDOW_PER_WORKER

        def drain(keep: int) -> Iterator[Ingested | Rejected]:
            while len(pending) > keep:
                for item in pending.popleft().get():
                    yield item[1] if item[0] == "ok" else Rejected(item[1], item[2])

        for path in list_sources(sources):
            if path.suffix.lower() in JSONL_SUFFIXES:
                if batch:
                    pending.append(self._pool.apply_async(_ingest, (batch, limits, self.settings)))
                    batch = []
                yield from drain(0)
                yield from read_file(path, limits, cache)
                continue
            batch.append(path)
            if len(batch) == INGEST_BATCH_SIZE:
                pending.append(self._pool.apply_async(_ingest, (batch, limits, self.settings)))
                batch = []
                yield from drain(window)
        if batch:
            pending.append(self._pool.apply_async(_ingest, (batch, limits, self.settings)))
        yield from drain(0)

    def ordered_map(self, function: Callable, items: Iterable, batch_size: int = BATCH_SIZE) -> Iterator:
        """``map(function, items)`` on the workers, in order, a bounded window of batches in flight.

        ``function`` must be a module-level function (it is pickled by name).
        """
        if self._pool is None:
            yield from map(function, items)
            return
        pending: deque = deque()
        window = self.workers * WINDOW_PER_WORKER
        for batch in _batches(items, batch_size):
            pending.append(self._pool.apply_async(_apply, (function, batch)))
            while len(pending) >= window or (pending and pending[0].ready()):
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()

    def map(self, articles: Iterable[Article], batch_size: int = BATCH_SIZE) -> Iterator[Built]:
        """Every article processed, in input order; at most a few batches in flight."""
        if self._pool is None and self._local is None:
            raise RuntimeError("use Runner as a context manager")
        batches = _batches(articles, batch_size)
        if self._local is not None:
            for batch in batches:
                yield from self._local.process(batch)
            return
        pending: deque = deque()
        window = self.workers * WINDOW_PER_WORKER
        for batch in batches:
            pending.append(self._pool.apply_async(_work, (batch,)))
            while len(pending) >= window or (pending and pending[0].ready()):
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
