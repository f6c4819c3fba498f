"""news-edc: News Entities, Dates, Claims — a builder for an annotated news dataset."""

from __future__ import annotations

from .config import VERSION as DATASET_VERSION
from .config import BuildConfig
from .release import build

__all__ = ["DATASET_VERSION", "BuildConfig", "build"]
__version__ = "0.1.0"
