"""Checks shared by the build and ``dataset-builder validate``: spans and releases."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

import pyarrow.parquet as pq

from .rows import read_records
from .schema import features, iter_problems

CHECKSUMS = "SHA256SUMS"


def span_problems(record: dict) -> Iterator[str]:
    """Every span of a record that breaks ``text[start:end] == span.text`` (or is out of range)."""
    text = record["text"]

    def check(span: dict | None, where: str) -> Iterator[str]:
        if span is None:
            return
        start, end = span["start"], span["end"]
        if not 0 <= start < end <= len(text):
            yield f"{where}: [{start}, {end}) is not a span of text (length {len(text)})"
        elif text[start:end] != span["text"]:
            yield f"{where}: text[{start}:{end}] is {text[start:end]!r}, span says {span['text']!r}"

    for layer in ("entities", "timexes"):
        for i, item in enumerate(record.get(layer) or ()):
            yield from check(item, f"{layer}[{i}]")
    for i, claim in enumerate(record.get("claims") or ()):
        for key in ("content", "source", "cue"):
            yield from check(claim.get(key), f"claims[{i}].{key}")
        for j, part in enumerate(claim.get("content_parts") or ()):
            yield from check(part, f"claims[{i}].content_parts[{j}]")


def record_problems(record: dict) -> list[str]:
    """Schema violations and offset violations of one record."""
    problems = list(iter_problems(record))
    if not problems:
        problems.extend(span_problems(record))
    return problems


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Files hashed per task when the hashing is shared out (the viewer's pages are ~50 KB each).
HASH_CHUNK = 500


def _sha256_files(job: tuple[Path, list[str]]) -> list[str | None]:
    folder, names = job
    return [sha256_file(folder / name) if (folder / name).is_file() else None for name in names]


def sha256_files(folder: Path, names: list[str], map_chunks: Callable | None = None) -> list[str | None]:
    """:func:`sha256_file` of each file of ``folder`` named (relative posix paths), in order (None: not
    a file), ``HASH_CHUNK`` files a task of ``map_chunks`` (an order-keeping ``map``, e.g. the build's
    workers; default: the built-in ``map``)."""
    chunks = ((folder, names[i : i + HASH_CHUNK]) for i in range(0, len(names), HASH_CHUNK))
    return [digest for found in (map_chunks or map)(_sha256_files, chunks) for digest in found]


def _release_files(folder: Path) -> Iterator[str]:
    """The relative posix paths of the files of a release folder, but ``SHA256SUMS`` (as strings:
    20,000 viewer pages as ``Path`` objects weighed 6 MB more in a build's peak memory)."""
    for path in folder.rglob("*"):
        if path.is_file() and path.name != CHECKSUMS:
            yield path.relative_to(folder).as_posix()


def _path_order(name: str) -> list[str]:
    return name.split("/")  # the order of the paths' parts, as sorting ``Path`` objects gives


def write_checksums(folder: Path, map_chunks: Callable | None = None) -> None:
    """``SHA256SUMS`` (as ``sha256sum`` writes it) for every file of ``folder``, sorted by path.

    Args:
        map_chunks: where the files are hashed (see :func:`sha256_files`).
    """
    names = sorted(_release_files(folder), key=_path_order)
    digests = sha256_files(folder, names, map_chunks)
    lines = "".join(f"{digest}  {name}\n" for name, digest in zip(names, digests, strict=True))
    (folder / CHECKSUMS).write_text(lines, encoding="utf-8")


def checksum_problems(folder: Path, map_chunks: Callable | None = None) -> list[str]:
    """SHA256SUMS well-formed, complete (every file listed) and matching.

    Args:
        map_chunks: where the files are hashed (see :func:`sha256_files`).
    """
    sums_path = folder / CHECKSUMS
    if not sums_path.is_file():
        return [f"{sums_path}: missing"]
    problems: list[str] = []
    listed: dict[str, str] = {}
    for n, line in enumerate(sums_path.read_text(encoding="utf-8").splitlines(), 1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            problems.append(f"{CHECKSUMS} line {n}: not '<sha256>  <path>'")
            continue
        listed[name] = digest
    names = list(listed)
    for name, found in zip(names, sha256_files(folder, names, map_chunks), strict=True):
        if found is None:
            problems.append(f"{name}: listed in {CHECKSUMS} but missing")
        elif found != listed[name]:
            problems.append(f"{name}: checksum mismatch (the file was changed after the release was written)")
    unlisted = sorted((name for name in _release_files(folder) if name not in listed), key=_path_order)
    problems += [f"{name}: not listed in {CHECKSUMS}" for name in unlisted]
    return problems


def validate_release(
    folder: Path, checked: Collection[bytes] = frozenset(), map_groups: Callable | None = None
) -> list[str]:
    """Every problem of a release folder: checksums, listed files, Arrow schema, each
    record's schema and offsets.

    Records are read one row group at a time, so memory is bounded by a row group, not a
    shard. A record read back whose digest is in ``checked`` (it is byte for byte a
    record that passed the same checks on its way in) is not checked twice.

    Args:
        map_groups: an order-keeping ``map`` over row groups, e.g. the build's worker pool
            (one group a task). The records are then read on the workers, which send back
            only digests and problems: the main process never turns a record into Python
            objects (docs/scaling.md). The files are hashed there too. Default: the built-in ``map``.
    """
    problems = checksum_problems(folder, map_groups)
    if problems and problems[0].endswith(": missing"):
        return problems
    expected = features().arrow_schema
    groups: list[tuple[str, Path, int, int]] = []  # (name, shard, row group, its first row in the shard)
    for path in sorted((folder / "data" / "documents").glob("*.parquet")):
        name = path.relative_to(folder).as_posix()
        try:
            parquet = pq.ParquetFile(path)
        except Exception as err:  # noqa: BLE001 - any unreadable file is a finding, not a crash
            problems.append(f"{name}: not readable as Parquet ({err})")
            continue
        if not parquet.schema_arrow.equals(expected, check_metadata=False):
            problems.append(f"{name}: Arrow schema differs from the one derived from document.schema.json")
            continue
        first = 0
        for group in range(parquet.num_row_groups):
            groups.append((name, path, group, first))
            first += parquet.metadata.row_group(group).num_rows
    run = map_groups or map
    jobs: list[tuple[str, Path, int, int, list[int] | None]]
    if checked:
        jobs = []
        for (name, path, group, first), digests in zip(groups, run(_group_digests, groups), strict=True):
            rows = [row for row, digest in enumerate(digests) if digest not in checked]
            if rows:
                jobs.append((name, path, group, first, rows))
    else:
        jobs = [(name, path, group, first, None) for name, path, group, first in groups]
    for found in run(_group_problems, jobs):
        problems.extend(found)
    return problems


def _group_digests(job: tuple[str, Path, int, int]) -> list[bytes]:
    """The record digests of one row group, in row order."""
    _, path, group, _ = job
    return [_digest(record) for record in read_records(pq.ParquetFile(path), group)]


def _group_problems(job: tuple[str, Path, int, int, list[int] | None]) -> list[str]:
    """The record problems of one row group (only the given rows of it; None: every row)."""
    name, path, group, first, rows = job
    wanted = None if rows is None else set(rows)
    out = []
    for row, record in enumerate(read_records(pq.ParquetFile(path), group)):
        if wanted is None or row in wanted:
            out += [f"{name} row {first + row} (id {record.get('id')}): {p}" for p in record_problems(record)]
    return out


def _digest(record: dict) -> bytes:
    from .versioning import record_digest  # versioning imports this module's helpers

    return record_digest(record)
