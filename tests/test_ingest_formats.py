"""Formats besides .txt: HTML pages and JSON Lines; odd entries of the sources folder (issue 10, item 2)."""

from __future__ import annotations

import hashlib
import json
import os

import ftfy.bad_codecs  # noqa: F401  registers "sloppy-windows-1252", to make real mojibake

from dataset_builder import build
from dataset_builder.errors import Rejected
from dataset_builder.ingest.reader import ingest_sources, read_article, read_file

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Fed cuts rates by half a point | Example News</title>
<meta property="og:title" content="Fed cuts rates by half a point">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2024-09-18T14:00:00-04:00">
<link rel="canonical" href="https://news.example.com/business/fed-cuts">
</head><body>
<nav><a href="/">Home</a> / <a href="/business">Business</a></nav>
<article>
<h1>Fed cuts rates by half a point</h1>
<p class="byline">By Jane Doe</p>
<p>WASHINGTON — The Federal Reserve cut its benchmark interest rate by half a percentage point on Wednesday,
the first reduction since 2020, citing a cooling labor market.</p>
<p>&ldquo;The time has come for policy to adjust,&rdquo; Fed Chair Jerome Powell told reporters after the decision.</p>
<figure><img src="powell.jpg"><figcaption>Jerome Powell in Washington. Photo: Reuters</figcaption></figure>
<p>Officials projected further cuts before the end of the year, according to the central bank&rsquo;s projections.</p>
</article>
<aside><h3>More from Business</h3><ul><li><a href="/x">Stocks rally</a></li></ul></aside>
<footer>Subscribe to our newsletter. &copy; 2024 Example News. All rights reserved.</footer>
</body></html>
"""
PAGE_TEXT = (
    "Fed cuts rates by half a point\n\n"
    "WASHINGTON — The Federal Reserve cut its benchmark interest rate by half a percentage point on Wednesday, "
    "the first reduction since 2020, citing a cooling labor market.\n\n"
    "“The time has come for policy to adjust,” Fed Chair Jerome Powell told reporters after the decision.\n\n"
    "Officials projected further cuts before the end of the year, according to the central bank’s projections."
)


def test_html_page_main_text_and_metadata(tmp_path):
    path = tmp_path / "fed.html"
    path.write_text(PAGE, encoding="utf-8")
    article = read_article(path)
    assert article.text == PAGE_TEXT  # navigation, byline, caption, aside and footer are gone
    assert article.headline == "Fed cuts rates by half a point"
    assert article.published == "2024-09-18"
    assert article.url == "https://news.example.com/business/fed-cuts"
    assert article.publisher == "Example News"
    assert article.byline == "Jane Doe"
    assert article.dateline == "WASHINGTON"
    assert article.id == hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def test_html_saved_as_txt_is_read_as_html(tmp_path):
    path = tmp_path / "saved-page.txt"
    path.write_bytes(PAGE.encode("cp1252", errors="strict").replace(b'charset="utf-8"', b'charset="windows-1252"'))
    [item] = read_file(path)
    assert item.source_format == "html" and item.encoding == "cp1252"
    assert item.article.text == PAGE_TEXT


def test_html_page_without_a_date_takes_the_date_line_of_its_text(tmp_path):
    page = PAGE.replace('<meta property="article:published_time" content="2024-09-18T14:00:00-04:00">', "")
    page = page.replace('<p class="byline">By Jane Doe</p>', "<p>18 September 2024</p>")
    path = tmp_path / "fed.html"
    path.write_text(page, encoding="utf-8")
    assert read_article(path).published == "2024-09-18"
    path.write_text(page.replace("<p>18 September 2024</p>", ""), encoding="utf-8")
    [rejected] = read_file(path)
    assert isinstance(rejected, Rejected) and "no recognisable publication date" in rejected.reason


LINES = [
    # 1: a good article with metadata
    {"text": "GENEVA: Officials said on Tuesday that talks between the two sides would resume next week, "
             "according to two diplomats familiar with the plans.",
     "published": "2025-09-16T09:30:00Z", "headline": "Talks to resume in Geneva", "url": "https://example.org/a",
     "publisher": "Example Wire", "author": ["Jane Doe", "John Roe"], "tags": ["Diplomacy", "Switzerland"]},
    "",  # 2: blank, skipped
    "{'text': 'single quotes are not JSON'}",  # 3
    {"text": "Officials said the ceasefire held.", "published": "31-02-2025"},  # 4: impossible date
    [1, 2, 3],  # 5: not an object
    {"headline": "A headline without a story"},  # 6: no text
    {"text": 42, "published": "2025-09-16"},  # 7: wrong type
    {"text": "Officials said the ceasefire held overnight.", "published": 20250916},  # 8: wrong type
    # 9: a second good article, date as a news site prints it, curly quotes repaired from mojibake
    {"text": "SEOUL: “We will respond,” the ministry said in a statement on Monday, "
             "a day after the launch.".encode().decode("sloppy-windows-1252"),
     "date": "Sep 15, 2025"},
]


def _write_jsonl(path, lines) -> None:
    raw = "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines)
    path.write_bytes(raw.encode("utf-8") + b"\n\xff\xfe not utf-8 {\n")  # 10: not UTF-8


def test_jsonl_one_article_per_line_and_a_bad_line_rejects_only_that_line(tmp_path):
    path = tmp_path / "crawl.jsonl"
    _write_jsonl(path, LINES)
    items = list(read_file(path))
    good = [i for i in items if not isinstance(i, Rejected)]
    bad = {i.source: i.reason for i in items if isinstance(i, Rejected)}
    assert [g.article.source_file for g in good] == ["crawl.jsonl:1", "crawl.jsonl:9"]
    first, ninth = good[0].article, good[1].article
    assert first.text == "Talks to resume in Geneva\n\n" + LINES[0]["text"]
    assert first.headline == "Talks to resume in Geneva" and first.dateline == "GENEVA"
    assert first.published == "2025-09-16T09:30:00+00:00"
    assert (first.url, first.publisher, first.byline) == ("https://example.org/a", "Example Wire", "Jane Doe, John Roe")
    assert first.topics == ("Diplomacy", "Switzerland")
    # the id is the hash of the line's bytes: stable, and independent of the line's position
    line1 = path.read_bytes().split(b"\n")[0]
    assert first.id == hashlib.sha256(line1).hexdigest()[:16]
    assert ninth.published == "2025-09-15"
    assert ninth.text.startswith("SEOUL: “We will respond,” the ministry said")
    assert good[1].repairs == ("mojibake: encode sloppy-windows-1252, decode utf-8",)
    assert bad == {
        "crawl.jsonl:3": "not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        "crawl.jsonl:4": "publication date: '31-02-2025' is not a calendar date (day is out of range for month)",
        "crawl.jsonl:5": "a JSON list, expected an object with a 'text' field",
        "crawl.jsonl:6": "no 'text' (or 'html') field",
        "crawl.jsonl:7": "field 'text' must be a string, not int",
        "crawl.jsonl:8": "field 'published' must be a string, not int",
        "crawl.jsonl:10": "not UTF-8 (byte 0: invalid start byte); JSON Lines are UTF-8",
    }


def test_jsonl_line_with_html_is_extracted(tmp_path):
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps({"html": PAGE, "url": "https://mirror.example.net/fed"}) + "\n", encoding="utf-8")
    [item] = read_file(path)
    assert item.article.text == PAGE_TEXT
    assert item.article.url == "https://mirror.example.net/fed"  # the line's metadata wins over the page's


def test_jsonl_lines_in_a_build_are_records_with_their_own_source_file(tmp_path):
    sources = tmp_path / "src"
    sources.mkdir()
    _write_jsonl(sources / "crawl.jsonl", LINES)
    release, report = build(out=tmp_path / "out", sources=sources, annotate=False, gold=None, allow_rejects=True)
    assert [d["source_file"] for d in report.included] == ["crawl.jsonl:1", "crawl.jsonl:9"]
    assert sorted(r["source_file"] for r in report.rejected) == sorted(
        f"crawl.jsonl:{n}" for n in (3, 4, 5, 6, 7, 8, 10)
    )
    assert (release / "SHA256SUMS").is_file()


def test_empty_jsonl_file_is_rejected(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"\n\n")
    [rejected] = read_file(path)
    assert rejected.source == "empty.jsonl" and rejected.reason == "empty file (no JSON Lines)"


def test_folders_broken_links_and_pipes_are_rejected_not_skipped(tmp_path):
    sources = tmp_path / "src"
    sources.mkdir()
    (sources / "2025").mkdir()
    (sources / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(sources / "pipe.txt")  # opening it would block the build forever
    (sources / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")  # hidden files are not sources
    reasons = {r.source: r.reason for r in ingest_sources(sources)}
    assert reasons == {
        "2025": "a folder; sources are read from the top level of the sources folder only",
        "gone.txt": "a broken link (its target does not exist)",
        "pipe.txt": "not a regular file (a pipe, socket or device)",
    }
