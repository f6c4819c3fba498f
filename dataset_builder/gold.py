"""Gold (human-verified) annotations: loading, schema check and re-anchoring.

Each gold span stores its offsets *and* a TextQuoteSelector (exact text plus up
to 32 code points of prefix and suffix, as in the W3C Web Annotation model).
When a change to the cleaner shifts the text, :func:`anchor` finds the span
again from its quote; a span that cannot be found exactly once is a build error
naming the file, the span and why — gold is never silently dropped or moved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError, OffsetError
from .records import Claim, Entity, Span, Timex
from .schema import iter_problems

GOLD = "gold"
CONTEXT = 32  # code points of prefix / suffix stored with each span


@dataclass(frozen=True, slots=True)
class GoldLayers:
    source_file: str
    path: Path
    entities: tuple[Entity, ...]
    timexes: tuple[Timex, ...]
    claims: tuple[Claim, ...]


def load_gold_files(folder: Path | None) -> dict[str, dict]:
    """Schema-checked gold files of ``folder``, keyed by the source file they annotate."""
    if folder is None or not folder.is_dir():
        return {}
    found: dict[str, dict] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            raise BuildError(f"{path}: not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None
        problems = list(iter_problems(data, "annotations.schema.json"))
        if problems:
            raise BuildError(f"{path}: does not conform to annotations.schema.json:\n  " + "\n  ".join(problems))
        data["_path"] = path
        found[data["source_file"]] = data
    return found


def quote(text: str, start: int, end: int) -> dict:
    """The anchor of ``[start, end)``: offsets plus a TextQuoteSelector."""
    return {
        "start": start,
        "end": end,
        "text": text[start:end],
        "prefix": text[max(0, start - CONTEXT) : start],
        "suffix": text[end : end + CONTEXT],
    }


def anchor(text: str, a: dict, where: str) -> Span:
    """Find a stored span in ``text``: at its offsets, else by its quote.

    Raises:
        OffsetError: the quote is not found exactly once.
    """
    exact, start = a["text"], a["start"]
    if text[start : a["end"]] == exact:
        return Span(start, a["end"], exact)
    # Re-anchor: the quote with as much context as still matches uniquely.
    for size in (CONTEXT, 16, 8, 0):
        prefix, suffix = a["prefix"][len(a["prefix"]) - min(size, len(a["prefix"])) :], a["suffix"][:size]
        needle = prefix + exact + suffix
        hits = _find_all(text, needle)
        if len(hits) == 1:
            begin = hits[0] + len(prefix)
            return Span(begin, begin + len(exact), exact)
        if len(hits) > 1 and size == CONTEXT:
            break
    count = len(_find_all(text, exact))
    why = "not found in the text" if count == 0 else f"found {count} times and the context does not decide"
    raise OffsetError(f"{where}: cannot re-anchor {exact!r} (stored at {start}:{a['end']}): {why}")


def _find_all(text: str, needle: str) -> list[int]:
    hits, i = [], text.find(needle)
    while i != -1:
        hits.append(i)
        i = text.find(needle, i + 1)
    return hits


def gold_layers(data: dict, text: str) -> GoldLayers:
    """Anchor every span of one gold file in ``text`` and build the gold layers."""
    path: Path = data["_path"]

    def at(a: dict, what: str) -> Span:
        return anchor(text, a, f"{path.name}: {what}")

    entities = []
    for i, e in enumerate(data["entities"]):
        s = at(e, f"entities[{i}]")
        entities.append(Entity(s.start, s.end, s.text, e["label"], e["canonical"], GOLD, e.get("kb_id")))
    timexes = []
    for i, t in enumerate(data["timexes"]):
        s = at(t, f"timexes[{i}]")
        timexes.append(Timex(s.start, s.end, s.text, t["type"], t["value"], GOLD, t.get("mod")))
    claims = []
    for i, c in enumerate(data["claims"]):
        claims.append(
            Claim(
                content=at(c["content"], f"claims[{i}].content"),
                cue=at(c["cue"], f"claims[{i}].cue"),
                kind=c["kind"],
                origin=GOLD,
                source=at(c["source"], f"claims[{i}].source") if c.get("source") else None,
                source_canonical=c.get("source_canonical"),
                content_parts=tuple(at(p, f"claims[{i}].content_parts[{j}]") for j, p in enumerate(c.get("content_parts", []))),
                via=c.get("via"),
            )
        )
    return GoldLayers(
        data["source_file"],
        path,
        tuple(sorted(entities, key=lambda e: (e.start, e.end))),
        tuple(sorted(timexes, key=lambda t: (t.start, t.end))),
        tuple(sorted(claims, key=lambda c: (c.content.start, c.content.end))),
    )
