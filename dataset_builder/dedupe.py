"""Exact and near-duplicate articles.

- Exact: the same cleaned ``text`` (so the same article saved twice, in two
  encodings, or with different furniture around it). Two inputs with the same
  bytes have the same id and can never both be records.
- Near: the same wire story reprinted with small edits (another headline, a
  paragraph added or cut). MinHash signatures of word 5-gram shingles
  (``datasketch``), banded as in datasketch's ``MinHashLSH`` (its band and row
  counts for the threshold); a candidate counts when its estimated Jaccard
  similarity reaches the threshold.

Checking is online, in source order: the first article of a group is the
original, each later one is reported as a duplicate of it.

The index lives in a private temporary SQLite database (stdlib ``sqlite3``: held
in a bounded page cache, spilled to a temporary file beyond it, deleted when the
index is closed), so the build's memory does not grow with the corpus. The
signatures are computed where the articles are read (in the build's workers,
and kept in the ingestion cache): the index only looks up and compares.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from .errors import BuildError

NEAR_THRESHOLD = 0.8
SHINGLE = 5
NUM_PERM = 128
# Fixed seed: the same inputs give the same signatures, so the same report.
SEED = 1
# Page cache of the index database (KiB); beyond it pages go to its temporary file.
CACHE_KIB = 4_000
_WORD = re.compile(r"\w+")
# datasketch keeps hash values below 2**32 (in uint64 arrays): 4 bytes each suffice.
_STORED = np.dtype("<u4")


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A later article that repeats an earlier one.

    Attributes:
        of_source: ``source_file`` of the earlier (kept) article.
        of_id: its id.
        kind: ``same bytes``, ``exact`` (same cleaned text) or ``near``.
        similarity: estimated Jaccard similarity of the shingles (1.0 for exact).
    """

    of_source: str
    of_id: str
    kind: str
    similarity: float = 1.0

    def reason(self, dup_id: str) -> str:
        """The build report's wording."""
        if self.kind == "same bytes":
            return f"exact duplicate of {self.of_source} (same bytes, id {self.of_id})"
        if self.kind == "exact":
            return f"exact duplicate of {self.of_source} (id {self.of_id}): same cleaned text (id {dup_id})"
        return (f"near duplicate of {self.of_source} (id {self.of_id}): estimated Jaccard similarity "
                f"{self.similarity:.2f} of word {SHINGLE}-grams (MinHash LSH, threshold {NEAR_THRESHOLD})")


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """Lower-cased word ``size``-grams of ``text`` (the whole text when shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def minhash(text: str) -> MinHash:
    """The MinHash signature of ``text``'s shingles."""
    m = MinHash(num_perm=NUM_PERM, seed=SEED)
    m.update_batch(list(shingles(text)))
    return m


def signature(text: str) -> bytes:
    """``text``'s MinHash signature in its compact stored form (``NUM_PERM`` little-endian uint32)."""
    return minhash(text).hashvalues.astype(_STORED).tobytes()


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two stored signatures (as ``MinHash.jaccard``)."""
    return float(np.count_nonzero(np.frombuffer(a, _STORED) == np.frombuffer(b, _STORED))) / NUM_PERM


def text_digest(text: str) -> bytes:
    """SHA-256 of the cleaned text: the key of exact duplicates."""
    return hashlib.sha256(text.encode("utf-8")).digest()


class DuplicateIndex:
    """Remembers the articles seen so far and finds what a new one repeats.

    Close it (or use it as a context manager) to delete its temporary database.

    Args:
        threshold: estimated Jaccard similarity from which two texts are near duplicates.
    """

    def __init__(self, threshold: float = NEAR_THRESHOLD) -> None:
        self.threshold = threshold
        # Candidates from a looser band setting, then the estimate decides: fewer
        # pairs above the threshold are missed by the banding.
        lsh = MinHashLSH(threshold=max(0.5, threshold - 0.1), num_perm=NUM_PERM)
        self._ranges = [(start * 4, end * 4) for start, end in lsh.hashranges]  # byte ranges of the bands
        # "": a private temporary database, removed when the connection closes.
        self._db = sqlite3.connect("", isolation_level=None)
        self._db.executescript(f"""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -{CACHE_KIB};
            CREATE TABLE seen (id TEXT PRIMARY KEY, source TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE original (n INTEGER PRIMARY KEY, id TEXT NOT NULL, source TEXT NOT NULL,
                                   digest BLOB NOT NULL UNIQUE, signature BLOB NOT NULL);
            CREATE TABLE band (band INTEGER, key INTEGER, n INTEGER, PRIMARY KEY (band, key, n)) WITHOUT ROWID;
        """)
        # One transaction for the index's whole life: nothing in it needs to outlive the
        # build, and a commit per article wrote that article's dirty pages to the temporary
        # file (random B-tree pages: 20,000 articles took 12.3 s instead of 2.4 s, see
        # docs/scaling.md). Pages still go to the file when the page cache is full.
        self._db.execute("BEGIN")
        pairs = ", ".join("(?, ?)" for _ in self._ranges)
        self._candidates_sql = (
            "SELECT DISTINCT o.n, o.id, o.source, o.signature FROM band b "
            f"JOIN (VALUES {pairs}) AS v ON b.band = v.column1 AND b.key = v.column2 "
            "JOIN original o ON o.n = b.n ORDER BY o.n"
        )
        self._count = 0

    def __enter__(self) -> DuplicateIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def _bands(self, sig: bytes) -> list[int]:
        """One 64-bit key per band (a hash of the band's values), alternating with the band number."""
        out: list[int] = []
        for number, (start, end) in enumerate(self._ranges):
            key = int.from_bytes(hashlib.blake2b(sig[start:end], digest_size=8).digest(), "little", signed=True)
            out += (number, key)
        return out

    def check(self, id_: str, source: str, text: str, sig: bytes | None = None) -> Duplicate | None:
        """What this article duplicates, or None; a new original is remembered.

        A duplicate is not indexed: later copies are matched to the original.

        Args:
            sig: the text's :func:`signature`, when the reader computed it already.

        Raises:
            BuildError: the index's temporary database failed (a full disk, say).
        """
        try:
            return self._check(id_, source, text, sig)
        except sqlite3.Error as err:
            raise BuildError(f"near-duplicate index (a temporary SQLite database): {err}") from None

    def _check(self, id_: str, source: str, text: str, sig: bytes | None) -> Duplicate | None:
        db = self._db
        row = db.execute("SELECT source FROM seen WHERE id = ?", (id_,)).fetchone()
        if row is not None:
            return Duplicate(row[0], id_, "same bytes")
        # Every id is remembered, kept or not: a later copy of the same bytes must
        # never become a second record with the same id (policy "keep").
        db.execute("INSERT INTO seen VALUES (?, ?)", (id_, source))
        digest = text_digest(text)
        row = db.execute("SELECT source, id FROM original WHERE digest = ?", (digest,)).fetchone()
        if row is not None:
            return Duplicate(row[0], row[1], "exact")
        sig = sig if sig is not None else signature(text)
        bands = self._bands(sig)
        best: tuple[float, str, str] | None = None
        # in source order, so on a tie the earliest original wins
        for _, of_id, of_source, other in db.execute(self._candidates_sql, bands):
            score = similarity(sig, other)
            if score >= self.threshold and (best is None or score > best[0]):
                best = (score, of_id, of_source)
        if best is not None:
            return Duplicate(best[2], best[1], "near", best[0])
        n = self._count
        self._count += 1
        db.execute("INSERT INTO original VALUES (?, ?, ?, ?, ?)", (n, id_, source, digest, sig))
        db.executemany("INSERT INTO band VALUES (?, ?, ?)", [(bands[i], bands[i + 1], n) for i in range(0, len(bands), 2)])
        return None
