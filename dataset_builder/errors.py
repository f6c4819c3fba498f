"""One exception tree for the builder.

``Rejected`` is document-level: the file is listed in the build report with the
reason and the build goes on. Everything else under ``NewsEdcError`` is fatal for
the command and is printed as one clear message, never as a traceback.
"""

from __future__ import annotations


class NewsEdcError(Exception):
    """Base of every error the builder reports to a user."""


class Rejected(NewsEdcError):
    """An input document cannot be included; the build reports it and continues."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class BuildError(NewsEdcError):
    """The build cannot produce a release (bad configuration, broken gold, existing version)."""


class OffsetError(BuildError):
    """A span breaks the offset invariant ``text[start:end] == span.text``."""


class SchemaError(BuildError):
    """A record or a data file does not conform to its JSON Schema."""
