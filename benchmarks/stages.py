"""Where a full build's time goes: one build with 1 worker and no cache, stages timed.

Not a test. Times the builder's own stages inside one real build (``build()`` with
``workers=1``, ``cache=None``) by wrapping the functions that do them, so the
numbers add up to the build's wall time (the rest is the loop's glue). Usage::

    python -m benchmarks.stages /tmp/news-edc-bench/corpus-1000
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import dataset_builder.ingest.reader as reader
import dataset_builder.parallel as parallel
import dataset_builder.release as release

TIMES: dict[str, float] = {}


def _timed(owner, name: str, stage: str) -> None:
    function = getattr(owner, name)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            TIMES[stage] = TIMES.get(stage, 0.0) + time.perf_counter() - start

    setattr(owner, name, wrapper)


def main() -> None:
    sources = Path(sys.argv[1])
    stages = [
        (reader, "_read_page", "read + decode + clean + language (per page)"),
        (reader, "signature", "near-duplicate signature (MinHash)"),
        (parallel.Processor, "_load", "spaCy import + model load"),
        (parallel.Processor, "analyse", "parse + annotate (nlp.pipe + the 3 annotators)"),
        (parallel, "record_problems", "record checks (schema + offsets)"),
        (parallel.Processor, "process", "per-document work in all (parse + annotate included)"),
        (release.SplitWriter, "add_rows", "Parquet writers: add"),
        (release.SplitWriter, "_flush", "Parquet writers: flush"),
        (release, "write_viewer", "viewer"),
        (release, "validate_release", "release validation"),
        (release, "write_card", "card"),
    ]
    for owner, name, stage in stages:
        _timed(owner, name, stage)
    out = Path(tempfile.mkdtemp(prefix="news-edc-stages-"))
    try:
        start = time.perf_counter()
        _, report = release.build(sources=sources, out=out, cache=None, gold=None, workers=1, progress=False)
        total = time.perf_counter() - start
    finally:
        shutil.rmtree(out, ignore_errors=True)
    n = len(report.included)
    rows = {stage: round(1000 * seconds / n, 3) for stage, seconds in TIMES.items()}
    print(json.dumps({"documents": n, "total_s": round(total, 2), "ms_per_document": rows}, indent=2))


if __name__ == "__main__":
    main()
