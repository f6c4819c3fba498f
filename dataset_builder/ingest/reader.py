"""Raw article files -> :class:`~dataset_builder.records.Article`, or a precise rejection."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from ..errors import Rejected
from ..records import Article
from .clean import NoDate, clean
from .dates import ImpossibleDate

SUFFIXES = (".txt",)


def article_id(raw: bytes) -> str:
    """First 16 hex digits of the SHA-256 of the file's bytes: the same article, the same id."""
    return hashlib.sha256(raw).hexdigest()[:16]


def list_sources(folder: Path) -> list[Path]:
    """Every file in ``folder`` (sorted by name, so the build order is stable).

    Files of other types are returned too: the build rejects them with a reason
    instead of skipping them silently.
    """
    return sorted((p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")), key=lambda p: p.name)


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text (a BOM is dropped); anything else is rejected with the reason."""
    if not raw.strip():
        raise Rejected(name, "empty file")
    if b"\x00" in raw[:8192]:
        raise Rejected(name, "not a text file (contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise Rejected(name, f"not valid UTF-8 text (byte {err.start}: {err.reason})") from None


def read_article(path: Path) -> Article:
    """Read and clean one raw article.

    Raises:
        Rejected: the file cannot become a record (the reason names the problem).
    """
    name = path.name
    if path.suffix.lower() not in SUFFIXES:
        raise Rejected(name, f"unsupported file type {path.suffix or '(none)'!r}; expected {', '.join(SUFFIXES)}")
    raw = path.read_bytes()
    text = decode(raw, name)
    try:
        cleaned = clean(text)
    except (NoDate, ImpossibleDate) as err:
        raise Rejected(name, f"publication date: {err}") from None
    except ValueError as err:
        raise Rejected(name, str(err)) from None
    return Article(
        id=article_id(raw),
        source_file=name,
        published=cleaned.published,
        updated=cleaned.updated,
        text=cleaned.text,
        publisher=cleaned.publisher,
        headline=cleaned.headline,
        standfirst=cleaned.standfirst,
        byline=cleaned.byline,
        dateline=cleaned.dateline,
        topics=cleaned.topics,
    )


def read_sources(folder: Path) -> Iterator[Article | Rejected]:
    """Every file of ``folder`` as an Article or as the Rejected that says why not."""
    for path in list_sources(folder):
        try:
            yield read_article(path)
        except Rejected as rejected:
            yield rejected
