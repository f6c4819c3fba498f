"""Dataset versions: the data diff to the previous release, the version policy, CHANGELOG."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from dataset_builder import build
from dataset_builder import config as cfg
from dataset_builder.cli import main
from dataset_builder.release import VersionWarning
from dataset_builder.schema import load_schema
from dataset_builder.versioning import (
    Level,
    VersionError,
    bump_level,
    check_version,
    diff_records,
    read_release,
    render_changes,
    schema_changes,
    update_changelog,
)

SEEDS = ROOT / "sources" / "articles"
KCNA, PTI = "000_24596bca16d28781.txt", "004_c78c4bcafad1e95b.txt"


@pytest.fixture
def notes(monkeypatch):
    """Release notes for the test versions (the build refuses a version without them)."""
    for version in ("0.1.1", "0.2.0", "1.0.0"):
        monkeypatch.setitem(cfg.RELEASE_NOTES, version, cfg.ReleaseNotes("2026-12-01", f"Test release {version}."))


def _sources(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / ("src-" + "-".join(n[:3] for n in names))
    folder.mkdir()
    for name in names:
        shutil.copy(SEEDS / name, folder)
    return folder


def _report(release: Path) -> dict:
    return json.loads((release / "build_report.json").read_text(encoding="utf-8"))


def test_bump_levels_follow_semver_order():
    assert bump_level("0.1.0", "0.1.1") is Level.PATCH
    assert bump_level("0.1.9", "0.2.0") is Level.MINOR
    assert bump_level("0.9.9", "1.0.0") is Level.MAJOR
    with pytest.raises(VersionError, match="not later"):
        bump_level("0.2.0", "0.1.5")
    with pytest.raises(VersionError, match="MAJOR.MINOR.PATCH"):
        bump_level("0.1", "0.2")


def test_added_document_is_minor_and_patch_is_refused(tmp_path, notes):
    out = tmp_path / "dist"
    first, _ = build(out=out, sources=_sources(tmp_path, KCNA), annotate=False)
    assert _report(first)["changes"]["previous"] is None
    both = _sources(tmp_path, KCNA, PTI)
    with pytest.raises(VersionError, match=r"PATCH release after 0\.1\.0.*requires MINOR \(1 document\(s\) added\)"):
        build(out=out, sources=both, annotate=False, version="0.1.1")
    assert not (out / "0.1.1").exists()
    second, _ = build(out=out, sources=both, annotate=False, version="0.2.0")
    changes = _report(second)["changes"]
    assert changes["previous"] == "0.1.0" and changes["required_bump"] == "MINOR"
    assert changes["documents"]["added"] == ["9da0fbf1b3a5fa45"] and changes["documents"]["changed"] == []
    # per layer and label: every gold annotation of the new document is "added"
    assert changes["annotations"]["claims"]["indirect"]["added"] > 0
    assert all(
        c["removed"] == 0 and c["changed"] == 0 for labels in changes["annotations"].values() for c in labels.values()
    )
    card = (second / "README.md").read_text(encoding="utf-8")
    assert "Changes since 0.1.0" in card and "- documents added: 1 (`9da0fbf1b3a5fa45`)" in card
    assert (
        _report(second)["previous"]["sha256sums"]
        == __import__("hashlib").sha256((first / "SHA256SUMS").read_bytes()).hexdigest()
    )


def test_removed_document_needs_a_major_version(tmp_path, notes):
    out = tmp_path / "dist"
    build(out=out, sources=_sources(tmp_path, KCNA, PTI), annotate=False)
    only_one = _sources(tmp_path, PTI)
    with pytest.raises(VersionError, match="requires MAJOR .*1 document\\(s\\) removed"):
        build(out=out, sources=only_one, annotate=False, version="0.2.0")
    release, _ = build(out=out, sources=only_one, annotate=False, version="1.0.0")
    assert _report(release)["changes"]["documents"]["removed"] == ["742bdfc2096c9f4c"]


def test_no_change_is_allowed_with_a_warning(tmp_path, notes):
    out = tmp_path / "dist"
    sources = _sources(tmp_path, KCNA)
    build(out=out, sources=sources, annotate=False)
    with pytest.warns(VersionWarning, match="no data or schema change"):
        release, _ = build(out=out, sources=sources, annotate=False, version="0.1.1")
    assert "No change to the data or the schema." in (release / "README.md").read_text(encoding="utf-8")


def test_explicit_previous_and_a_version_without_notes(tmp_path, notes, capsys):
    first, _ = build(out=tmp_path / "a", sources=_sources(tmp_path, KCNA), annotate=False)
    both = _sources(tmp_path, KCNA, PTI)
    # another output root: only --previous connects the two releases
    argv = ["build", "--sources", str(both), "--out", str(tmp_path / "b"), "--no-annotate", "--previous", str(first)]
    assert main(argv) == 2  # the default version 0.1.0 is not later than the previous release
    assert "not later than the previous release 0.1.0" in capsys.readouterr().err
    with pytest.raises(VersionError, match="no release notes for version 0.3.0"):
        build(out=tmp_path / "b", sources=both, annotate=False, version="0.3.0", previous=first)
    release, _ = build(out=tmp_path / "b", sources=both, annotate=False, version="0.2.0", previous=first)
    assert _report(release)["changes"]["documents"]["added"] == ["9da0fbf1b3a5fa45"]


def test_the_build_diff_from_workers_is_the_diff_of_the_records(tmp_path, notes):
    # Workers send each record once, as its Arrow row; the diff reads it back only for a
    # changed document and counts an added one from the labels the worker counted.
    sources = _sources(tmp_path, KCNA, PTI)
    first, _ = build(out=tmp_path / "dist", sources=sources, gold=None, annotate=False, workers=2)
    second, _ = build(out=tmp_path / "dist", sources=sources, gold=None, version="0.1.1", workers=2)
    expected = diff_records(read_release(first), read_release(second), "0.1.0")
    changes = _report(second)["changes"]
    assert changes["documents"]["changed"] == expected.changed == sorted(read_release(second))
    assert changes["annotations"] == expected.layers and expected.layers["entities"]
    third, _ = build(out=tmp_path / "other", sources=sources, gold=None, workers=2)  # everything added
    assert _report(third)["changes"]["annotations"] == diff_records(None, read_release(third)).layers


@pytest.fixture(scope="module")
def seed_records(tmp_path_factory) -> dict[str, tuple[str, dict]]:
    release, _ = build(out=tmp_path_factory.mktemp("dist"), annotate=False)
    return read_release(release)


def test_annotation_diff_per_layer_and_label(seed_records):
    new = copy.deepcopy(seed_records)
    split, record = new["742bdfc2096c9f4c"]
    org = next(i for i, e in enumerate(record["entities"]) if e["label"] == "ORG")
    record["entities"][org]["label"] = "GPE"  # a correction of the label: changed, counted as GPE
    dropped = record["timexes"].pop(0)  # a wrong timex removed
    record["claims"][0]["kind"] = "direct"  # same content span, other kind: changed
    diff = diff_records(seed_records, new, "0.1.0")
    assert diff.changed == ["742bdfc2096c9f4c"] and not diff.added and not diff.removed
    assert diff.layers["entities"]["GPE"] == {"added": 0, "removed": 0, "changed": 1}
    assert "ORG" not in diff.layers["entities"]  # the label lost one mention, but nothing was added or removed
    assert diff.layers["timexes"][dropped["type"]]["removed"] == 1
    assert diff.layers["claims"]["direct"]["changed"] == 1
    assert diff.required is Level.PATCH
    assert check_version("0.1.1", diff) == []
    text = render_changes(diff.to_dict())
    assert "- documents changed: 1 (`742bdfc2096c9f4c`)" in text and "| entities | GPE | 0 | 0 | 1 |" in text


def test_moving_a_document_to_another_split_is_minor(seed_records):
    new = copy.deepcopy(seed_records)
    new["742bdfc2096c9f4c"] = ("train", new["742bdfc2096c9f4c"][1])
    diff = diff_records(seed_records, new, "0.1.0")
    assert diff.moved == [("742bdfc2096c9f4c", "test", "train")] and diff.required is Level.MINOR
    with pytest.raises(VersionError, match="requires MINOR"):
        check_version("0.1.1", diff)


def test_schema_changes_are_classified():
    old = load_schema()
    new = copy.deepcopy(old)
    del new["properties"]["byline"]
    new["required"].remove("byline")
    new["$defs"]["entity"]["properties"]["start"] = {"type": "string"}  # retyped
    new["$defs"]["claimKind"]["enum"].append("paraphrase")
    new["properties"]["sentences"] = {"type": "array", "items": {"$ref": "#/$defs/span"}}  # an optional new layer
    new["$defs"]["timexType"]["enum"].remove("SET")
    found = {(c.path, c.change): c.level for c in schema_changes(old, new)}
    assert found[("byline", "removed")] is Level.MAJOR
    assert found[("entities[].start", "retyped")] is Level.MAJOR
    assert found[("claims[].kind", "enum values added")] is Level.MINOR
    assert found[("timexes[].type", "enum values removed")] is Level.MAJOR
    assert found[("sentences", "added")] is Level.MINOR
    assert not [k for k in found if k[0].startswith("sentences[]")]  # a new subtree is reported once
    assert schema_changes(old, copy.deepcopy(old)) == []


def test_schema_breaking_change_released_as_minor_is_refused(seed_records):
    old = load_schema()
    new = copy.deepcopy(old)
    new["properties"]["language"] = {"type": "integer"}
    diff = diff_records(seed_records, seed_records, "0.1.0", old, new)
    assert diff.required is Level.MAJOR
    with pytest.raises(
        VersionError,
        match=r"MINOR release after 0\.1\.0, but the data diff requires MAJOR \(schema: `language` retyped\)",
    ):
        check_version("0.2.0", diff)
    assert check_version("1.0.0", diff) == []


def test_changelog_sections_are_replaced_in_place_newest_first():
    sec = lambda v, body: f"<!-- release:{v}:begin -->\n## {v}\n\n{body}\n<!-- release:{v}:end -->\n"  # noqa: E731
    text = update_changelog("", "0.1.0", sec("0.1.0", "first"))
    text = update_changelog(text, "0.10.0", sec("0.10.0", "tenth"))
    text = update_changelog(text, "0.2.0", sec("0.2.0", "second"))
    assert [line for line in text.splitlines() if line.startswith("## ")] == ["## 0.10.0", "## 0.2.0", "## 0.1.0"]
    again = update_changelog(text, "0.2.0", sec("0.2.0", "second, corrected"))
    assert again.count("0.2.0:begin") == 1 and "second, corrected" in again and "tenth" in again
    assert update_changelog(again, "0.2.0", sec("0.2.0", "second, corrected")) == again  # idempotent


def test_repository_changelog_has_the_current_version():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    notes = cfg.RELEASE_NOTES[cfg.VERSION]
    assert f"<!-- release:{cfg.VERSION}:begin -->\n## {cfg.VERSION} — {notes.date}\n\n{notes.notes}\n" in text
