"""The dataset card's prose (README.md of a release), generated from the release."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .config import DATASET_NAME, PRETTY_NAME, RELEASE_NOTES
from .versioning import render_changes

if TYPE_CHECKING:  # only for the annotation: release imports this module
    from .release import ConfigData

LICENSE_SUMMARY = (
    "Annotations, schema and code: MIT (the project's licence). The article texts remain the "
    "copyright of their publishers and are included for research use only; redistribution of the "
    "texts needs the publishers' permission, so a public copy is gated, and a text is removed on "
    "the publisher's request (see DATASHEET.md)."
)
GATED_PROMPT = (
    "The article texts in this dataset are the copyright of their publishers and are shared for "
    "non-commercial research on information extraction only. By requesting access you agree not to "
    "redistribute the texts and to delete copies of any article removed in a later version."
)
DOCUMENTS_DESCRIPTION = (
    "One record per news article: cleaned text, publication metadata and the entities, timexes and "
    "claims annotation layers."
)


TASK_DESCRIPTIONS = {
    "ner": (
        "One row per sentence: spaCy tokens, BIO `ner_tags` (a ClassLabel over the 18 OntoNotes labels: "
        "the entity layer plus DATE and TIME from the temporal layer) and each token's character offsets "
        "in the document text."
    ),
    "timex": "One row per temporal expression, with its sentence, the document creation time (dct), type, value and mod.",
    "claims": "One row per claim, with the sentence(s) around it (context), content, source, cue, kind and via.",
}


def _example(config: ConfigData) -> str:
    """A few lines of the config's first row, as `print(ds[split][0])` would show it, shortened."""
    split, rows = next(((name, rows) for name, rows in config.splits.items() if rows), (None, []))
    if not rows:
        return "(no rows in this release)"
    first = rows[0]
    row = {key: first[key] for key in config.features}
    if config.name == "ner":
        names = config.features["ner_tags"].feature.names
        row = {k: (v[:8] if isinstance(v, list) else v) for k, v in row.items()}
        row["ner_tags (names)"] = [names[t] for t in row["ner_tags"]]
    lines = []
    for key, value in row.items():
        text = repr(value)
        lines.append(f"{key}: {text if len(text) <= 100 else text[:97] + '...'}")
    return f"# ds['{split}'][0]\n" + "\n".join(lines)


def configs_markdown(configs: list[ConfigData]) -> str:
    """Every config with its fields, splits, a load snippet and an example row."""
    out = []
    for c in configs:
        fields = ", ".join(f"`{name}`" for name in c.features)
        splits = ", ".join(f"`{name}` ({len(rows)})" for name, rows in c.splits.items())
        out.append(
            f"### `{c.name}`{' (default)' if c.default else ''}\n\n{c.description}\n\n"
            f"Fields: {fields}.\n\nSplits (rows): {splits}.\n\n"
            f"```python\nds = load_dataset(\"path/to/{DATASET_NAME}/<version>\", \"{c.name}\")\n```\n\n"
            f"```text\n{_example(c)}\n```\n"
        )
    return "\n".join(out)


def _counts(rows: Sequence[dict]) -> str:
    layers = Counter()
    if hasattr(rows, "list_items"):  # written shards: counted by the writer, nothing read back
        layers.update({layer: rows.list_items(layer) for layer in ("entities", "timexes", "claims")})
    else:
        for row in rows:
            for layer in ("entities", "timexes", "claims"):
                layers[layer] += len(row[layer])
    return f"{len(rows)} documents, {layers['entities']} entities, {layers['timexes']} temporal expressions, {layers['claims']} claims"


def _f(x: float) -> str:
    return f"{x:.3f}"


def baselines_markdown(baselines: dict | None) -> str:
    """Tables of the scorer's report on the gold documents (:mod:`dataset_builder.evaluate` keys).

    A layer the report leaves out or marks ``None`` (not predicted) says so
    instead of showing zeros.
    """
    if not baselines:
        return "No baseline scores in this release.\n"
    out: list[str] = []
    entities = baselines.get("entities")
    if entities:
        out += ["Entities (strict: exact span and label; type: overlapping span, same label):", ""]
        out += ["| label | gold | pred | strict P | strict R | strict F1 | type F1 |", "|---|---:|---:|---:|---:|---:|---:|"]
        for label, s in entities.get("per_label", {}).items():
            out.append(
                f"| {label} | {s['gold']} | {s['pred']} | {_f(s['strict']['precision'])} | {_f(s['strict']['recall'])} "
                f"| {_f(s['strict']['f1'])} | {_f(s['type']['f1'])} |"
            )
        st, ty = entities["strict"], entities["type"]
        out.append(
            f"| **all** | {st.get('gold', '')} | {st.get('pred', '')} | {_f(st['precision'])} | {_f(st['recall'])} "
            f"| {_f(st['f1'])} | {_f(ty['f1'])} |"
        )
    else:
        out.append("Entities: not predicted.")
    out.append("")
    timexes = baselines.get("timexes")
    claims = baselines.get("claims")
    out += ["| layer | metric | value |", "|---|---|---:|"]
    if timexes:
        out.append(f"| timexes | strict span F1 | {_f(timexes['strict']['f1'])} |")
        if "overlap" in timexes:
            out.append(f"| timexes | overlap span F1 | {_f(timexes['overlap']['f1'])} |")
        if "type_accuracy" in timexes:
            out.append(f"| timexes | type accuracy (matched) | {_f(timexes['type_accuracy'])} |")
        out.append(f"| timexes | value accuracy (matched) | {_f(timexes['value_accuracy'])} |")
    else:
        out.append("| timexes | not predicted | |")
    if claims:
        out.append(f"| claims | content F1 | {_f(claims['content']['f1'])} |")
        out.append(f"| claims | source accuracy (matched) | {_f(claims['source_accuracy'])} |")
        out.append(f"| claims | kind accuracy (matched) | {_f(claims['kind_accuracy'])} |")
    else:
        out.append("| claims | not predicted | |")
    return "\n".join(out) + "\n"


def render(configs: list[ConfigData], report: dict, version: str, baselines: dict | None = None) -> str:
    """The card's Markdown body (below the YAML header), generated from the release.

    Args:
        configs: the release's configs; the first is the documents config.
        report: the release's ``build_report.json`` content (inputs, ``changes``).
        version: the dataset version.
        baselines: the scorer's report of the automatic annotators on gold, or None.
    """
    splits = configs[0].splits
    split_lines = "\n".join(f"| `{name}` | {_counts(rows)} |" for name, rows in splits.items())
    rejected = "\n".join(f"- `{r['source_file']}`: {r['reason']}" for r in report["rejected"]) or "- none"
    release = RELEASE_NOTES.get(version)
    notes = f"Released {release.date}. {release.notes}" if release else ""
    changes = render_changes(report["changes"]) if report.get("changes") else ""
    return f"""# {PRETTY_NAME}

Version **{version}** of `{DATASET_NAME}`. {notes}

Each record is one news article: a cleaned canonical `text` (headline, standfirst and body
paragraphs separated by a blank line, site furniture removed) with publication metadata and
three stand-off annotation layers whose spans are `[start, end)` in Unicode code points of
`text` (`text[start:end] == span.text` for every span; the build fails otherwise):

- `entities`: OntoNotes 5.0 mentions without DATE and TIME, each with a `canonical` name and,
  where known for certain, a Wikidata `kb_id`;
- `timexes`: TIMEX3 temporal expressions with ISO-TimeML `type`, `value` (resolved against the
  publication date, the document creation time) and `mod`;
- `claims`: attribution relations — `content`, `source` (with `source_canonical`), `cue`, `kind`
  (`direct`, `indirect`, `mixed`), `via` for a relaying channel, `content_parts` for a quote
  split by its cue.

Every annotation has an `origin`: `gold` for human-verified annotations, otherwise the name and
version of the automatic annotator and spaCy pipeline that produced it.

## Splits

Documents with gold annotations form the `test` split (the benchmark); documents annotated only
by the automatic annotators (silver) form `train`.

| split | contents |
|---|---|
{split_lines}

## Configs

{configs_markdown(configs)}
## Changes in this version

{changes}
## Baselines

Scores of the automatic (silver) annotators on the gold documents, computed by
`dataset-builder evaluate` at build time. The annotators were developed with these documents in
view, so these numbers are optimistic: they show the annotators reproduce the gold, not how they
do on unseen articles (the project README reports scores on blind held-out articles).

{baselines_markdown(baselines)}
## Loading

```python
from datasets import load_dataset

ds = load_dataset("path/to/{DATASET_NAME}/{version}", "documents")
# from the Hub, pinned to this version (the repo is gated: request access first):
# ds = load_dataset("ORG/{DATASET_NAME}", "documents", revision="v{version}")
doc = ds["test"][0]
for e in doc["entities"]:
    assert doc["text"][e["start"]:e["end"]] == e["text"]
```

## Build report

Inputs rejected by this build:

{rejected}

## Licence and access

{LICENSE_SUMMARY}

## Files

`croissant.json` is Croissant 1.1 metadata (with Responsible-AI fields); `SHA256SUMS` covers
every file; `schema/document.schema.json` is the record contract; `build_report.json` lists
every input file, the data diff to the previous version and the baseline scores.
"""
