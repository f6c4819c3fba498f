"""Limits: size cap, dates (missing, impossible, future), language (issue 10, item 4)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from dataset_builder import build
from dataset_builder.cli import main
from dataset_builder.errors import Rejected
from dataset_builder.ingest.dates import ImpossibleDate, parse_date_field
from dataset_builder.ingest.limits import Limits, check_language, detect_language
from dataset_builder.ingest.reader import read_file

BODY = (
    "SEOUL: South Korea’s military said on Monday that North Korea had fired a short-range ballistic missile "
    "into the sea off its east coast, the latest in a series of launches this year.\n"
    "The missile flew about 350 km before landing outside Japan’s exclusive economic zone, Japanese officials said."
)
FRENCH = (
    "PARIS : Le gouvernement a annoncé lundi de nouvelles mesures pour soutenir les agriculteurs touchés par la "
    "sécheresse, a indiqué le ministère dans un communiqué.\n"
    "Les aides seront versées avant la fin de l’année, selon le ministre."
)


def _one(tmp_path, name: str, content: str, limits: Limits | None = None):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    [item] = read_file(path, limits)
    return item


def test_a_file_over_the_size_cap_is_rejected_before_it_is_read(tmp_path):
    item = _one(tmp_path, "big.txt", "12-05-2025\n" + BODY, Limits(max_bytes=100))
    assert isinstance(item, Rejected)
    assert item.reason.startswith("too large: ") and "over the cap of 100 bytes" in item.reason
    assert not isinstance(_one(tmp_path, "ok.txt", "12-05-2025\n" + BODY, Limits(max_bytes=5_000)), Rejected)


def test_the_size_cap_applies_to_each_jsonl_line_not_to_the_file(tmp_path):
    path = tmp_path / "crawl.jsonl"
    small = json.dumps({"text": BODY, "published": "2025-05-12"})
    huge = json.dumps({"text": BODY + " More." * 5000, "published": "2025-05-12"})
    path.write_text("\n".join([small, huge, small.replace("Monday", "Tuesday")]) + "\n", encoding="utf-8")
    items = list(read_file(path, Limits(max_bytes=2_000)))
    assert [i.source if isinstance(i, Rejected) else i.article.source_file for i in items] == [
        "crawl.jsonl:1", "crawl.jsonl:2", "crawl.jsonl:3"]
    assert isinstance(items[1], Rejected) and items[1].reason.startswith(f"too large: {len(huge):,} bytes")
    assert not isinstance(items[0], Rejected) and not isinstance(items[2], Rejected)


def test_cli_max_file_size(tmp_path, capsys):
    sources = tmp_path / "src"
    sources.mkdir()
    (sources / "a.txt").write_text("12-05-2025\n" + BODY, encoding="utf-8")
    assert main(["build", "--sources", str(sources), "--out", str(tmp_path / "out"), "--no-annotate",
                 "--no-gold", "--max-file-size", "64"]) == 2
    assert "a.txt: too large" in capsys.readouterr().err


@pytest.mark.parametrize(
    "dump, reason",
    [
        (BODY, "publication date: no recognisable publication date"),
        ("31-02-2025\n" + BODY, "publication date: '31-02-2025' is not a calendar date"),
        ("Published: 30 February 2025\n" + BODY, "publication date: '30 February 2025' is not a calendar date"),
        ("2025-13-01\n" + BODY, "publication date: '2025-13-01' is not a calendar date"),
    ],
    ids=["missing", "day-31-feb", "labelled-30-feb", "month-13"],
)
def test_missing_and_impossible_dates_are_rejected(dump, reason, tmp_path):
    item = _one(tmp_path, "a.txt", dump)
    assert isinstance(item, Rejected) and item.reason.startswith(reason)


def test_date_fields_parse_iso_and_news_layouts():
    assert parse_date_field("2025-10-25") == "2025-10-25"
    assert parse_date_field("2025-10-25T08:03:00.250+05:30") == "2025-10-25T08:03:00+05:30"
    assert parse_date_field("2025-10-25T08:03Z") == "2025-10-25T08:03:00+00:00"
    assert parse_date_field("Aug 13 2025 | 8:04 AM IST") == "2025-08-13T08:04:00+05:30"
    with pytest.raises(ImpossibleDate):
        parse_date_field("2025-02-29")  # not a leap year
    with pytest.raises(ValueError, match="not a recognisable date"):
        parse_date_field("yesterday")


def test_a_date_in_the_future_of_the_build_is_rejected_without_writing_the_build_date(tmp_path):
    limits = Limits(reference_date=date(2025, 5, 12))
    assert not isinstance(_one(tmp_path, "today.txt", "12-05-2025\n" + BODY, limits), Rejected)
    # one day of slack: "tomorrow" is a time zone east of the build machine
    assert not isinstance(_one(tmp_path, "tomorrow.txt", "13-05-2025\n" + BODY, limits), Rejected)
    item = _one(tmp_path, "later.txt", "14-05-2025\n" + BODY, limits)
    assert isinstance(item, Rejected)
    assert item.reason == "publication date 2025-05-14 is in the future (after the build's reference date)"
    assert "2025-05-12" not in item.reason  # the report must not depend on the day of the build


def test_reference_date_defaults_to_today(tmp_path):
    item = _one(tmp_path, "far.txt", "01-01-2999\n" + BODY)
    assert isinstance(item, Rejected) and "in the future" in item.reason


def test_an_article_in_another_language_is_rejected(tmp_path):
    item = _one(tmp_path, "fr.txt", "12-05-2025\n" + FRENCH)
    assert isinstance(item, Rejected)
    assert item.reason.startswith("language: the text is 'fr' (py3langid, confidence ")
    assert item.reason.endswith("); accepted: en")
    # the same article is accepted when French is
    ok = _one(tmp_path, "fr.txt", "12-05-2025\n" + FRENCH, Limits(languages=("en", "fr")))
    assert ok.article.language == "fr"


def test_a_language_field_in_jsonl_is_honoured(tmp_path):
    path = tmp_path / "crawl.jsonl"
    path.write_text(json.dumps({"text": BODY, "published": "2025-05-12", "lang": "de"}) + "\n", encoding="utf-8")
    [item] = read_file(path)
    assert isinstance(item, Rejected) and item.reason == "language: the source says 'de'; accepted: en"


def test_language_is_not_judged_on_too_little_text():
    # Names and numbers only: any guess would be noise, and a false rejection loses an article.
    assert detect_language("Kim Jong Un, Vladimir Putin, Moscow") is None
    assert check_language("Kim Jong Un, Vladimir Putin, Moscow", "a.txt", Limits()) == "en"


def test_english_news_with_foreign_names_is_english():
    text = ("KYIV: Ukrainian President Volodymyr Zelenskyy met Emmanuel Macron and Friedrich Merz in Élysée Palace "
            "on Sunday, where the leaders discussed the Zaporizhzhia nuclear plant and sanctions on Gazprom.")
    assert check_language(text, "a.txt", Limits()) == "en"


def test_limits_in_a_build_report(tmp_path):
    sources = tmp_path / "src"
    sources.mkdir()
    (sources / "a.txt").write_text("12-05-2025\n" + BODY, encoding="utf-8")
    (sources / "b_fr.txt").write_text("12-05-2025\n" + FRENCH, encoding="utf-8")
    (sources / "c_future.txt").write_text("20-05-2025\n" + BODY.replace("Monday", "Tuesday"), encoding="utf-8")
    _, report = build(out=tmp_path / "out", sources=sources, annotate=False, gold=None, allow_rejects=True,
                      reference_date=date(2025, 5, 12))
    assert [d["source_file"] for d in report.included] == ["a.txt"]
    assert [(r["source_file"], r["reason"].split(":")[0]) for r in report.to_dict()["rejected"]] == [
        ("b_fr.txt", "language"),
        ("c_future.txt", "publication date 2025-05-20 is in the future (after the build's reference date)"),
    ]
