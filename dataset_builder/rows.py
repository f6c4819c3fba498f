"""Rows converted to Arrow where they are made, with the writer's size estimate of each.

The build's workers turn each batch of documents into one ``pa.RecordBatch`` per
config (the documents and each task config); every document of the batch keeps a
:class:`Rows`: that shared batch and its own row range. Pickling the batch's
documents sends each Arrow batch once (pickle memoises an object it meets twice),
and the main process slices it without copying, so it only writes: converting
tens of thousands of row dicts was its largest cost. Each row carries
:func:`approx_bytes`, the writer's deterministic size estimate, so row groups and
shards are cut where they would be cut from the dicts, whatever the batches.

:func:`read_records` goes the other way, for everything that reads a release back.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq

# Rows turned into Python objects at a time when a row group is read back: a whole
# row group of 1,000 articles at once is about 70 MB of short-lived objects.
READ_ROWS = 100


def read_records(parquet: pq.ParquetFile, group: int, start: int = 0, count: int | None = None) -> Iterator[dict]:
    """The rows of one row group as dicts (``count`` rows from ``start``, default all):
    the group is decoded once, converted ``READ_ROWS`` at a time."""
    for batch in parquet.read_row_group(group).slice(start, count).to_batches(max_chunksize=READ_ROWS):
        yield from batch.to_pylist()


def approx_bytes(row: dict) -> int:
    """A cheap, deterministic estimate of a row's in-memory Arrow size, to cut row groups by size.

    Strings count their length; a list counts 64 bytes an item (its nested
    fields), plus the length of its strings when it is a list of strings.
    """
    size = 0
    for value in row.values():
        if isinstance(value, str):
            size += len(value) + 4
        elif isinstance(value, list):
            size += 64 * len(value)
            if value and isinstance(value[0], str):
                size += sum(map(len, value))
        else:
            size += 8
    return size


@dataclass(frozen=True, slots=True)
class Rows:
    """Consecutive rows of one config: ``batch`` rows ``start .. start + len(sizes)``.

    Attributes:
        batch: the Arrow batch, shared with the other documents converted with it.
        start: the first row of these rows in ``batch``.
        sizes: :func:`approx_bytes` of each row.
    """

    batch: pa.RecordBatch
    start: int
    sizes: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.sizes)

    def arrow(self) -> pa.RecordBatch:
        """These rows (a zero-copy slice of the shared batch)."""
        return self.batch.slice(self.start, len(self.sizes))

    @classmethod
    def of(cls, rows: Sequence[dict], schema: pa.Schema) -> Rows:
        """``rows`` converted on their own."""
        return grouped_rows([rows], schema)[0]


def grouped_rows(groups: Sequence[Sequence[dict]], schema: pa.Schema) -> list[Rows]:
    """One :class:`Rows` per group (a document's rows), all converted in one Arrow batch."""
    batch = pa.RecordBatch.from_pylist([row for group in groups for row in group], schema=schema)
    out, start = [], 0
    for group in groups:
        out.append(Rows(batch, start, tuple(approx_bytes(row) for row in group)))
        start += len(group)
    return out
