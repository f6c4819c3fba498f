"""Encodings: every text encoding a crawler produces is decoded; binaries are not (issue 10, item 1)."""

from __future__ import annotations

import codecs
import json

import ftfy
import ftfy.bad_codecs  # noqa: F401  registers "sloppy-windows-1252", to make real mojibake
import pytest
from ftfy.badness import MOJIBAKE_CATEGORIES
from hypothesis import given, settings
from hypothesis import strategies as st

from dataset_builder import build
from dataset_builder.errors import Rejected
from dataset_builder.ingest.decoding import decode_bytes, repair
from dataset_builder.ingest.reader import read_article

# A real shape of article: a date line, a dateline, curly quotes, an en dash,
# accented names (the characters that break between encodings).
ARTICLE = (
    "17-09-2025\n"
    "GENEVA: Swiss officials said on Tuesday that talks between the two sides would resume in Genève "
    "next week, after a café meeting in Zürich ended without a deal.\n"
    "“We are not there yet – but we are close,” the mediator told reporters.\n"
)
# Latin-1 has no curly quotes or dashes.
LATIN1_ARTICLE = ARTICLE.replace("“", '"').replace("”", '"').replace("–", "-")


def body(article: str) -> str:
    """The expected canonical text: the paragraphs after the date line."""
    return "\n\n".join(article.splitlines()[1:])


@pytest.mark.parametrize(
    "article, encoded, encoding",
    [
        (ARTICLE, ARTICLE.encode("utf-8"), "utf-8"),
        (ARTICLE, codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), "utf-8"),
        (ARTICLE, ARTICLE.encode("utf-16"), "utf-16"),  # with its BOM
        (ARTICLE, codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), "utf-16"),
        (ARTICLE, ARTICLE.encode("utf-32"), "utf-32"),
        (ARTICLE, ARTICLE.encode("cp1252"), "cp1252"),
        (ARTICLE, ARTICLE.replace("\n", "\r\n").encode("cp1252"), "cp1252"),
        # Latin-1 bytes are Windows-1252 bytes for every printable character.
        (LATIN1_ARTICLE, LATIN1_ARTICLE.encode("latin-1"), "cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le", "utf16-be", "utf32", "cp1252", "cp1252-crlf", "latin1"],
)
def test_every_text_encoding_gives_the_same_article(article, encoded, encoding, tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(encoded)
    decoded = decode_bytes(encoded, "a.txt")
    assert decoded.encoding == encoding and decoded.repairs == ()
    result = read_article(path)
    assert result.text == body(article)
    assert result.published == "2025-09-17" and result.dateline == "GENEVA"


def test_mojibake_is_repaired_and_the_repair_is_named():
    broken = ARTICLE.encode("utf-8").decode("sloppy-windows-1252")  # what a wrong round trip leaves
    assert "â€œ" in broken and "Ã©" in broken
    decoded = decode_bytes(broken.encode("utf-8"), "a.txt")
    assert decoded.text == ARTICLE
    assert decoded.repairs == ("mojibake: encode sloppy-windows-1252, decode utf-8",)


def test_repair_keeps_characters_as_published():
    # §0: curly quotes, dashes, ligatures, full-width forms and ₹ stay as they are.
    text = "“Ok” – the ﬁrm paid ₹500 crore to ＡＢＣ, officials said."
    assert repair(text) == (text, ())


def test_html_entities_left_in_a_text_dump_are_unescaped():
    assert repair("AT&amp;T said &#8220;no&#8221;.") == ("AT&T said “no”.", ("unescape_html",))


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"", "empty file"),
        (codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", "not a text file (contains NUL bytes"),
        (b"\x1f\x8b\x08\x00" + bytes(range(1, 128)) * 3, "not a text file"),  # gzip-like: control bytes
        (bytes(range(0x80, 0x100)) * 4, "undecodable"),
        (codecs.BOM_UTF8 + b"caf\xe9 owners said", "not valid UTF-8 text despite its byte-order mark"),
    ],
    ids=["empty", "utf16-blank", "png", "control-bytes", "undecodable", "bad-bom"],
)
def test_binary_and_undecodable_input_is_rejected_with_a_reason(raw, reason):
    with pytest.raises(Rejected) as caught:
        decode_bytes(raw, "x.txt")
    assert caught.value.source == "x.txt" and reason in caught.value.reason


def test_encoding_and_repairs_are_recorded_in_the_build_report(tmp_path):
    sources = tmp_path / "src"
    sources.mkdir()
    (sources / "a_cp1252.txt").write_bytes(ARTICLE.encode("cp1252"))
    other = ARTICLE.replace("Tuesday", "Monday").replace("next week", "on Friday")
    (sources / "b_mojibake.txt").write_bytes(other.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8"))
    out = tmp_path / "out"
    release, report = build(out=out, sources=sources, annotate=False, gold=None)
    assert [d["source_file"] for d in report.included] == ["a_cp1252.txt", "b_mojibake.txt"]
    assert report.to_dict()["flagged"] == [
        {"source_file": "a_cp1252.txt", "reason": "decoded from cp1252 (charset detection)"},
        {"source_file": "b_mojibake.txt",
         "reason": "text repaired by ftfy: mojibake: encode sloppy-windows-1252, decode utf-8"},
    ]
    written = json.loads((release / "build_report.json").read_text(encoding="utf-8"))
    assert written["flagged"] == report.to_dict()["flagged"]


def _required_sets(pattern: str, flags: int) -> list[list[set[str]]]:
    """For each top-level alternative of ``pattern``, the character sets of its items that
    must match exactly one character (literals and plain classes; optional items, anchors,
    ``.``, ``\\w`` and negated classes are left out)."""
    from re import _constants as c
    from re import _parser

    def chars(op, av) -> set[str] | None:
        if op is c.LITERAL:
            return {chr(av)}
        if op is c.IN and all(o in (c.LITERAL, c.RANGE) for o, _ in av):
            return {chr(v) for o, a in av for v in ([a] if o is c.LITERAL else range(a[0], a[1] + 1))}
        return None

    ((op, av),) = _parser.parse(pattern, flags).data
    assert op is c.BRANCH
    return [[s for o, a in alternative.data if (s := chars(o, a)) is not None] for alternative in av[1]]


def test_ftfy_runs_on_every_text_its_mojibake_detector_could_flag():
    # repair() skips ftfy on text without a character of _FTFY_WORK: each pattern of the
    # installed ftfy's detector must need one.
    from ftfy.badness import BADNESS_RE

    from dataset_builder.ingest.decoding import _FTFY_WORK

    for alternative in _required_sets(BADNESS_RE.pattern, BADNESS_RE.flags):
        assert any(all(_FTFY_WORK.match(ch) for ch in s) for s in alternative), alternative


_PLAIN_TEXT = st.text(
    st.sampled_from(
        [chr(i) for i in range(0x20, 0x7F)]
        + list("\t\n\r")
        + [ch for name in ("common", "start_punctuation", "end_punctuation") for ch in MOJIBAKE_CATEGORIES[name]]
        + list("₹→中д€éﬁ\x80\ufeff")  # some outside ftfy's categories, some inside (ftfy runs)
    )
)


@settings(max_examples=500, deadline=None)
@given(_PLAIN_TEXT)
def test_repair_skips_ftfy_only_where_it_would_change_nothing(text):
    from dataset_builder.ingest.decoding import _ENTITY_START, _FTFY, _FTFY_WORK

    for html_escapes in (True, False):
        config = _FTFY._replace(unescape_html="auto" if html_escapes else False)
        fixed, steps = ftfy.fix_and_explain(text, config=config)
        if not _FTFY_WORK.search(text) and not _ENTITY_START.search(text):
            assert (fixed, steps) == (text, [])
        assert repair(text, html_escapes=html_escapes)[0] == fixed
