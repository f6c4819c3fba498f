"""Exact and near-duplicate articles.

- Exact: the same cleaned ``text`` (so the same article saved twice, in two
  encodings, or with different furniture around it). Two inputs with the same
  bytes have the same id and can never both be records.
- Near: the same wire story reprinted with small edits (another headline, a
  paragraph added or cut). MinHash signatures of word 5-gram shingles, indexed
  in a MinHash LSH (``datasketch``); a candidate counts when its estimated
  Jaccard similarity reaches the threshold.

Checking is online, in source order: the first article of a group is the
original, each later one is reported as a duplicate of it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

NEAR_THRESHOLD = 0.8
SHINGLE = 5
NUM_PERM = 128
# Fixed seed: the same inputs give the same signatures, so the same report.
SEED = 1
_WORD = re.compile(r"\w+")


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


class DuplicateIndex:
    """Remembers the articles seen so far and finds what a new one repeats.

    Args:
        threshold: estimated Jaccard similarity from which two texts are near duplicates.
    """

    def __init__(self, threshold: float = NEAR_THRESHOLD) -> None:
        self.threshold = threshold
        self._by_id: dict[str, str] = {}
        self._by_text: dict[str, tuple[str, str]] = {}
        # Candidates from a looser LSH band setting, then the estimate decides:
        # fewer pairs above the threshold are missed by the banding.
        self._lsh = MinHashLSH(threshold=max(0.5, threshold - 0.1), num_perm=NUM_PERM)
        self._signatures: dict[str, MinHash] = {}
        self._order: dict[str, int] = {}

    def check(self, id_: str, source: str, text: str) -> Duplicate | None:
        """What this article duplicates, or None; a new original is remembered.

        A duplicate is not indexed: later copies are matched to the original.
        """
        if id_ in self._by_id:
            return Duplicate(self._by_id[id_], id_, "same bytes")
        # Every id is remembered, kept or not: a later copy of the same bytes must
        # never become a second record with the same id (policy "keep").
        self._by_id[id_] = source
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest in self._by_text:
            of_source, of_id = self._by_text[digest]
            return Duplicate(of_source, of_id, "exact")
        signature = minhash(text)
        best: tuple[float, int, str] | None = None
        for key in self._lsh.query(signature):
            similarity = signature.jaccard(self._signatures[key])
            # the most similar original; on a tie the earliest in source order
            if similarity >= self.threshold and (best is None or (similarity, -self._order[key]) > (best[0], -best[1])):
                best = (similarity, self._order[key], key)
        if best is not None:
            of_id = best[2]
            return Duplicate(self._by_id[of_id], of_id, "near", best[0])
        self._by_text[digest] = (source, id_)
        self._signatures[id_] = signature
        self._order[id_] = len(self._order)
        self._lsh.insert(id_, signature)
        return None
