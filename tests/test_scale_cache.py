"""Incremental rebuilds (issue 9, item 3): what the annotation cache re-annotates, and its safety."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT

import dataset_builder.ingest.reader as reader
import dataset_builder.viewer.site as site
from dataset_builder import annotators, build
from dataset_builder import cache as cache_module
from dataset_builder.annotators.timex import TimexAnnotator
from dataset_builder.cache import RAW_SUFFIX, Cache, cache_key, mark_use, prune
from dataset_builder.cli import main
from dataset_builder.config import VERSION
from dataset_builder.errors import BuildError
from dataset_builder.records import Article
from dataset_builder.release import iter_records
from dataset_builder.versioning import record_digest

SEEDS = ROOT / "sources" / "articles"
KCNA, PTI = "000_24596bca16d28781.txt", "004_c78c4bcafad1e95b.txt"


def _article(**changes) -> Article:
    base = dict(id="742bdfc2096c9f4c", source_file="a.txt", published="2025-10-25",
                text="PYONGYANG: Kim Jong Un said ties with Russia would advance, KCNA reported on Friday.")
    return Article(**{**base, **changes})


def test_the_key_covers_text_date_annotator_versions_and_pipeline():
    origins = ["entities.spacy-kb.v1+en_core_web_sm-3.8.0", "timex.rules.v1+en_core_web_sm-3.8.0"]
    key = cache_key(_article(), origins, "en_core_web_sm-3.8.0", "3.8.7")
    assert key == cache_key(_article(), list(origins), "en_core_web_sm-3.8.0", "3.8.7")  # stable
    assert key != cache_key(_article(text=_article().text + " More."), origins, "en_core_web_sm-3.8.0", "3.8.7")
    # same text, another DCT: "on Friday" resolves to another date
    assert key != cache_key(_article(published="2025-10-18"), origins, "en_core_web_sm-3.8.0", "3.8.7")
    bumped = [origins[0], "timex.rules.v2+en_core_web_sm-3.8.0"]
    assert key != cache_key(_article(), bumped, "en_core_web_sm-3.8.0", "3.8.7")
    assert key != cache_key(_article(), origins, "en_core_web_md-3.8.0", "3.8.7")
    assert key != cache_key(_article(), origins, "en_core_web_sm-3.8.0", "3.9.0")


def test_the_key_covers_the_annotators_data_files_and_libraries(tmp_path, monkeypatch):
    origins = ["timex.rules.v1+en_core_web_sm-3.8.0"]
    key = cache_key(_article(), origins, "en_core_web_sm-3.8.0", "3.8.7")
    package = tmp_path / "dataset_builder"
    shutil.copytree(cache_module.PACKAGE / "data", package / "data")
    monkeypatch.setattr(cache_module, "PACKAGE", package)
    cache_module.annotator_inputs.cache_clear()
    try:
        assert cache_key(_article(), origins, "en_core_web_sm-3.8.0", "3.8.7") == key  # the same files
        with (package / "data" / "knowledge.jsonl").open("a", encoding="utf-8") as kb:
            kb.write("\n")  # a knowledge base edit, the annotators' versions unchanged
        cache_module.annotator_inputs.cache_clear()
        edited = cache_key(_article(), origins, "en_core_web_sm-3.8.0", "3.8.7")
        assert edited != key
        real_version = cache_module.version
        monkeypatch.setattr(cache_module, "version", lambda name: "99" if name == "regex" else real_version(name))
        cache_module.annotator_inputs.cache_clear()
        assert cache_key(_article(), origins, "en_core_web_sm-3.8.0", "3.8.7") not in (key, edited)
    finally:
        cache_module.annotator_inputs.cache_clear()  # the next test sees the real package again


def test_corrupt_truncated_and_foreign_entries_are_misses(tmp_path):
    cache = Cache(tmp_path)
    cache.put("ab" * 32, {"silver": None, "skeleton": [[0, 5], [0, 5]]})
    assert cache.get("ab" * 32) == {"silver": None, "skeleton": [[0, 5], [0, 5]]}
    path = cache.path("ab" * 32)
    path.write_bytes(path.read_bytes()[:20])  # a write cut short
    assert cache.get("ab" * 32) is None
    path.write_text('{"key": "another", "value": {}}', encoding="utf-8")  # an entry under the wrong name
    assert cache.get("ab" * 32) is None
    assert cache.get("cd" * 32) is None  # absent
    assert not list(tmp_path.rglob("*.tmp"))  # writes leave no temporary files behind


def test_raw_entries_come_back_as_stored_and_damaged_ones_are_misses(tmp_path):
    cache = Cache(tmp_path)
    body = "<h1>Kyiv – “quoted”</h1>\n".encode()  # any bytes, newlines included
    cache.put_bytes("ab" * 32, body)
    assert cache.get_bytes("ab" * 32) == body
    assert cache.get("ab" * 32) is None  # a raw entry is not a JSON entry of the same key
    path = cache.path("ab" * 32, RAW_SUFFIX)
    path.write_bytes(path.read_bytes()[:-3])  # a write cut short
    assert cache.get_bytes("ab" * 32) is None
    cache.put_bytes("cd" * 32, body)
    path.write_bytes(cache.path("cd" * 32, RAW_SUFFIX).read_bytes())  # another key's entry under this name
    assert cache.get_bytes("ab" * 32) is None
    assert cache.get_bytes("ef" * 32) is None  # absent
    cache.put_bytes("ab" * 32, b"")
    assert cache.get_bytes("ab" * 32) == b""
    assert not list(tmp_path.rglob("*.tmp"))


@pytest.fixture
def sources(tmp_path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    for name in (KCNA, PTI):
        shutil.copy(SEEDS / name, folder)
    return folder


def _build(sources: Path, out: Path, cache: Path):
    # gold=None: both seeds are silver, so every document goes through the annotators
    return build(sources=sources, out=out, cache=cache, gold=None, workers=1)


def test_rebuilds_re_annotate_only_what_changed(sources, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first, report = _build(sources, tmp_path / "a", cache)
    assert (report.annotated, report.cached) == (2, 0)
    # unchanged corpus: nothing is annotated again, and the release is the same
    again, report = _build(sources, tmp_path / "b", cache)
    assert (report.annotated, report.cached) == (0, 2)
    assert (again / "SHA256SUMS").read_bytes() == (first / "SHA256SUMS").read_bytes()
    # one article edited: that one only
    path = sources / KCNA
    path.write_text(path.read_text(encoding="utf-8").replace("next week.", "next month."), encoding="utf-8")
    _, report = _build(sources, tmp_path / "c", cache)
    assert (report.annotated, report.cached) == (1, 1)
    # a new annotator version: every article
    monkeypatch.setattr(TimexAnnotator, "name", "timex.rules.v999")
    monkeypatch.setattr(annotators, "DEFAULT_NAMES", (annotators.ENTITIES, "timex.rules.v999", annotators.CLAIMS))
    _, report = _build(sources, tmp_path / "d", cache)
    assert (report.annotated, report.cached) == (2, 0)


def test_a_damaged_entry_is_recomputed_and_the_release_unchanged(sources, tmp_path):
    cache = tmp_path / "cache"
    first, _ = _build(sources, tmp_path / "a", cache)
    entries = sorted(p for p in cache.rglob("*.json") if p.relative_to(cache).parts[0] not in ("ingest", "viewer"))
    assert len(entries) == 2
    entries[0].write_bytes(entries[0].read_bytes()[: len(entries[0].read_bytes()) // 2])  # killed mid-write
    (entries[1].parent / ".leftover.tmp").write_text("{", encoding="utf-8")  # a temporary file of a killed build
    again, report = _build(sources, tmp_path / "b", cache)
    assert (report.annotated, report.cached) == (1, 1)
    assert (again / "SHA256SUMS").read_bytes() == (first / "SHA256SUMS").read_bytes()
    _, report = _build(sources, tmp_path / "c", cache)
    assert (report.annotated, report.cached) == (0, 2)  # the recomputed entry was written back whole


def test_an_unchanged_document_page_is_not_rendered_again(sources, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first, _ = _build(sources, tmp_path / "a", cache)
    bodies = sorted((cache / "viewer").rglob("*" + RAW_SUFFIX))
    assert len(bodies) == 2  # one page body a document
    bodies[0].write_text("{", encoding="utf-8")  # a damaged entry is rendered again
    rendered = []
    monkeypatch.setattr(site, "_doc_body", lambda doc, r, body=site._doc_body: rendered.append(r["id"]) or body(doc, r))
    again, _ = _build(sources, tmp_path / "b", cache)
    assert len(rendered) == 1
    assert (again / "SHA256SUMS").read_bytes() == (first / "SHA256SUMS").read_bytes()
    # the key is the record (its digest) and the split: a changed record is a new page
    record = next(iter_records(first))
    key = site.page_key(record_digest(record), "train")
    assert key != site.page_key(record_digest({**record, "headline": "Another"}), "train")
    assert key != site.page_key(record_digest(record), "test")
    # the build passes the digests it knows; they give the keys digesting the records gives
    entry = cache / "viewer" / key[:2] / f"{key}{RAW_SUFFIX}"
    assert entry.is_file()


def test_a_rebuild_from_the_cache_never_imports_spacy(sources, tmp_path):
    cache = tmp_path / "cache"
    _build(sources, tmp_path / "a", cache)
    # A fresh interpreter; workers=1 runs the workers' Processor in it.
    script = (
        "import sys; from pathlib import Path; from dataset_builder import build; "
        f"_, r = build(sources=Path({str(sources)!r}), out=Path({str(tmp_path / 'b')!r}), "
        f"cache=Path({str(cache)!r}), gold=None, workers=1); "
        "print(r.cached, 'spacy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["2", "False"]


def test_an_unchanged_input_is_not_read_again_but_its_date_is_checked_again(sources, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first, _ = _build(sources, tmp_path / "a", cache)
    assert len(list((cache / "ingest").rglob("*.json"))) == 2

    def no_cleaning(*args, **kwargs):
        raise AssertionError("an unchanged input was cleaned again")

    monkeypatch.setattr(reader, "clean", no_cleaning)
    again, _ = _build(sources, tmp_path / "b", cache)
    assert (again / "SHA256SUMS").read_bytes() == (first / "SHA256SUMS").read_bytes()
    # the future-date check depends on the build's day: it runs on cache hits too
    _, report = build(sources=sources, out=tmp_path / "c", cache=cache, gold=None, workers=1,
                      reference_date=date(2025, 9, 1), allow_rejects=True)
    assert [r["source_file"] for r in report.rejected] == [KCNA]  # 2025-10-25, after 2025-09-01
    assert "in the future" in report.rejected[0]["reason"]


def _entries(cache: Path) -> dict[str, int]:
    """How many entries of each kind the cache holds (annotation, ingest, viewer)."""
    kinds = {"annotation": 0, "ingest": 0, "viewer": 0}
    for path in cache.rglob("*"):
        if path.suffix in (".json", RAW_SUFFIX):
            top = path.relative_to(cache).parts[0]
            kinds[top if top in kinds else "annotation"] += 1
    return kinds


def test_pruning_keeps_what_the_build_used_and_deletes_the_rest(sources, tmp_path, capsys):
    cache = tmp_path / "cache"
    _build(sources, tmp_path / "a", cache)
    assert _entries(cache) == {"annotation": 2, "ingest": 2, "viewer": 2}
    old = 1_000_000_000  # 1970: older than any mark
    leftover = cache / "ab" / ".abababab.x.tmp"  # a killed writer's temporary file
    leftover.parent.mkdir(exist_ok=True)
    leftover.write_text("{", encoding="utf-8")
    os.utime(leftover, ns=(old, old))
    for kept in (cache / "work" / "run-1" / "part-00000.jsonl", cache / "NOTES.txt"):  # not entries
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_text("x", encoding="utf-8")
        os.utime(kept, ns=(old, old))
    (sources / PTI).unlink()  # the corpus loses an article

    assert main(["build", "--sources", str(sources), "--out", str(tmp_path / "b"), "--cache", str(cache),
                 "--no-gold", "--workers", "1", "--prune-cache", "--quiet"]) == 0
    # The kept article's entries were read, not written, by this build: reading marked them used.
    assert "annotated 0, from cache 1" in capsys.readouterr().out
    assert _entries(cache) == {"annotation": 1, "ingest": 1, "viewer": 1}
    assert not leftover.exists()
    assert (cache / "work" / "run-1" / "part-00000.jsonl").is_file() and (cache / "NOTES.txt").is_file()
    # what is left is what the corpus needs: nothing to compute again
    again, report = _build(sources, tmp_path / "c", cache)
    assert (report.annotated, report.cached) == (0, 1)
    assert (again / "SHA256SUMS").read_bytes() == (tmp_path / "b" / VERSION / "SHA256SUMS").read_bytes()
    shutil.copy(SEEDS / PTI, sources)  # the pruned article comes back: computed again
    _, report = _build(sources, tmp_path / "d", cache)
    assert (report.annotated, report.cached) == (1, 1)


def test_prune_counts_what_it_deletes_and_needs_a_cache(tmp_path):
    cache = Cache(tmp_path / "cache", touch=True)
    cache.put("ab" * 32, {"n": 1})
    cache.put_bytes("cd" * 32, b"x" * 10)
    stale = cache.path("ab" * 32)
    os.utime(stale, ns=(1_000_000_000, 1_000_000_000))
    os.utime(cache.path("cd" * 32, RAW_SUFFIX), ns=(1_000_000_000, 1_000_000_000))
    mark = mark_use(tmp_path / "cache")
    assert cache.get("ab" * 32) == {"n": 1}  # read after the mark: kept
    assert prune(tmp_path / "cache", mark) == (1, len(f"{'cd' * 32} 10\n") + 10)
    assert cache.get("ab" * 32) == {"n": 1} and cache.get_bytes("cd" * 32) is None
    untouched = Cache(tmp_path / "cache")  # without touch, reading leaves the time as it was
    os.utime(stale, ns=(1_000_000_000, 1_000_000_000))
    assert untouched.get("ab" * 32) == {"n": 1}
    assert stale.stat().st_mtime_ns == 1_000_000_000
    with pytest.raises(BuildError, match="--prune-cache"):
        build(sources=tmp_path, out=tmp_path / "out", use_cache=False, prune_cache=True)


def test_the_ingestion_key_covers_bytes_name_languages_and_code(monkeypatch):
    key = cache_module.ingest_key(b"raw", "a.txt", ("en",))
    assert key == cache_module.ingest_key(b"raw", "a.txt", ["en"])
    assert key != cache_module.ingest_key(b"raw!", "a.txt", ("en",))
    assert key != cache_module.ingest_key(b"raw", "a.html", ("en",))  # the name selects the format
    assert key != cache_module.ingest_key(b"raw", "a.txt", ("en", "de"))
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another cleaner")
    assert key != cache_module.ingest_key(b"raw", "a.txt", ("en",))


def test_the_code_fingerprint_changes_with_any_file_of_the_package(tmp_path, monkeypatch):
    package = tmp_path / "pkg"
    (package / "ingest").mkdir(parents=True)
    (package / "ingest" / "clean.py").write_text("RULE = 1\n", encoding="utf-8")
    monkeypatch.setattr(cache_module, "PACKAGE", package)
    cache_module.code_fingerprint.cache_clear()
    try:
        before = cache_module.code_fingerprint()
        (package / "ingest" / "clean.py").write_text("RULE = 2\n", encoding="utf-8")
        cache_module.code_fingerprint.cache_clear()
        assert cache_module.code_fingerprint() != before
    finally:
        cache_module.code_fingerprint.cache_clear()


def test_the_versioned_names_are_the_annotators_names():
    # The cache keys use DEFAULT_NAMES (no import of the annotator modules); a build
    # also stops if a loaded annotator's origin differs from them.
    assert [cls.name for cls in annotators.default_annotators()] == list(annotators.DEFAULT_NAMES)
