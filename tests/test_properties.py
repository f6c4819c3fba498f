"""Property-based tests (hypothesis) of ingestion and the annotators (issue 10, item 6).

Inputs are built from realistic pieces — news sentences, site furniture lines,
non-ASCII characters, decomposed accents, odd white space and line ends — so the
search explores what crawlers produce rather than random noise alone.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataset_builder.errors import Rejected
from dataset_builder.ingest.clean import NoDate, clean
from dataset_builder.ingest.dates import ImpossibleDate
from dataset_builder.ingest.decoding import decode_bytes
from dataset_builder.ingest.reader import article_id, read_file
from dataset_builder.records import Article, Document, to_record
from dataset_builder.validate import record_problems

SENTENCES = [
    "North Korean leader Kim Jong Un said military brotherhood with Russia would “advance non-stop”, KCNA reported.",
    "Kyiv and Seoul estimate North Korea deployed more than 10,000 troops to the war.",
    "The Federal Reserve cut its benchmark rate by half a percentage point on Wednesday.",
    "“The risks to employment have risen,” Fed Chair Jerome Powell told reporters.",
    "The sanctions target oil giants Rosneft and Lukoil, which account for more than 5% of global output.",
    "Trump will visit South Korea next week, officials said on Friday.",
    "The company reported a ₹1,200 crore profit for the quarter ended June 30.",
    "Officials in Zürich and Gene\u0300ve said the cafe\u0301 owners’ strike would go on.",  # decomposed accents
    "PYONGYANG: State media said the launch took place on Sunday morning.",
    "Asked about the talks, he said: “We’ll see what happens in six months from now.”",
    "The European Commission said it would impose tariffs of up to 35.3% on Chinese EVs.",
    "Israel and Hamas agreed to a ceasefire, mediators said late on Wednesday.",
]
FURNITURE = [
    "25-10-2025",
    "Published: 3 May 2025 14:05 GMT",
    "2 min read Last Updated : Aug 13 2025 | 8:04 AM IST",
    "Home / World News / Asia",
    "By Jane Doe",
    "AP Seoul",
    "Photo: Reuters",
    "Connect with us",
    "Facebook IconLinkedIN Icon",
    "Topics: North Korea, Russia",
    "Subscribe to read the full story",
    "More From This Section",
    "(Only the headline of this report may have been reworked by the staff; the rest is from a syndicated feed.)",
    "Pressmediaofindia",
    "Fed cuts rates by half a point",
    "• Officials expect two more cuts this year",
]
SPACES = st.sampled_from([" ", "  ", "\t", "\u00a0", " \u2009", "   "])
LINE_ENDS = st.sampled_from(["\n", "\r\n", "\n\n", "\r", "\n \n", "\u2028", "\n\n\n"])


@st.composite
def paragraphs(draw) -> str:
    chosen = draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3))
    out = chosen[0]
    for sentence in chosen[1:]:
        out += draw(SPACES) + sentence
    return draw(st.sampled_from(["", " ", "\t"])) + out + draw(st.sampled_from(["", " ", "  "]))


@st.composite
def dumps(draw) -> str:
    """A raw page dump: furniture and paragraphs in any order, any line ends."""
    pieces = draw(st.lists(st.one_of(st.sampled_from(FURNITURE), paragraphs()), min_size=1, max_size=10))
    if draw(st.booleans()):
        pieces.insert(0, draw(st.sampled_from(["25-10-2025", "Published: 3 May 2025 14:05 GMT", " date 2025-08-13 "])))
    out = ""
    for piece in pieces:
        out += piece + draw(LINE_ENDS)
    return out


def assert_canonical(text: str) -> None:
    """Guidelines §0: NFC, one space between words, paragraphs split by exactly one blank line, no outer white space."""
    assert text and text == unicodedata.normalize("NFC", text)
    assert text == text.strip()
    for paragraph in text.split("\n\n"):
        assert paragraph and paragraph == paragraph.strip()
        assert not re.search(r"\s\s|[^\S ]", paragraph), repr(paragraph)  # only single plain spaces inside


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(dumps())
def test_clean_gives_canonical_text_or_a_documented_error(raw):
    try:
        cleaned = clean(raw)
    except (NoDate, ImpossibleDate, ValueError):
        return  # a rejection with its reason, never anything else
    assert_canonical(cleaned.text)
    assert cleaned.text.split("\n\n") == cleaned.paragraphs
    if cleaned.headline:
        assert cleaned.text.startswith(cleaned.headline + "\n\n")
    if cleaned.standfirst:
        assert cleaned.standfirst in cleaned.text
    assert clean(raw) == cleaned  # deterministic


@FAST
@given(dumps(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be"]))
def test_a_file_gives_the_same_article_whatever_its_name_and_unicode_encoding(raw, encoding):
    import tempfile
    from pathlib import Path

    data = raw.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # a BOM, as files in UTF-16 carry
    with tempfile.TemporaryDirectory() as folder:
        results = []
        for name in ("a.txt", "b.txt"):
            path = Path(folder) / name
            path.write_bytes(data)
            [item] = read_file(path)
            results.append(item)
    first, second = results
    if isinstance(first, Rejected):
        assert isinstance(second, Rejected) and first.reason == second.reason
        return
    assert first.article.id == second.article.id == article_id(data)
    assert first.article.text == second.article.text
    assert_canonical(first.article.text)
    assert first.article.text == clean(raw.replace("\r", "\n")).text


@FAST
@given(st.binary(max_size=400) | dumps().map(lambda s: s.encode("utf-8")[: len(s) // 2]))
def test_any_bytes_are_an_article_or_a_rejection_never_a_crash(data):
    try:
        decoded = decode_bytes(data, "x.txt")
    except Rejected as rejected:
        assert rejected.source == "x.txt" and rejected.reason
        return
    assert isinstance(decoded.text, str) and decoded.encoding


@FAST
@given(st.lists(st.one_of(st.text(max_size=60), st.sampled_from(SENTENCES + FURNITURE)), max_size=6))
def test_any_text_is_cleaned_or_rejected(lines):
    raw = "\n".join(lines)
    try:
        cleaned = clean(raw)
    except (NoDate, ImpossibleDate, ValueError):
        return
    assert_canonical(cleaned.text)


@pytest.fixture(scope="module")
def annotators(nlp):
    from dataset_builder.annotators import default_annotators

    try:
        classes = default_annotators()
    except ImportError as err:  # a colleague's module not there yet
        pytest.skip(f"annotators not importable: {err}")
    if not classes:
        pytest.skip("no annotators registered yet")
    return [cls(nlp) for cls in classes]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(paragraphs(), min_size=1, max_size=4), st.sampled_from(["2025-10-25", "2025-08-13T08:03:00+05:30"]))
def test_annotations_satisfy_the_offset_invariant_and_the_schema(nlp, annotators, parts, dct):
    text = "\n\n".join(" ".join(unicodedata.normalize("NFC", p).split()) for p in parts)
    article = Article(id="0123456789abcdef", source_file="a.txt", published=dct, text=text)
    doc = nlp(text)
    layers: dict[str, tuple] = {"entities": (), "timexes": (), "claims": ()}
    for annotator in annotators:
        layers[annotator.layer] = tuple(annotator.annotate(doc, article, layers))
    record = to_record(Document(article, **layers))
    assert record_problems(record) == []  # schema and text[start:end] == span.text for every span
    for annotator in annotators:  # deterministic
        assert tuple(annotator.annotate(nlp(text), article, layers)) == layers[annotator.layer]
