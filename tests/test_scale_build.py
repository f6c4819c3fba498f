"""Scale (issue 9): the release does not depend on the workers, the executor or the cache; CLI options.

Small corpora only: the two seed articles (gold, the test split) and four articles
generated from their paragraphs by ``benchmarks/corpus.py`` (silver, train).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import ROOT

import dataset_builder.release as release_module
import dataset_builder.viewer.site as site
from dataset_builder import build
from dataset_builder.cache import RAW_SUFFIX
from dataset_builder.cli import main
from dataset_builder.errors import BuildError
from dataset_builder.release import iter_records

SEEDS = ROOT / "sources" / "articles"


def _generate(folder: Path, n: int, seed: int) -> None:
    """``benchmarks/corpus.py``'s generator, loaded from its file (benchmarks/ is not a package on the path)."""
    spec = importlib.util.spec_from_file_location("news_edc_bench_corpus", ROOT / "benchmarks" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(folder, n, seed=seed)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Four generated pages, the two seeds, a JSONL crawl repeating a seed, and an empty file."""
    folder = tmp_path_factory.mktemp("corpus")
    _generate(folder, 4, seed=7)
    for path in SEEDS.iterdir():
        shutil.copy(path, folder)
    body = (SEEDS / "000_24596bca16d28781.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    lines = [json.dumps({"text": body, "headline": f"Kim vows ties will advance ({n})", "published": "2025-10-25"})
             for n in (1, 2)]
    (folder / "001_crawl.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "002_empty.txt").write_bytes(b"")
    return folder


def _build(corpus: Path, **options):
    return build(sources=corpus, allow_rejects=True, **options)


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> tuple[Path, dict]:
    """The release (and report) as one worker writes it, without a cache."""
    release, report = _build(corpus, out=tmp_path_factory.mktemp("one"), workers=1, use_cache=False)
    assert [d["split"] for d in report.included].count("test") == 2 and len(report.included) == 6
    # the crawl repeats a seed (duplicates) and the empty file is rejected
    assert [r["source_file"] for r in report.rejected] == ["001_crawl.jsonl:1", "001_crawl.jsonl:2", "002_empty.txt"]
    assert report.annotated == 6 and report.cached == 0
    return release, report.to_dict()


def test_two_workers_write_the_release_one_worker_writes(corpus, reference, tmp_path):
    release, report = _build(corpus, out=tmp_path, workers=2)
    assert (release / "SHA256SUMS").read_bytes() == (reference[0] / "SHA256SUMS").read_bytes()
    # the same report: inputs in source order whatever the worker that read or annotated them
    assert report.to_dict() == reference[1]
    # and a rebuild from the cache that run filled is the same release again
    again, warm = _build(corpus, out=tmp_path / "again", cache=tmp_path / ".cache", workers=2)
    assert (warm.annotated, warm.cached) == (0, 6)
    assert (again / "SHA256SUMS").read_bytes() == (reference[0] / "SHA256SUMS").read_bytes()


def test_page_bodies_are_rendered_from_their_own_rows(corpus, tmp_path, monkeypatch):
    # Several row groups a shard and two pages a worker task: a body rendered from any
    # other row than its document's would change the pages, so the release.
    monkeypatch.setattr(release_module, "MAX_ROW_GROUP_ROWS", 3)
    monkeypatch.setattr(site, "_RENDER_CHUNK", 2)
    # in this process, without a cache: a row group a task, every page rendered from its record
    reference, _ = _build(corpus, out=tmp_path / "ref", use_cache=False, workers=1)
    assert max(pq.ParquetFile(p).num_row_groups for p in (reference / "data" / "documents").glob("*.parquet")) > 1
    jobs = []  # the tasks the main process hands to the workers
    def recorded(*args, jobs_of=site._page_jobs):
        made = list(jobs_of(*args))
        jobs.extend(made)
        return made

    monkeypatch.setattr(site, "_page_jobs", recorded)
    cache = tmp_path / "cache"
    first, _ = _build(corpus, out=tmp_path / "a", cache=cache, workers=2)  # every body rendered by the workers
    assert (first / "SHA256SUMS").read_bytes() == (reference / "SHA256SUMS").read_bytes()
    assert any(start > 0 for _, _, start, _ in jobs)  # a task that does not start at its group's first row
    bodies = sorted(p.stem for p in (cache / "viewer").rglob("*" + RAW_SUFFIX))
    assert len(bodies) == len(list(iter_records(first)))
    # keep only the body of the first page of a task of two: the task then mixes a cached
    # body and one rendered from the second of the rows it reads
    kept = next(pages[0][0].key for _, _, _, pages in jobs if len(pages) == 2)
    for path in (cache / "viewer").rglob("*" + RAW_SUFFIX):
        if path.stem != kept:
            path.unlink()
    again, _ = _build(corpus, out=tmp_path / "b", cache=cache, workers=2)
    assert sorted(p.stem for p in (cache / "viewer").rglob("*" + RAW_SUFFIX)) == bodies  # rendered again, stored
    assert (again / "SHA256SUMS").read_bytes() == (reference / "SHA256SUMS").read_bytes()


def test_the_local_datatrove_executor_writes_the_same_release(corpus, reference, tmp_path):
    pytest.importorskip("datatrove")
    release, report = _build(corpus, out=tmp_path, executor="local", executor_tasks=2, workers=2)
    assert (release / "SHA256SUMS").read_bytes() == (reference[0] / "SHA256SUMS").read_bytes()
    # the executor's tasks filled the cache; the assembly annotated nothing itself
    assert (report.annotated, report.cached) == (0, 6)
    assert not list((tmp_path / ".cache" / "work").glob("run-*/part-*.jsonl"))  # the work lists are removed


def test_executor_without_cache_or_extras_is_a_clear_error(corpus, tmp_path):
    pytest.importorskip("datatrove")
    with pytest.raises(BuildError, match="--no-cache"):
        _build(corpus, out=tmp_path, executor="local", use_cache=False)
    with pytest.raises(BuildError, match="partition"):
        _build(corpus, out=tmp_path / "s", executor="slurm", annotate=False)
    try:
        import ray  # noqa: F401
    except ImportError:
        with pytest.raises(BuildError, match="ray"):
            _build(corpus, out=tmp_path / "r", executor="ray", annotate=False)


def test_cli_scale_options_and_quiet_output(corpus, reference, tmp_path, capsys):
    out = tmp_path / "out"
    args = ["build", "--sources", str(corpus), "--out", str(out), "--workers", "2", "--cache", str(tmp_path / "c"),
            "--allow-rejects"]
    assert main([*args, "--quiet"]) == 0
    printed = capsys.readouterr()
    lines = printed.out.splitlines()
    assert lines[:2] == ["included 6, rejected 3", "annotated 6, from cache 0"]
    assert not any(line.startswith("  + ") for line in lines)  # --quiet: the summary, not every input
    assert "doc/s" not in printed.err and "building" not in printed.err  # no progress bar without a terminal
    assert (out / "0.1.0" / "SHA256SUMS").read_bytes() == (reference[0] / "SHA256SUMS").read_bytes()
    assert main([*args, "--no-cache", "--out", str(tmp_path / "out2")]) == 0
    assert "annotated 6, from cache 0" in capsys.readouterr().out  # --no-cache: the cache is not read


def test_bad_executor_option_is_an_argparse_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--executor-option", "novalue"])
    assert exit_.value.code == 2 and "KEY=VALUE" in capsys.readouterr().err
