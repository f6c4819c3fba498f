"""The automatic (silver) annotators, one module per layer, in the order they run."""

from __future__ import annotations

from .base import Annotator

# The versioned names of the default annotators, in run order: the one place a
# version is bumped (each class takes its ``name`` from here). Kept apart from the
# modules so that a rebuild from the cache computes its keys without importing
# them (and spaCy).
ENTITIES = "entities.spacy-kb.v2"
TIMEX = "timex.rules.v2"
CLAIMS = "claims.rules.v2"
DEFAULT_NAMES = (ENTITIES, TIMEX, CLAIMS)


def default_annotators() -> list[type[Annotator]]:
    """Entities first: the claim annotator resolves sources against the entity layer."""
    from .claims import ClaimAnnotator
    from .entities import EntityAnnotator
    from .timex import TimexAnnotator

    return [EntityAnnotator, TimexAnnotator, ClaimAnnotator]
