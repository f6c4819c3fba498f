"""The build cache: what reading and what annotating one article produced, on disk.

Three kinds of entries share one folder (``--cache``), each under its own key.

**Annotation entries** hold the silver layers of one article (the automatic annotators'
output, as record dicts) and the :class:`~dataset_builder.tasks.Skeleton` of
its parse (sentences and tokens, what the task configs need). Everything else
of a record (metadata, gold layers, validation, task rows) is cheap and is
derived again on every build, so the cache never decides what a release
contains: a build with a cold, warm or missing cache writes the same bytes.

Their key is the SHA-256 of:

- the article: its id (the hash of the raw bytes) and the hash of every field
  ingestion produced (cleaned text, DCT, metadata), so a change of the cleaner
  that changes an article's text or date misses the cache too;
- the annotators' versioned ``origin`` strings (``timex.rules.v1+en_core_web_sm-3.8.0``),
  in run order — a new annotator version re-annotates everything;
- the spaCy pipeline (``pipeline_id``) and spaCy's version;
- what else the annotators' output depends on (:func:`annotator_inputs`): the package's
  data files they read (knowledge base, attribution cues, time zones) and the versions of
  :data:`ANNOTATOR_LIBRARIES`, which an annotator's version cannot follow;
- :data:`FORMAT`, the layout of an entry.

**Ingestion entries** (under ``ingest/``) hold what reading and cleaning one
input (a page file, or one JSONL line) gave: the article (text, DCT, metadata,
how it was decoded, its near-duplicate signature) or the rejection's reason. An
unchanged rebuild then re-reads the raw bytes (to hash them) but does not decode,
extract, clean or identify the language again. Their key is the SHA-256 of the
raw bytes, the input's name (it becomes ``source_file`` and selects the format),
the accepted languages, and :func:`code_fingerprint`: a hash of every file of the
package (code and data) and of the versions of the libraries ingestion uses, so
that no change of the cleaner can leave a stale cleaned text in a release. The
one check that depends on the day of the build (a date in the future) is not
cached: it runs on every build.

**Page entries** (under ``viewer/``) hold the rendered body of one document's
viewer page (everything but its links to the neighbouring pages), as raw UTF-8
after a header line (:meth:`Cache.put_bytes`: 20,000 bodies of about 50 KB are
read back on every rebuild, and decoding them from JSON cost seconds). Their key
(:func:`dataset_builder.viewer.site.page_key`) is the SHA-256 of the record's
digest, its split and :func:`code_fingerprint`, so a page is rendered again
whenever its record or any code changes.

Entries are written to a temporary file in the same folder and renamed into
place (``os.replace`` is atomic), so a killed build leaves whole entries or
none; an entry that cannot be read (truncated, not JSON, another key) counts
as a miss and is recomputed and overwritten.

Nothing expires by itself: a changed article, annotator or code leaves its old
entries behind. ``--prune-cache`` removes them (:func:`prune`): the build marks
the start of its use of the cache (:func:`mark_use`), every entry it reads or
writes gets a modification time after that mark (a :class:`Cache` with
``touch=True`` refreshes the time of the entries it reads), and once the release
is written every entry older than the mark, one this build did not use, is
deleted. Times come from the cache's own file system, on every machine.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from functools import cache
from importlib.metadata import version
from pathlib import Path

import orjson

from .records import Article

# Bump when the entry layout or the meaning of its content changes.
FORMAT = "news-edc-annotation-cache/1"
INGEST_FORMAT = "news-edc-ingest-cache/1"
PACKAGE = Path(__file__).resolve().parent
RAW_SUFFIX = ".bytes"  # entries stored by Cache.put_bytes
ENTRY_SUFFIXES = (".json", RAW_SUFFIX, ".tmp")  # what prune() may delete (".tmp": a killed writer's leftover)
USE_MARK = ".build-started"  # its modification time: when the last build marked its use (mark_use)
WORK = "work"  # the distributed executor's work lists and logs (dataset_builder.distributed): never pruned
# Distributions whose behaviour decides what reading an input gives.
INGEST_LIBRARIES = ("charset-normalizer", "ftfy", "trafilatura", "py3langid", "python-dateutil", "tzdata",
                    "datasketch", "numpy")
# Distributions whose behaviour the annotators' output depends on (spaCy has its own part of the key).
ANNOTATOR_LIBRARIES = ("regex", "python-dateutil", "tzdata")


def article_digest(article: Article) -> str:
    """SHA-256 over every field of an ingested article (id, text, DCT, metadata)."""
    return hashlib.sha256(orjson.dumps(asdict(article), option=orjson.OPT_SORT_KEYS, default=list)).hexdigest()


def cache_key(article: Article, origins: Sequence[str], pipeline: str, spacy_version: str) -> str:
    """The cache key of one article under one set of annotators and one spaCy pipeline.

    Args:
        article: the ingested article.
        origins: the annotators' ``origin`` strings in run order (empty: no annotators).
        pipeline: the spaCy pipeline's ``pipeline_id`` (``en_core_web_sm-3.8.0``).
        spacy_version: ``spacy.__version__`` (tokenisation and sentence splitting can change with it).
    """
    parts = {
        "format": FORMAT,
        "id": article.id,
        "article": article_digest(article),
        "annotators": list(origins),
        "pipeline": pipeline,
        "spacy": spacy_version,
        "inputs": annotator_inputs(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


@cache
def annotator_inputs() -> str:
    """SHA-256 over the package's data files (``data/``) and the versions of :data:`ANNOTATOR_LIBRARIES`.

    An annotator's code changes come with a new annotator version (its ``origin``); an
    edited knowledge base entry or cue list, or an upgraded ``regex`` or ``dateutil``,
    change its output under the same version, and must miss the cache as well.
    """
    return _fingerprint(PACKAGE / "data", ANNOTATOR_LIBRARIES)


@cache
def code_fingerprint() -> str:
    """SHA-256 over every file of the package (path and bytes) and the versions of :data:`INGEST_LIBRARIES`.

    Any edit of the package's code or data changes it, which is coarser than
    needed but can never miss a change that matters.
    """
    return _fingerprint(PACKAGE, INGEST_LIBRARIES)


def _fingerprint(folder: Path, libraries: Sequence[str]) -> str:
    """SHA-256 over the files under ``folder`` (their paths in the package and bytes) and the libraries' versions."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(PACKAGE).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in libraries:
        digest.update(f"{name}=={version(name)}\0".encode())
    return digest.hexdigest()


def ingest_key(raw: bytes, name: str, languages: Sequence[str]) -> str:
    """The cache key of reading one input: its raw bytes, its name, the accepted languages, the code."""
    parts = {
        "format": INGEST_FORMAT,
        "code": code_fingerprint(),
        "raw": hashlib.sha256(raw).hexdigest(),
        "name": name,
        "languages": list(languages),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def _raw_head(key: str, length: int) -> bytes:
    return f"{key} {length}".encode("ascii")


class Cache:
    """A folder of cache entries, ``<root>/<key[:2]>/<key>.json`` (raw entries: ``<key>.bytes``).

    Safe to share between processes and machines (a shared file system): an
    entry is written once under a temporary name and renamed; two writers of the
    same key write the same content.

    Args:
        root: the cache folder (created on the first write).
        touch: refresh the modification time of every entry read, so that :func:`prune`
            keeps it (a build with ``--prune-cache``).
    """

    def __init__(self, root: Path, touch: bool = False) -> None:
        self.root = Path(root)
        self.touch = touch

    def path(self, key: str, suffix: str = ".json") -> Path:
        return self.root / key[:2] / f"{key}{suffix}"

    def get(self, key: str) -> dict | None:
        """The entry stored under ``key``, or None (absent, truncated or corrupt)."""
        path = self.path(key)
        try:
            data = orjson.loads(path.read_bytes())
        except (OSError, ValueError):  # orjson.JSONDecodeError is a ValueError
            return None
        if not isinstance(data, dict) or data.get("key") != key or "value" not in data:
            return None  # a corrupt or foreign entry is a miss: recomputed and overwritten
        self._used(path)
        return data["value"]

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def put(self, key: str, value: dict) -> None:
        """Store ``value`` (JSON-serialisable) under ``key``, atomically."""
        self._write(self.path(key), key, orjson.dumps({"key": key, "value": value}))

    def get_bytes(self, key: str) -> bytes | None:
        """The raw entry stored under ``key`` by :meth:`put_bytes`, or None (absent, truncated or foreign)."""
        path = self.path(key, RAW_SUFFIX)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        head, sep, value = data.partition(b"\n")
        if not sep or head != _raw_head(key, len(value)):
            return None
        self._used(path)
        return value

    def put_bytes(self, key: str, value: bytes) -> None:
        """Store ``value`` as it is under ``key``, atomically: no JSON to decode when it is read (a page body).

        The entry is one header line (the key and the value's length, so a truncated or
        foreign file is a miss) and the value.
        """
        self._write(self.path(key, RAW_SUFFIX), key, _raw_head(key, len(value)) + b"\n" + value)

    def _used(self, path: Path) -> None:
        if self.touch:
            try:
                os.utime(path)
            except OSError:  # a read-only cache: the entry stays as old as it was
                pass

    def _write(self, path: Path, key: str, payload: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{key[:16]}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def mark_use(root: Path) -> int:
    """Mark the start of a build's use of the cache; the mark's time, in ns of the cache's file system clock."""
    root.mkdir(parents=True, exist_ok=True)
    mark = root / USE_MARK
    mark.write_bytes(b"")
    os.utime(mark)  # an existing mark gets the current time too
    return mark.stat().st_mtime_ns


def prune(root: Path, since_ns: int) -> tuple[int, int]:
    """Delete the cache entries not used since ``since_ns`` (see :func:`mark_use`).

    Entries (and temporary files left by killed writers) whose modification time is
    before the mark go; everything else stays: entries used after it, the mark, the
    distributed executor's ``work/`` folder, any file that is not an entry.
    Deleting an entry is always safe: a later build that needs it computes it again.

    Returns:
        How many files were deleted and their bytes.
    """
    files = size = 0
    for folder, subfolders, names in os.walk(root):
        if folder == str(root):
            subfolders[:] = [name for name in subfolders if name != WORK]
        for name in names:
            if not name.endswith(ENTRY_SUFFIXES):
                continue
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path, follow_symlinks=False)
                if stat.st_mtime_ns >= since_ns:
                    continue
                os.unlink(path)
            except FileNotFoundError:  # another build removed or replaced it meanwhile
                continue
            files += 1
            size += stat.st_size
    return files, size
