"""The version policy: the data diff between two releases and the bump it requires.

A dataset version ``MAJOR.MINOR.PATCH`` means what TFDS says it means, made
checkable from the data:

========  ==============================================================
MAJOR     existing records or the schema change incompatibly: a document
          removed, a schema field removed or retyped, an enum value
          removed, a field that may now be null or absent
MINOR     documents or fields added: a new document, a document moved to
          another split, a new schema field or enum value
PATCH     corrections with the same shape: a record changed (text,
          metadata or annotations), a schema constraint changed
========  ==============================================================

The build diffs its records against the previous release (the newest earlier
version folder in the output root, or ``--previous DIR``) and refuses a version
whose bump is smaller than the diff requires (a schema-breaking change released
as MINOR, documents added as PATCH). A bump larger than required is allowed.
A new version with no data or schema change at all is allowed (the card, the
datasheet or the Croissant metadata may be what changed) but the diff says so
and the build prints a warning.

Documents are matched by ``id`` (the hash of the raw file). Annotations of a
document present in both releases are matched by their span (``start``/``end``,
for claims the ``content`` span): same span and same values = unchanged, same
span and other values = changed (counted under the new label), otherwise added
or removed. Any list-of-objects field of a record is a layer, so layers added by
later versions are diffed without changing this module.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path

import orjson
import pyarrow.parquet as pq

from .errors import BuildError
from .rows import read_records

SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
# The field that names an annotation's class, per layer; other layers count under "*".
LABEL_KEYS = {"entities": "label", "timexes": "type", "claims": "kind"}
LABEL_CANDIDATES = ("label", "type", "kind")
DOCUMENT_CONFIG = "documents"


class VersionError(BuildError):
    """A dataset version that is malformed or contradicts the data diff."""


class Level(IntEnum):
    """How big a version bump is (or must be)."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3


def parse_version(version: str) -> tuple[int, int, int]:
    """``"1.2.3"`` -> ``(1, 2, 3)``.

    Raises:
        VersionError: not ``MAJOR.MINOR.PATCH`` of non-negative integers.
    """
    match = SEMVER.match(version)
    if not match:
        raise VersionError(f"dataset version {version!r} is not MAJOR.MINOR.PATCH (e.g. 1.0.0)")
    major, minor, patch = (int(g) for g in match.groups())
    return major, minor, patch


def bump_level(old: str, new: str) -> Level:
    """The level of the bump from ``old`` to ``new`` (the first component that grew).

    Raises:
        VersionError: ``new`` is not later than ``old``.
    """
    a, b = parse_version(old), parse_version(new)
    if b <= a:
        raise VersionError(f"version {new} is not later than the previous release {old}")
    for level, (x, y) in zip((Level.MAJOR, Level.MINOR, Level.PATCH), zip(a, b, strict=True), strict=True):
        if y != x:
            return level
    raise AssertionError("unreachable: b > a")


def release_version(folder: Path) -> str | None:
    """The dataset version of a release folder: from its build report, else its folder name."""
    report = folder / "build_report.json"
    if report.is_file():
        version = json.loads(report.read_text(encoding="utf-8")).get("version")
        if isinstance(version, str) and SEMVER.match(version):
            return version
    return folder.name if SEMVER.match(folder.name) else None


def find_previous(out: Path, version: str) -> Path | None:
    """The newest release folder in ``out`` whose version is earlier than ``version``.

    Only complete releases count (a ``SHA256SUMS`` file; temporary folders start
    with a dot and never match the version pattern).
    """
    current = parse_version(version)
    candidates = [
        (parse_version(p.name), p)
        for p in (out.iterdir() if out.is_dir() else ())
        if p.is_dir() and SEMVER.match(p.name) and (p / "SHA256SUMS").is_file()
    ]
    earlier = [(v, p) for v, p in candidates if v < current]
    return max(earlier)[1] if earlier else None


# --- schema diff ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SchemaChange:
    """One difference between two document schemas.

    Attributes:
        path: the field, dotted, ``[]`` for array items (``entities[].label``).
        change: ``added``, ``removed``, ``retyped``, ``now nullable``, ``no longer nullable``,
            ``now optional``, ``now required``, ``enum values added``, ``enum values removed``,
            ``constraint changed``.
        level: the bump this change requires.
        detail: old -> new, for people.
    """

    path: str
    change: str
    level: Level
    detail: str = ""


@dataclass(frozen=True, slots=True)
class _FieldShape:
    types: tuple[str, ...]
    nullable: bool
    required: bool
    enum: tuple[str, ...] | None
    constraints: str  # pattern, bounds, ...: changes here keep the shape


def _resolve(node: dict, root: dict) -> dict:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _flatten(node: dict, root: dict, path: str, required: bool, out: dict[str, _FieldShape]) -> None:
    node = _resolve(node, root)
    nullable = False
    if "anyOf" in node:
        options = [_resolve(n, root) for n in node["anyOf"]]
        nullable = any(o.get("type") == "null" for o in options)
        inner = [o for o in options if o.get("type") != "null"]
        node = inner[0] if len(inner) == 1 else {"type": sorted({json.dumps(o, sort_keys=True) for o in inner})}
    kinds = node.get("type", "string" if "enum" in node else "any")
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    nullable = nullable or "null" in kinds
    types = tuple(sorted(k for k in kinds if k != "null"))
    enum = tuple(sorted(str(v) for v in node["enum"] if v is not None)) if "enum" in node else None
    constraints = {
        k: v for k, v in node.items() if k in ("pattern", "minimum", "maximum", "minLength", "maxLength", "format")
    }
    out[path] = _FieldShape(types, nullable, required, enum, json.dumps(constraints, sort_keys=True))
    if "object" in types:
        needed = set(node.get("required", ()))
        for key, sub in node.get("properties", {}).items():
            _flatten(sub, root, f"{path}.{key}" if path else key, key in needed, out)
    if "array" in types and "items" in node:
        _flatten(node["items"], root, f"{path}[]", True, out)


def schema_fields(schema: dict) -> dict[str, _FieldShape]:
    """Every field of a JSON Schema by dotted path (``""`` is the record itself)."""
    out: dict[str, _FieldShape] = {}
    _flatten(schema, schema, "", True, out)
    return out


def schema_changes(old: dict, new: dict) -> list[SchemaChange]:
    """The differences between two document schemas, each with the bump it requires, by path."""
    a, b = schema_fields(old), schema_fields(new)
    changes: list[SchemaChange] = []

    def parent_in(path: str, fields: dict) -> bool:
        if not path:
            return False
        parent = path[:-2] if path.endswith("[]") else (path.rsplit(".", 1)[0] if "." in path else "")
        return parent in fields

    for path in sorted(set(a) | set(b)):
        if path not in b:
            if parent_in(path, b):  # report a removed subtree once, at its root
                changes.append(SchemaChange(path, "removed", Level.MAJOR, "/".join(a[path].types)))
            continue
        if path not in a:
            if parent_in(path, a):  # report the new subtree once, at its root
                changes.append(SchemaChange(path, "added", Level.MINOR, "/".join(b[path].types)))
            continue
        x, y = a[path], b[path]
        if x.types != y.types:
            changes.append(SchemaChange(path, "retyped", Level.MAJOR, f"{'/'.join(x.types)} -> {'/'.join(y.types)}"))
            continue
        if y.nullable and not x.nullable:
            changes.append(SchemaChange(path, "now nullable", Level.MAJOR))
        elif x.nullable and not y.nullable:
            changes.append(SchemaChange(path, "no longer nullable", Level.MINOR))
        if x.required and not y.required:
            changes.append(SchemaChange(path, "now optional", Level.MAJOR))
        elif y.required and not x.required:
            changes.append(SchemaChange(path, "now required", Level.MINOR))
        if x.enum != y.enum and x.enum is not None and y.enum is not None:
            gone, new_values = sorted(set(x.enum) - set(y.enum)), sorted(set(y.enum) - set(x.enum))
            if gone:
                changes.append(SchemaChange(path, "enum values removed", Level.MAJOR, ", ".join(gone)))
            if new_values:
                changes.append(SchemaChange(path, "enum values added", Level.MINOR, ", ".join(new_values)))
        if x.constraints != y.constraints:
            changes.append(SchemaChange(path, "constraint changed", Level.PATCH))
    return changes


# --- data diff ------------------------------------------------------------------------


@dataclass
class DataDiff:
    """What changed from the previous release to this one.

    Attributes:
        previous: the previous release's version (None: first release, everything is added).
        added, removed, changed: document ids, sorted.
        moved: ``(id, old split, new split)`` of documents whose split changed.
        layers: layer -> label -> ``{"added", "removed", "changed"}`` annotation counts.
        schema: the schema changes.
    """

    previous: str | None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    moved: list[tuple[str, str, str]] = field(default_factory=list)
    layers: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    schema: list[SchemaChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.moved or self.schema)

    def reasons(self) -> list[tuple[Level, str]]:
        """Every finding with the bump it requires, biggest first."""
        out: list[tuple[Level, str]] = []
        if self.previous is None:
            return out
        out += [(c.level, f"schema: `{c.path or '(record)'}` {c.change}") for c in self.schema]
        if self.removed:
            out.append((Level.MAJOR, f"{len(self.removed)} document(s) removed"))
        if self.added:
            out.append((Level.MINOR, f"{len(self.added)} document(s) added"))
        if self.moved:
            out.append((Level.MINOR, f"{len(self.moved)} document(s) moved to another split"))
        if self.changed:
            out.append((Level.PATCH, f"{len(self.changed)} document(s) changed"))
        return sorted(out, key=lambda r: -r[0])

    @property
    def required(self) -> Level:
        """The smallest bump that this diff allows."""
        return max((level for level, _ in self.reasons()), default=Level.NONE)

    def to_dict(self) -> dict:
        """JSON form (stored in the release's ``build_report.json``)."""
        return {
            "previous": self.previous,
            "required_bump": self.required.name,
            "documents": {
                "added": self.added,
                "removed": self.removed,
                "changed": self.changed,
                "moved": [{"id": i, "from": a, "to": b} for i, a, b in self.moved],
            },
            "annotations": self.layers,
            "schema": [
                {"path": c.path, "change": c.change, "level": c.level.name, "detail": c.detail} for c in self.schema
            ],
        }


def _label_key(layer: str, items: list[dict]) -> str | None:
    if layer in LABEL_KEYS:
        return LABEL_KEYS[layer]
    return next((k for k in LABEL_CANDIDATES if items and k in items[0]), None)


def _span_key(item: dict) -> tuple:
    """Where an annotation is: its span, else its content span, else its whole value."""
    if "start" in item and "end" in item:
        return (item["start"], item["end"])
    content = item.get("content")
    if isinstance(content, dict) and "start" in content:
        return (content["start"], content["end"])
    return (json.dumps(item, sort_keys=True),)


def layer_names(record: dict) -> list[str]:
    """The non-empty annotation layers of a record: every field holding a list of objects."""
    return [key for key, value in record.items() if isinstance(value, list) and value and isinstance(value[0], dict)]


def label_counts(record: dict) -> dict[str, dict[str, int]]:
    """Layer -> label -> how many annotations: what a diff counts for a document added (or removed) whole."""
    out: dict[str, dict[str, int]] = {}
    for layer in layer_names(record):
        key = _label_key(layer, record[layer])
        out[layer] = dict(Counter(str(item.get(key)) if key else "*" for item in record[layer]))
    return out


def _count_layer(layer: str, old: list[dict], new: list[dict], counts: dict[str, dict[str, Counter]]) -> None:
    key = _label_key(layer, new or old)

    def label(item: dict) -> str:
        return str(item.get(key)) if key else "*"

    by_span_old: dict[tuple, list[dict]] = defaultdict(list)
    by_span_new: dict[tuple, list[dict]] = defaultdict(list)
    for item in old:
        by_span_old[_span_key(item)].append(item)
    for item in new:
        by_span_new[_span_key(item)].append(item)
    for span in set(by_span_old) | set(by_span_new):
        a, b = list(by_span_old.get(span, ())), list(by_span_new.get(span, ()))
        for item in list(b):  # identical annotations at the same span: unchanged
            if item in a:
                a.remove(item)
                b.remove(item)
        paired = min(len(a), len(b))
        for item in b[:paired]:
            counts[layer][label(item)]["changed"] += 1
        for item in b[paired:]:
            counts[layer][label(item)]["added"] += 1
        for item in a[paired:]:
            counts[layer][label(item)]["removed"] += 1


def row_groups(folder: Path, config: str = DOCUMENT_CONFIG) -> Iterator[tuple[str, Path, int]]:
    """``(split, shard, row group)`` of every row group of a release config, in file order."""
    for path in sorted((folder / "data" / config).glob("*.parquet")):
        split = path.name.split("-", 1)[0]
        for group in range(pq.ParquetFile(path).num_row_groups):
            yield split, path, group


def split_records(folder: Path, config: str = DOCUMENT_CONFIG) -> Iterator[tuple[str, dict]]:
    """``(split, record)`` of a release config in file order, one row group decoded at a time."""
    for split, path, group in row_groups(folder, config):
        for record in read_records(pq.ParquetFile(path), group):
            yield split, record


def _read_group(path: Path, group: int) -> list[dict]:
    return pq.ParquetFile(path).read_row_group(group).to_pylist()


def read_release(folder: Path, config: str = DOCUMENT_CONFIG) -> dict[str, tuple[str, dict]]:
    """The records of a release folder's config: id -> (split, record)."""
    out: dict[str, tuple[str, dict]] = {}
    for split, path, group in row_groups(folder, config):
        for record in _read_group(path, group):
            out[record["id"]] = (split, record)
    return out


def record_digest(record: dict) -> bytes:
    """A digest of a record's content: equal digests, equal records.

    Over orjson's compact JSON with sorted keys (never stored in a release: both
    sides of every comparison are digested by this function, in the same build).
    """
    return hashlib.sha256(orjson.dumps(record, option=orjson.OPT_SORT_KEYS, default=str)).digest()


def diff_records(
    previous: dict[str, tuple[str, dict]] | None,
    current: dict[str, tuple[str, dict]],
    previous_version: str | None = None,
    old_schema: dict | None = None,
    new_schema: dict | None = None,
) -> DataDiff:
    """The diff between two sets of records (``id -> (split, record)``) and two schemas.

    Args:
        previous: the previous release's records; None for a first release.
        current: this build's records.
        previous_version: the previous release's version.
        old_schema, new_schema: the document schemas (both or neither).

    Returns:
        The :class:`DataDiff`; for a first release, every document and annotation is "added".
    """
    old = previous or {}
    diff = DataDiff(previous=previous_version if previous is not None else None)
    counts: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for doc_id in sorted(set(old) | set(current)):
        old_split, old_rec = old.get(doc_id, (None, {}))
        new_split, new_rec = current.get(doc_id, (None, {}))
        if not old_rec:
            diff.added.append(doc_id)
        elif not new_rec:
            diff.removed.append(doc_id)
        else:
            if old_rec != new_rec:
                diff.changed.append(doc_id)
            if old_split != new_split:
                diff.moved.append((doc_id, old_split, new_split))
        for layer in sorted(set(layer_names(old_rec)) | set(layer_names(new_rec))):
            _count_layer(layer, old_rec.get(layer) or [], new_rec.get(layer) or [], counts)
    diff.layers = {
        layer: {label: {k: c[k] for k in ("added", "removed", "changed")} for label, c in sorted(labels.items())}
        for layer, labels in sorted(counts.items())
    }
    if previous is not None and old_schema is not None and new_schema is not None:
        diff.schema = schema_changes(old_schema, new_schema)
    return diff


def diff_against(previous: Path | None, splits: Mapping[str, Iterable[dict]], new_schema: dict) -> DataDiff:
    """The diff of a build's ``splits`` against the release folder ``previous`` (None: first release).

    The result is the one :func:`diff_records` gives for the same records; see
    :class:`StreamingDiff`, which the build feeds as it writes.

    Args:
        previous: the previous release folder, or None.
        splits: split name -> this build's records (lists, or rows read back from the written shards).
        new_schema: this build's document schema.
    """
    diff = StreamingDiff(previous, new_schema)
    for split, rows in splits.items():
        for record in rows:
            diff.add(split, record["id"], record_digest(record), lambda record=record: record)
    return diff.finish()


class StreamingDiff:
    """The data diff against a previous release, fed one record at a time.

    The previous release is read once, keeping only an id -> (split, digest) index;
    the old record of a changed document is read back from its row group when the
    annotation counts need it, a chunk of changed documents at a time. Memory: the
    two id indexes, not the records.

    Args:
        previous: the previous release folder, or None (a first release: everything is added).
        new_schema: this build's document schema.
    """

    def __init__(self, previous: Path | None, new_schema: dict) -> None:
        self.previous = previous
        self.new_schema = new_schema
        self.counts: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
        self.old: dict[str, tuple[str, bytes, int]] = {}  # id -> (split, digest, row group number)
        self.groups: list[tuple[Path, int]] = []
        if previous is not None:
            for split, path, group in row_groups(previous):
                self.groups.append((path, group))
                for record in _read_group(path, group):
                    self.old[record["id"]] = (split, record_digest(record), len(self.groups) - 1)
        self.diff = DataDiff(previous=release_version(previous) if previous is not None else None)
        self.seen: set[str] = set()
        self.pending: list[dict] = []

    def _count(self, old_rec: dict, new_rec: dict) -> None:
        if not old_rec or not new_rec:  # one side only: every annotation added (or removed)
            self._count_whole(label_counts(new_rec or old_rec), "added" if new_rec else "removed")
            return
        for layer in sorted(set(layer_names(old_rec)) | set(layer_names(new_rec))):
            _count_layer(layer, old_rec.get(layer) or [], new_rec.get(layer) or [], self.counts)

    def _count_whole(self, counts: dict[str, dict[str, int]], what: str) -> None:
        for layer, labels in counts.items():
            for label, n in labels.items():
                self.counts[layer][label][what] += n

    def _resolve(self) -> None:
        """Count the annotation changes of the pending changed documents, reading each old row group once."""
        by_group: dict[int, list[dict]] = defaultdict(list)
        for record in self.pending:
            by_group[self.old[record["id"]][2]].append(record)
        for number, records in sorted(by_group.items()):
            olds = {r["id"]: r for r in _read_group(*self.groups[number])}
            for record in records:
                self._count(olds[record["id"]], record)
        self.pending.clear()

    def add(
        self,
        split: str,
        doc_id: str,
        digest: bytes,
        record: Callable[[], dict],
        counts: dict[str, dict[str, int]] | None = None,
    ) -> None:
        """One record of this build.

        Args:
            digest: the record's :func:`record_digest`.
            record: gives the record; called only when the diff needs it (a changed
                document, or an added one without ``counts``).
            counts: the record's :func:`label_counts`, when known.
        """
        if self.old:  # only what the previous release had can be removed (a first release: nothing)
            self.seen.add(doc_id)
        if doc_id not in self.old:
            self.diff.added.append(doc_id)
            self._count_whole(counts if counts is not None else label_counts(record()), "added")
            return
        old_split, old_digest, _ = self.old[doc_id]
        if old_digest != digest:
            self.diff.changed.append(doc_id)
            self.pending.append(record())
            if len(self.pending) >= 256:
                self._resolve()
        if old_split != split:
            self.diff.moved.append((doc_id, old_split, split))

    def finish(self) -> DataDiff:
        """The diff, once every record was added."""
        self._resolve()
        diff = self.diff
        removed = sorted(set(self.old) - self.seen)
        diff.removed = removed
        gone = set(removed)
        for number in sorted({self.old[doc_id][2] for doc_id in removed}):
            for record in _read_group(*self.groups[number]):
                if record["id"] in gone:
                    self._count(record, {})
        diff.added.sort()
        diff.changed.sort()
        diff.moved.sort()
        diff.layers = {
            layer: {label: {k: c[k] for k in ("added", "removed", "changed")} for label, c in sorted(labels.items())}
            for layer, labels in sorted(self.counts.items())
        }
        if self.previous is not None:
            schema_file = self.previous / "schema" / "document.schema.json"
            if schema_file.is_file():
                diff.schema = schema_changes(json.loads(schema_file.read_text(encoding="utf-8")), self.new_schema)
        return diff


def check_version(version: str, diff: DataDiff) -> list[str]:
    """Refuse a version that contradicts the diff; return warnings.

    Raises:
        VersionError: the version is malformed, not later than the previous one,
            or its bump is smaller than the diff requires.
    """
    parse_version(version)
    if diff.previous is None:
        return []
    level = bump_level(diff.previous, version)
    required = diff.required
    if level < required:
        why = "; ".join(text for lvl, text in diff.reasons() if lvl > level)
        raise VersionError(
            f"version {version} is a {level.name} release after {diff.previous}, but the data diff requires "
            f"{required.name} ({why}); bump VERSION in dataset_builder/config.py accordingly"
        )
    if required is Level.NONE:
        return [f"version {version} has no data or schema change against {diff.previous}"]
    return []


# --- text -----------------------------------------------------------------------------


def _ids(ids: Iterable[str], limit: int = 20) -> str:
    ids = list(ids)
    shown = ", ".join(f"`{i}`" for i in ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def render_changes(changes: dict) -> str:
    """Markdown for a diff's :meth:`DataDiff.to_dict` form (card and CHANGELOG; deterministic)."""
    docs = changes["documents"]
    lines: list[str] = []
    if changes["previous"] is None:
        lines.append(f"First release: {len(docs['added'])} document(s).")
    else:
        lines.append(
            f"Changes since {changes['previous']} (this change requires at least a {changes['required_bump']} bump)."
        )
    lines.append("")
    if changes["previous"] is not None and not (
        docs["added"] or docs["removed"] or docs["changed"] or docs["moved"] or changes["schema"]
    ):
        lines += ["No change to the data or the schema.", ""]
        return "\n".join(lines).rstrip() + "\n"
    if changes["previous"] is not None:
        lines.append(
            f"- documents added: {len(docs['added'])}" + (f" ({_ids(docs['added'])})" if docs["added"] else "")
        )
        lines.append(
            f"- documents removed: {len(docs['removed'])}" + (f" ({_ids(docs['removed'])})" if docs["removed"] else "")
        )
        lines.append(
            f"- documents changed: {len(docs['changed'])}" + (f" ({_ids(docs['changed'])})" if docs["changed"] else "")
        )
        for move in docs["moved"]:
            lines.append(f"- document `{move['id']}` moved from `{move['from']}` to `{move['to']}`")
        lines.append("")
    rows = [
        (layer, label, c)
        for layer, labels in changes["annotations"].items()
        for label, c in labels.items()
        if any(c.values())
    ]
    if rows:
        lines += ["| layer | label | added | removed | changed |", "|---|---|---:|---:|---:|"]
        lines += [f"| {layer} | {label} | {c['added']} | {c['removed']} | {c['changed']} |" for layer, label, c in rows]
        lines.append("")
    if changes["schema"]:
        lines += ["Schema changes:", ""]
        for c in changes["schema"]:
            detail = f" ({c['detail']})" if c["detail"] else ""
            lines.append(f"- `{c['path'] or '(record)'}`: {c['change']}{detail} — {c['level']}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# --- CHANGELOG.md ---------------------------------------------------------------------

CHANGELOG_HEADER = """# Changelog

Dataset versions of news-edc (not the package version). MAJOR: existing records or the
schema change incompatibly; MINOR: documents or fields added; PATCH: corrections with the
same shape (see `dataset_builder/versioning.py`). Each section is generated from a release by
`dataset-builder changelog <release>`; edit the notes in `dataset_builder/config.py`, not here.
"""
_SECTION = re.compile(r"<!-- release:(?P<version>[0-9.]+):begin -->\n.*?<!-- release:(?P=version):end -->\n", re.S)


def changelog_section(version: str, date: str, notes: str, changes: dict) -> str:
    """One version's CHANGELOG section, between markers so that it can be replaced in place."""
    return (
        f"<!-- release:{version}:begin -->\n## {version} — {date}\n\n{notes}\n\n{render_changes(changes)}"
        f"<!-- release:{version}:end -->\n"
    )


def update_changelog(text: str, version: str, section: str) -> str:
    """``text`` (a CHANGELOG) with ``version``'s section replaced or inserted, newest version first."""
    sections = {m["version"]: m.group(0) for m in _SECTION.finditer(text)}
    first = _SECTION.search(text)
    head = text[: first.start()] if first else (text if text.strip() else CHANGELOG_HEADER)
    sections[version] = section
    ordered = sorted(sections, key=lambda v: parse_version(v) if SEMVER.match(v) else (-1, -1, -1), reverse=True)
    return head.rstrip("\n") + "\n\n" + "\n".join(sections[v] for v in ordered)
