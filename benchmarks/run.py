"""The scale benchmark: throughput, overhead over bare ``nlp.pipe``, workers, rebuilds, peak memory.

Not a test: it takes minutes to hours. For each corpus size N it generates a
corpus (``benchmarks/corpus.py``) and measures, each in a fresh process
(``benchmarks/measure.py``):

- ``pipe1`` / ``pipe2``: bare ``nlp.pipe`` of the same model over the same cleaned
  texts, one process and ``n_process=2`` (ingestion not timed);
- ``annot1``: ``nlp.pipe`` plus the three annotators on each ``Doc``, one process:
  the work any build must do, so ``full1 / annot1`` is the builder's own overhead;
- ``full1`` / ``full2``: a full build (no cache yet) with 1 and 2 workers;
- ``warm2``: the same corpus rebuilt unchanged with 2 workers (all from the cache;
  a new output folder, so the whole release is written again);

and checks that all builds of a size wrote the same release (SHA256SUMS).
Results are stored as JSON in ``--results`` and ``benchmarks/RESULTS.md`` is
rendered from every stored result.

Usage::

    python -m benchmarks.run --n 1000                       # everything at N=1000
    python -m benchmarks.run --n 1000 --repeat 3            # each step 3 times, the median reported
    python -m benchmarks.run --n 20000 --steps full2        # peak memory at N=20000
    python -m benchmarks.run --report                       # only re-render RESULTS.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .corpus import generate

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STEPS = ("pipe1", "pipe2", "annot1", "full1", "full2", "warm2")


def _measure(kind: str, args: dict) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.measure", kind, json.dumps(args)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{kind} {args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_size(n: int, steps: list[str], work: Path, results: Path, command: str, repeat: int = 1) -> dict:
    corpus = work / f"corpus-{n}"
    if not corpus.is_dir() or len(list(corpus.iterdir())) != n:
        shutil.rmtree(corpus, ignore_errors=True)
        generate(corpus, n)
    path = results / f"n{n}.json"
    stored = json.loads(path.read_text()) if path.is_file() else {}
    stored.update({"n": n, "command": command, "machine": machine()})
    runs: dict[str, list[dict]] = {step: [] for step in steps}
    for round_ in range(1, repeat + 1):  # round-robin, so slow spells of a shared machine hit every step
        for step in steps:
            print(f"[{time.strftime('%H:%M:%S')}] N={n} {step} (run {round_} of {repeat}) ...", flush=True)
            result = _measure_step(step, n, corpus, work)
            print(f"    {json.dumps(result)}", flush=True)
            runs[step].append(result)
            stored[step] = _summarise(runs[step])
            results.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(stored, indent=2) + "\n")
    return stored


def _summarise(runs: list[dict]) -> dict:
    """The run of median time (the lower middle one for an even count), with every run's seconds
    and the highest peak RSS of all runs."""
    median = sorted(runs, key=lambda r: r["seconds"])[(len(runs) - 1) // 2]
    return {
        **median,
        "runs_seconds": [round(r["seconds"], 2) for r in runs],
        "rss_self_mb": max(r["rss_self_mb"] for r in runs),
        "rss_children_mb": max(r["rss_children_mb"] for r in runs),
    }


def _measure_step(step: str, n: int, corpus: Path, work: Path) -> dict:
    if step.startswith("pipe"):
        result = _measure("pipe", {"sources": str(corpus), "n_process": int(step[-1])})
    elif step == "annot1":
        result = _measure("pipe", {"sources": str(corpus), "n_process": 1, "annotate": True})
    elif step.startswith("full"):
        out = work / f"out-{n}-{step}"
        shutil.rmtree(out, ignore_errors=True)
        result = _measure("build", {"sources": str(corpus), "out": str(out), "workers": int(step[-1])})
    else:  # warm2: the cache of full2 (or full1), a fresh output folder
        source = next((work / f"out-{n}-{s}" for s in ("full2", "full1") if (work / f"out-{n}-{s}").is_dir()), None)
        if source is None:
            raise RuntimeError("warm2 needs a full build first (full2 or full1)")
        out = work / f"out-{n}-warm2"
        shutil.rmtree(out, ignore_errors=True)
        result = _measure(
            "build", {"sources": str(corpus), "out": str(out), "workers": 2, "cache": str(source / ".cache")}
        )
    return result


def machine() -> dict:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                      if line.startswith("model name")), "")
    return {"cores": os.cpu_count(), "cpu": model, "python": platform.python_version(), "system": platform.platform()}


def _rate(result: dict | None, words: int | None) -> str:
    if not result:
        return "—"
    docs = result["documents"] / result["seconds"]
    rate = f"{result['seconds']:.1f} s · {docs:.2f} docs/s"
    rate += f" · {words / result['seconds']:.0f} words/s" if words else ""
    runs = result.get("runs_seconds") or []
    return rate + (f" (median of {len(runs)}: {', '.join(f'{s:.1f}' for s in runs)} s)" if len(runs) > 1 else "")


def render(results: Path) -> str:
    """RESULTS.md from every stored result."""
    rows = sorted((json.loads(p.read_text()) for p in results.glob("n*.json")), key=lambda r: r["n"])
    lines = ["# Scale benchmark results", "",
             "Generated by `python -m benchmarks.run --report` from `benchmarks/results/*.json`; the commands that",
             "produced each size are listed with it. Corpus: `benchmarks/corpus.py` (the two seed articles'",
             "paragraphs recombined, cast, numbers and dates varied). Builds: `--no-gold`, cache on, default",
             "options otherwise; every measurement runs in a fresh process (`benchmarks/measure.py`). With",
             "`--repeat K` the steps run K times round-robin; a time is the median run, a peak RSS the highest.", ""]
    for r in rows:
        m = r["machine"]
        words = (r.get("pipe1") or r.get("pipe2") or {}).get("words")
        lines += [f"## N = {r['n']:,}", "", f"Command: `{r['command']}`", "",
                  f"Machine: {m['cores']} cores, {m['cpu'] or 'unknown CPU'}, Python {m['python']}, {m['system']}.", "",
                  "| measurement | time and throughput | peak RSS main / largest worker |", "|---|---|---|"]
        names = {"pipe1": "bare `nlp.pipe`, 1 process", "pipe2": "bare `nlp.pipe`, `n_process=2`",
                 "annot1": "`nlp.pipe` + the 3 annotators, 1 process",
                 "full1": "full build, 1 worker", "full2": "full build, 2 workers",
                 "warm2": "unchanged rebuild (cache), 2 workers"}
        for step, name in names.items():
            res = r.get(step)
            rss = f"{res['rss_self_mb']:.0f} MB / {res['rss_children_mb']:.0f} MB" if res else "—"
            lines.append(f"| {name} | {_rate(res, words)} | {rss} |")
        lines.append("")
        ratios = []
        if r.get("full1") and r.get("pipe1"):
            ratios.append(f"- overhead, full build (1 worker) / bare `nlp.pipe` (1 process): "
                          f"**{r['full1']['seconds'] / r['pipe1']['seconds']:.2f}×** (target ≤ 1.25×)")
        if r.get("full1") and r.get("annot1"):
            ratios.append(f"- of which annotators: `nlp.pipe` + annotators / bare `nlp.pipe`: "
                          f"{r['annot1']['seconds'] / r['pipe1']['seconds']:.2f}×" if r.get("pipe1") else "")
            ratios.append(f"- builder overhead without the annotators' own cost, full build (1 worker) / "
                          f"(`nlp.pipe` + annotators): **{r['full1']['seconds'] / r['annot1']['seconds']:.2f}×**")
        if r.get("full1") and r.get("pipe1", {}).get("load_seconds") is not None:
            pipe = r["pipe1"]["seconds"] + r["pipe1"]["load_seconds"]
            ratios.append(f"- the same overhead with loading counted on both sides (a build's time includes importing "
                          f"spaCy and loading the model: {r['pipe1']['load_seconds']:.1f} s in `pipe1`'s process): "
                          f"full build (1 worker) / (bare `nlp.pipe` + loading): {r['full1']['seconds'] / pipe:.2f}× "
                          "(not the target's definition)")
        if r.get("full1") and r.get("full2"):
            ratios.append(f"- speed-up, 2 workers / 1 worker: **{r['full1']['seconds'] / r['full2']['seconds']:.2f}×** "
                          "(target ≥ 1.7×)")
        if r.get("pipe1") and r.get("pipe2"):
            ratios.append(f"- for comparison, bare `nlp.pipe` `n_process=2` / 1: "
                          f"{r['pipe1']['seconds'] / r['pipe2']['seconds']:.2f}×")
        if r.get("warm2") and r.get("full2"):
            ratios.append(f"- unchanged rebuild / full build (2 workers): "
                          f"**{100 * r['warm2']['seconds'] / r['full2']['seconds']:.1f}%** (target ≤ 5%); "
                          f"annotated {r['warm2']['annotated']}, from cache {r['warm2']['cached']}")
        sums = {r[s]["sha256sums"] for s in ("full1", "full2", "warm2") if r.get(s)}
        if sums:
            ratios.append(f"- releases of all builds of this size identical (SHA256SUMS): **{len(sums) == 1}**")
        lines += ratios + [""]
    lines += _targets(rows)
    analysis = HERE / "analysis.md"  # the hand-written reading of these numbers
    if analysis.is_file():
        lines += [analysis.read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(lines)


def _targets(rows: list[dict]) -> list[str]:
    """The issue's four targets, computed from the stored results (each from the sizes it needs)."""
    by_n = {r["n"]: r for r in rows}
    out = ["## Targets", "", "| target | result | |", "|---|---|---|"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    for n, r in sorted(by_n.items()):
        if r.get("full1") and r.get("pipe1"):
            ratio = r["full1"]["seconds"] / r["pipe1"]["seconds"]
            out.append(f"| overhead ≤ 1.25× bare `nlp.pipe` (N = {n:,}) | {ratio:.2f}× | {verdict(ratio <= 1.25)} |")
        if r.get("full1") and r.get("full2"):
            ratio = r["full1"]["seconds"] / r["full2"]["seconds"]
            out.append(f"| 2 workers ≥ 1.7× one (N = {n:,}) | {ratio:.2f}× | {verdict(ratio >= 1.7)} |")
        if r.get("warm2") and r.get("full2"):
            share = 100 * r["warm2"]["seconds"] / r["full2"]["seconds"]
            out.append(f"| unchanged rebuild ≤ 5% of a full build (N = {n:,}) | {share:.1f}% | {verdict(share <= 5)} |")
    small, large = by_n.get(1000), by_n.get(20000)
    if small and large:
        for step in ("full2", "warm2"):
            if small.get(step) and large.get(step):
                main = large[step]["rss_self_mb"] / small[step]["rss_self_mb"]
                worker = large[step]["rss_children_mb"] / max(small[step]["rss_children_mb"], 1)
                out.append(
                    f"| peak RSS at 20,000 ≤ 1.3× that at 1,000 ({step}) | main {main:.2f}× "
                    f"({large[step]['rss_self_mb']:.0f} / {small[step]['rss_self_mb']:.0f} MB), largest worker "
                    f"{worker:.2f}× ({large[step]['rss_children_mb']:.0f} / {small[step]['rss_children_mb']:.0f} MB) "
                    f"| {verdict(max(main, worker) <= 1.3)} |"
                )
    return out + [""]


def main() -> None:
    p = argparse.ArgumentParser(description="news-edc scale benchmark")
    p.add_argument("--n", type=int, action="append", help="corpus size (repeatable)")
    p.add_argument("--steps", default=",".join(STEPS), help=f"comma-separated subset of {','.join(STEPS)}")
    p.add_argument("--work", type=Path, default=Path("/tmp/news-edc-bench"), help="corpora and outputs")
    p.add_argument("--results", type=Path, default=HERE / "results")
    p.add_argument("--report", action="store_true", help="only render RESULTS.md from stored results")
    p.add_argument("--repeat", type=int, default=1, help="run the steps K times round-robin; report the median")
    args = p.parse_args()
    if not args.report:
        command = "python -m benchmarks.run " + " ".join(sys.argv[1:])
        for n in args.n or [1000]:
            run_size(n, [s for s in args.steps.split(",") if s], args.work, args.results, command, args.repeat)
    (HERE / "RESULTS.md").write_text(render(args.results), encoding="utf-8")
    print(f"wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
