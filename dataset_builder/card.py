"""The dataset card's prose (README.md of a release), generated from the release."""

from __future__ import annotations

from collections import Counter

from .config import DATASET_NAME, PRETTY_NAME, RELEASE_NOTES

LICENSE_SUMMARY = (
    "Annotations, schema and code: see the project's licence. The article texts remain the "
    "copyright of their publishers and are included for research use only; redistribution of the "
    "texts may need the publishers' permission."
)


def _counts(rows: list[dict]) -> str:
    layers = Counter()
    for row in rows:
        for layer in ("entities", "timexes", "claims"):
            layers[layer] += len(row[layer])
    return f"{len(rows)} documents, {layers['entities']} entities, {layers['timexes']} temporal expressions, {layers['claims']} claims"


def render(splits: dict[str, list[dict]], report: dict, version: str) -> str:
    split_lines = "\n".join(f"| `{name}` | {_counts(rows)} |" for name, rows in splits.items())
    rejected = "\n".join(f"- `{r['source_file']}`: {r['reason']}" for r in report["rejected"]) or "- none"
    return f"""# {PRETTY_NAME}

Version **{version}** of `{DATASET_NAME}`. {RELEASE_NOTES.get(version, "")}

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

## Loading

```python
from datasets import load_dataset

ds = load_dataset("path/to/{DATASET_NAME}/{version}", "documents")
doc = ds["test"][0]
for e in doc["entities"]:
    assert doc["text"][e["start"]:e["end"]] == e["text"]
```

## Build report

Inputs rejected by this build:

{rejected}

## Licence

{LICENSE_SUMMARY}
"""
