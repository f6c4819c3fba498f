"""Write the static viewer of a release: paginated index, statistics, one page per document.

Layout of the output folder (default ``<release>/viewer/``)::

    index.html, index-2.html, ...   documents, PAGE_SIZE rows a page; page 1 also
                                    has the statistics, charts, timeline, baselines
    docs/<id>.html                  one page per document
    search-index.js                 the client-side search data (a script, not
                                    JSON: browsers refuse fetch() from file://)
    assets/viewer.css, viewer.js    shared by every page

Everything is relative, inline or local, so the folder works offline from the
file system. The bytes depend only on the records (stable order, no clock, no
absolute path), so the viewer can live inside a checksummed release.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache, partial
from html import escape
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, NamedTuple

import orjson
import pyarrow.parquet as pq

from ..errors import BuildError
from ..rows import read_records
from ..validate import CHECKSUMS, sha256_file
from ..versioning import record_digest, row_groups
from . import charts
from .render import attr, claim_summary, marks_of, markup, metadata_rows, origin_class

if TYPE_CHECKING:  # annotations only
    from ..cache import Cache

PAGE_SIZE = 200
GENERATOR = "news-edc viewer"
# Bump when what a cached page body holds changes meaning (the code itself is in the key).
PAGE_CACHE_FORMAT = "news-edc-viewer-page/2"
LAYERS = ("entities", "timexes", "claims")
LAYER_NAMES = {"entities": "entities", "timexes": "temporal expressions", "claims": "claims"}
_DOCUMENTS = Path("data") / "documents"
_SAFE_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
# How many distinct entity names of a document go into the search index: enough
# to find a document by who or what it is about, small enough for 10,000 documents.
_SEARCH_ENTITIES = 25
# Document pages per worker task: a task reads its bodies from the page cache, or decodes
# its row group (cheap) and turns only its documents into Python objects.
_RENDER_CHUNK = 100


class _Summary(NamedTuple):
    """What the index, its order and the search need of a record (kept for every document until the end).

    A tuple, not a dict: 20,000 of them are held at once (docs/scaling.md).
    """

    id: str
    source_file: str
    publisher: str
    published: str
    counts: tuple[int, ...]  # annotations per layer, in LAYERS order
    search: str  # what the search matches, as one string


@dataclass(frozen=True, slots=True)
class _Doc:
    """What the index, the search and the neighbours' links need of one document.

    ``summary`` is not the record: the index holds one per document, so it stays
    small; a document page gets the full record as it is read. The page name and
    the page cache key are derived when asked for, not stored.
    """

    summary: _Summary
    split: str
    number: int  # 1-based position in the index
    origins: str  # "gold", "silver", "gold+silver" or "—": who made its annotations
    title: str
    by_id: bool  # its page is named by its id (else by its number: an id unfit for a file name, or repeated)
    digest: bytes = b""  # its record's digest, when its page body is cached (see page_key)

    @property
    def page(self) -> str:
        """Its file name under docs/."""
        return f"{self.summary.id}.html" if self.by_id else f"doc-{self.number}.html"

    @property
    def key(self) -> str:
        """Its page body's key in the page cache ("" without a cache)."""
        return page_key(self.digest, self.split) if self.digest else ""

    @property
    def index_page(self) -> str:
        return _index_name((self.number - 1) // PAGE_SIZE + 1)


def _title(r: dict) -> str:
    return r.get("headline") or _snippet(r.get("text") or "", 90) or r.get("source_file") or r.get("id") or "?"


def _snippet(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _index_name(page: int) -> str:
    return "index.html" if page == 1 else f"index-{page}.html"


@cache
def _static(name: str) -> str:
    return (files(__package__) / "static" / name).read_text(encoding="utf-8")


def _summary(record: dict) -> _Summary:
    names = list(dict.fromkeys(str(e.get("canonical") or e.get("text")) for e in record.get("entities") or ()))
    words = [record.get(k) for k in ("source_file", "publisher", "byline", "dateline")] + list(record.get("topics") or ())
    return _Summary(
        str(record.get("id") or ""),
        record.get("source_file") or "",
        record.get("publisher") or "",
        record.get("published") or "",
        tuple(len(record.get(layer) or ()) for layer in LAYERS),
        " ".join(str(w) for w in [*words, *names[:_SEARCH_ENTITIES]] if w),
    )


@dataclass
class _Overview:
    """Counters over all documents, filled one record at a time (or merged from parts)."""

    stats: dict[str, Counter]
    mentions: Counter[date]  # how many resolved DATE/TIME values start on it
    published: Counter[date]  # how many documents were published on it

    @classmethod
    def empty(cls) -> _Overview:
        keys = ("layers", "labels", "types", "kinds", "publishers", "splits")
        return cls({k: Counter() for k in keys}, Counter(), Counter())

    def add(self, split: str, r: dict) -> None:
        s = self.stats
        s["splits"][split] += 1
        s["publishers"][r.get("publisher") or "(none)"] += 1
        for layer in LAYERS:
            for item in r.get(layer) or ():
                s["layers"][(layer, origin_class(item.get("origin")))] += 1
        for e in r.get("entities") or ():
            s["labels"][(str(e.get("label")), origin_class(e.get("origin")))] += 1
        for t in r.get("timexes") or ():
            s["types"][(str(t.get("type")), origin_class(t.get("origin")))] += 1
        for c in r.get("claims") or ():
            s["kinds"][(str(c.get("kind")), origin_class(c.get("origin")))] += 1
        for t in r.get("timexes") or ():
            if t.get("type") in ("DATE", "TIME"):
                start = charts.value_start(str(t.get("value") or ""))
                if start:
                    self.mentions[start] += 1
        start = charts.value_start(str(r.get("published") or "")[:10])
        if start:
            self.published[start] += 1

    def merge(self, other: _Overview) -> None:
        for key, counter in other.stats.items():
            self.stats[key].update(counter)
        self.mentions.update(other.mentions)
        self.published.update(other.published)


def _summarise_group(job: tuple[str, Path, int, bool]) -> tuple[list[tuple], _Overview]:
    """One row group's ``(split, summary, origins, title, digest or None)`` rows and overview counters.

    Run on the build's workers: the records are read and turned into Python objects
    there, and only the small summaries reach the main process (see :func:`_load`).
    """
    split, path, group, with_digest = job
    overview = _Overview.empty()
    rows = []
    for record in read_records(pq.ParquetFile(path), group):
        overview.add(split, record)
        digest = record_digest(record) if with_digest else None
        rows.append((split, _summary(record), _origins(record), _title(record), digest))
    return rows, overview


def _load(
    release: Path,
    keyed: bool = False,
    digests: Mapping[str, bytes] | None = None,
    map_groups: Callable | None = None,
) -> tuple[list[_Doc], list[int], _Overview]:
    """The documents in a stable order (split, publication date, id), and the counters of the overview.

    Args:
        keyed: give each document its page cache key (:func:`page_key`).
        digests: record id -> :func:`~dataset_builder.versioning.record_digest` of every
            record, when the caller knows them (the build does); else they are computed.
        map_groups: an order-keeping ``map`` over row groups, e.g. the build's worker pool.
            The main process then receives only the summaries: turning every record into
            Python objects there left its heap fragmented around the summaries kept, so
            its memory grew with the corpus (docs/scaling.md). Default: the built-in ``map``.

    Returns:
        The documents in index order; for each record in file order, its
        position in that order; the overview counters.
    """
    jobs = [(split, path, group, keyed and digests is None) for split, path, group in row_groups(release)]
    rows: list[tuple[str, _Summary, str, str, bytes]] = []
    overview = _Overview.empty()
    for group_rows, group_overview in (map_groups or map)(_summarise_group, jobs):
        overview.merge(group_overview)
        for split, summary, origins, title, digest in group_rows:
            if keyed and digest is None:
                digest = digests[summary.id]
            # one object for each of the few values these take, not one per document
            split, origins = sys.intern(split), sys.intern(origins)
            rows.append((split, summary, origins, title, digest if keyed else b""))
    order = sorted(
        range(len(rows)), key=lambda i: (rows[i][0], rows[i][1].published, rows[i][1].id, rows[i][1].source_file)
    )
    docs, used = [], set()
    for n, i in enumerate(order, 1):
        split, summary, origins, title, digest = rows[i]
        ident = summary.id
        # Ids are hex digests; anything else (or a duplicate) gets a numbered name.
        by_id = bool(_SAFE_NAME.fullmatch(ident)) and ident not in used
        used.add(ident)
        docs.append(_Doc(summary, split, n, origins, title, by_id, digest))
    position = [0] * len(rows)
    for n, i in enumerate(order):
        position[i] = n
    return docs, position, overview


def _page(title: str, body: str, root: str = "", body_class: str = "") -> bytes:
    html = _template().substitute(title=escape(title), body=body, root=root, body_class=body_class, generator=GENERATOR)
    return html.encode("utf-8")


@cache
def _template() -> Template:
    return Template(_static("page.html"))


def _origins(record: dict) -> str:
    found = {origin_class(item.get("origin")) for layer in LAYERS for item in record.get(layer) or ()}
    return "+".join(o for o in ("gold", "silver") if o in found) or "—"


# --- document pages ---------------------------------------------------------------------


_CONTROLS = """<div class="controls" role="group" aria-label="filters">
<span class="group">Layers:
<label><input type="checkbox" data-hide="hide-entities" checked> <span class="sw sw-ent"></span>entities</label>
<label><input type="checkbox" data-hide="hide-timexes" checked> <span class="sw sw-tx"></span>temporal</label>
<label><input type="checkbox" data-hide="hide-claims" checked> <span class="sw sw-cl"></span>claims</label></span>
<span class="group">Origin:
<label><input type="checkbox" data-hide="hide-gold" checked> gold</label>
<label><input type="checkbox" data-hide="hide-silver" checked> silver</label></span>
<span class="group"><label><input type="checkbox" data-hide="hide-badges" checked>
labels &amp; values inline</label></span>
</div>"""


def _span_text(span: dict | None) -> str:
    return escape(span["text"]) if span else "<em>none</em>"


def _claim_item(i: int, c: dict) -> str:
    org = origin_class(c.get("origin"))
    parts = c.get("content_parts") or [c.get("content")]
    content = ' <span class="gap">…</span> '.join(f'<mark class="content">{_span_text(p)}</mark>' for p in parts if p)
    source = _span_text(c.get("source"))
    canonical = c.get("source_canonical")
    if canonical and (not c.get("source") or canonical != c["source"]["text"]):
        source += f' <span class="canon">({escape(canonical)})</span>'
    via = f'<span class="via">via {escape(c["via"])}</span>' if c.get("via") else ""
    return (
        f'<li class="claim-item {org}" data-i="{i}" data-origin="{org}" title="{attr(claim_summary(c))}">'
        f'<a class="num" href="#cl-{i}">C{i + 1}</a> '
        f'<span class="src">{source}</span> <span class="arrow">→</span> '
        f'<span class="cue">{_span_text(c.get("cue"))}</span> <span class="arrow">→</span> {content} '
        f'<span class="tags"><span class="tag">{escape(c.get("kind") or "")}</span>{via}'
        f'<span class="tag {org}">{escape(c.get("origin") or "")}</span></span></li>\n'
    )


def _layer_table(layer: str, items: list[dict]) -> str:
    if layer == "entities":
        head = ("text", "label", "canonical", "kb_id", "origin")
    else:
        head = ("text", "type", "value", "mod", "origin")
    anchor = "ent" if layer == "entities" else "tx"
    rows = []
    for i, it in enumerate(items):
        html = "".join([f"<td>{escape(str(it.get(k) or ''))}</td>" for k in head])
        rows.append(
            f'<tr class="{origin_class(it.get("origin"))}"><td><a href="#{anchor}-{i}">{i + 1}</a></td>{html}</tr>\n'
        )
    return (
        f'<details class="layer-table"><summary>{len(items)} {LAYER_NAMES[layer]}</summary>'
        f"<table><thead><tr><th>#</th>{''.join(f'<th>{h}</th>' for h in head)}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></details>"
    )


def _doc_body(doc: _Doc, r: dict) -> str:
    """A document page below its navigation links: a function of the record and its split alone."""
    text = r.get("text") or ""
    labels = sorted({str(e.get("label")) for e in r.get("entities") or ()})
    legend = "".join(
        f'<span class="chip" style="--c:{charts.label_colour(lab)}">{escape(lab)}</span>' for lab in labels
    )
    meta = "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in metadata_rows(r, doc.split))
    counts = " · ".join(f"{len(r.get(layer) or ())} {LAYER_NAMES[layer]}" for layer in LAYERS)
    claims = r.get("claims") or []
    claim_list = "".join(_claim_item(i, c) for i, c in enumerate(claims)) or '<li class="none">no claims</li>'
    return (
        f"<h1>{escape(doc.title)}</h1>\n"
        f'<p class="counts">{counts} · origin: {escape(doc.origins)}</p>'
        f'<dl class="meta">{meta}</dl>\n'
        f"{_CONTROLS}\n"
        f'<div class="legend">{legend}<span class="chip tx-chip">temporal expression</span>'
        '<span class="chip cl-chip">claim content</span><span class="chip src-chip">source</span>'
        '<span class="chip cue-chip">cue</span></div>'
        f'<article class="doc-text" id="text">{markup(text, marks_of(r))}</article>\n'
        f'<section class="claims"><h2>Claims ({len(claims)})</h2><p class="hint">source → cue → '
        f'<mark class="content">content</mark></p><ol class="claim-list">{claim_list}</ol></section>'
        f'<section class="layers">{_layer_table("entities", r.get("entities") or [])}'
        f"{_layer_table('timexes', r.get('timexes') or [])}</section>"
    )


def _doc_page(doc: _Doc, prev: _Doc | None, nxt: _Doc | None, body: bytes) -> bytes:
    nav = [f'<a href="../{doc.index_page}#doc-{doc.number}">↑ index</a>']
    if prev:
        nav.append(f'<a rel="prev" href="{prev.page}">← {escape(_snippet(prev.title, 40))}</a>')
    if nxt:
        nav.append(f'<a rel="next" href="{nxt.page}">{escape(_snippet(nxt.title, 40))} →</a>')
    return _page(doc.title, f'<nav class="top">{" · ".join(nav)}</nav>\n{body.decode("utf-8")}', root="../", body_class="doc")


# --- index pages ------------------------------------------------------------------------


def _rows(counter: Counter, order: Iterable[str] | None = None) -> list[tuple[str, dict[str, int]]]:
    """``(name, {origin: n})`` rows, biggest first (ties by name) unless an order is given."""
    names = {k for k, _ in counter}
    totals = {n: counter[(n, "gold")] + counter[(n, "silver")] for n in names}
    keys = [k for k in order if k in names] if order else sorted(names, key=lambda n: (-totals[n], n))
    return [(n, {"gold": counter[(n, "gold")], "silver": counter[(n, "silver")]}) for n in keys]


def _overview(docs: list[_Doc], overview: _Overview) -> str:
    s = overview.stats
    cards = [("documents", len(docs))] + [
        (LAYER_NAMES[layer], s["layers"][(layer, "gold")] + s["layers"][(layer, "silver")]) for layer in LAYERS
    ]
    card_html = "".join(f'<div class="card"><b>{n}</b><span>{escape(k)}</span></div>' for k, n in cards)
    splits = ", ".join(f"{escape(k)}: {n}" for k, n in sorted(s["splits"].items()))
    publishers = Counter(dict(s["publishers"].most_common()))
    top = sorted(publishers.items(), key=lambda kv: (-kv[1], kv[0]))[:12]
    mentions, published = overview.mentions, overview.published
    figures = [
        charts.bar_chart("Annotations per layer", _rows(s["layers"], LAYERS)),
        charts.bar_chart("Entities per label", _rows(s["labels"]), row_colour=charts.LABEL_COLOURS),
        charts.bar_chart("Temporal expressions per type", _rows(s["types"], ("DATE", "TIME", "DURATION", "SET"))),
        charts.bar_chart("Claims per kind", _rows(s["kinds"], ("direct", "indirect", "mixed"))),
        charts.bar_chart(
            "Documents per publisher (top 12)",
            [(k, {"documents": n}) for k, n in top],
            series=("documents",),
            colours={"documents": charts.LAYER_COLOURS["entities"]},
        ),
    ]
    return (
        f'<section class="overview"><div class="cards">{card_html}</div><p class="splits">splits: {splits}</p>'
        f'<div class="charts">{"".join(f"<figure>{f}</figure>" for f in figures)}</div>'
        f'<figure class="wide">{charts.timeline(mentions.elements(), published.elements())}</figure></section>'
    )


def _pager(page: int, pages: int) -> str:
    if pages <= 1:
        return ""
    # A window of pages around the current one keeps the bar short at 10,000+ documents.
    shown = sorted({1, pages, *range(max(1, page - 4), min(pages, page + 4) + 1)})
    out, last = [], 0
    if page > 1:
        out.append(f'<a rel="prev" href="{_index_name(page - 1)}">← prev</a>')
    for p in shown:
        if p - last > 1:
            out.append('<span class="gap">…</span>')
        out.append(f'<span class="cur">{p}</span>' if p == page else f'<a href="{_index_name(p)}">{p}</a>')
        last = p
    if page < pages:
        out.append(f'<a rel="next" href="{_index_name(page + 1)}">next →</a>')
    return f'<nav class="pager" aria-label="pages">{" ".join(out)}</nav>'


_TABLE_HEAD = (
    "<thead><tr><th>#</th><th>document</th><th>publisher</th><th>published</th><th>split</th>"
    '<th class="n">entities</th><th class="n">timexes</th><th class="n">claims</th><th>origin</th></tr></thead>'
)


def _doc_row(d: _Doc) -> str:
    r = d.summary
    n = r.counts
    return (
        f'<tr id="doc-{d.number}"><td class="n">{d.number}</td>'
        f'<td><a href="docs/{d.page}">{escape(_snippet(d.title, 110))}</a><br><code>{escape(r.id)}'
        f"</code></td><td>{escape(r.publisher)}</td>"
        f'<td class="d">{escape(r.published[:16])}</td>'
        f'<td>{escape(d.split)}</td><td class="n">{n[0]}</td><td class="n">{n[1]}</td><td class="n">{n[2]}</td>'
        f"<td>{escape(d.origins)}</td></tr>\n"
    )


def _index_page(docs: list[_Doc], page: int, pages: int, title: str, head: str) -> bytes:
    chunk = docs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    first, last = (chunk[0].number, chunk[-1].number) if chunk else (0, 0)
    search = (
        '<div class="search"><input id="search" type="search" autocomplete="off" '
        'placeholder="search all documents: headline, publisher, topic, entity, id…" '
        'aria-label="search documents" data-index="search-index.js"> <span id="search-status"></span></div>'
        f'<table id="results" class="docs" hidden>{_TABLE_HEAD}<tbody></tbody></table>'
    )
    body = (
        f"<h1>{escape(title)}</h1>{head}"
        f'<section class="documents"><h2>Documents {first}–{last} of {len(docs)}</h2>{search}'
        f'<div id="listing">{_pager(page, pages)}'
        f'<table class="docs">{_TABLE_HEAD}<tbody>\n{"".join(_doc_row(d) for d in chunk)}</tbody></table>'
        f"{_pager(page, pages)}</div></section>"
    )
    return _page(title if page == 1 else f"{title} · page {page}", body, body_class="index")


def _search_index(docs: list[_Doc]) -> Iterator[bytes]:
    """``search-index.js`` in pieces, a document a piece: the viewer's largest file (10 MB at
    20,000 documents) is written as it is made, never held whole (a growing buffer of it was
    the top of the build's peak memory; per-document pieces joined at the end, four times more)."""
    yield b"window.NEWS_EDC_INDEX=["
    for n, d in enumerate(docs):
        r = d.summary
        yield (b"," if n else b"") + orjson.dumps(
            [d.number, "docs/" + d.page, _snippet(d.title, 110), r.id, r.publisher,
             r.published[:16], d.split, *r.counts, d.origins, r.search]
        )  # fmt: skip
    yield b"];\n"


# --- baselines --------------------------------------------------------------------------


def _walk(obj: object, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str, object]]:
    """Leaves of a scores report: ``(path, kind, value)``; kind is ``prf``, ``num`` or ``text``."""
    if isinstance(obj, dict):
        if {"precision", "recall", "f1"} <= obj.keys():
            yield path, "prf", obj
            return
        for key, value in obj.items():
            yield from _walk(value, (*path, str(key)))
    elif isinstance(obj, bool) or obj is None:
        yield path, "text", "not predicted" if obj is None else str(obj).lower()
    elif isinstance(obj, int | float):
        yield path, "num", obj
    elif isinstance(obj, list | tuple):
        yield path, "text", ", ".join(map(str, obj[:10])) + (" …" if len(obj) > 10 else "")
    else:
        yield path, "text", str(obj)


def _fmt(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else escape(str(value))


def _baselines(baselines: dict) -> str:
    """A table comparing baselines, rendered generically from ``{name: evaluate() report}``.

    A single report (with ``documents`` or a layer key at the top) is shown as one
    baseline. P/R/F1 dicts become score rows; other numbers and texts a second table;
    per-label scores a collapsed third one.
    """
    if not baselines:
        return ""
    if {"documents", *LAYERS} & baselines.keys():
        baselines = {"baseline": baselines}
    names = list(baselines)
    leaves = {name: {p: (k, v) for p, k, v in _walk(rep)} for name, rep in baselines.items()}
    paths: dict[tuple[str, ...], str] = {}
    for name in names:
        for p, (k, _) in leaves[name].items():
            paths.setdefault(p, k)
    cols = "".join(f'<th colspan="3">{escape(n)}</th>' for n in names)
    sub = "".join('<th class="n">P</th><th class="n">R</th><th class="n">F1</th>' for _ in names)

    def score_rows(keep) -> str:
        rows = []
        for p, kind in paths.items():
            if kind != "prf" or not keep(p):
                continue
            cells = []
            for n in names:
                k, v = leaves[n].get(p, (None, None))
                if k != "prf":
                    # A layer this baseline does not predict is a None leaf above the metric.
                    why = next((leaves[n][p[:j]][1] for j in range(len(p), 0, -1) if p[:j] in leaves[n]), "—")
                    cells.append(f'<td class="n" colspan="3">{escape(str(why))}</td>')
                    continue
                tip = attr(f"tp {v.get('tp', '?')} · gold {v.get('gold', '?')} · pred {v.get('pred', '?')}")
                cells.append(
                    "".join(f'<td class="n" title="{tip}">{_fmt(v[m])}</td>' for m in ("precision", "recall", "f1"))
                )
            rows.append(f"<tr><th>{escape(' · '.join(p))}</th>{''.join(cells)}</tr>")
        return "".join(rows)

    def table(rows: str) -> str:
        return (
            f'<table class="scores"><thead><tr><th></th>{cols}</tr><tr><th>metric</th>{sub}</tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )

    others = []
    for p, kind in paths.items():
        if kind == "prf":
            continue
        cells = "".join(f'<td class="n">{_fmt(leaves[n][p][1]) if p in leaves[n] else "—"}</td>' for n in names)
        others.append(f"<tr><th>{escape(' · '.join(p))}</th>{cells}</tr>")
    main = score_rows(lambda p: "per_label" not in p)
    per_label = score_rows(lambda p: "per_label" in p)
    out = f'<section class="baselines"><h2>Baseline scores</h2>{table(main)}'
    if per_label:
        out += f"<details><summary>per label</summary>{table(per_label)}</details>"
    if others:
        head = "".join(f"<th>{escape(n)}</th>" for n in names)
        out += (
            f'<details><summary>counts and accuracies</summary><table class="scores"><thead><tr><th></th>{head}'
            f"</tr></thead><tbody>{''.join(others)}</tbody></table></details>"
        )
    return out + "</section>"


# --- writing ----------------------------------------------------------------------------


def _release_name(release: Path) -> str:
    # The build writes into a temporary sibling ".<version>.tmp-XXXX" and renames
    # it; strip that so the viewer bytes do not depend on the temporary name.
    name = release.resolve().name
    return re.sub(r"\.tmp-[^.]*$", "", name.lstrip("."))


def page_key(digest: bytes, split: str) -> str:
    """The cache key of a document page's body: the record (its digest), its split, and the code that renders it."""
    from ..cache import code_fingerprint

    parts = [PAGE_CACHE_FORMAT, code_fingerprint(), split, digest.hex()]
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


_PageJob = tuple[Path, int, int, list[tuple[_Doc, _Doc | None, _Doc | None]]]


def _page_jobs(release: Path, docs: list[_Doc], position: list[int], chunk: int | None) -> Iterator[_PageJob]:
    """Every document page as jobs for :func:`_page_files`, in file order: ``(shard, row group,
    first row, [(document, previous, next)])``, at most ``chunk`` documents a job (None: a row group)."""
    i = 0  # the record's number in file order
    for _, path, group in row_groups(release):
        rows = pq.ParquetFile(path).metadata.row_group(group).num_rows
        pages = []
        for n in position[i : i + rows]:
            pages.append((docs[n], docs[n - 1] if n else None, docs[n + 1] if n + 1 < len(docs) else None))
        i += rows
        size = chunk or rows or 1
        for first in range(0, rows, size):
            yield path, group, first, pages[first : first + size]


def _page_files(job: _PageJob, page_cache: Cache | None) -> list[tuple[str, bytes]]:
    """The pages of one job: each body from the page cache, else rendered from its record (and stored).

    Run on the build's workers; the records are read only when a body is missing.
    """
    path, group, first, pages = job
    bodies = [page_cache.get_bytes(doc.key) if page_cache is not None else None for doc, _, _ in pages]
    if None in bodies:
        records = read_records(pq.ParquetFile(path), group, first, len(pages))
        for k, ((doc, _, _), record) in enumerate(zip(pages, records, strict=True)):
            if bodies[k] is None:
                bodies[k] = _doc_body(doc, record).encode("utf-8")
                if page_cache is not None:
                    page_cache.put_bytes(doc.key, bodies[k])
    return [(f"docs/{doc.page}", _doc_page(doc, prev, nxt, body)) for (doc, prev, nxt), body in zip(pages, bodies, strict=True)]


def _write_page_files(job: _PageJob, folder: Path, page_cache: Cache | None) -> int:
    """Write the pages of one job into the viewer folder ``folder`` (on the build's workers)."""
    return _write_files(_page_files(job, page_cache), folder)


def render(
    release: Path,
    baselines: dict | None = None,
    map_pages: Callable | None = None,
    page_cache: Cache | None = None,
    digests: Mapping[str, bytes] | None = None,
) -> Iterator[tuple[str, bytes]]:
    """Every file of the viewer of ``release`` as ``(relative path, bytes)``, in a fixed order.

    Args:
        release: a release folder (``data/documents/*.parquet``).
        baselines: optional ``{baseline name: evaluate() report}`` for the scores table.
        map_pages: an order-keeping ``map(function, iterable, batch_size=...)`` to read the
            records and render the document pages with: the build's worker pool
            (:meth:`~dataset_builder.parallel.Runner.ordered_map`). Default: the built-in ``map``.
        page_cache: the cache of rendered page bodies (the build's ``<cache>/viewer``), keyed by
            :func:`page_key`, so an unchanged document's page is not rendered again; None: no cache.
        digests: record id -> record digest, known to the caller (the build): saves
            digesting every record again for its key.

    Yields:
        ``(posix path relative to the viewer folder, file content)``.
    """
    return _files(release, baselines, map_pages, page_cache, digests)


def _files(
    release: Path,
    baselines: dict | None,
    map_pages: Callable | None,
    page_cache: Cache | None,
    digests: Mapping[str, bytes] | None,
    pages_into: Path | None = None,
) -> Iterator[tuple[str, bytes | Iterator[bytes]]]:
    """:func:`render`; with ``pages_into``, the document pages are written into that folder
    where they are made (on the workers) instead of being yielded, and the search index
    comes in pieces."""
    map_groups = partial(map_pages, batch_size=1) if map_pages is not None else None  # a job a task
    docs, position, overview = _load(release, keyed=page_cache is not None, digests=digests, map_groups=map_groups)
    title = f"news-edc {_release_name(release)}"
    css = _static("viewer.css") + "".join(
        f'.ann.ent[data-label="{lab}"]{{--c:{colour}}}\n' for lab, colour in charts.LABEL_COLOURS.items()
    )
    yield "assets/viewer.css", css.encode("utf-8")
    yield "assets/viewer.js", _static("viewer.js").encode("utf-8")
    search = _search_index(docs)  # streamed into its file when written here, else joined
    yield "search-index.js", (search if pages_into is not None else b"".join(search))
    pages = max(1, -(-len(docs) // PAGE_SIZE))
    head = _overview(docs, overview) + _baselines(baselines or {})
    for page in range(1, pages + 1):
        yield _index_name(page), _index_page(docs, page, pages, title, head if page == 1 else "")
    # A row group a job in this process; on workers, shared out in chunks (each decodes its group).
    jobs = _page_jobs(release, docs, position, _RENDER_CHUNK if map_groups is not None else None)
    if pages_into is None:
        for files in (map_groups or map)(partial(_page_files, page_cache=page_cache), jobs):
            yield from files
        return
    for _ in (map_groups or map)(partial(_write_page_files, folder=pages_into, page_cache=page_cache), jobs):
        pass


def _is_viewer(folder: Path) -> bool:
    index = folder / "index.html"
    return (
        index.is_file()
        and f'<meta name="generator" content="{GENERATOR}">'
        in index.read_text(encoding="utf-8", errors="replace")[:2000]
    )


def _unchanged_in_published(release: Path, out: Path, baselines: dict | None) -> bool:
    """Whether ``out`` is the viewer of a checksummed release, byte for byte as it would be written.

    A published release is never rewritten (see release.py): rewriting its viewer
    with the very same bytes is a no-op (True), anything else is an error.
    ``out`` outside the release, or a release without checksums, gives False.

    Raises:
        BuildError: ``out`` is inside a checksummed release and would change.
    """
    sums = release / CHECKSUMS
    try:
        prefix = out.resolve().relative_to(release.resolve()).as_posix()
    except ValueError:
        return False
    if not sums.is_file():
        return False
    listed = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if name.startswith(prefix + "/"):
            listed[name[len(prefix) + 1 :]] = digest
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        _write_files(render(release, baselines), fresh)
        made = {p.relative_to(fresh).as_posix(): sha256_file(p) for p in fresh.rglob("*") if p.is_file()}
    if made != listed:
        raise BuildError(
            f"{out} is inside the published release {release} (files listed in {CHECKSUMS}) and would change; "
            "a release is never rewritten: write the viewer elsewhere with --out DIR"
        )
    return True


def _write_files(items: Iterable[tuple[str, bytes | Iterable[bytes]]], folder: Path) -> int:
    """Write ``(relative path, content)`` items; a content may be an iterable of pieces, written as they come."""
    n, made = 0, set()
    for rel, data in items:
        path = folder / rel
        if path.parent not in made:  # one mkdir per folder, not per file: 10,000 pages
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        with open(path, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                handle.writelines(data)
        n += 1
    return n


def write_viewer(
    release: Path,
    out: Path | None = None,
    baselines: dict | None = None,
    map_pages: Callable | None = None,
    page_cache: Cache | None = None,
    digests: Mapping[str, bytes] | None = None,
) -> Path:
    """Write the static HTML viewer and statistics report of a release.

    Args:
        release: the release folder (its ``data/documents/*.parquet`` are read).
        out: the viewer folder (default ``<release>/viewer``). An existing viewer
            there is replaced; any other non-empty folder is refused.
        baselines: optional ``{baseline name: dataset_builder.evaluate report}``
            shown as a scores table on the index page.
        map_pages: an order-keeping ``map`` for the document pages (see :func:`render`).
        page_cache: the cache of rendered page bodies (see :func:`render`).
        digests: record id -> record digest, known to the caller (see :func:`render`).

    Returns:
        The viewer folder; open ``<out>/index.html`` in a browser.

    Raises:
        BuildError: no records in ``release``; ``out`` is a non-empty folder that
            is not a viewer; or ``out`` lies in a checksummed (published) release
            and the viewer would change.
    """
    release = Path(release)
    out = Path(out) if out is not None else release / "viewer"
    if not any((release / _DOCUMENTS).glob("*.parquet")):
        raise BuildError(f"{release}: no {_DOCUMENTS.as_posix()}/*.parquet (is it a release folder?)")
    if out.exists() and any(out.iterdir()) and not _is_viewer(out):
        raise BuildError(f"{out} exists and is not a viewer folder; choose an empty or new --out DIR")
    if _unchanged_in_published(release, out, baselines):
        return out
    # Written beside its final place and renamed into it, so a crash never
    # leaves half a viewer (or a mix of an old and a new one).
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        _write_files(_files(release, baselines, map_pages, page_cache, digests, pages_into=tmp), tmp)
        os.chmod(tmp, 0o755)  # mkdtemp makes it 0700; a viewer is meant to be read
        if out.exists():
            shutil.rmtree(out)
        os.rename(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out
