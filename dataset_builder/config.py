"""Build configuration and the dataset version.

The dataset version is separate from the package version and follows TFDS's
meaning: MAJOR = existing records or the schema change incompatibly (a field
removed or retyped, a document removed); MINOR = documents or fields added;
PATCH = corrections with the same shape. The build checks the version against
the data diff to the previous release (see :mod:`dataset_builder.versioning`).

Releasing a new version: bump :data:`VERSION` and add its entry (date and notes)
to :data:`RELEASE_NOTES`; the build refuses a version without one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parent

DATASET_NAME = "news-edc"
PRETTY_NAME = "news-edc: News Entities, Dates, Claims"
VERSION = "0.1.0"


@dataclass(frozen=True, slots=True)
class ReleaseNotes:
    """What a dataset version is, in words.

    Attributes:
        date: the release date (ISO 8601). Written into the card and Croissant
            metadata instead of the build time, so rebuilding gives the same bytes.
        notes: one paragraph for people: why this version exists.
    """

    date: str
    notes: str


RELEASE_NOTES: dict[str, ReleaseNotes] = {
    "0.1.0": ReleaseNotes(
        date="2026-11-22",
        notes="First release: the two bundled seed articles, cleaned, with schema-checked records and gold "
        "annotations of all three layers.",
    ),
}


def _bundled(*parts: str) -> Path:
    """A folder shipped with the project (sources, gold annotations)."""
    return PROJECT_ROOT.joinpath(*parts)


@dataclass(frozen=True, slots=True)
class BuildConfig:
    """Everything a build depends on, with visible defaults."""

    sources: Path = field(default_factory=lambda: _bundled("sources", "articles"))
    out: Path = Path("dist") / DATASET_NAME
    gold: Path | None = field(default_factory=lambda: _bundled("annotations", "gold"))
    version: str = VERSION
    spacy_model: str | None = None  # None: en_core_web_sm 3.8.0 (see nlp.py)
    allow_rejects: bool = False
    annotate: bool = True
    # The release to diff against; None: the newest earlier version in `out`.
    previous: Path | None = None
    # Ingestion (docs/bad-input.md). Duplicates: "reject" lists later copies as
    # rejected; "keep" includes them and flags them in the build report.
    duplicates: str = "reject"
    near_duplicate_threshold: float = 0.8
    max_file_bytes: int = 5_000_000  # per file; per line for JSONL
    languages: tuple[str, ...] = ("en",)
    # The build's "today" for the future-date check; None: the machine's date.
    # Compared with only, never written into the release.
    reference_date: date | None = None
    # Scale (docs/scaling.md). Worker processes for parsing and annotating; None: all cores.
    workers: int | None = None
    # The annotation cache: None is <out>/.cache; use_cache=False neither reads nor writes it.
    cache: Path | None = None
    use_cache: bool = True
    # After a successful build, delete the cache entries it did not use (cache.prune).
    prune_cache: bool = False
    # Annotate through a datatrove executor first ("local", "slurm", "ray"); None: the worker pool only.
    executor: str | None = None
    executor_tasks: int | None = None  # datatrove tasks (None: one per worker)
    executor_options: tuple[tuple[str, str], ...] = ()  # extra KEY=VALUE arguments of the executor
    progress: bool = True  # a progress bar on stderr when it is a terminal

    @property
    def cache_dir(self) -> Path | None:
        """The annotation cache folder, or None when the cache is off."""
        if not self.use_cache:
            return None
        return self.cache if self.cache is not None else self.out / ".cache"

    @property
    def release_dir(self) -> Path:
        return self.out / self.version
