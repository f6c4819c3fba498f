"""Annotation past one machine: datatrove's local, Slurm and Ray executors fill the annotation cache.

``dataset-builder build --executor local|slurm|ray`` runs in two phases:

1. **Distributed annotation.** This process reads, cleans and de-duplicates the
   sources (as every build does) and writes the articles whose analysis is not
   in the cache yet to ``<cache>/work/<run>/part-NNNNN.jsonl``, one part per
   datatrove task. A datatrove pipeline of one step,
   :class:`~dataset_builder._datatrove_step.AnnotateIntoCache`, runs on the
   chosen executor: task *r* parses and annotates part *r* (one spaCy pipeline
   per task, ``nlp.pipe`` batches) and stores each analysis in the cache.
2. **Assembly.** The normal build runs; every article is now a cache hit, so it
   only merges gold, checks the records, derives the task rows and writes the
   release in source order. The release is therefore byte for byte the one the
   local path writes: the executor only decides where the cache was filled.

The cache and the work folder must be on a file system that every node sees
(Slurm, Ray). A run is named by the hash of its work list, so rerunning an
interrupted build resumes: datatrove skips the tasks it completed, and the
entries they wrote are hits. Slurm jobs are submitted with ``sbatch`` and this
process waits for their completion markers; datatrove's Ray executor blocks
until its tasks finish.

datatrove is imported only here, and only when ``--executor`` is given; the
Slurm and Ray executors need their own extras (``pip install datatrove`` brings
the local and Slurm ones; Ray needs ``pip install ray``).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import time
from dataclasses import asdict
from pathlib import Path

from .config import BuildConfig
from .errors import BuildError
from .ingest.reader import ingest_sources
from .parallel import Processor, Settings, default_workers, ingest_cache
from .pipeline import BuildReport, accepted, limits_of

EXECUTORS = ("local", "slurm", "ray")
# Seconds between two looks at the completion markers of submitted Slurm jobs.
POLL_SECONDS = 30.0


def write_work(config: BuildConfig, settings: Settings, work_root: Path, tasks: int) -> tuple[Path, int]:
    """Write the articles that miss the cache into ``tasks`` JSONL parts, round robin in source order.

    Returns:
        The run's work folder and how many articles it holds.
    """
    processor = Processor(settings)
    staging = work_root / f".staging-{time.time_ns()}"
    staging.mkdir(parents=True)
    handles = [(staging / f"part-{rank:05d}.jsonl").open("w", encoding="utf-8") for rank in range(tasks)]
    run = hashlib.sha256()
    count = 0
    try:
        ingested = ingest_sources(config.sources, limits_of(config), ingest_cache(settings))
        for article in accepted(config, BuildReport(), ingested):
            key = processor.key(article)
            if processor.cache is not None and key in processor.cache:
                continue
            run.update(key.encode())
            handles[count % tasks].write(json.dumps(asdict(article), ensure_ascii=False) + "\n")
            count += 1
    finally:
        for handle in handles:
            handle.close()
    folder = work_root / f"run-{run.hexdigest()[:16]}-{tasks}"
    if folder.exists():  # the same work list as an earlier (interrupted) run: resume it
        for path in staging.iterdir():
            path.unlink()
        staging.rmdir()
    else:
        staging.rename(folder)
    return folder, count


def _option(value: str) -> object:
    """``--executor-option`` values: numbers as numbers, the rest as strings."""
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(value.lower(), value)


def make_executor(kind: str, step: object, tasks: int, workers: int, logging_dir: Path, options: dict):
    """The datatrove executor of ``kind`` running ``step`` on ``tasks`` tasks.

    Raises:
        BuildError: an unknown kind, or the executor's extras are not installed.
    """
    try:
        if kind == "local":
            from datatrove.executor import LocalPipelineExecutor

            return LocalPipelineExecutor(
                pipeline=[step], tasks=tasks, workers=min(workers, tasks), logging_dir=str(logging_dir), **options
            )
        if kind == "slurm":
            from datatrove.executor import SlurmPipelineExecutor

            missing = {"time", "partition"} - set(options)
            if missing:
                raise BuildError(
                    f"--executor slurm needs --executor-option for {', '.join(sorted(missing))} "
                    "(e.g. --executor-option partition=cpu --executor-option time=04:00:00)"
                )
            return SlurmPipelineExecutor(pipeline=[step], tasks=tasks, logging_dir=str(logging_dir), **options)
        if kind == "ray":
            from datatrove.executor import RayPipelineExecutor

            if importlib.util.find_spec("ray") is None:  # datatrove imports it only when the run starts
                raise ImportError("No module named 'ray'")

            return RayPipelineExecutor(pipeline=[step], tasks=tasks, logging_dir=str(logging_dir), **options)
    except ImportError as err:
        extra = {"ray": "ray (pip install ray)", "slurm": "datatrove's Slurm support (pip install datatrove)"}
        raise BuildError(f"--executor {kind}: {extra.get(kind, 'datatrove')} is not installed ({err})") from err
    raise BuildError(f"--executor {kind!r}: expected one of {', '.join(EXECUTORS)}")


def annotate_with_executor(config: BuildConfig, settings: Settings) -> int:
    """Fill the annotation cache for every accepted article through a datatrove executor.

    Returns:
        How many articles the executor's tasks had to annotate (0: the cache was warm).

    Raises:
        BuildError: no cache (``--no-cache``), datatrove or the executor's extras
            missing, or tasks that did not complete.
    """
    if config.executor not in EXECUTORS:
        raise BuildError(f"--executor {config.executor!r}: expected one of {', '.join(EXECUTORS)}")
    if settings.cache is None:
        raise BuildError("--executor fills the annotation cache: it cannot run with --no-cache")
    try:
        from ._datatrove_step import AnnotateIntoCache
    except ImportError as err:
        raise BuildError(f"--executor needs datatrove: pip install datatrove ({err})") from err
    workers = config.workers or default_workers()
    tasks = max(1, config.executor_tasks or workers)
    folder, count = write_work(config, settings, Path(settings.cache) / "work", tasks)
    if count == 0:
        return 0
    options = {key: _option(value) for key, value in config.executor_options}
    step = AnnotateIntoCache(str(folder), settings)
    executor = make_executor(config.executor, step, tasks, workers, folder / "logs", options)
    try:
        executor.run()
    except ImportError as err:  # an extra the executor needs only at run time
        raise BuildError(f"--executor {config.executor}: a dependency is not installed ({err})") from err
    # Slurm returns once the jobs are submitted: wait for datatrove's completion markers.
    while incomplete := executor.get_incomplete_ranks(range(tasks), skip_completed=True):
        if config.executor != "slurm":
            raise BuildError(f"datatrove tasks {incomplete} did not complete (logs: {folder / 'logs'})")
        time.sleep(POLL_SECONDS)
    for part in folder.glob("part-*.jsonl"):  # article texts: not kept once in the cache; the logs stay
        part.unlink()
    return count
