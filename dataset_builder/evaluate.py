"""Score predicted annotation layers against gold (``dataset-builder evaluate``).

Inputs
------
Gold: a release folder (its ``test`` split, ``data/documents/test-*.parquet``), a
``.jsonl`` / ``.parquet`` file of records, or a folder of devset-style gold JSON
files (``{"doc", "dct", "text", "entities", "timexes", "claims"}``).
Predictions: a ``.jsonl`` or ``.parquet`` file of records, or a release folder.

A prediction belongs to the gold document with the same ``id`` when both have
one, else to the one whose source-file stem (``source_file`` without folder and
extension, or a gold file's ``doc``) is the same. A prediction for a document the
gold does not know is an error; a prediction for a document of a gold release's
other splits is skipped and counted. A gold document without a prediction counts
as predicted-nothing. A layer key that no prediction carries is "not predicted":
that layer is not scored and is reported as ``null``; a present empty list means
"predicted nothing". A document whose record lacks a scored layer also counts as
predicted-nothing for it (``documents_not_predicted``).

Text drift: when a prediction's ``text`` differs from the gold ``text``, its
offsets are carried onto the gold text through a character alignment
(``difflib.SequenceMatcher(None, pred_text, gold_text, autojunk=False)``). An
item whose span ends fall outside the aligned characters, or whose mapped text
differs from its own, is dropped and counted in the layer's ``unmapped_spans``
(for claims: any part of the content). A prediction without ``text`` points
straight into the gold text.

Metrics (ANNOTATION_GUIDELINES.md §4)
-------------------------------------
All scores are micro-averaged over every item of every gold document. With
``tp`` matched pairs, ``gold`` gold items and ``pred`` predicted items:
precision P = tp / pred, recall R = tp / gold, F1 = 2PR / (P + R). Zero
division gives 0: P = 0 when nothing is predicted, R = 0 when there is no gold,
F1 = 0 when P + R = 0; an accuracy over zero matched pairs is 0. Each report
carries its counts, so a 0 from an empty denominator can be told apart.

Matching is one-to-one: each gold and each predicted item is used at most once,
so a duplicated prediction is a false positive. Candidate pairs are taken
greedily: exact span matches first, then overlapping pairs by largest overlap
(in code points), ties by position (gold start, then predicted start).

* Entities. ``strict``: same start, end and label. ``partial``: the spans
  overlap by at least one code point, label ignored. ``type``: the spans overlap
  and the labels are equal. ``per_label``: strict and type P/R/F1 for each label,
  with its gold and predicted counts (a pair counts for the label both share).
* Temporal expressions (TIMEX3). ``strict``: same start and end. ``overlap``:
  the spans overlap (type ignored). On the overlap-matched pairs:
  ``type_accuracy`` and ``value_accuracy`` (share of pairs whose ``type`` /
  ``value`` are equal), and ``value_f1``, TempEval-3 style: P/R/F1 where a pair
  counts as a true positive only when its value is also correct.
* Claims. A claim's content is the union of its ``content_parts`` when that
  list is non-empty, else its ``content`` span. A gold claim G and a predicted
  claim P can match when their contents overlap by at least half of the longer:
  |G ∩ P| ≥ 0.5 · max(|G|, |P|) (and |G ∩ P| > 0); pairs are taken greedily by
  overlap size, ties by position. ``content``: P/R/F1 of that matching. On
  matched pairs: ``source_accuracy`` (``source_canonical`` equal after
  case-folding and collapsing white space; both null, or empty, counts as
  equal) and ``kind_accuracy``.

Every problem with the input raises :class:`EvaluationError` naming the file,
the line or row, the document and the field.
"""

from __future__ import annotations

import json
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path, PurePath

import pyarrow.parquet as pq

from .errors import NewsEdcError

LAYERS = ("entities", "timexes", "claims")
TEST_SPLIT = "test"
_DOCUMENTS = Path("data") / "documents"


class EvaluationError(NewsEdcError, ValueError):
    """Bad input to the scorer: unreadable file, broken record, bad span, unknown document."""


# --- loading ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Source:
    """One raw record and where it came from (for messages)."""

    record: object
    where: str  # e.g. "pred.jsonl line 3"


@dataclass(frozen=True, slots=True)
class _Loaded:
    sources: list[_Source]
    # Ids and stems of documents that exist but are not scored (a gold release's
    # train split): predictions for them are skipped, not errors.
    unscored: frozenset[str] = frozenset()


def _read_jsonl(path: Path) -> list[_Source]:
    sources = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as err:
        raise EvaluationError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            sources.append(_Source(json.loads(line), f"{path} line {n}"))
        except json.JSONDecodeError as err:
            raise EvaluationError(f"{path} line {n}: not valid JSON ({err.msg} at column {err.colno})") from None
    return sources


def _read_parquet(path: Path) -> list[_Source]:
    try:
        rows = pq.read_table(path).to_pylist()
    except Exception as err:  # noqa: BLE001 - pyarrow raises many types for a broken file
        raise EvaluationError(f"{path}: not readable as Parquet ({err})") from None
    return [_Source(row, f"{path} row {i}") for i, row in enumerate(rows)]


def _read_json_folder(folder: Path) -> list[_Source]:
    sources = []
    for path in sorted(folder.glob("*.json")):
        try:
            sources.append(_Source(json.loads(path.read_text(encoding="utf-8")), str(path)))
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise EvaluationError(f"{path}: not valid JSON ({err})") from None
    return sources


def _unscored_keys(paths: Iterable[Path]) -> frozenset[str]:
    keys: set[str] = set()
    for path in paths:
        for source in _read_parquet(path):
            if isinstance(source.record, dict):
                keys.update(k for k in (_doc_id(source.record), _stem(source.record)) if k)
    return frozenset(keys)


def _load(path: Path, role: str) -> _Loaded:
    """Records of a gold or prediction path (``role`` is "gold" or "pred")."""
    if not path.exists():
        raise EvaluationError(f"{path}: no such file or folder ({role})")
    if path.is_dir():
        shards = path / _DOCUMENTS
        if shards.is_dir():
            files = sorted(shards.glob("*.parquet"))
            if role == "gold":
                test = [p for p in files if p.name.startswith(f"{TEST_SPLIT}-")]
                if not test:
                    raise EvaluationError(
                        f"{path}: release has no {TEST_SPLIT} split ({shards}/{TEST_SPLIT}-*.parquet)"
                    )
                loaded = _Loaded(
                    [s for p in test for s in _read_parquet(p)],
                    _unscored_keys(p for p in files if p not in test),
                )
            else:
                loaded = _Loaded([s for p in files for s in _read_parquet(p)])
        elif any(path.glob("*.json")):
            loaded = _Loaded(_read_json_folder(path))
        else:
            raise EvaluationError(
                f"{path}: neither a release folder ({_DOCUMENTS}/*.parquet) nor a folder of gold .json files"
            )
    elif path.suffix == ".jsonl":
        loaded = _Loaded(_read_jsonl(path))
    elif path.suffix == ".parquet":
        loaded = _Loaded(_read_parquet(path))
    else:
        raise EvaluationError(f"{path}: expected a .jsonl or .parquet file or a folder ({role})")
    if not loaded.sources:
        raise EvaluationError(f"{path}: no records ({role})")
    if role == "pred" and all(_is_ner_row(s.record) for s in loaded.sources):
        loaded = _Loaded(_records_from_ner_rows(loaded.sources), loaded.unscored)
    return loaded


_FROM_NER = "_from_ner_rows"


def _fill_span_texts(doc: _Doc, text: str) -> None:
    """Spans made from token offsets carry no surface text: take it from the gold text."""
    for layer in ("entities", "timexes"):
        for i, item in enumerate(doc.record[layer]):
            if not 0 <= item["start"] < item["end"] <= len(text):
                raise EvaluationError(
                    f"{doc.where} (doc {doc.name}): {layer}[{i}]: tokens [{item['start']}, {item['end']}) "
                    f"are outside the text ({len(text)} code points)"
                )
            item["text"] = text[item["start"] : item["end"]]


def _is_ner_row(record: object) -> bool:
    return isinstance(record, dict) and "ner_tags" in record and "document_id" in record


def _records_from_ner_rows(sources: Sequence[_Source]) -> list[_Source]:
    """Predictions in the ``ner`` config's shape (BIO tags per token) as document records.

    Rows are grouped by ``document_id``; tags may be ids of the ``ner`` ClassLabel or
    names. Entity labels fill the ``entities`` layer and DATE/TIME spans the ``timexes``
    layer (with ``type`` DATE or TIME and an empty value: BIO tags carry no TIMEX3 value, so
    their value accuracy is 0 by construction; their spans are what is scored).
    The records carry no text: their offsets point straight into the gold text.
    """
    from .tasks import BIO_NAMES, spans_from_bio

    docs: dict[str, dict] = {}
    first_where: dict[str, str] = {}
    for source in sources:
        row, where = source.record, source.where
        keys = ("token_starts", "token_ends", "ner_tags")
        if not all(isinstance(row.get(k), list) for k in keys) or not isinstance(row["document_id"], str):
            raise EvaluationError(f"{where}: a ner row needs document_id (string) and lists {', '.join(keys)}")
        starts, ends, raw = (row[k] for k in keys)
        if not len(starts) == len(ends) == len(raw):
            raise EvaluationError(f"{where}: token_starts, token_ends and ner_tags differ in length")
        tags = []
        for i, tag in enumerate(raw):
            if _is_int(tag) and 0 <= tag < len(BIO_NAMES):
                tags.append(BIO_NAMES[tag])
            elif isinstance(tag, str) and tag in BIO_NAMES:
                tags.append(tag)
            else:
                raise EvaluationError(f"{where}: ner_tags[{i}]: {tag!r} is not a tag of the ner ClassLabel")
        doc = docs.setdefault(row["document_id"], {"id": row["document_id"], _FROM_NER: True, "entities": [], "timexes": []})
        first_where.setdefault(row["document_id"], where)
        for start, end, label in spans_from_bio("", starts, ends, tags):
            span = {"start": start, "end": end}
            if label in ("DATE", "TIME"):
                doc["timexes"].append({**span, "type": label, "value": ""})  # BIO tags carry no value
            else:
                doc["entities"].append({**span, "label": label})
    return [_Source(doc, first_where[key]) for key, doc in docs.items()]


# --- records -> checked layers --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entity:
    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class _Timex:
    start: int
    end: int
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class _Claim:
    parts: tuple[tuple[int, int], ...]  # disjoint, sorted: the content as a set of code points
    kind: str
    source: str | None  # normalised source_canonical

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def size(self) -> int:
        return sum(e - s for s, e in self.parts)


@dataclass
class _Doc:
    name: str  # id, else stem: how messages name the document
    id: str | None
    stem: str | None
    text: str | None
    record: dict
    where: str
    layers: dict[str, list | None] = field(default_factory=dict)
    unmapped: Counter = field(default_factory=Counter)


def _doc_id(record: dict) -> str | None:
    value = record.get("id")
    return value if isinstance(value, str) and value else None


def _stem(record: dict) -> str | None:
    for key in ("source_file", "doc"):
        value = record.get(key)
        if isinstance(value, str) and value:
            return PurePath(value).stem if key == "source_file" else value
    return None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _span(obj: object, text: str, where: str) -> tuple[int, int]:
    """Check a ``{start, end, text}`` span against ``text``; its offsets."""
    if not isinstance(obj, dict):
        raise EvaluationError(f"{where}: expected a span object {{start, end, text}}, got {type(obj).__name__}")
    for key in ("start", "end"):
        if key not in obj:
            raise EvaluationError(f"{where}: missing key {key!r}")
        if not _is_int(obj[key]):
            raise EvaluationError(f"{where}: {key} must be an integer, got {obj[key]!r}")
    start, end, surface = obj["start"], obj["end"], obj.get("text")
    if not isinstance(surface, str):
        raise EvaluationError(f"{where}: text must be a string, got {surface!r}")
    if start < 0:
        raise EvaluationError(f"{where}: start {start} is negative")
    if start >= end:
        raise EvaluationError(f"{where}: start {start} is not before end {end}")
    if end > len(text):
        raise EvaluationError(f"{where}: end {end} is past the end of text ({len(text)} code points)")
    if text[start:end] != surface:
        raise EvaluationError(f"{where}: span text {surface!r} differs from text[{start}:{end}] {text[start:end]!r}")
    return start, end


def _string(item: dict, key: str, where: str, *, nullable: bool = False) -> str | None:
    if key not in item:
        if nullable:
            return None
        raise EvaluationError(f"{where}: missing key {key!r}")
    value = item[key]
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise EvaluationError(f"{where}: {key} must be a string, got {value!r}")
    return value


def _normalise_source(name: str | None) -> str | None:
    folded = " ".join(name.casefold().split()) if name else ""
    return folded or None


def _merge(spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return tuple((s, e) for s, e in merged)


class _Aligner:
    """Carries offsets of one text onto another through their matching characters."""

    def __init__(self, source: str, target: str) -> None:
        self._source, self._target = source, target
        self._map = array("q", [-1]) * len(source)
        # SequenceMatcher without autojunk is quadratic in the worst case, so the
        # common head and tail (usually almost all of a drifted text) are mapped
        # directly and only the middle is aligned.
        limit = min(len(source), len(target))
        head = 0
        while head < limit and source[head] == target[head]:
            head += 1
        tail = 0
        while tail < limit - head and source[-1 - tail] == target[-1 - tail]:
            tail += 1
        for k in range(head):
            self._map[k] = k
        for k in range(1, tail + 1):
            self._map[len(source) - k] = len(target) - k
        middle = SequenceMatcher(
            None, source[head : len(source) - tail], target[head : len(target) - tail], autojunk=False
        )
        for a, b, size in middle.get_matching_blocks():
            for k in range(size):
                self._map[head + a + k] = head + b + k

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """``[start, end)`` of the source on the target, or None when it cannot be carried over."""
        first, last = self._map[start], self._map[end - 1]
        if first < 0 or last < 0:
            return None
        mapped = (first, last + 1)
        # Characters deleted or inserted inside the span change its text: not the same span.
        return mapped if self._target[first : last + 1] == self._source[start:end] else None


def _parse_layer(doc: _Doc, layer: str, text: str, aligner: _Aligner | None) -> list | None:
    """The checked items of one layer of ``doc`` (offsets on the gold text), or None if absent."""
    items = doc.record.get(layer)
    if items is None:
        return None
    prefix = f"{doc.where} (doc {doc.name}): {layer}"
    if not isinstance(items, list):
        raise EvaluationError(f"{prefix}: expected a list, got {type(items).__name__}")

    def carry(span: tuple[int, int]) -> tuple[int, int] | None:
        return span if aligner is None else aligner.span(*span)

    out: list = []
    for i, item in enumerate(items):
        where = f"{prefix}[{i}]"
        if not isinstance(item, dict):
            raise EvaluationError(f"{where}: expected an object, got {type(item).__name__}")
        if layer == "claims":
            content = _span(item.get("content"), text, f"{where}.content")
            raw_parts = item.get("content_parts") or []
            if not isinstance(raw_parts, list):
                raise EvaluationError(f"{where}.content_parts: expected a list, got {type(raw_parts).__name__}")
            parts = [_span(p, text, f"{where}.content_parts[{j}]") for j, p in enumerate(raw_parts)] or [content]
            for key in ("source", "cue"):
                if item.get(key) is not None:
                    _span(item[key], text, f"{where}.{key}")
            kind = _string(item, "kind", where)
            source = _normalise_source(_string(item, "source_canonical", where, nullable=True))
            mapped = [carry(p) for p in parts]
            if any(m is None for m in mapped):
                doc.unmapped[layer] += 1
                continue
            out.append(_Claim(_merge(mapped), kind, source))
            continue
        span = _span(item, text, where)
        if layer == "entities":
            values = (_string(item, "label", where),)
            make: Callable = _Entity
        else:
            values = (_string(item, "type", where), _string(item, "value", where))
            make = _Timex
        mapped = carry(span)
        if mapped is None:
            doc.unmapped[layer] += 1
            continue
        out.append(make(*mapped, *values))
    return out


def _identify(source: _Source, role: str) -> _Doc:
    record = source.record
    if not isinstance(record, dict):
        raise EvaluationError(f"{source.where}: expected a record object, got {type(record).__name__}")
    for key in ("id", "source_file", "doc"):
        if key in record and record[key] is not None and not isinstance(record[key], str):
            raise EvaluationError(f"{source.where}: {key} must be a string, got {record[key]!r}")
    doc_id, stem = _doc_id(record), _stem(record)
    if doc_id is None and stem is None:
        raise EvaluationError(f"{source.where}: record names no document (no 'id', 'source_file' or 'doc')")
    text = record.get("text")
    if text is not None and not isinstance(text, str):
        raise EvaluationError(
            f"{source.where} (doc {doc_id or stem}): text must be a string, got {type(text).__name__}"
        )
    if role == "gold" and not text:
        raise EvaluationError(f"{source.where} (doc {doc_id or stem}): gold record has no text")
    return _Doc(doc_id or stem, doc_id, stem, text, record, source.where)


def _gold_docs(sources: Sequence[_Source]) -> list[_Doc]:
    docs = []
    seen: dict[str, str] = {}
    for source in sources:
        doc = _identify(source, "gold")
        # Two gold documents with one name would make matching ambiguous.
        key = doc.id or f"stem:{doc.stem}"
        if key in seen:
            raise EvaluationError(f"{doc.where}: document {doc.name} is also gold in {seen[key]}")
        seen[key] = doc.where
        for layer in LAYERS:
            if doc.record.get(layer) is None:
                raise EvaluationError(f"{doc.where} (doc {doc.name}): gold record has no {layer!r} layer")
            doc.layers[layer] = _parse_layer(doc, layer, doc.text, None)
        docs.append(doc)
    return docs


def _belongs(pred: _Doc, gold: _Doc) -> bool:
    if pred.id and gold.id:
        return pred.id == gold.id
    return pred.stem is not None and pred.stem == gold.stem


# --- matching and metrics --------------------------------------------------------------


def _greedy(candidates: list[tuple[tuple, int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs from ``(sort key, gold index, pred index)`` candidates, best key first."""
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, g, p in sorted(candidates):
        if g not in used_gold and p not in used_pred:
            used_gold.add(g)
            used_pred.add(p)
            pairs.append((g, p))
    return pairs


def _match_spans(gold: Sequence, pred: Sequence, same: Callable, *, exact_only: bool = False) -> list[tuple[int, int]]:
    """One-to-one span matching: exact first, then largest overlap, ties by position."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            overlap = min(g.end, p.end) - max(g.start, p.start)
            exact = (g.start, g.end) == (p.start, p.end)
            if overlap > 0 and same(g, p) and (exact or not exact_only):
                candidates.append(((not exact, -overlap, g.start, p.start), gi, pi))
    return _greedy(candidates)


def _intersection(a: tuple[tuple[int, int], ...], b: tuple[tuple[int, int], ...]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _match_claims(gold: Sequence[_Claim], pred: Sequence[_Claim]) -> list[tuple[int, int]]:
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            inter = _intersection(g.parts, p.parts)
            # Integer form of |G ∩ P| >= 0.5 * max(|G|, |P|): exact at the boundary.
            if inter > 0 and 2 * inter >= max(g.size, p.size):
                candidates.append(((-inter, g.start, p.start), gi, pi))
    return _greedy(candidates)


def prf(tp: int, gold: int, pred: int) -> dict:
    """Precision, recall and F1 with their counts; zero division gives 0.

    Args:
        tp: matched pairs.
        gold: gold items.
        pred: predicted items.

    Returns:
        ``{"tp", "gold", "pred", "precision", "recall", "f1"}``.
    """
    precision = tp / pred if pred else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "gold": gold, "pred": pred, "precision": precision, "recall": recall, "f1": f1}


def _accuracy(correct: int, total: int) -> float:
    return correct / total if total else 0.0


def _score_entities(pairs: list[tuple[list, list]]) -> dict:
    tp = Counter()
    per_label: dict[str, Counter] = {}

    def bump(label: str, key: str) -> None:
        per_label.setdefault(label, Counter())[key] += 1

    for gold, pred in pairs:
        for e in gold:
            bump(e.label, "gold")
        for e in pred:
            bump(e.label, "pred")
        same_label = lambda g, p: g.label == p.label  # noqa: E731
        strict = _match_spans(gold, pred, same_label, exact_only=True)
        typed = _match_spans(gold, pred, same_label)
        tp["strict"] += len(strict)
        tp["type"] += len(typed)
        tp["partial"] += len(_match_spans(gold, pred, lambda g, p: True))
        for g, _ in strict:
            bump(gold[g].label, "strict")
        for g, _ in typed:
            bump(gold[g].label, "type")
    n_gold = sum(len(g) for g, _ in pairs)
    n_pred = sum(len(p) for _, p in pairs)
    return {
        **{m: prf(tp[m], n_gold, n_pred) for m in ("strict", "partial", "type")},
        "per_label": {
            label: {
                "gold": c["gold"],
                "pred": c["pred"],
                "strict": prf(c["strict"], c["gold"], c["pred"]),
                "type": prf(c["type"], c["gold"], c["pred"]),
            }
            for label, c in sorted(per_label.items())
        },
    }


def _score_timexes(pairs: list[tuple[list, list]]) -> dict:
    tp = Counter()
    for gold, pred in pairs:
        tp["strict"] += len(_match_spans(gold, pred, lambda g, p: True, exact_only=True))
        matched = _match_spans(gold, pred, lambda g, p: True)
        tp["overlap"] += len(matched)
        tp["type"] += sum(gold[g].type == pred[p].type for g, p in matched)
        tp["value"] += sum(gold[g].value == pred[p].value for g, p in matched)
    n_gold = sum(len(g) for g, _ in pairs)
    n_pred = sum(len(p) for _, p in pairs)
    return {
        "strict": prf(tp["strict"], n_gold, n_pred),
        "overlap": prf(tp["overlap"], n_gold, n_pred),
        "matched": tp["overlap"],
        "type_accuracy": _accuracy(tp["type"], tp["overlap"]),
        "value_accuracy": _accuracy(tp["value"], tp["overlap"]),
        "value_f1": prf(tp["value"], n_gold, n_pred),
    }


def _score_claims(pairs: list[tuple[list, list]]) -> dict:
    tp = Counter()
    for gold, pred in pairs:
        matched = _match_claims(gold, pred)
        tp["content"] += len(matched)
        tp["source"] += sum(gold[g].source == pred[p].source for g, p in matched)
        tp["kind"] += sum(gold[g].kind == pred[p].kind for g, p in matched)
    n_gold = sum(len(g) for g, _ in pairs)
    n_pred = sum(len(p) for _, p in pairs)
    return {
        "content": prf(tp["content"], n_gold, n_pred),
        "matched": tp["content"],
        "source_accuracy": _accuracy(tp["source"], tp["content"]),
        "kind_accuracy": _accuracy(tp["kind"], tp["content"]),
    }


_SCORERS = {"entities": _score_entities, "timexes": _score_timexes, "claims": _score_claims}


# --- the report ------------------------------------------------------------------------


def _evaluate(gold_sources: Sequence[_Source], pred_sources: Sequence[_Source], unscored: frozenset[str]) -> dict:
    golds = _gold_docs(gold_sources)
    preds: dict[int, _Doc] = {}  # gold index -> its prediction
    skipped = 0
    for source in pred_sources:
        pred = _identify(source, "pred")
        owners = [i for i, g in enumerate(golds) if _belongs(pred, g)]
        if not owners:
            if (pred.id and pred.id in unscored) or (pred.stem and pred.stem in unscored):
                skipped += 1
                continue
            raise EvaluationError(f"{pred.where} (doc {pred.name}): no gold document has this id or source-file stem")
        if len(owners) > 1:
            raise EvaluationError(f"{pred.where} (doc {pred.name}): matches {len(owners)} gold documents")
        (owner,) = owners
        if owner in preds:
            raise EvaluationError(
                f"{pred.where} (doc {pred.name}): a second prediction for gold document {golds[owner].name} "
                f"(first at {preds[owner].where})"
            )
        gold = golds[owner]
        text = pred.text if pred.text is not None else gold.text
        aligner = _Aligner(text, gold.text) if text != gold.text else None
        if pred.record.get(_FROM_NER):
            _fill_span_texts(pred, text)
        pred.layers = {layer: _parse_layer(pred, layer, text, aligner) for layer in LAYERS}
        preds[owner] = pred

    drifted = sum(p.text is not None and p.text != golds[i].text for i, p in preds.items())
    report: dict = {
        "documents": {
            "gold": len(golds),
            "predicted": len(preds),
            "without_prediction": len(golds) - len(preds),
            "missing": [g.name for i, g in enumerate(golds) if i not in preds],
            "skipped_predictions": skipped,
            "text_drift": drifted,
        }
    }
    for layer in LAYERS:
        if all(p.layers[layer] is None for p in preds.values()):
            report[layer] = None
            continue
        pairs = []
        for i, g in enumerate(golds):
            predicted = preds[i].layers[layer] if i in preds else None
            pairs.append((g.layers[layer], predicted))
        report[layer] = {
            "documents_not_predicted": sum(p is None for _, p in pairs),
            "unmapped_spans": sum(p.unmapped[layer] for p in preds.values()),
            **_SCORERS[layer]([(g, p or []) for g, p in pairs]),
        }
    return report


def evaluate(gold_docs: Iterable[dict], pred_docs: Iterable[dict]) -> dict:
    """Score already-loaded predictions against already-loaded gold documents.

    Args:
        gold_docs: gold records (``document.schema.json`` shape) or devset gold
            dicts (``{"doc", "dct", "text", "entities", "timexes", "claims"}``).
        pred_docs: predicted records; metadata, ``origin`` and layers may be absent.

    Returns:
        The report (JSON-serialisable): ``documents`` counts, then one entry per
        layer (``entities``, ``timexes``, ``claims``), ``None`` when not predicted.
        See the module docstring for every metric.

    Raises:
        EvaluationError: a broken record or span, or a prediction for an unknown document.
    """
    gold = [_Source(r, f"gold record {i}") for i, r in enumerate(gold_docs)]
    pred = [_Source(r, f"pred record {i}") for i, r in enumerate(pred_docs)]
    if not gold:
        raise EvaluationError("no gold documents")
    return _evaluate(gold, pred, frozenset())


def evaluate_paths(gold: Path, pred: Path) -> dict:
    """Load gold and predictions from files or folders and score them.

    Args:
        gold: a release folder (its test split), a ``.jsonl`` / ``.parquet`` file
            of records, or a folder of devset-style gold ``.json`` files.
        pred: a ``.jsonl`` or ``.parquet`` file of records, or a release folder.

    Returns:
        The :func:`evaluate` report, with ``gold`` and ``pred`` paths added.

    Raises:
        EvaluationError: unreadable input, a broken record or span, or a
            prediction for an unknown document.
    """
    gold, pred = Path(gold), Path(pred)
    gold_loaded, pred_loaded = _load(gold, "gold"), _load(pred, "pred")
    return {
        "gold": str(gold),
        "pred": str(pred),
        **_evaluate(gold_loaded.sources, pred_loaded.sources, gold_loaded.unscored),
    }


def _row(layer: str, metric: str, scores: dict) -> str:
    return (
        f"{layer:<9} {metric:<9} {scores['gold']:>6} {scores['pred']:>6} {scores['tp']:>6}"
        f"  {scores['precision']:.3f}  {scores['recall']:.3f}  {scores['f1']:.3f}"
    )


def format_report(report: dict) -> str:
    """A readable plain-text table of an :func:`evaluate` report."""
    docs = report["documents"]
    lines = []
    if "gold" in report:
        lines += [f"gold: {report['gold']}", f"pred: {report['pred']}"]
    lines.append(
        f"documents: {docs['gold']} gold, {docs['predicted']} predicted, "
        f"{docs['without_prediction']} without prediction (scored as empty), "
        f"{docs['text_drift']} with text drift, {docs['skipped_predictions']} prediction(s) skipped (not in gold split)"
    )
    if docs["missing"]:
        lines.append(f"  without prediction: {', '.join(docs['missing'])}")
    header = f"{'layer':<9} {'metric':<9} {'gold':>6} {'pred':>6} {'tp':>6}  {'P':<5}  {'R':<5}  {'F1':<5}"
    lines += ["", header, "-" * len(header)]
    notes = []
    metrics = {
        "entities": ("strict", "partial", "type"),
        "timexes": ("strict", "overlap", "value_f1"),
        "claims": ("content",),
    }
    for layer, names in metrics.items():
        scores = report.get(layer)
        if scores is None:
            lines.append(f"{layer:<9} (not predicted)")
            continue
        lines += [_row(layer, name.replace("_f1", ""), scores[name]) for name in names]
        extra = []
        if layer == "timexes":
            extra.append(f"type accuracy {scores['type_accuracy']:.3f}, value accuracy {scores['value_accuracy']:.3f}")
        if layer == "claims":
            extra.append(
                f"source accuracy {scores['source_accuracy']:.3f}, kind accuracy {scores['kind_accuracy']:.3f}"
            )
        if "matched" in scores:
            extra.insert(0, f"{scores['matched']} matched pair(s)")
        if scores["unmapped_spans"]:
            extra.append(f"{scores['unmapped_spans']} predicted item(s) dropped: not mappable onto the gold text")
        if scores["documents_not_predicted"]:
            extra.append(f"{scores['documents_not_predicted']} document(s) without this layer")
        if extra:
            notes.append(f"{layer}: " + "; ".join(extra))
    if notes:
        lines += [""] + notes
    entities = report.get("entities")
    if entities and entities["per_label"]:
        head = f"{'label':<12} {'gold':>5} {'pred':>5}  {'strict P':>8} {'R':>5} {'F1':>5}"
        head += f"  {'type P':>6} {'R':>5} {'F1':>5}"
        lines += ["", "entities per label", head, "-" * len(head)]
        for label, s in entities["per_label"].items():
            st, ty = s["strict"], s["type"]
            lines.append(
                f"{label:<12} {s['gold']:>5} {s['pred']:>5}"
                f"  {st['precision']:>8.3f} {st['recall']:>5.3f} {st['f1']:>5.3f}"
                f"  {ty['precision']:>6.3f} {ty['recall']:>5.3f} {ty['f1']:>5.3f}"
            )
    return "\n".join(lines).rstrip()
