"""One measurement in a fresh process, printed as one JSON line (used by ``benchmarks/run.py``).

A fresh process per measurement makes ``ru_maxrss`` the peak of that build
alone: ``RUSAGE_SELF`` is the main (reading, writing) process, ``RUSAGE_CHILDREN``
the largest worker process (the pool is joined before the build returns).

Usage::

    python -m benchmarks.measure build '{"sources": "...", "out": "...", "workers": 2}'
    python -m benchmarks.measure pipe '{"sources": "...", "n_process": 1}'
    python -m benchmarks.measure pipe '{"sources": "...", "annotate": true}'   # nlp.pipe + the annotators
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def _rss() -> dict:
    return {
        "rss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def measure_build(args: dict) -> dict:
    """A full ``build()`` (as ``dataset-builder build`` runs it) with the given overrides."""
    from dataset_builder.release import build

    overrides = {k: Path(v) if k in ("sources", "out", "cache") and v else v for k, v in args.items()}
    overrides.setdefault("gold", None)
    overrides.setdefault("progress", False)
    start = time.perf_counter()
    release, report = build(**overrides)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "documents": len(report.included),
        "annotated": report.annotated,
        "cached": report.cached,
        "sha256sums": __import__("hashlib").sha256((release / "SHA256SUMS").read_bytes()).hexdigest(),
        **_rss(),
    }


def measure_pipe(args: dict) -> dict:
    """Bare ``nlp.pipe`` of the same model over the same cleaned texts (ingestion not timed)."""
    from dataset_builder.config import BuildConfig
    from dataset_builder.nlp import load_pipeline
    from dataset_builder.pipeline import BuildReport, accepted

    config = BuildConfig(sources=Path(args["sources"]), gold=None, allow_rejects=True)
    texts = [a.text for a in accepted(config, BuildReport())]
    # Loading is timed apart (a build pays it inside its time): importing spaCy, loading
    # the model and, with the annotators, building them.
    loading = time.perf_counter()
    nlp = load_pipeline()
    n_process = int(args.get("n_process", 1))
    annotators = []
    articles = []
    if args.get("annotate"):
        # The same model plus the three annotators on each Doc: the work a build cannot avoid.
        from dataset_builder.annotators import default_annotators

        annotators = [cls(nlp) for cls in default_annotators()]
    load_seconds = time.perf_counter() - loading
    if args.get("annotate"):
        articles = list(accepted(config, BuildReport()))
    start = time.perf_counter()
    tokens = 0
    for i, doc in enumerate(nlp.pipe(texts, batch_size=32, n_process=n_process)):
        tokens += len(doc)
        layers: dict = {"entities": (), "timexes": (), "claims": ()}
        for annotator in annotators:
            layers[annotator.layer] = tuple(annotator.annotate(doc, articles[i], layers))
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "load_seconds": load_seconds,
        "documents": len(texts),
        "words": sum(len(t.split()) for t in texts),
        "tokens": tokens,
        **_rss(),
    }


def main() -> None:
    what, raw = sys.argv[1], sys.argv[2]
    result = {"build": measure_build, "pipe": measure_pipe}[what](json.loads(raw))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
