"""The annotator contract.

An annotator fills one layer of a document. It is built once per process with the
loaded spaCy pipeline, and then called per document with the already-parsed spaCy
``Doc`` of ``article.text`` (the pipeline parses each text once, with ``nlp.pipe``),
the :class:`~dataset_builder.records.Article` (for the DCT and metadata) and the
layers produced so far. It declares the layers it ``requires``; the pipeline checks
the order before the run. Its ``name`` carries a version: changed behaviour gets a
new version, never a silent change. Every annotation it returns has
``origin == self.origin`` (its name plus the spaCy pipeline and version).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from ..records import Article

if TYPE_CHECKING:  # spaCy is imported where a pipeline is loaded, not by a rebuild from the cache
    from spacy.language import Language
    from spacy.tokens import Doc


class Annotator(ABC):
    layer: ClassVar[str]  # "entities" | "timexes" | "claims"
    name: ClassVar[str]  # versioned, e.g. "timex.rules.v1"
    requires: ClassVar[tuple[str, ...]] = ()

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.origin = f"{self.name}+{pipeline_id(nlp)}"

    @abstractmethod
    def annotate(self, doc: Doc, article: Article, layers: Mapping[str, Sequence]) -> list:
        """Return this layer's annotations for one document, in text order."""


def pipeline_id(nlp: Language) -> str:
    """``<lang>_<name>-<version>`` of a loaded spaCy pipeline, e.g. ``en_core_web_sm-3.8.0``."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}-{meta.get('version', '0')}"
