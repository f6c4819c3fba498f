"""The JSON Schemas (the contract) and the Arrow / ``datasets`` features derived from them.

The schemas live in ``<repo>/schema/``; a wheel carries copies as package data
(``dataset_builder/_schema``), used when the repository folder is not there.
The Parquet features are *derived* from ``document.schema.json``, so the two
cannot drift apart.

Validation: ``jsonschema`` (Draft 2020-12) is the authority and writes the
error messages. Every record of a build is checked, and ``jsonschema`` takes
about 5 ms for a record of sixty entities, as long as parsing a third of it;
so a record is first checked by the same schema compiled to Python code by
``fastjsonschema`` (about 20 times faster). Only a record the compiled check
rejects goes to ``jsonschema``, whose verdict stands. The compiled check is
never more lenient than ``jsonschema`` (``tests/test_schema_fast.py`` checks
this on valid and broken records), so the result is ``jsonschema``'s.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import urljoin

import fastjsonschema
import jsonschema
from datasets import Features, List, Value
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from .config import PACKAGE_ROOT, PROJECT_ROOT
from .errors import SchemaError

_SCHEMA_DIRS = (PROJECT_ROOT / "schema", PACKAGE_ROOT / "_schema")


def schema_path(name: str) -> Path:
    for folder in _SCHEMA_DIRS:
        if (folder / name).is_file():
            return folder / name
    raise SchemaError(f"schema {name!r} not found in {', '.join(map(str, _SCHEMA_DIRS))}")


@cache
def load_schema(name: str = "document.schema.json") -> dict:
    return json.loads(schema_path(name).read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    """All schemas of the folder, by ``$id``, so that one can ``$ref`` another."""
    folder = schema_path("document.schema.json").parent
    resources = []
    for path in sorted(folder.glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


@cache
def validator(name: str = "document.schema.json") -> jsonschema.protocols.Validator:
    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, registry=_registry(), format_checker=cls.FORMAT_CHECKER)


# Keywords of Draft 2019-09 / 2020-12 that Draft 7 does not know (fastjsonschema
# would ignore them, and so accept too much) or reads otherwise.
_NOT_DRAFT7 = frozenset({
    "unevaluatedProperties", "unevaluatedItems", "prefixItems", "dependentSchemas", "dependentRequired",
    "minContains", "maxContains", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor",
    "$anchor", "$vocabulary",
})


def _keywords(node: object) -> Iterator[tuple[str, object]]:
    """Every ``(keyword, value)`` of a schema, nested ones included."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _keywords(value)
    elif isinstance(node, list):
        for value in node:
            yield from _keywords(value)


def _with_references(name: str) -> list[dict]:
    """A schema and every schema it references, directly or not."""
    registry = _registry()
    found = [load_schema(name)]
    seen = {found[0]["$id"]}
    for schema in found:
        for key, value in _keywords(schema):
            ref = value.partition("#")[0] if key == "$ref" and isinstance(value, str) else ""
            uri = urljoin(schema["$id"], ref) if ref else ""
            if uri and uri not in seen:
                seen.add(uri)
                found.append(registry.contents(uri))
    return found


@cache
def compiled(name: str = "document.schema.json"):
    """The schema compiled by ``fastjsonschema`` (a function that raises on an invalid instance), or None.

    fastjsonschema knows drafts up to 7. A schema that uses no keyword Draft 7
    lacks or reads otherwise (``$defs`` is reached by JSON pointer) means the
    same under Draft 7 and is compiled as such; any other gets None (``jsonschema``
    only). References to the other schemas are served from the local registry,
    never fetched.
    """
    if any(key in _NOT_DRAFT7 for schema in _with_references(name) for key, _ in _keywords(schema)):
        return None
    schema = {**load_schema(name), "$schema": "http://json-schema.org/draft-07/schema#"}
    return fastjsonschema.compile(schema, handlers={"https": _registry().contents}, use_formats=False)


def _compiled_accepts(instance: object, name: str) -> bool:
    check = compiled(name)
    if check is None:
        return False
    try:
        check(instance)
        return True
    except fastjsonschema.JsonSchemaException:
        return False


def is_valid(instance: object, name: str = "document.schema.json") -> bool:
    """Whether ``instance`` conforms to the schema (the compiled check first, then ``jsonschema``)."""
    return _compiled_accepts(instance, name) or validator(name).is_valid(instance)


def describe(error: ValidationError) -> str:
    """One readable line: where in the instance, and what is wrong."""
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    message = error.message
    if error.validator == "pattern":  # the regex itself says little to a person editing a file
        message = f"{error.instance!r} is not a valid {error.schema.get('title', 'value')}"
    return f"{where.lstrip('.') or '(record)'}: {message}"


def iter_problems(instance: object, name: str = "document.schema.json") -> Iterator[str]:
    """Every schema violation of ``instance``, as readable lines, in a stable order."""
    if _compiled_accepts(instance, name):
        return
    # jsonschema decides, and says what is wrong
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        yield describe(error)


def check(instance: object, what: str, name: str = "document.schema.json") -> None:
    """Raise :class:`SchemaError` listing every violation of ``instance``."""
    problems = list(iter_problems(instance, name))
    if problems:
        raise SchemaError(f"{what} does not conform to {name}:\n  " + "\n  ".join(problems))


# --- JSON Schema -> datasets.Features ------------------------------------------------

_INTEGER = Value("int64")
_STRING = Value("string")


def features(name: str = "document.schema.json") -> Features:
    """The ``datasets.Features`` of a record, derived field by field from the JSON Schema."""
    schema = load_schema(name)
    return Features(_to_feature(schema, schema))


def _resolve(node: dict, root: dict) -> dict:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _to_feature(node: dict, root: dict):
    node = _resolve(node, root)
    if "anyOf" in node:  # nullable: [X, null] -> X (Arrow fields are nullable)
        (inner,) = [n for n in node["anyOf"] if _resolve(n, root).get("type") != "null"]
        return _to_feature(inner, root)
    kinds = node.get("type")
    kinds = [kinds] if isinstance(kinds, str) else [k for k in (kinds or ["string"]) if k != "null"]
    if "enum" in node:
        kinds = ["string"]
    (kind,) = kinds
    if kind == "object":
        return {key: _to_feature(sub, root) for key, sub in node["properties"].items()}
    if kind == "array":
        return List(_to_feature(node["items"], root))
    if kind == "integer":
        return _INTEGER
    if kind == "string":
        return _STRING
    raise SchemaError(f"no Arrow type for JSON Schema type {kind!r}")
