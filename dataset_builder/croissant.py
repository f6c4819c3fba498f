"""Croissant 1.1 metadata (``croissant.json``) of a release, with the Responsible-AI fields.

Every Parquet shard is a ``cr:FileObject`` with its SHA-256 and size (what a
reader checks); every config is a ``cr:FileSet`` over its shards (what the
record set reads, so that a config with several shards is still one record
set) and a ``cr:RecordSet`` whose fields are derived from the config's
``datasets.Features``: nested objects become ``subField``s, lists become
``isArray`` fields, and a field inside a nested column is reached with
``jsonPath`` transforms — which ``mlcroissant`` reads back as lists of dicts.
The split of a record is taken from its shard's file name and references a
``cr:Split`` record set, as the Hugging Face Hub's own Croissant export does.

Nothing here depends on the build time: ``datePublished`` is the release date
from :data:`~dataset_builder.config.RELEASE_NOTES`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datasets import LargeList, List, Sequence

from .config import DATASET_NAME, RELEASE_NOTES
from .validate import sha256_file

if TYPE_CHECKING:  # only for annotations: release imports this module
    from .release import ConfigData

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
PARQUET = "application/x-parquet"
# The JSON-LD context of Croissant 1.1 (as mlcroissant writes it), plus the RAI prefix.
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
DATA_TYPES = {
    "string": "sc:Text",
    "int64": "sc:Integer",
    "int32": "sc:Integer",
    "float64": "sc:Float",
    "bool": "sc:Boolean",
}
DESCRIPTION = (
    "News articles (cleaned text and publication metadata) with three stand-off annotation layers: "
    "named and numeric entities (OntoNotes 5.0 labels without DATE/TIME, canonical names, Wikidata "
    "QIDs where certain), TIMEX3 temporal expressions resolved against the publication date, and "
    "attributed claims (source, cue, content). Spans are [start, end) in Unicode code points of the text."
)
LICENSE = "https://opensource.org/licenses/MIT"
CITE_AS = "@misc{news_edc, title = {news-edc: News Entities, Dates, Claims}, note = {Dataset version %s}}"
# Responsible-AI fields (Croissant RAI vocabulary) that apply to this dataset;
# DATASHEET.md says the same at length.
RAI: dict[str, str | list[str]] = {
    "rai:dataCollection": (
        "Public English-language news articles captured from publishers' web pages as plain-text dumps "
        "(site furniture included). Each raw file is kept byte for byte; its SHA-256 gives the document id."
    ),
    "rai:dataCollectionType": ["Web Scraping", "Manual Human Curation"],
    "rai:dataCollectionRawData": "The raw article dumps are in sources/articles/ of the builder repository.",
    "rai:dataPreprocessingProtocol": [
        "Cleaning by general rules for news furniture (breadcrumbs, bylines, captions, share buttons, paywall "
        "offers, related links): headline, standfirst and body paragraphs are kept, NFC-normalised, "
        "paragraphs separated by a blank line; publication date-times get their UTC offset from the tz database.",
        "Files that are empty, not UTF-8, without a publication date or without a body are rejected with the "
        "reason (build_report.json); exact duplicates are rejected.",
    ],
    "rai:dataAnnotationProtocol": (
        "Annotated following the project's ANNOTATION_GUIDELINES v1 (entities, TIMEX3, attribution). Documents of "
        "the test split carry gold annotations (origin 'gold'): made and verified by hand by the project team, one "
        "annotation pass then a review. Documents of the train split carry silver annotations produced by the "
        "automatic annotators; their origin names annotator, version and spaCy pipeline."
    ),
    "rai:annotationsPerItem": "One gold annotation set per test document (adjudicated); one silver set per train document.",
    "rai:machineAnnotationTools": [
        "spaCy 3.8 with en_core_web_sm 3.8.0",
        "news-edc rule-based annotators (entities, timex, claims); see each annotation's origin",
    ],
    "rai:dataUseCases": (
        "Benchmarking and training of entity recognition and linking, temporal expression normalisation and "
        "attribution (quote) extraction on English news. Not validated for other languages or genres, and not a "
        "source of facts: claims record who said what, not whether it is true."
    ),
    "rai:dataLimitations": (
        "Very small and topically narrow (few outlets and topics); the test split is the only gold data. Silver "
        "annotations contain systematic errors of the automatic annotators. Wikidata QIDs are given only where "
        "certain, so kb_id recall is low by design."
    ),
    "rai:dataBiases": (
        "Selection bias: English-language international news of a few outlets, mostly geopolitics and economics, "
        "over a short period; named people are mostly male political leaders. Entity canonical names follow "
        "English Wikipedia conventions."
    ),
    "rai:personalSensitiveInformation": (
        "Names of public figures and officials as reported in published news, including their political opinions "
        "and statements (claims). No private individuals were targeted and no information beyond the published "
        "articles was added; bylines (journalists' names) are kept as metadata."
    ),
    "rai:dataSocialImpact": (
        "Helps measure extraction of who-said-what and when from news. Misuse risk: profiling of named persons; "
        "treating attributed claims as facts."
    ),
    "rai:dataReleaseMaintenancePlan": (
        "Versioned releases (MAJOR.MINOR.PATCH as in TFDS) that are never rewritten; each version is tagged "
        "v<version> on the Hub and its changes are listed in CHANGELOG.md. An article is removed in a new version "
        "at its publisher's request."
    ),
}


def _is_list(feature: Any) -> bool:
    return isinstance(feature, List | LargeList | Sequence | list)


def _field_type(feature: Any) -> str:
    return DATA_TYPES.get(getattr(feature, "dtype", "string"), "sc:Text")


def _fields(feature: Any, config: str, column: str, steps: list[str], file_set: str, in_array: bool = False) -> dict:
    """One Croissant field for a feature at ``column`` + jsonPath ``steps`` (``in_array``: below a list)."""
    name = steps[-1] if steps else column
    node: dict[str, Any] = {
        "@type": "cr:Field",
        "@id": "/".join([config, column, *steps]),
        "name": name,
    }
    inner = feature
    if isinstance(feature, List | LargeList | Sequence | list):
        node["isArray"] = True
        node["arrayShape"] = "-1"
        inner = feature[0] if isinstance(feature, list) else feature.feature
    if isinstance(inner, dict):
        # The sub-fields read the same column; jsonPath steps select inside it.
        subs = []
        for key, sub in inner.items():
            if _is_list(sub) and (in_array or _is_list(feature)):
                # A list inside a list (claims[].content_parts[]): mlcroissant 1.1 applies
                # jsonPath one list level deep only and has no JSON data type, so such a
                # field cannot be read back; it is left out here (it is in the Parquet).
                node["description"] = (
                    f"Field `{key}` is in the Parquet files but not described here (a list in a list)."
                )
                continue
            subs.append(_fields(sub, config, column, [*steps, key], file_set, in_array or _is_list(feature)))
        node["subField"] = subs
        return node
    if isinstance(inner, List | LargeList | Sequence | list):
        raise ValueError(f"{config}/{column}: lists of lists are not supported by the Croissant export")
    node["dataType"] = _field_type(inner)
    source: dict[str, Any] = {"fileSet": {"@id": file_set}, "extract": {"column": column}}
    if steps:
        source["transform"] = [{"jsonPath": step} for step in steps] if len(steps) > 1 else {"jsonPath": steps[0]}
    node["source"] = source
    return node


def _published(rows: Iterable[dict]) -> Iterable[str | None]:
    column = getattr(rows, "column", None)  # rows read back from shards: read only that column
    return column("published") if column else (r.get("published") for r in rows)


def _date_range(configs: Iterable[ConfigData]) -> tuple[str, str] | None:
    """The first and last publication date over the configs whose rows have one (streamed)."""
    first = last = None
    for c in configs:
        if "published" not in c.features:
            continue
        for rows in c.splits.values():
            for value in _published(rows):
                if value:
                    day = value[:10]
                    first = day if first is None or day < first else first
                    last = day if last is None or day > last else last
    return (first, last) if first is not None else None


def croissant(folder: Path, configs: list[ConfigData], version: str) -> dict:
    """The Croissant metadata of a release whose Parquet shards are already written in ``folder``.

    Args:
        folder: the release folder (shards under ``data/<config>/``).
        configs: the release's configs (record sets), the documents config first.
        version: the dataset version.

    Returns:
        The JSON-LD document.
    """
    distribution: list[dict] = []
    record_sets: list[dict] = []
    for c in configs:
        file_set = f"{c.name}-parquet"
        for path in sorted((folder / "data" / c.name).glob("*.parquet")):
            rel = path.relative_to(folder).as_posix()
            distribution.append(
                {
                    "@type": "cr:FileObject",
                    "@id": rel,
                    "name": path.name,
                    "contentUrl": rel,
                    "contentSize": f"{path.stat().st_size} B",
                    "encodingFormat": PARQUET,
                    "sha256": sha256_file(path),
                }
            )
        distribution.append(
            {
                "@type": "cr:FileSet",
                "@id": file_set,
                "name": file_set,
                "description": f"The Parquet shards of the {c.name!r} config.",
                "encodingFormat": PARQUET,
                "includes": f"data/{c.name}/*.parquet",
            }
        )
        splits_id = f"{c.name}_splits"
        record_sets.append(
            {
                "@type": "cr:RecordSet",
                "@id": splits_id,
                "name": splits_id,
                "description": f"The splits of the {c.name!r} config.",
                "dataType": "cr:Split",
                "key": {"@id": f"{splits_id}/name"},
                "field": [{"@type": "cr:Field", "@id": f"{splits_id}/name", "name": "name", "dataType": "sc:Text"}],
                "data": [{f"{splits_id}/name": split} for split in c.splits],
            }
        )
        split_field = {
            "@type": "cr:Field",
            "@id": f"{c.name}/split",
            "name": "split",
            "description": "The split of the record (from its shard's file name).",
            "dataType": "sc:Text",
            "source": {
                "fileSet": {"@id": file_set},
                "extract": {"fileProperty": "filename"},
                # also matches a bare split name: mlcroissant applies it again when joining the splits
                "transform": {"regex": r"^([^/]+?)(?:-[0-9]{5}-of-[0-9]{5}\.parquet)?$"},
            },
            "references": {"field": {"@id": f"{splits_id}/name"}},
        }
        fields = [split_field] + [_fields(f, c.name, key, [], file_set) for key, f in c.features.items()]
        record_set: dict[str, Any] = {
            "@type": "cr:RecordSet",
            "@id": c.name,
            "name": c.name,
            "description": c.description,
            "field": fields,
        }
        if "id" in c.features:
            record_set["key"] = {"@id": f"{c.name}/id"}
        record_sets.append(record_set)
    notes = RELEASE_NOTES.get(version)
    meta: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": DATASET_NAME,
        "description": DESCRIPTION,
        "version": version,
        "license": LICENSE,
        "url": "https://huggingface.co/datasets/news-edc/news-edc",
        "citeAs": CITE_AS % version,
        "creator": {"@type": "sc:Organization", "name": "news-edc project"},
        "inLanguage": "en",
        "keywords": ["news", "named entity recognition", "TIMEX3", "temporal expressions", "attribution", "claims"],
        "isLiveDataset": False,
        **({"datePublished": notes.date} if notes else {}),
        "copyrightNotice": (
            "Article texts: copyright of their publishers, included for research use only. Annotations, schema "
            "and code: MIT."
        ),
        "conditionsOfAccess": "Gated on the Hugging Face Hub: access on request, for research use only.",
        **RAI,
        "distribution": distribution,
        "recordSet": record_sets,
    }
    dates = _date_range(configs)
    if dates:
        meta["rai:dataCollectionTimeFrame"] = list(dates)
    return meta


def write_croissant(folder: Path, configs: list[ConfigData], version: str) -> Path:
    """Write ``croissant.json`` into the release folder (stable key order and formatting)."""
    path = folder / "croissant.json"
    path.write_text(
        json.dumps(croissant(folder, configs, version), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path
