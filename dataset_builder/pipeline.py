"""reader → annotators → gold merge → validation, as generators.

Data flows one way: raw file → :class:`Article` → layers (gold where a gold file
covers the document, else the automatic annotators) → record → checks. Nothing
reaches back upstream, and nothing holds the corpus: articles stream through
(:mod:`dataset_builder.parallel` does the per-document work, in order, on one or
more processes).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .annotators.base import Annotator
from .config import BuildConfig
from .dedupe import DuplicateIndex
from .errors import BuildError, Rejected
from .gold import load_gold_files
from .ingest.limits import Limits
from .ingest.reader import Ingested, ingest_sources
from .parallel import TEST, TRAIN, Built, Runner  # noqa: F401 - TEST, TRAIN: the split names, re-exported
from .records import Article

DUPLICATE_POLICIES = ("reject", "keep")


@dataclass
class BuildReport:
    """Every input file, included (with its id and split) or rejected (with the reason)."""

    included: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    unused_gold: list[str] = field(default_factory=list)
    # Included inputs with something to know: decoded from a legacy encoding,
    # text repaired, a duplicate kept by policy (see docs/bad-input.md).
    flagged: list[dict] = field(default_factory=list)
    # Documents parsed and annotated by this build, and taken from the annotation
    # cache. Not part of to_dict(): the release must not depend on the cache.
    annotated: int = 0
    cached: int = 0
    # With --prune-cache: the cache entries deleted after the build (files, bytes); else None.
    pruned: tuple[int, int] | None = None

    def reject(self, source_file: str, reason: str) -> None:
        self.rejected.append({"source_file": source_file, "reason": reason})

    def flag(self, source_file: str, reason: str) -> None:
        """Note something about an included input (it stays included)."""
        self.flagged.append({"source_file": source_file, "reason": reason})

    def to_dict(self) -> dict:
        return {
            "included": sorted(self.included, key=lambda d: d["source_file"]),
            "rejected": sorted(self.rejected, key=lambda d: d["source_file"]),
            "unused_gold": sorted(self.unused_gold),
            "flagged": sorted(self.flagged, key=lambda d: d["source_file"]),
        }

    def summary(self) -> list[str]:
        """The counts: included and rejected, annotated and from the cache (and pruned)."""
        out = [f"included {len(self.included)}, rejected {len(self.rejected)}",
               f"annotated {self.annotated}, from cache {self.cached}"]
        if self.pruned is not None:
            out.append(f"cache pruned: {self.pruned[0]} entries this build did not use ({self.pruned[1] / 1e6:.1f} MB)")
        return out

    def lines(self) -> list[str]:
        """The summary, then every input file."""
        out = self.summary()
        out += [f"  + {d['source_file']}  id={d['id']}  split={d['split']}  layers={d['layers']}" for d in self.included]
        out += [f"  - {d['source_file']}  REJECTED: {d['reason']}" for d in self.rejected]
        out += [f"  ! gold file for {name} has no source article in this build" for name in self.unused_gold]
        out += [f"  ~ {d['source_file']}  FLAGGED: {d['reason']}" for d in self.flagged]
        return out


def check_order(annotators: Iterable[Annotator]) -> None:
    """Each annotator's required layers must be produced by one that runs before it."""
    done: set[str] = set()
    for a in annotators:
        missing = set(a.requires) - done
        if missing:
            raise BuildError(f"annotator {a.name} needs layer(s) {sorted(missing)} produced before it")
        done.add(a.layer)


def limits_of(config: BuildConfig) -> Limits:
    """The ingestion limits of a build configuration."""
    return Limits(max_bytes=config.max_file_bytes, languages=config.languages, reference_date=config.reference_date)


def accepted(
    config: BuildConfig, report: BuildReport, ingested: Iterable[Ingested | Rejected] | None = None
) -> Iterator[Article]:
    """Articles of the sources folder, in source order; everything else goes to the report.

    Rejections carry their reason; duplicates (exact or near, see
    :mod:`dataset_builder.dedupe`) are rejected as duplicates of the first copy,
    or with ``duplicates="keep"`` included and flagged; inputs decoded from a
    legacy encoding or repaired are flagged.

    Args:
        ingested: the ingested sources in source order, when another reader
            produced them (the build's workers read files in parallel); default:
            ``ingest_sources`` of the sources folder. Consumed only after the checks.
    """
    if not config.sources.is_dir():
        raise BuildError(f"sources folder {config.sources} does not exist")
    if config.duplicates not in DUPLICATE_POLICIES:
        raise BuildError(f"duplicates policy {config.duplicates!r}: expected one of {', '.join(DUPLICATE_POLICIES)}")
    limits = limits_of(config)
    items = ingested if ingested is not None else ingest_sources(config.sources, limits)
    with DuplicateIndex(config.near_duplicate_threshold) as index:
        for item in items:
            if isinstance(item, Rejected):
                report.reject(item.source, item.reason)
                continue
            article = item.article
            duplicate = index.check(article.id, article.source_file, article.text, item.signature or None)
            # The same bytes are the same id: never two records, whatever the policy.
            if duplicate is not None and (config.duplicates == "reject" or duplicate.kind == "same bytes"):
                report.reject(article.source_file, duplicate.reason(article.id))
                continue
            if duplicate is not None:
                report.flag(article.source_file, f"kept by --duplicates keep: {duplicate.reason(article.id)}")
            if item.encoding not in ("utf-8", "ascii"):
                report.flag(article.source_file, f"decoded from {item.encoding} (charset detection)")
            for repair in item.repairs:
                report.flag(article.source_file, f"text repaired by ftfy: {repair}")
            yield article


def built_documents(config: BuildConfig, report: BuildReport, runner: Runner) -> Iterator[Built]:
    """Every accepted article processed (annotated or from the cache, gold merged, checked), in source order.

    Reading, cleaning and de-duplication run here, in order; the per-document work
    runs in ``runner`` (this process or a pool of workers, see
    :mod:`dataset_builder.parallel`). Included documents are added to the report
    as they come out; the annotation counters say how many were parsed and
    annotated and how many came from the cache.

    Raises:
        OffsetError, SchemaError: a record breaks the contract.
    """
    gold = load_gold_files(config.gold)
    used_gold: set[str] = set()
    ingested = runner.ingest(config.sources, limits_of(config))
    for built in runner.map(accepted(config, report, ingested)):
        source = built.source_file
        if source in gold:
            used_gold.add(source)
        if built.cached:
            report.cached += 1
        else:
            report.annotated += 1
        report.included.append(
            {"source_file": source, "id": built.id, "split": built.split, "layers": built.layers}
        )
        yield built
    report.unused_gold.extend(sorted(set(gold) - used_gold))
