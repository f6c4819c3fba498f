"""Bytes of a crawled file -> text, with the encoding found and the repairs made.

Crawlers save pages in whatever encoding the site served, sometimes after a
round trip through the wrong one (mojibake such as ``itâ€™s``). Decoding goes:

1. a byte-order mark names the encoding (UTF-8, UTF-16, UTF-32);
2. NUL bytes without a BOM mean a binary file (rejected);
3. strict UTF-8, the common case;
4. otherwise ``charset-normalizer``, first among the Western single-byte
   encodings English news is served in (Windows-1252, Latin-1, Latin-9) —
   unrestricted detection confuses short Western texts with Central European
   code pages — then among all encodings it knows;
5. the decoded text must look like text (few control characters);
6. ``ftfy`` repairs mojibake and stray control characters. Only encoding
   repairs are enabled: curly quotes, ligatures and full-width forms are kept
   as published (guidelines §0).

Every step that changed something is named in :attr:`Decoded.repairs`, so the
build report can say what was done to a file.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer
import ftfy
from ftfy.badness import MOJIBAKE_CATEGORIES

from ..errors import Rejected

# Longest BOMs first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
WESTERN = ["cp1252", "latin_1", "iso8859_15"]
# charset-normalizer's "chaos" (mess ratio) above which a guess is not trusted.
_MAX_CHAOS = 0.2
# Share of control characters (other than line and tab white space) that makes
# a "text" a binary file decoded by force.
_MAX_CONTROL_SHARE = 0.01
# Unicode category Cc (C0, DEL and C1) except the whitespace controls \t \n \v \f \r.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# What the ftfy fixes enabled below act on: HTML entities (``&amp;``, ``&#8217;``), control
# and format characters, lone surrogates, and the characters its mojibake detector
# (ftfy.badness) looks for. Each of the detector's patterns needs at least one of those
# characters other than the punctuation it also looks at (curly quotes, dashes, bullets,
# the no-break space: the detector's "common", "start_punctuation" and "end_punctuation"
# characters), which most English text is full of.
# Text with none of them is returned by ftfy unchanged, so it is not run on it (the
# detector's search is most of the cost of reading a page);
# tests/test_ingest_encodings.py checks this against the installed ftfy.
_PUNCTUATION = ("common", "start_punctuation", "end_punctuation")
_FTFY_WORK = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u206a-\u206f\ufeff\ufff9-\ufffc\ud800-\udfff"
    + "".join(chars for category, chars in MOJIBAKE_CATEGORIES.items() if category not in _PUNCTUATION)
    + "]"
)
_ENTITY_START = re.compile(r"&[#0-9A-Za-z]")
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,  # set per call: "auto" for plain text, off for text extracted from HTML
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    fix_line_breaks=False,  # the cleaner splits lines itself (any Unicode line break)
    normalization=None,  # the cleaner NFC-normalises every line
    explain=True,
)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes.

    Attributes:
        text: the decoded (and repaired) text.
        encoding: the Python codec name used, e.g. ``utf-8``, ``cp1252``, ``utf-16``.
        repairs: what ``ftfy`` changed, e.g. ``("mojibake: encode sloppy-windows-1252, decode utf-8",)``.
    """

    text: str
    encoding: str
    repairs: tuple[str, ...] = ()


def decode_bytes(raw: bytes, name: str, *, html_escapes: bool = True) -> Decoded:
    """Decode a file's bytes and repair mojibake.

    Args:
        raw: the file's bytes.
        name: the source name used in a rejection.
        html_escapes: also unescape HTML entities (``&amp;``) left in plain text.

    Raises:
        Rejected: empty, binary or undecodable input.
    """
    if not raw.strip():
        raise Rejected(name, "empty file")
    text, encoding = _decode(raw, name)
    if not text.strip():
        raise Rejected(name, "empty file")
    # Repair first: mojibake carries C1 control characters ("â€\x9d") that are text, not binary.
    text, repairs = repair(text, html_escapes=html_escapes)
    controls = len(_CONTROLS.findall(text))
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise Rejected(name, f"not a text file ({controls} control characters after decoding as {encoding})")
    return Decoded(text, encoding, repairs)


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec), codec.removesuffix("-sig")
            except UnicodeDecodeError as err:
                raise Rejected(name, f"not valid {codec.removesuffix('-sig').upper()} text despite its byte-order mark "
                                     f"(byte {err.start}: {err.reason})") from None
    if b"\x00" in raw[:8192]:
        raise Rejected(name, "not a text file (contains NUL bytes; UTF-16/32 text needs a byte-order mark)")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for isolation in (WESTERN, None):
        best = charset_normalizer.from_bytes(raw, cp_isolation=isolation, enable_fallback=False).best()
        if best is not None and best.chaos <= _MAX_CHAOS:
            try:
                return raw.decode(best.encoding), best.encoding
            except (UnicodeDecodeError, LookupError):
                continue
    raise Rejected(name, "undecodable: not UTF-8, and charset-normalizer finds no encoding that gives readable text")


def repair(text: str, *, html_escapes: bool = True) -> tuple[str, tuple[str, ...]]:
    """Repair mojibake and stray control characters with ``ftfy``.

    Args:
        text: decoded text.
        html_escapes: unescape HTML entities when the text is not itself HTML.

    Returns:
        The repaired text and what was done (empty when nothing changed).
    """
    if not _FTFY_WORK.search(text) and not _ENTITY_START.search(text):
        return text, ()  # nothing an enabled fix acts on (see _FTFY_WORK)
    config = _FTFY._replace(unescape_html="auto" if html_escapes else False)
    fixed, steps = ftfy.fix_and_explain(text, config=config)
    if fixed == text or not steps:
        return text, ()
    encoding_steps = [f"{action} {what}" for action, what in steps if action in ("encode", "decode", "transcode")]
    other = [what for action, what in steps if action == "apply"]
    repairs = ([f"mojibake: {', '.join(encoding_steps)}"] if encoding_steps else []) + other
    return fixed, tuple(repairs)
