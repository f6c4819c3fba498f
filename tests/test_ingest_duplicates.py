"""Duplicates: exact (same cleaned text) and near (a wire story reprinted) (issue 10, item 3)."""

from __future__ import annotations

import itertools

import pytest
from conftest import DEVSET, ROOT

from dataset_builder import build
from dataset_builder.cli import main
from dataset_builder.dedupe import DuplicateIndex, minhash
from dataset_builder.errors import BuildError
from dataset_builder.ingest.clean import clean

SEED = ROOT / "sources" / "articles" / "000_24596bca16d28781.txt"
OTHER_SEED = ROOT / "sources" / "articles" / "004_c78c4bcafad1e95b.txt"


def reprint(raw: str) -> str:
    """The same wire story as another site prints it: its own furniture and headline, the last paragraph cut."""
    lines = raw.splitlines()
    return "\n".join(
        ["Home / World / Asia", "Kim says military brotherhood with Russia will advance non-stop",
         "October 25, 2025 | 11:02 AM", "By Reuters staff", ""]
        + lines[1:-2] + ["", "Topics: North Korea, Russia"]
    )


def _sources(tmp_path, files: dict[str, bytes]):
    sources = tmp_path / "src"
    sources.mkdir()
    for name, content in files.items():
        (sources / name).write_bytes(content)
    return sources


def test_same_text_with_other_bytes_is_an_exact_duplicate(tmp_path):
    raw = SEED.read_text(encoding="utf-8")
    sources = _sources(tmp_path, {
        "a.txt": raw.encode("utf-8"),
        "b_crlf_utf16.txt": raw.replace("\n", "\r\n").encode("utf-16"),  # other bytes, same article
    })
    _, report = build(out=tmp_path / "out", sources=sources, annotate=False, gold=None, allow_rejects=True)
    [kept] = report.included
    [dup] = report.rejected
    assert kept["source_file"] == "a.txt"
    assert dup["source_file"] == "b_crlf_utf16.txt"
    assert dup["reason"].startswith(f"exact duplicate of a.txt (id {kept['id']}): same cleaned text (id ")


def test_a_reprint_with_other_furniture_is_a_near_duplicate(tmp_path):
    raw = SEED.read_text(encoding="utf-8")
    sources = _sources(tmp_path, {"a.txt": raw.encode("utf-8"), "b.txt": reprint(raw).encode("utf-8"),
                                  "c.txt": OTHER_SEED.read_bytes()})
    _, report = build(out=tmp_path / "out", sources=sources, annotate=False, gold=None, allow_rejects=True)
    assert [d["source_file"] for d in report.included] == ["a.txt", "c.txt"]
    [dup] = report.rejected
    assert dup["source_file"] == "b.txt"
    kept_id = report.included[0]["id"]
    assert dup["reason"].startswith(f"near duplicate of a.txt (id {kept_id}): estimated Jaccard similarity 0.9")
    assert dup["reason"].endswith("of word 5-grams (MinHash LSH, threshold 0.8)")


def test_policy_keep_includes_duplicates_and_flags_them(tmp_path, capsys):
    raw = SEED.read_text(encoding="utf-8")
    sources = _sources(tmp_path, {"a.txt": raw.encode("utf-8"), "b.txt": reprint(raw).encode("utf-8"),
                                  "c.txt": raw.encode("utf-8")})  # c: same bytes as a, same id
    out = tmp_path / "out"
    assert main(["build", "--sources", str(sources), "--out", str(out), "--no-annotate", "--no-gold",
                 "--duplicates", "keep", "--allow-rejects"]) == 0
    printed = capsys.readouterr().out
    assert "+ a.txt" in printed and "+ b.txt" in printed
    assert "~ b.txt  FLAGGED: kept by --duplicates keep: near duplicate of a.txt" in printed
    # the same bytes are the same id: never two records, whatever the policy
    assert "- c.txt  REJECTED: exact duplicate of a.txt (same bytes, id " in printed


def test_unknown_policy_is_a_clear_error(tmp_path):
    with pytest.raises(BuildError, match="duplicates policy 'drop'"):
        build(out=tmp_path / "out", annotate=False, duplicates="drop")


def test_different_articles_on_the_same_story_are_not_duplicates():
    # Both seeds cover North Korea and Russia; the dev articles are four other stories.
    texts = [clean(p.read_text(encoding="utf-8")).text for p in (SEED, OTHER_SEED)]
    if DEVSET.is_dir():
        texts += [clean(p.read_text(encoding="utf-8")).text for p in sorted((DEVSET / "raw").glob("*.txt"))]
    for a, b in itertools.combinations(texts, 2):
        assert minhash(a).jaccard(minhash(b)) < 0.2
    index = DuplicateIndex()
    assert [index.check(str(i).zfill(16), f"{i}.txt", t) for i, t in enumerate(texts)] == [None] * len(texts)


def test_a_later_copy_is_matched_to_the_original_not_to_another_copy():
    raw = SEED.read_text(encoding="utf-8")
    original, copy = clean(raw).text, clean(reprint(raw)).text
    index = DuplicateIndex()
    assert index.check("a" * 16, "a.txt", original) is None
    first = index.check("b" * 16, "b.txt", copy)
    second = index.check("c" * 16, "c.txt", copy + "\n\nKCNA did not give further details.")
    assert (first.of_source, first.kind) == ("a.txt", "near")
    assert (second.of_source, second.kind) == ("a.txt", "near")  # b was not kept, so not an original


def test_the_sqlite_index_decides_as_datasketch_lsh_does():
    # Oracle: datasketch's own in-memory MinHashLSH with the same band setting,
    # then the same estimate and tie rule; on the seeds' paragraphs recombined
    # into originals, cut copies and edited copies.
    from datasketch import MinHashLSH

    paragraphs = [p for path in (SEED, OTHER_SEED) for p in clean(path.read_text(encoding="utf-8")).text.split("\n\n")]
    texts = []
    for i in range(len(paragraphs) - 3):
        original = "\n\n".join(paragraphs[i : i + 4])
        texts += [original, "\n\n".join(paragraphs[i : i + 3]), original.replace(" the ", " a ", 2)]
    lsh, signatures, expected = MinHashLSH(threshold=0.7, num_perm=128), {}, []
    for n, text in enumerate(texts):
        m = minhash(text)
        found = [(m.jaccard(signatures[k]), -k, k) for k in lsh.query(m) if m.jaccard(signatures[k]) >= 0.8]
        if found:
            expected.append(max(found)[2])
        else:
            expected.append(None)
            signatures[n] = m
            lsh.insert(n, m)
    index = DuplicateIndex()
    got = []
    for n, text in enumerate(texts):
        duplicate = index.check(f"{n:016x}", f"{n}.txt", text)
        got.append(None if duplicate is None else int(duplicate.of_id, 16))
    assert got == expected
    assert 0 < sum(g is not None for g in got) < len(got)  # both kinds occur
