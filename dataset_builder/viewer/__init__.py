"""A static HTML viewer and statistics report for a release (``dataset-builder view``).

:func:`write_viewer` writes ``index.html`` (documents with counts, per-layer and
per-label charts, the timeline of resolved dates, baseline scores) and one page
per document with the three annotation layers marked in the text. The pages
work offline from the file system and their bytes depend only on the records.
"""

from __future__ import annotations

from .site import PAGE_SIZE, render, write_viewer

__all__ = ["PAGE_SIZE", "render", "write_viewer"]
