"""Real-world container formats: HTML pages and JSON Lines dumps.

- HTML: ``trafilatura`` finds the main text (boilerplate, navigation, captions
  and bylines removed) and the page metadata (title, author, site name, date
  via ``htmldate``, canonical URL, tags). The text then goes through the same
  cleaner as a ``.txt`` dump.
- JSONL: one article per line, ``{"text": …}`` (or ``{"html": …}``) with optional
  metadata fields. Each line is its own article; a bad line is rejected alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..errors import Rejected

# Dates only from the page's metadata (meta tags, JSON-LD, <time>), not guessed
# from the running text; max_date far ahead so htmldate never compares with the
# build day (the future-date check is ours, and the output must not depend on
# the day of the build).
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "max_date": "2099-12-31"}

# JSONL fields read as metadata, with the names crawlers commonly use for them.
JSONL_FIELDS = {
    "published": ("published", "date", "published_at", "publication_date", "dct"),
    "updated": ("updated", "modified", "updated_at"),
    "headline": ("headline", "title"),
    "url": ("url", "link"),
    "publisher": ("publisher", "source", "sitename", "site_name"),
    "byline": ("byline", "author", "authors"),
    "topics": ("topics", "tags", "keywords"),
    "language": ("language", "lang"),
}


@dataclass(frozen=True, slots=True)
class Page:
    """The article part of an HTML page or a JSONL line, before cleaning.

    Attributes:
        text: the article text, one paragraph per line.
        headline, published, updated, url, publisher, byline, topics, language:
            metadata when the source gives it (None / empty when not).
    """

    text: str
    headline: str | None = None
    published: str | None = None
    updated: str | None = None
    url: str | None = None
    publisher: str | None = None
    byline: str | None = None
    topics: tuple[str, ...] = ()
    language: str | None = None


def looks_like_html(text: str) -> bool:
    """True for a saved web page (a crawler may save one under ``.txt``)."""
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in text[:5000].lower()


def extract_html(html: str, name: str) -> Page:
    """Main text and metadata of an HTML page.

    Raises:
        Rejected: trafilatura finds no main text.
    """
    import trafilatura  # heavy import, only when a page is read

    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,  # reader comments are not the article
        include_tables=False,
        include_images=False,
        favor_precision=True,  # furniture left in is worse than a missed line
        date_extraction_params=_DATE_PARAMS,
    )
    if doc is None or not (doc.text or "").strip():
        raise Rejected(name, "HTML page without main text (trafilatura found no article body)")
    tags = tuple(t for t in (*(doc.categories or ()), *(doc.tags or ())) if t)
    return Page(
        text=doc.text,
        headline=doc.title or None,
        published=doc.date or None,
        url=doc.url or None,
        publisher=doc.sitename or None,
        byline=doc.author or None,
        topics=tuple(dict.fromkeys(tags)),
        language=doc.language or None,
    )


def jsonl_lines(path: Path, max_bytes: int) -> Iterator[tuple[int, bytes | int]]:
    """Numbered lines of a JSONL file, streamed (a huge file is never read whole).

    Yields:
        ``(line_number, content)`` with the line's bytes (without the line end),
        or ``(line_number, size)`` for a line over ``max_bytes`` (not kept in memory).
        Blank lines are skipped.
    """
    with path.open("rb") as handle:
        number = 0
        while True:
            line = handle.readline(max_bytes + 2)  # + CR LF
            if not line:
                return
            number += 1
            if not line.endswith(b"\n") and len(line) == max_bytes + 2:
                yield number, len(line) + _skip_rest_of_line(handle)
                continue
            content = line.rstrip(b"\r\n")
            if len(content) > max_bytes:
                yield number, len(content)
            elif content.strip():
                yield number, content


def _skip_rest_of_line(handle: IO[bytes]) -> int:
    size = 0
    while True:
        chunk = handle.readline(1 << 20)
        size += len(chunk.rstrip(b"\r\n"))
        if not chunk or chunk.endswith(b"\n"):
            return size


def parse_jsonl_line(content: bytes, name: str, first: bool) -> Page:
    """One JSONL line as a :class:`Page`.

    Args:
        content: the line's bytes.
        name: ``file.jsonl:LINE``, for rejections.
        first: the file's first line (may start with a UTF-8 BOM).

    Raises:
        Rejected: not UTF-8, not JSON, not an object, no text, or a field of the wrong type.
    """
    try:
        line = content.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError as err:
        raise Rejected(name, f"not UTF-8 (byte {err.start}: {err.reason}); JSON Lines are UTF-8") from None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise Rejected(name, f"not valid JSON ({err.msg} at column {err.colno})") from None
    if not isinstance(obj, dict):
        raise Rejected(name, f"a JSON {type(obj).__name__}, expected an object with a 'text' field")
    body, html = obj.get("text"), obj.get("html")
    if body is None and html is None:
        raise Rejected(name, "no 'text' (or 'html') field")
    for key, value in (("text", body), ("html", html)):
        if value is not None and not isinstance(value, str):
            raise Rejected(name, f"field {key!r} must be a string, not {type(value).__name__}")
    meta: dict[str, object] = {}
    for field_name, keys in JSONL_FIELDS.items():
        key = next((k for k in keys if obj.get(k) not in (None, "", [])), None)
        if key is None:
            continue
        value = obj[key]
        if field_name in ("topics", "byline") and isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                raise Rejected(name, f"field {key!r} must be a string or a list of strings")
            value = tuple(v.strip() for v in value if v.strip())
            if field_name == "byline":
                value = ", ".join(value) or None
        elif not isinstance(value, str):
            raise Rejected(name, f"field {key!r} must be a string, not {type(value).__name__}")
        elif field_name == "topics":
            value = tuple(v.strip() for v in value.split(",") if v.strip())
        meta[field_name] = value
    if body is None or not body.strip():
        if not (html or "").strip():
            raise Rejected(name, "empty 'text' field")
        page = extract_html(html, name)
        return Page(**{**_page_fields(page), **meta, "text": page.text})
    return Page(text=body, **meta)


def _page_fields(page: Page) -> dict[str, object]:
    return {f: getattr(page, f) for f in page.__dataclass_fields__}
