"""The automatic (silver) annotators, one module per layer, in the order they run."""

from __future__ import annotations

from .base import Annotator


def default_annotators() -> list[type[Annotator]]:
    """Entities first: the claim annotator resolves sources against the entity layer."""
    from .claims import ClaimAnnotator
    from .entities import EntityAnnotator
    from .timex import TimexAnnotator

    return [EntityAnnotator, TimexAnnotator, ClaimAnnotator]
