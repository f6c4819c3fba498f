"""Build configuration and the dataset version.

The dataset version is separate from the package version and follows TFDS's
meaning: MAJOR = existing records or the schema change incompatibly; MINOR =
documents or fields added; PATCH = corrections with the same shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parent

DATASET_NAME = "news-edc"
PRETTY_NAME = "news-edc: News Entities, Dates, Claims"
VERSION = "0.1.0"
RELEASE_NOTES = {
    "0.1.0": "First release: the two bundled seed articles, cleaned, with schema-checked records.",
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

    @property
    def release_dir(self) -> Path:
        return self.out / self.version
