"""Typed, immutable records that flow through the pipeline.

Ingestion turns a raw file into an :class:`Article`; annotators add layers of
:class:`Entity`, :class:`Timex` and :class:`Claim`; :func:`to_record` turns the
result into the plain dict that is validated against ``schema/document.schema.json``
and written to Parquet. Every span is ``[start, end)`` in code points of ``text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """The span ``[start, end)`` of ``text``, with its surface string."""
        return cls(start, end, text[start:end])


@dataclass(frozen=True, slots=True)
class Entity:
    start: int
    end: int
    text: str
    label: str
    canonical: str
    origin: str
    kb_id: str | None = None


@dataclass(frozen=True, slots=True)
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str
    origin: str
    mod: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    content: Span
    cue: Span
    kind: str
    origin: str
    source: Span | None = None
    source_canonical: str | None = None
    # All parts of a content split by its cue, in text order; empty when the
    # content is one piece (then ``content`` is the whole of it).
    content_parts: tuple[Span, ...] = ()
    via: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """One cleaned article: canonical ``text`` plus the metadata found around it."""

    id: str
    source_file: str
    published: str  # ISO 8601 date or date-time: the document creation time (DCT)
    text: str
    publisher: str | None = None
    url: str | None = None
    updated: str | None = None
    headline: str | None = None
    standfirst: str | None = None
    byline: str | None = None
    dateline: str | None = None
    topics: tuple[str, ...] = ()
    language: str = "en"
    # How the text was obtained: {"format": text|html|jsonl, "encoding": ..., "repairs": [...]}.
    ingest: dict | None = None


def article_from_json(data: dict) -> Article:
    """An :class:`Article` from its ``asdict`` JSON form (lists back to tuples)."""
    return Article(**{**data, "topics": tuple(data.get("topics") or ())})


LAYERS = ("entities", "timexes", "claims")


@dataclass(frozen=True, slots=True)
class Document:
    """An article with its three annotation layers."""

    article: Article
    entities: tuple[Entity, ...] = ()
    timexes: tuple[Timex, ...] = ()
    claims: tuple[Claim, ...] = ()
    split: str = field(default="train")


def to_record(doc: Document) -> dict:
    """The JSON-Schema / Parquet record of a document (field order is the schema's)."""
    rec = _plain(doc.article)
    rec["topics"] = list(doc.article.topics)
    rec["ingest"] = dict(doc.article.ingest) if doc.article.ingest else None
    rec["entities"] = [_plain(e) for e in doc.entities]
    rec["timexes"] = [_plain(t) for t in doc.timexes]
    rec["claims"] = [_claim_dict(c) for c in doc.claims]
    return rec


# Field names per record class. ``dataclasses.asdict`` would do, but it deep-copies
# every value and costs as much as validating the record; these fields hold
# immutable values (and spans, converted below), so a flat copy is the same dict.
_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(obj) -> dict:
    names = _FIELDS.get(type(obj))
    if names is None:
        names = _FIELDS[type(obj)] = tuple(f.name for f in fields(obj))
    return {name: getattr(obj, name) for name in names}


def _span(span: Span | None) -> dict | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def _claim_dict(c: Claim) -> dict:
    d = _plain(c)
    for key in ("content", "cue", "source"):
        d[key] = _span(d[key])
    d["content_parts"] = [_span(p) for p in c.content_parts]
    return d
