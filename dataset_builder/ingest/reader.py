"""Raw article files -> :class:`~dataset_builder.records.Article`, or a precise rejection.

Every entry of the sources folder comes out as articles or as rejections with a
reason; nothing is skipped silently except hidden files (``.DS_Store``, editor
swap files). Formats, by suffix:

- ``.txt`` — a dump of one page (a saved web page under ``.txt`` is read as HTML);
- ``.html`` / ``.htm`` / ``.xhtml`` — a web page, main text extracted with trafilatura;
- ``.jsonl`` / ``.ndjson`` — one article per line; the article's ``source_file``
  is ``<file>:<line>`` (1-based) and its id the hash of the line's bytes.

With a :class:`~dataset_builder.cache.Cache`, what reading an input gave is
stored under its raw bytes (see :mod:`dataset_builder.cache`) and an unchanged
input is not decoded and cleaned again; only the future-date check, which
depends on the build's day, runs every time.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from ..cache import Cache, ingest_key
from ..dedupe import signature
from ..errors import Rejected
from ..records import Article, article_from_json
from .clean import NoDate, clean
from .dates import ImpossibleDate, parse_date_field
from .decoding import Decoded, decode_bytes, repair
from .formats import Page, extract_html, jsonl_lines, looks_like_html, parse_jsonl_line
from .limits import Limits, check_language, check_not_future, check_size

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES


@dataclass(frozen=True, slots=True)
class Ingested:
    """An article with what ingestion did to get it.

    Attributes:
        article: the cleaned article.
        encoding: the encoding its bytes were decoded from (``utf-8``, ``cp1252``, ``utf-16`` …).
        repairs: text repairs made by ftfy (mojibake, HTML entities, control characters).
        source_format: ``text``, ``html`` or ``jsonl``.
        signature: the text's near-duplicate signature (:func:`dataset_builder.dedupe.signature`),
            computed where the input is read (empty: not computed).
    """

    article: Article
    encoding: str
    repairs: tuple[str, ...] = ()
    source_format: str = "text"
    signature: bytes = b""

    def __post_init__(self) -> None:
        # The record says how its text was obtained (schema field ``ingest``).
        record = {"format": self.source_format, "encoding": self.encoding, "repairs": list(self.repairs)}
        object.__setattr__(self, "article", replace(self.article, ingest=record))


def article_id(raw: bytes) -> str:
    """First 16 hex digits of the SHA-256 of the raw bytes (a file, or one JSONL line).

    The same article gives the same id, whatever its file name or the build.
    """
    return hashlib.sha256(raw).hexdigest()[:16]


def list_sources(folder: Path) -> list[Path]:
    """Every entry of ``folder`` except hidden ones, sorted by name (the build order).

    Files of other types, folders and broken links are returned too: the build
    rejects them with a reason instead of skipping them silently.
    """
    return sorted((p for p in folder.iterdir() if not p.name.startswith(".")), key=lambda p: p.name)


def decode(raw: bytes, name: str) -> str:
    """Decoded and repaired text of a file's bytes (see :func:`.decoding.decode_bytes`).

    Raises:
        Rejected: empty, binary or undecodable input.
    """
    return decode_bytes(raw, name).text


def read_file(path: Path, limits: Limits | None = None, cache: Cache | None = None) -> Iterator[Ingested | Rejected]:
    """Every article of one source entry, or the rejections that say why not.

    A ``.txt`` or HTML file gives one item; a JSONL file one per non-blank line.

    Args:
        cache: where ingestion results are stored and looked up (None: no cache).
    """
    limits = limits or Limits()
    name = path.name
    try:
        kind = _check_entry(path)
        suffix = path.suffix.lower()
        if suffix not in SUFFIXES:
            raise Rejected(name, f"unsupported file type {path.suffix or '(none)'!r}; expected {', '.join(SUFFIXES)}")
        if suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(path, limits, cache)
            return
        check_size(kind.st_size, name, limits)
        try:
            raw = path.read_bytes()
        except OSError as err:  # unreadable (permissions, an I/O error, vanished during the build)
            raise Rejected(name, f"cannot be read: {err.strerror or err}") from None
        yield _cached(raw, name, limits, cache, lambda: _read_page(raw, name, path.suffix.lower() in HTML_SUFFIXES, limits))
    except Rejected as rejected:
        yield rejected


def read_article(path: Path, limits: Limits | None = None) -> Article:
    """Read and clean one single-article file (``.txt`` or HTML).

    Raises:
        Rejected: the file cannot become a record (the reason names the problem).
    """
    items = list(read_file(path, limits))
    if len(items) != 1:
        raise Rejected(path.name, f"holds {len(items)} articles; read it with read_file()")
    if isinstance(items[0], Rejected):
        raise items[0]
    return items[0].article


def ingest_sources(folder: Path, limits: Limits | None = None, cache: Cache | None = None) -> Iterator[Ingested | Rejected]:
    """Every entry of ``folder``, in name order, as ingested articles or rejections."""
    for path in list_sources(folder):
        yield from read_file(path, limits, cache)


def _cached(raw: bytes, name: str, limits: Limits, cache: Cache | None, read) -> Ingested | Rejected:
    """``read()`` of one input (page or JSONL line), through the cache; then the future-date check.

    Returns:
        The ingested article, or the rejection (from ``read`` or the date check).
    """
    key = ingest_key(raw, name, limits.languages) if cache is not None else ""
    entry = cache.get(key) if cache is not None else None
    if entry is not None:
        item = _from_entry(entry, name)
    else:
        try:
            item = read()
            item = replace(item, signature=signature(item.article.text))
        except Rejected as rejected:
            item = rejected
        if cache is not None:
            cache.put(key, _to_entry(item))
    if isinstance(item, Ingested):
        try:
            check_not_future(item.article.published, name, limits)
        except Rejected as rejected:
            return rejected
    return item


def _to_entry(item: Ingested | Rejected) -> dict:
    if isinstance(item, Rejected):
        return {"rejected": item.reason}
    return {
        "article": asdict(item.article),
        "encoding": item.encoding,
        "repairs": list(item.repairs),
        "source_format": item.source_format,
        "signature": item.signature.hex(),
    }


def _from_entry(entry: dict, name: str) -> Ingested | Rejected:
    if "rejected" in entry:
        return Rejected(name, entry["rejected"])
    return Ingested(article_from_json(entry["article"]), entry["encoding"], tuple(entry["repairs"]), entry["source_format"],
                    bytes.fromhex(entry["signature"]))


def _check_entry(path: Path):
    """The entry's stat when it is a regular file (links followed).

    Raises:
        Rejected: a folder, a broken link, a pipe or device.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise Rejected(path.name, "a broken link (its target does not exist)") from None
    if stat.S_ISDIR(info.st_mode):
        raise Rejected(path.name, "a folder; sources are read from the top level of the sources folder only")
    if not stat.S_ISREG(info.st_mode):
        raise Rejected(path.name, "not a regular file (a pipe, socket or device)")
    return info


def _read_page(raw: bytes, name: str, html_file: bool, limits: Limits) -> Ingested:
    """A page file's bytes as an article (future-date check aside).

    Raises:
        Rejected: the page cannot become a record.
    """
    decoded: Decoded = decode_bytes(raw, name, html_escapes=not html_file)
    if html_file or looks_like_html(decoded.text):
        page = extract_html(decoded.text, name)
        text, repairs = repair(page.text, html_escapes=False)
        page = replace(page, text=text)
        article = _article(page, article_id(raw), name, limits)
        return Ingested(article, decoded.encoding, decoded.repairs + repairs, "html")
    return Ingested(_article(Page(text=decoded.text), article_id(raw), name, limits), decoded.encoding, decoded.repairs)


def _read_jsonl(path: Path, limits: Limits, cache: Cache | None) -> Iterator[Ingested | Rejected]:
    seen_any = False
    lines = jsonl_lines(path, limits.max_bytes)
    while True:
        # Only errors of reading the file reject it; other errors are the build's own.
        try:
            number, content = next(lines)
        except StopIteration:
            break
        except OSError as err:
            yield Rejected(path.name, f"cannot be read: {err.strerror or err}")
            return
        seen_any = True
        name = f"{path.name}:{number}"
        try:
            if isinstance(content, int):
                check_size(content, name, limits)
                continue
            yield _cached(content, name, limits, cache, lambda: _read_line(content, name, number, limits))  # noqa: B023 - called at once
        except Rejected as rejected:
            yield rejected
    if not seen_any:
        yield Rejected(path.name, "empty file (no JSON Lines)")


def _read_line(content: bytes, name: str, number: int, limits: Limits) -> Ingested:
    """One JSONL line as an article (future-date check aside).

    Raises:
        Rejected: the line cannot become a record.
    """
    page = parse_jsonl_line(content, name, first=number == 1)
    text, repairs = repair(page.text, html_escapes=True)
    return Ingested(_article(replace(page, text=text), article_id(content), name, limits), "utf-8", repairs, "jsonl")


def _article(page: Page, id_: str, name: str, limits: Limits) -> Article:
    """Clean a page's text and check the limits that do not depend on the build's day.

    The future-date check runs after (and after the cache, see :func:`_cached`).

    Raises:
        Rejected: no date, impossible date, no body, another language.
    """
    try:
        published = parse_date_field(page.published) if page.published else None
        updated = parse_date_field(page.updated) if page.updated else None
    except ValueError as err:  # ImpossibleDate too
        raise Rejected(name, f"publication date: {err}") from None
    if page.language and page.language.split("-")[0].lower() not in limits.languages:
        raise Rejected(name, f"language: the source says {page.language!r}; accepted: {', '.join(limits.languages)}")
    try:
        cleaned = clean(page.text, published=published, headline=page.headline)
    except (NoDate, ImpossibleDate) as err:
        raise Rejected(name, f"publication date: {err}") from None
    except ValueError as err:
        raise Rejected(name, str(err)) from None
    language = check_language(cleaned.text, name, limits)
    return Article(
        id=id_,
        source_file=name,
        published=cleaned.published,
        updated=updated or cleaned.updated,
        text=cleaned.text,
        publisher=page.publisher or cleaned.publisher,
        url=page.url,
        headline=cleaned.headline,
        standfirst=cleaned.standfirst,
        byline=cleaned.byline or page.byline,
        dateline=cleaned.dateline,
        topics=cleaned.topics or page.topics,
        language=language,
    )
