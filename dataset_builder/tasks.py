"""Task-shaped configs derived from the ``documents`` records at build time.

- ``ner``: one row per sentence — spaCy tokens, BIO ``ner_tags`` (a ``ClassLabel`` over
  the 18 OntoNotes labels: the entity layer plus DATE and TIME from the temporal
  layer) and each token's character offsets in the document ``text``, so predictions
  map back to spans.
- ``timex``: one row per temporal expression, with its sentence and the DCT.
- ``claims``: one row per claim, with the sentence(s) it spans.

Tokens are spaCy's, split further at every span boundary, so that each span is a
whole number of tokens and ``spans_from_bio`` gives back exactly the spans of the
document layer. BIO cannot hold overlapping spans: where an entity and a temporal
expression overlap (``50`` inside ``over the age of 50``), the temporal expression
is kept in ``ner`` and the entity is counted in ``overlaps_dropped``; both stay
in ``documents``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate

from datasets import ClassLabel, Features, List, Value

from .schema import features as document_features

# The OntoNotes 5.0 label order of the `conll2012_ontonotesv5` dataset on the Hub, so
# tag ids mean the same thing as there. Never reorder: ids are part of the release.
ONTONOTES_LABELS = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "DATE", "TIME", "PERCENT",
    "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE",
)
BIO_NAMES = ("O", *[f"{p}-{label}" for label in ONTONOTES_LABELS for p in ("B", "I")])
_BIO_INDEX = {name: i for i, name in enumerate(BIO_NAMES)}


def ner_features() -> Features:
    return Features(
        {
            "id": Value("string"),
            "document_id": Value("string"),
            "tokens": List(Value("string")),
            "ner_tags": List(ClassLabel(names=list(BIO_NAMES))),
            "token_starts": List(Value("int64")),
            "token_ends": List(Value("int64")),
        }
    )


def timex_features() -> Features:
    timex = document_features()["timexes"].feature
    return Features(
        {
            "id": Value("string"),
            "document_id": Value("string"),
            "dct": Value("string"),
            "sentence": Value("string"),
            "sentence_start": Value("int64"),
            **{k: timex[k] for k in ("start", "end", "text", "type", "value", "mod", "origin")},
        }
    )


def claims_features() -> Features:
    claim = document_features()["claims"].feature
    return Features(
        {
            "id": Value("string"),
            "document_id": Value("string"),
            "context": Value("string"),
            "context_start": Value("int64"),
            **{k: claim[k] for k in claim},
        }
    )


TASK_FEATURES = {"ner": ner_features, "timex": timex_features, "claims": claims_features}


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    tokens: tuple[tuple[int, int], ...]  # (start, end) of each token in the document text


def ner_spans(record: dict) -> tuple[list[tuple[int, int, str]], int]:
    """The non-overlapping (start, end, label) spans that ``ner`` encodes, and how many were dropped."""
    # OntoNotes DATE covers dates and periods ("four years", "every week"); TIME is a time of day.
    spans = [(t["start"], t["end"], "TIME" if t["type"] == "TIME" else "DATE") for t in record["timexes"]]
    kept: list[tuple[int, int, str]] = []  # sorted by start, never overlapping
    dropped = 0
    # Temporal expressions first (they win an overlap), then entities.
    for start, end, label in spans + [(e["start"], e["end"], e["label"]) for e in record["entities"]]:
        # Only the neighbours can overlap: the kept span starting before this one
        # (does it end after this start?) and the one starting at or after it.
        i = bisect_left(kept, (start,))
        if (i and kept[i - 1][1] > start) or (i < len(kept) and kept[i][0] < end):
            dropped += 1
            continue
        kept.insert(i, (start, end, label))
    return kept, dropped


@dataclass(frozen=True, slots=True)
class Skeleton:
    """What the task configs need of a parsed document: sentence bounds and non-space tokens.

    Small and JSON-friendly, so the annotation cache can keep it and a rebuild
    derives the task rows without parsing the text again.

    Attributes:
        sents: ``(start_char, end_char)`` of each spaCy sentence, in order.
        tokens: ``(start, end)`` of each token that is not white space, in order.
    """

    sents: tuple[tuple[int, int], ...]
    tokens: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, doc) -> Skeleton:
        """The skeleton of a parsed spaCy ``Doc`` (its parser or senter sets the sentences)."""
        return cls(
            tuple((s.start_char, s.end_char) for s in doc.sents),
            tuple((t.idx, t.idx + len(t.text)) for t in doc if not t.is_space),
        )

    def to_json(self) -> list:
        return [[c for se in self.sents for c in se], [c for se in self.tokens for c in se]]

    @classmethod
    def from_json(cls, data: list) -> Skeleton:
        sents, toks = data
        return cls(tuple(zip(sents[::2], sents[1::2], strict=True)), tuple(zip(toks[::2], toks[1::2], strict=True)))


def sentences(doc, cuts: Iterable[int], spans: Sequence[tuple[int, int, str]]) -> list[Sentence]:
    """spaCy's sentences and tokens, tokens split at ``cuts``, sentences merged where a span crosses them.

    Args:
        doc: a parsed spaCy ``Doc`` or its :class:`Skeleton`.
    """
    skeleton = doc if isinstance(doc, Skeleton) else Skeleton.of(doc)
    cut_list = sorted(set(cuts))  # a token is split at the cuts strictly inside it
    # Whether a span crosses a sentence start x (s < x < e): among the spans that
    # start before x, the furthest end passes x. Sorted starts and running maxima
    # of the ends answer it with one bisection per sentence.
    ordered = sorted((s, e) for s, e, _ in spans)
    starts = [s for s, _ in ordered]
    furthest = list(accumulate((e for _, e in ordered), max))
    bounds: list[list[int]] = []
    for s_start, s_end in skeleton.sents:
        before = bisect_left(starts, s_start)
        if bounds and before and furthest[before - 1] > s_start:
            bounds[-1][1] = s_end
        else:
            bounds.append([s_start, s_end])
    out = []
    tokens = skeleton.tokens
    # Tokens are sorted and disjoint, so their starts and ends are both sorted: a
    # sentence's tokens and the cuts inside them are found by bisection, and only the
    # few tokens a cut falls strictly inside are split.
    tok_starts = [s for s, _ in tokens]
    tok_ends = [e for _, e in tokens]
    i = 0
    for s_start, s_end in bounds:
        # Sentence bounds are token bounds: the sentence's tokens are those inside it.
        first = bisect_left(tok_starts, s_start, i)
        i = bisect_right(tok_ends, s_end, first)
        if first == i:
            continue
        toks: list[tuple[int, int]] = []
        done = first
        for c in cut_list[bisect_right(cut_list, tok_starts[first]) : bisect_left(cut_list, tok_ends[i - 1])]:
            k = bisect_right(tok_starts, c, first, i) - 1
            if not tok_starts[k] < c < tok_ends[k]:
                continue  # on a token bound or between tokens
            if k >= done:  # the first cut in token k
                toks.extend(tokens[done:k])
                toks.append(tokens[k])
                done = k + 1
            start, end = toks.pop()
            toks += [(start, c), (c, end)]
        toks.extend(tokens[done:i])
        out.append(Sentence(toks[0][0], toks[-1][1], tuple(toks)))
    return out


def bio_tags(tokens: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int, str]]) -> list[str]:
    """BIO tags of ``tokens`` (sorted, not overlapping): the tokens inside each span get its label."""
    tags = ["O"] * len(tokens)
    starts = [s for s, _ in tokens]
    for start, end, label in spans:
        # The tokens inside a span are consecutive: from the first starting at or after
        # its start, while they end by its end.
        i = bisect_left(starts, start)
        first = True
        while i < len(tokens) and tokens[i][1] <= end:
            tags[i] = f"{'B' if first else 'I'}-{label}"
            first = False
            i += 1
    return tags


def spans_from_bio(text: str, starts: Sequence[int], ends: Sequence[int], tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Spans (start, end, label) from BIO tags over tokens with document offsets.

    An ``I-`` tag after ``O`` or after another label starts a new span (the usual lenient reading, as in seqeval's default mode).
    """
    spans: list[tuple[int, int, str]] = []
    current: list | None = None
    for s, e, tag in zip(starts, ends, tags, strict=True):
        prefix, _, label = tag.partition("-")
        if prefix == "B" or (prefix == "I" and (current is None or current[2] != label)):
            if current:
                spans.append(tuple(current))
            current = [s, e, label]
        elif prefix == "I":
            current[1] = e
        else:
            if current:
                spans.append(tuple(current))
            current = None
    if current:
        spans.append(tuple(current))
    return spans


def task_rows(records: Iterable[dict], nlp) -> Iterator[tuple[str, dict]]:
    """(config, row) pairs of every task config, derived from document records.

    ``nlp`` must set sentence boundaries (a parser or senter) and tokenise as the
    release's pipeline does.
    """
    for record in records:
        yield from record_task_rows(record, Skeleton.of(nlp(record["text"])))


def record_task_rows(record: dict, skeleton: Skeleton) -> Iterator[tuple[str, dict]]:
    """(config, row) pairs of one document record, from the skeleton of its parsed text.

    The build calls this with the skeleton of the ``Doc`` the annotators saw (or
    the cached one), so the task configs cost no second parse.
    """
    spans, _ = ner_spans(record)
    cuts = {c for s, e, _ in spans for c in (s, e)}
    cuts |= {c for cl in record["claims"] for sp in (cl["content"], cl["cue"], cl["source"]) if sp for c in (sp["start"], sp["end"])}
    sents = sentences(skeleton, cuts, spans)
    span_starts = [sp[0] for sp in spans]  # spans are sorted
    for n, sent in enumerate(sents):
        inside = spans[bisect_left(span_starts, sent.start) : bisect_left(span_starts, sent.end)]
        tags = bio_tags(sent.tokens, inside)
        yield "ner", {
            "id": f"{record['id']}-{n:04d}",
            "document_id": record["id"],
            "tokens": [record["text"][s:e] for s, e in sent.tokens],
            "ner_tags": [_BIO_INDEX[t] for t in tags],
            "token_starts": [s for s, _ in sent.tokens],
            "token_ends": [e for _, e in sent.tokens],
        }
    # Sentences are sorted and disjoint: their bounds, listed once, are searched
    # by bisection for each timex and claim part, not scanned.
    bounds = ([s.start for s in sents], [s.end for s in sents])
    for n, t in enumerate(record["timexes"]):
        sent = _sentence_of(bounds, t["start"], t["end"])
        yield "timex", {
            "id": f"{record['id']}-t{n:03d}",
            "document_id": record["id"],
            "dct": record["published"],
            "sentence": record["text"][sent[0] : sent[1]],
            "sentence_start": sent[0],
            **{k: t[k] for k in ("start", "end", "text", "type", "value", "mod", "origin")},
        }
    for n, c in enumerate(record["claims"]):
        parts = [c["content"], c["cue"], *(c["content_parts"] or []), *([c["source"]] if c["source"] else [])]
        start = min(_sentence_of(bounds, p["start"], p["end"])[0] for p in parts)
        end = max(_sentence_of(bounds, p["start"], p["end"])[1] for p in parts)
        yield "claims", {
            "id": f"{record['id']}-c{n:03d}",
            "document_id": record["id"],
            "context": record["text"][start:end],
            "context_start": start,
            **c,
        }


def _sentence_of(bounds: tuple[list[int], list[int]], start: int, end: int) -> tuple[int, int]:
    """Start of the sentence holding ``start`` and end of the one holding ``end`` (the span's own where none does).

    Args:
        bounds: the sorted starts and ends of disjoint sentences.
    """
    starts, ends = bounds
    i = bisect_right(starts, start) - 1  # the last sentence starting at or before `start`
    j = bisect_left(ends, end)  # the first sentence ending at or after `end`
    first = starts[i] if i >= 0 and start < ends[i] else start
    last = ends[j] if j < len(ends) and starts[j] < end else end
    return first, last
