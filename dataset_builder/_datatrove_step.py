"""The datatrove pipeline step of ``--executor`` (imported only when datatrove is installed and asked for)."""

from __future__ import annotations

import json
from pathlib import Path

from datatrove.pipeline.base import PipelineStep

from .parallel import NLP_BATCH_SIZE, Processor, Settings


class AnnotateIntoCache(PipelineStep):
    """Task ``rank`` parses and annotates ``part-<rank>.jsonl`` of a work folder into the annotation cache.

    Args:
        work_dir: the run's work folder (see :func:`dataset_builder.distributed.write_work`).
        settings: the build's processing settings (model, annotators, gold, cache).
    """

    name = "news-edc annotate into cache"
    type = "ANNOTATOR"

    def __init__(self, work_dir: str, settings: Settings) -> None:
        super().__init__()
        self.work_dir = work_dir
        self.settings = settings

    def run(self, data=None, rank: int = 0, world_size: int = 1):
        from .records import article_from_json

        processor = Processor(self.settings)
        part = Path(self.work_dir) / f"part-{rank:05d}.jsonl"
        batch = []
        with part.open(encoding="utf-8") as handle:
            for line in handle:
                batch.append(article_from_json(json.loads(line)))
                if len(batch) == NLP_BATCH_SIZE:
                    self._process(processor, batch)
                    batch = []
        if batch:
            self._process(processor, batch)
        if data:
            yield from data

    def _process(self, processor: Processor, batch: list) -> None:
        with self.track_time(unit="batch"):
            # process, not only analyse: it checks each record and stores the analysis
            # with the mark of its checked record, so the assembly re-checks nothing
            for built in processor.process(batch):
                self.stat_update("cached" if built.cached else "annotated")
