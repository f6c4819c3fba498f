"""reader → annotators → gold merge → validation, as generators.

Data flows one way: raw file → :class:`Article` → layers (gold where a gold file
covers the document, else the automatic annotators) → record → checks. Nothing
reaches back upstream.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .annotators import default_annotators
from .annotators.base import Annotator
from .config import BuildConfig
from .dedupe import DuplicateIndex
from .errors import BuildError, OffsetError, Rejected, SchemaError
from .gold import gold_layers, load_gold_files
from .ingest.limits import Limits
from .ingest.reader import ingest_sources
from .records import LAYERS, Article, Document, to_record
from .validate import record_problems

TEST, TRAIN = "test", "train"
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

    def lines(self) -> list[str]:
        out = [f"included {len(self.included)}, rejected {len(self.rejected)}"]
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


def accepted(config: BuildConfig, report: BuildReport) -> Iterator[Article]:
    """Articles of the sources folder, in source order; everything else goes to the report.

    Rejections carry their reason; duplicates (exact or near, see
    :mod:`dataset_builder.dedupe`) are rejected as duplicates of the first copy,
    or with ``duplicates="keep"`` included and flagged; inputs decoded from a
    legacy encoding or repaired are flagged.
    """
    if not config.sources.is_dir():
        raise BuildError(f"sources folder {config.sources} does not exist")
    if config.duplicates not in DUPLICATE_POLICIES:
        raise BuildError(f"duplicates policy {config.duplicates!r}: expected one of {', '.join(DUPLICATE_POLICIES)}")
    limits = Limits(max_bytes=config.max_file_bytes, languages=config.languages, reference_date=config.reference_date)
    index = DuplicateIndex(config.near_duplicate_threshold)
    for item in ingest_sources(config.sources, limits):
        if isinstance(item, Rejected):
            report.reject(item.source, item.reason)
            continue
        article = item.article
        duplicate = index.check(article.id, article.source_file, article.text)
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


def documents(config: BuildConfig, report: BuildReport, silver_of_gold: list[dict] | None = None) -> Iterator[Document]:
    """Every accepted article with its layers, checked; in source-file order.

    Args:
        silver_of_gold: when a list is given, the automatic annotators also run on the
            documents that gold covers, and their records are appended to it: the
            predictions the baseline scores are computed from (they are not released).
    """
    gold = load_gold_files(config.gold)
    articles = accepted(config, report)
    annotators: list[Annotator] = []
    if config.annotate:
        from .nlp import load_pipeline

        nlp = load_pipeline(config.spacy_model)
        annotators = [cls(nlp) for cls in default_annotators()]
        check_order(annotators)
    if annotators:
        pairs: Iterator[tuple[object, Article]] = nlp.pipe(((a.text, a) for a in articles), as_tuples=True)
    else:
        pairs = ((None, a) for a in articles)
    used_gold: set[str] = set()
    for doc, article in pairs:
        layers: dict[str, tuple] = {name: () for name in LAYERS}
        covered = gold.get(article.source_file)
        if covered is None or (silver_of_gold is not None and annotators):
            for annotator in annotators:
                layers[annotator.layer] = tuple(annotator.annotate(doc, article, layers))
        if covered is not None:
            used_gold.add(article.source_file)
            if annotators and silver_of_gold is not None:
                silver_of_gold.append(to_record(Document(article, split=TEST, **layers)))
            g = gold_layers(covered, article.text)
            layers.update(entities=g.entities, timexes=g.timexes, claims=g.claims)
        document = Document(article, split=TEST if covered is not None else TRAIN, **layers)
        record = to_record(document)
        problems = record_problems(record)
        if problems:
            kind = OffsetError if any("text[" in p or "not a span" in p for p in problems) else SchemaError
            raise kind(f"{article.source_file}: record breaks the contract:\n  " + "\n  ".join(problems))
        report.included.append(
            {
                "source_file": article.source_file,
                "id": article.id,
                "split": document.split,
                "layers": "gold" if covered is not None else ("silver" if annotators else "none"),
            }
        )
        yield document
    report.unused_gold.extend(sorted(set(gold) - used_gold))
