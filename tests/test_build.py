"""End to end: raw folder -> release -> load_dataset, validate, reproducibility, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import ROOT
from datasets import load_dataset

from dataset_builder import build
from dataset_builder.cli import main
from dataset_builder.errors import BuildError
from dataset_builder.release import iter_records
from dataset_builder.validate import validate_release, write_checksums

SEEDS = ROOT / "sources" / "articles"


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    folder, report = build(out=tmp_path_factory.mktemp("dist"))
    assert not report.rejected
    return folder


def test_bundled_sources_are_the_shared_seeds_byte_for_byte():
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is not present")
    assert sorted(p.name for p in SEEDS.iterdir()) == sorted(p.name for p in shared.iterdir())
    for path in shared.iterdir():
        assert (SEEDS / path.name).read_bytes() == path.read_bytes()


def test_release_layout(release):
    files = sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file())
    assert "README.md" in files and "SHA256SUMS" in files and "schema/document.schema.json" in files
    assert all(f.startswith(("data/", "README.md", "SHA256SUMS", "schema/", "build_report.json", "croissant.json", "viewer/")) for f in files)
    card = (release / "README.md").read_text(encoding="utf-8")
    for key in ("pretty_name:", "license:", "language:", "task_categories:", "configs:", "dataset_info:"):
        assert key in card.split("\n---\n")[0]
    assert validate_release(release) == []


def test_load_dataset_round_trip_offline(release, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    records = {r["id"]: r for r in iter_records(release)}
    for config in ((), ("documents",)):
        ds = load_dataset(str(release), *config, cache_dir=str(tmp_path / "cache"))
        rows = [row for split in ds.values() for row in split]
        assert {row["id"] for row in rows} == set(records) and len(rows) == 2
        for row in rows:
            assert row == records[row["id"]]  # nested layers come back as lists of dicts, same values
            for e in row["entities"]:
                assert isinstance(e, dict) and isinstance(e["start"], int)
                assert row["text"][e["start"] : e["end"]] == e["text"]
    assert ds["test"].features["claims"].feature["content"]["start"].dtype == "int64"


def test_two_builds_are_byte_identical(release, tmp_path):
    again, _ = build(out=tmp_path)
    assert (again / "SHA256SUMS").read_bytes() == (release / "SHA256SUMS").read_bytes()
    for path in release.rglob("*"):
        if path.is_file():
            assert (again / path.relative_to(release)).read_bytes() == path.read_bytes()


def test_an_existing_version_is_never_rewritten(tmp_path):
    first, _ = build(out=tmp_path, annotate=False)
    before = (first / "SHA256SUMS").read_bytes()
    same, _ = build(out=tmp_path, annotate=False)  # identical rebuild: a no-op
    assert same == first
    sources = tmp_path / "src"
    shutil.copytree(SEEDS, sources)
    (sources / "000_24596bca16d28781.txt").unlink()
    with pytest.raises(BuildError, match="already exists with different content"):
        build(out=tmp_path, sources=sources, annotate=False)
    assert (first / "SHA256SUMS").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]  # no temporary folder left behind


def test_validate_catches_a_tampered_parquet_file(release, tmp_path):
    copy = tmp_path / "rel"
    shutil.copytree(release, copy)
    parquet = next((copy / "data" / "documents").glob("*.parquet"))
    table = pq.read_table(parquet)
    pq.write_table(table.slice(0, 1), parquet)
    problems = validate_release(copy)
    assert any("checksum mismatch" in p and parquet.name in p for p in problems)


def _shift_a_text(release: Path, copy: Path) -> None:
    """Copy ``release`` with every span of one document off by one, checksums made afresh."""
    shutil.copytree(release, copy)
    # the shard holding the document with the most entities
    parquet = max((copy / "data" / "documents").glob("*.parquet"),
                  key=lambda p: max(len(r["entities"]) for r in pq.read_table(p).to_pylist()))
    rows = pq.read_table(parquet).to_pylist()
    assert rows[0]["entities"]
    rows[0]["text"] = "X" + rows[0]["text"]  # shifts every span of the document by one
    from dataset_builder.release import write_parquet

    write_parquet(rows, parquet)
    write_checksums(copy)


def test_validate_catches_a_broken_offset_even_with_fresh_checksums(release, tmp_path, capsys):
    copy = tmp_path / "rel"
    _shift_a_text(release, copy)
    problems = validate_release(copy)
    assert problems and all("text[" in p for p in problems)
    assert main(["validate", str(copy)]) == 1
    assert "problem(s)" in capsys.readouterr().out


def test_validation_on_workers_finds_the_same_and_skips_only_checked_records(release, tmp_path):
    # The build validates on its workers, which read the row groups and skip the records
    # whose digest passed the checks on the way in (validate_release's map_groups, checked).
    import multiprocessing

    from dataset_builder.versioning import record_digest

    copy = tmp_path / "rel"
    _shift_a_text(release, copy)
    expected = validate_release(copy)
    assert expected and all("text[" in p for p in expected)
    digests = {record_digest(r) for p in (copy / "data" / "documents").glob("*.parquet") for r in pq.read_table(p).to_pylist()}
    broken = {d for d in digests if validate_release(copy, checked=digests - {d}) == expected}
    assert len(broken) == 1  # the shifted record, and only it, has problems
    with multiprocessing.Pool(2) as pool:
        assert validate_release(copy, map_groups=pool.imap) == expected
        assert validate_release(copy, checked=digests - broken, map_groups=pool.imap) == expected
        assert validate_release(copy, checked=digests, map_groups=pool.imap) == []  # checked ones are skipped


BAD_INPUTS = {
    "empty.txt": (b"", "empty file"),
    "blank.txt": (b"\n  \n", "empty file"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
    # Latin-1 is decoded now (tests/test_ingest_encodings.py); bytes no encoding reads as text are not.
    "undecodable.txt": (bytes(range(0x80, 0x100)) * 4, "undecodable"),
    "nodate.txt": (b"Officials said the talks would resume next week.\n", "no recognisable publication date"),
    "impossible.txt": (b"31-02-2025\nOfficials said the talks would resume next week.\n", "'31-02-2025' is not a calendar date"),
    # HTML is read now (tests/test_ingest_formats.py); a page with only a date has no body.
    "article.html": (b"<html><body>25-10-2025</body></html>", "no article body"),
    "article.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "unsupported file type '.pdf'"),
    "furniture.txt": (b"25-10-2025\nHome / World\nSubscribe to read the full story\n", "no article body"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_rejected_with_a_precise_reason(name, tmp_path, capsys):
    sources = tmp_path / "src"
    sources.mkdir()
    shutil.copy(SEEDS / "000_24596bca16d28781.txt", sources)
    content, reason = BAD_INPUTS[name]
    (sources / name).write_bytes(content)
    out = tmp_path / "out"
    # without --allow-rejects: exit 2, a message naming the file and the reason, no traceback
    assert main(["build", "--sources", str(sources), "--out", str(out), "--no-annotate"]) == 2
    err = capsys.readouterr().err
    assert f"{name}: " in err and reason in err and "Traceback" not in err
    assert not (out / "0.1.0").exists()
    # with --allow-rejects: the good file is included, the bad one listed with its reason
    assert main(["build", "--sources", str(sources), "--out", str(out), "--no-annotate", "--allow-rejects"]) == 0
    printed = capsys.readouterr().out
    assert "+ 000_24596bca16d28781.txt" in printed and f"- {name}  REJECTED: " in printed and reason in printed
    import json

    report = json.loads((out / "0.1.0" / "build_report.json").read_text())
    assert [r["source_file"] for r in report["rejected"]] == [name]


def test_exact_duplicate_is_reported_not_dropped(tmp_path):
    sources = tmp_path / "src"
    sources.mkdir()
    shutil.copy(SEEDS / "000_24596bca16d28781.txt", sources / "a.txt")
    shutil.copy(SEEDS / "000_24596bca16d28781.txt", sources / "b.txt")
    _, report = build(out=tmp_path / "out", sources=sources, annotate=False, gold=None, allow_rejects=True)
    assert [d["source_file"] for d in report.included] == ["a.txt"]
    assert report.rejected == [{"source_file": "b.txt", "reason": "exact duplicate of a.txt (same bytes, id 742bdfc2096c9f4c)"}]


def test_missing_sources_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["build", "--sources", str(tmp_path / "nope"), "--out", str(tmp_path)]) == 2
    assert "does not exist" in capsys.readouterr().err
