"""One document as HTML: the text with its three annotation layers marked in it.

Spans of different layers (and of one layer: a claim's source is often an
entity, two claims may share a source or nest) overlap freely, but HTML
elements must nest. :func:`markup` therefore cuts the text at every span
boundary and, segment by segment, keeps a stack of open ``<span>`` elements in
a fixed order (outer spans first); a span that is crossed by another is closed
and reopened, so one annotation may be drawn as several *fragments*. All
fragments of an annotation carry the same ``data-layer`` and ``data-i``; only
the first has an ``id`` (the target of links from the claim list).

Every piece of text and every attribute value is escaped with
:func:`html.escape`, so an article containing ``<script>`` shows it as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from operator import attrgetter

# Outer before inner when two spans have the same extent: a claim's content
# encloses its parts, the source and cue are phrases, entities and timexes words.
_RANK = {"content": 0, "source": 1, "cue": 2, "entity": 3, "timex": 4}
_ROLE_CLASS = {
    "content": "ann cl cl-content",
    "source": "ann cl cl-source",
    "cue": "ann cl cl-cue",
    "entity": "ann ent",
    "timex": "ann tx",
}
_ID_PREFIX = {"content": "cl", "source": "cl-src", "cue": "cl-cue", "entity": "ent", "timex": "tx"}


def origin_class(origin: str | None) -> str:
    """``gold`` for human-verified annotations, ``silver`` for everything an annotator produced."""
    return "gold" if origin == "gold" else "silver"


def attr(value: object) -> str:
    """An attribute value, escaped (quotes included)."""
    return escape("" if value is None else str(value), quote=True)


@dataclass(frozen=True, slots=True)
class Mark:
    """One span to draw: where, which annotation it belongs to, and its opening tag's contents.

    Attributes:
        start: first code point.
        end: one past the last code point.
        layer: ``entities``, ``timexes`` or ``claims``.
        index: the annotation's position in its layer.
        role: ``entity``, ``timex``, or the claim part: ``content``, ``source``, ``cue``.
        attrs: the escaped attributes shared by all fragments (class, data-*, title).
        badge: small text shown after the span's end (label, resolved value), or empty.
    """

    start: int
    end: int
    layer: str
    index: int
    role: str
    attrs: str
    badge: str = ""

    @property
    def order(self) -> tuple[int, int, int, str, int]:
        return (self.start, -self.end, _RANK[self.role], self.layer, self.index)


def _entity_title(e: dict) -> str:
    parts = [e.get("label") or "?", e.get("canonical") or e.get("text", "")]
    if e.get("kb_id"):
        parts.append(e["kb_id"])
    parts.append(e.get("origin") or "")
    return " · ".join(filter(None, parts))


def _timex_badge(t: dict) -> str:
    return t.get("value", "") + (f" {t['mod']}" if t.get("mod") else "")


def _timex_title(t: dict) -> str:
    parts = [t.get("type", ""), f"value {t.get('value', '')}"]
    if t.get("mod"):
        parts.append(f"mod {t['mod']}")
    parts.append(t.get("origin") or "")
    return " · ".join(filter(None, parts))


def claim_summary(c: dict) -> str:
    """A one-line plain-text description of a claim: kind, source, via, cue, origin."""
    source = c.get("source_canonical") or (c.get("source") or {}).get("text") or "no source"
    via = f" via {c['via']}" if c.get("via") else ""
    cue = (c.get("cue") or {}).get("text", "")
    return f"{c.get('kind', '')} claim · source: {source}{via} · cue: {cue} · {c.get('origin', '')}"


def _valid(span: dict | None, n: int) -> bool:
    # Releases are validated, but the viewer also serves hand-made record files:
    # a broken span is left out rather than breaking the whole page.
    return bool(span) and isinstance(span.get("start"), int) and 0 <= span["start"] < span.get("end", -1) <= n


def marks_of(record: dict) -> list[Mark]:
    """Every span of a record's three layers as :class:`Mark` objects.

    Args:
        record: a ``document.schema.json`` record.

    Returns:
        The marks, in no particular order; spans outside the text are skipped.
    """
    n = len(record["text"])
    marks: list[Mark] = []
    for i, e in enumerate(record.get("entities") or ()):
        if not _valid(e, n):
            continue
        label = str(e.get("label") or "")
        org = origin_class(e.get("origin"))
        attrs = (
            f'class="{_ROLE_CLASS["entity"]} {org}" data-layer="entities" data-i="{i}" '
            f'data-label="{attr(label)}" data-origin="{org}" title="{attr(_entity_title(e))}"'
        )
        marks.append(Mark(e["start"], e["end"], "entities", i, "entity", attrs, label))
    for i, t in enumerate(record.get("timexes") or ()):
        if not _valid(t, n):
            continue
        org = origin_class(t.get("origin"))
        attrs = (
            f'class="{_ROLE_CLASS["timex"]} tx-{attr(t.get("type", ""))} {org}" '
            f'data-layer="timexes" data-i="{i}" data-origin="{org}" '
            f'data-value="{attr(t.get("value"))}" title="{attr(_timex_title(t))}"'
        )
        marks.append(Mark(t["start"], t["end"], "timexes", i, "timex", attrs, _timex_badge(t)))
    for i, c in enumerate(record.get("claims") or ()):
        org = origin_class(c.get("origin"))
        title = attr(f"C{i + 1} · {claim_summary(c)}")
        parts = [p for p in (c.get("content_parts") or ()) if _valid(p, n)] or [c.get("content")]
        roles = [("content", p) for p in parts] + [("source", c.get("source")), ("cue", c.get("cue"))]
        for role, span in roles:
            if not _valid(span, n):
                continue
            attrs = (
                f'class="{_ROLE_CLASS[role]} {org}" data-layer="claims" data-i="{i}" data-role="{role}" '
                f'data-origin="{org}" title="{title}"'
            )
            badge = f"C{i + 1}" if role == "content" and span is parts[-1] else ""
            marks.append(Mark(span["start"], span["end"], "claims", i, role, attrs, badge))
    return marks


def markup(text: str, marks: Sequence[Mark]) -> str:
    """The escaped text with every mark as properly nested ``<span>`` fragments.

    Args:
        text: the document text.
        marks: spans inside ``text`` (see :func:`marks_of`).

    Returns:
        HTML whose text content is exactly ``text``; each mark becomes one or
        more ``<span {attrs}>`` fragments, the first with ``id="<prefix>-<i>"``,
        and the last followed (inside it) by an empty ``<span class="badge">``
        carrying the badge text in ``data-v`` (shown by CSS, never copied).
    """
    # Sorted once, so that every list of open marks below is already in nesting
    # order: survivors keep their order and the marks starting at a boundary
    # start after all of them (the sort is stable, so ties keep the given order).
    starts: dict[int, list[Mark]] = {}
    for m in sorted(marks, key=attrgetter("order")):
        starts.setdefault(m.start, []).append(m)
    bounds = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    stack: list[Mark] = []
    opened: set[tuple[str, str, int]] = set()
    out: list[str] = []

    def close(m: Mark, at: int) -> None:
        if m.end == at and m.badge:
            out.append(f'<span class="badge" data-v="{attr(m.badge)}"></span>')
        out.append("</span>")

    for a, b in zip(bounds, bounds[1:], strict=False):
        wanted = [m for m in stack if m.end > a] + starts.get(a, [])
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep] is wanted[keep]:
            keep += 1
        for m in reversed(stack[keep:]):
            close(m, a)
        for m in wanted[keep:]:
            # Fragments open in text order, so the first one opened is the
            # annotation's earliest (for a split claim content: its first part).
            key = (m.layer, m.role, m.index)
            ident = ""
            if key not in opened:
                opened.add(key)
                ident = f' id="{_ID_PREFIX[m.role]}-{m.index}"'
            out.append(f"<span{ident} {m.attrs}>")
        stack = wanted
        out.append(escape(text[a:b], quote=False))
    for m in reversed(stack):
        close(m, len(text))
    return "".join(out)


def metadata_rows(record: dict, split: str | None = None) -> Iterable[tuple[str, str]]:
    """The document metadata as ``(name, escaped HTML value)`` rows, empty fields left out."""
    url = record.get("url")
    # Only http(s) URLs become links: a "javascript:" URL in a source file must not run.
    if url and str(url).lower().startswith(("http://", "https://")):
        link = f'<a href="{attr(url)}" rel="noopener noreferrer nofollow">{escape(url)}</a>'
    else:
        link = escape(url) if url else ""
    topics = "".join(f'<span class="topic">{escape(t)}</span>' for t in record.get("topics") or ())
    rows = [
        ("headline", escape(record.get("headline") or "")),
        ("standfirst", escape(record.get("standfirst") or "")),
        ("publisher", escape(record.get("publisher") or "")),
        ("published", escape(record.get("published") or "")),
        ("updated", escape(record.get("updated") or "")),
        ("byline", escape(record.get("byline") or "")),
        ("dateline", escape(record.get("dateline") or "")),
        ("topics", topics),
        ("language", escape(record.get("language") or "")),
        ("url", link),
        ("source file", escape(record.get("source_file") or "")),
        ("id", f"<code>{escape(record.get('id') or '')}</code>"),
        ("split", escape(split or "")),
    ]
    return [(k, v) for k, v in rows if v]
