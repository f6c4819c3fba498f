"""The static viewer: markup of overlapping layers, escaping, determinism, scale, a real browser."""

from __future__ import annotations

import json
import shutil
import time
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dataset_builder.cli import main
from dataset_builder.errors import BuildError
from dataset_builder.evaluate import evaluate
from dataset_builder.release import iter_records, write_parquet
from dataset_builder.validate import validate_release, write_checksums
from dataset_builder.viewer import PAGE_SIZE, render, write_viewer
from dataset_builder.viewer.charts import value_start
from dataset_builder.viewer.render import marks_of, markup

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SILVER = "entities.v1+en_core_web_sm-3.8.0"
# An article that tries to run code: every text field must come out as text.
XSS_TEXT = (
    "Ana Lopez said on Monday that <script>alert(1)</script> &amp; "
    '<img src=x onerror="window.__xss=1"> were never a threat.\n\n'
    "<script>window.__xss = 2</script>Officials at Acme & Co expect a deal by March 2026."
)


def _span(text: str, needle: str, nth: int = 0) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return {"start": start, "end": start + len(needle), "text": needle}


def _xss_record() -> dict:
    t = XSS_TEXT
    ana, acme = _span(t, "Ana Lopez"), _span(t, "Acme & Co")
    start, end = t.index("that <script>"), t.index(" were never")
    content = {"start": start, "end": end, "text": t[start:end]}  # holds both <script> and <img>
    crossing = _span(t, "Lopez said on")  # crosses the source [Ana Lopez) and the cue [said)
    return {
        "id": "00000000000000aa",
        "source_file": "<script>alert('file')</script>.txt",
        "publisher": 'Evil "Press" <b>',
        "url": "javascript:window.__xss=3",
        "published": "2025-10-25",
        "updated": None,
        "headline": '<img src=x onerror="window.__xss=4"> Headline & more',
        "standfirst": None,
        "byline": "<i>Reporter</i>",
        "dateline": None,
        "topics": ["<script>window.__xss=5</script>", "Trade"],
        "language": "en",
        "text": t,
        "entities": [
            {**ana, "label": "PERSON", "canonical": "Ana <Lopez>", "origin": "gold", "kb_id": None},
            {**acme, "label": "ORG", "canonical": "Acme & Co", "origin": SILVER, "kb_id": None},
            {**crossing, "label": "EVENT", "canonical": "x", "origin": SILVER, "kb_id": None},
        ],
        "timexes": [
            {**_span(t, "Monday"), "type": "DATE", "value": "2025-10-20", "origin": "gold", "mod": None},
            {**_span(t, "March 2026"), "type": "DATE", "value": "2026-03", "origin": SILVER, "mod": "START"},
        ],
        "claims": [
            {
                "content": content,
                "cue": _span(t, "said"),
                "kind": "indirect",
                "origin": "gold",
                "source": ana,
                "source_canonical": "Ana Lopez",
                "content_parts": [],
                "via": None,
            }
        ],
    }


def _synthetic(i: int) -> dict:
    text = f"Chile's president Ana Lopez said on Monday that talks would resume in March {2000 + i % 25}."
    return {
        "id": f"{i:016x}",
        "source_file": f"{i:05d}.txt",
        "publisher": f"Publisher {i % 7}",
        "url": None,
        "published": f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}",
        "updated": None,
        "headline": f"Talks to resume, story {i}",
        "standfirst": None,
        "byline": None,
        "dateline": None,
        "topics": ["Chile"],
        "language": "en",
        "text": text,
        "entities": [
            {**_span(text, "Ana Lopez"), "label": "PERSON", "canonical": "Ana Lopez", "origin": SILVER, "kb_id": None}
        ],
        "timexes": [{**_span(text, "Monday"), "type": "DATE", "value": "2025-10-20", "origin": SILVER, "mod": None}],
        "claims": [],
    }


@pytest.fixture(scope="module")
def seed_release(tmp_path_factory) -> Path:
    from dataset_builder import build

    release, _ = build(out=tmp_path_factory.mktemp("seed"), annotate=False)
    return release


@pytest.fixture(scope="module")
def xss_release(tmp_path_factory) -> Path:
    release = tmp_path_factory.mktemp("xss") / "0.0.1"
    write_parquet([_xss_record()], release / "data" / "documents" / "test-00000-of-00001.parquet")
    return release


class _Tree(HTMLParser):
    """Checks that <span>s nest and collects the text and the annotation fragments."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.fragments: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.stack.append(tag)
        if tag == "span" and dict(attrs).get("data-layer"):
            self.fragments.append(dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Tree:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    assert not tree.stack
    return tree


def _annotations(fragments: list[dict], layer: str) -> set[str]:
    return {f["data-i"] for f in fragments if f["data-layer"] == layer}


# --- markup ---------------------------------------------------------------------------------


def test_markup_of_seed_documents_keeps_text_and_every_annotation(seed_release):
    records = list(iter_records(seed_release))
    assert records
    for record in records:
        tree = _parse(markup(record["text"], marks_of(record)))
        assert "".join(tree.text) == record["text"]
        for layer in ("entities", "timexes", "claims"):
            assert _annotations(tree.fragments, layer) == {str(i) for i in range(len(record[layer]))}, layer


def test_crossing_spans_are_split_into_nested_fragments():
    record = _xss_record()
    html = markup(record["text"], marks_of(record))
    tree = _parse(html)  # raises on a tag closed out of order
    assert "".join(tree.text) == record["text"]
    crossing = [f for f in tree.fragments if f["data-layer"] == "entities" and f["data-i"] == "2"]
    assert len(crossing) >= 2  # "Lopez said on" crosses the source and the cue: drawn in pieces
    assert html.count('id="ent-2"') == 1  # only the first piece is a link target
    parts = [f for f in tree.fragments if f["data-layer"] == "claims"]
    assert {f["data-role"] for f in parts} == {"content", "source", "cue"}


def test_claim_content_parts_are_all_marked():
    text = "“This is an attempt to put pressure on Russia,” Putin said, “but nobody decides under pressure.”"
    first = _span(text, "This is an attempt to put pressure on Russia")
    second = _span(text, "but nobody decides under pressure.")
    claim = {
        "content": first,
        "cue": _span(text, "said"),
        "kind": "direct",
        "origin": "gold",
        "source": _span(text, "Putin"),
        "source_canonical": "Vladimir Putin",
        "content_parts": [first, second],
        "via": None,
    }
    tree = _parse(markup(text, marks_of({"text": text, "claims": [claim]})))
    contents = [f for f in tree.fragments if f.get("data-role") == "content"]
    assert len(contents) == 2


@pytest.mark.parametrize(
    ("value", "start"),
    [
        ("2025-10-24", date(2025, 10, 24)),
        ("2025-W44", date(2025, 10, 27)),
        ("2024-FA", date(2024, 9, 1)),
        ("2025-Q2", date(2025, 4, 1)),
        ("2025-10-23TAF", date(2025, 10, 23)),
        ("2024-02-14T08:23Z", date(2024, 2, 14)),
        ("2019", date(2019, 1, 1)),
        ("PAST_REF", None),
        ("199", None),
        ("XXXX-10", None),
        ("2025-02-30", None),
        ("P6M", None),
    ],
)
def test_timeline_places_values_with_a_year(value, start):
    assert value_start(value) == start


# --- pages ------------------------------------------------------------------------------------


def test_all_text_is_escaped(xss_release, tmp_path):
    out = write_viewer(xss_release, tmp_path / "v")
    page = (out / "docs" / "00000000000000aa.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp;" in page
    assert "<script>alert" not in page and "<script>window" not in page
    assert "<img" not in page and "<b>" not in page and "<i>" not in page
    assert 'href="javascript:' not in page  # a javascript: URL is shown, never linked
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<img" not in index and "&lt;img src=x" in index
    assert page.count("<script") == 1 and index.count("<script") == 1  # only viewer.js


def test_viewer_is_byte_deterministic_and_fits_a_published_release(seed_release, tmp_path):
    first = dict(render(seed_release))
    assert first == dict(render(seed_release))
    assert {"index.html", "search-index.js", "assets/viewer.css", "assets/viewer.js"} <= first.keys()
    # As the build will do it: viewer inside the release, then checksums.
    release = tmp_path / "0.1.0"
    shutil.copytree(seed_release, release)
    assert dict(render(release)) == first  # no absolute path in the pages
    building = tmp_path / ".0.1.0.tmp-k2x9_q"  # the build's temporary folder name
    shutil.copytree(seed_release, building)
    assert dict(render(building)) == first
    (release / "SHA256SUMS").unlink()
    write_viewer(release)
    write_checksums(release)
    assert validate_release(release) == []
    assert write_viewer(release) == release / "viewer"  # same bytes: a no-op
    assert validate_release(release) == []
    with pytest.raises(BuildError, match="never rewritten"):
        write_viewer(release, baselines={"other": {"documents": {"gold": 1}}})
    assert validate_release(release) == []


def test_refuses_to_overwrite_a_folder_that_is_not_a_viewer(seed_release, tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(BuildError, match="not a viewer"):
        write_viewer(seed_release, tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    out = write_viewer(seed_release, tmp_path / "v")
    (out / "docs" / "stale.html").write_text("old", encoding="utf-8")
    write_viewer(seed_release, out)  # an old viewer is replaced whole
    assert not (out / "docs" / "stale.html").exists()


def test_index_shows_counts_charts_timeline_and_baselines(seed_release, tmp_path):
    records = list(iter_records(seed_release))
    without_claims = [{k: v for k, v in r.items() if k != "claims"} for r in records]
    baselines = {"gold-as-prediction": evaluate(records, records), "no-claims": evaluate(records, without_claims)}
    out = write_viewer(seed_release, tmp_path / "v", baselines=baselines)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("<svg") == 6  # layers, labels, timex types, claim kinds, publishers, timeline
    assert "Timeline of resolved dates" in index and 'class="tl-bar"' in index
    n_entities = sum(len(r["entities"]) for r in records)
    assert f"<b>{n_entities}</b><span>entities</span>" in index
    assert "gold-as-prediction" in index and "no-claims" in index
    assert '<td class="n" colspan="3">not predicted</td>' in index  # claims of the second baseline
    assert '<td class="n" title="tp' in index and ">1.000</td>" in index
    for r in records:
        assert f"<code>{r['id']}</code>" in index


def test_ten_thousand_documents_are_paginated_and_searchable(tmp_path):
    release = tmp_path / "big"
    n = 10_000
    write_parquet([_synthetic(i) for i in range(n)], release / "data" / "documents" / "train-00000-of-00001.parquet")
    started = time.perf_counter()
    out = write_viewer(release)
    elapsed = time.perf_counter() - started
    pages = sorted(out.glob("index*.html"))
    assert len(pages) == n // PAGE_SIZE
    for page in pages:
        rows = page.read_text(encoding="utf-8").count('<tr id="doc-')
        assert 0 < rows <= PAGE_SIZE
    assert len(list((out / "docs").iterdir())) == n
    data = (out / "search-index.js").read_text(encoding="utf-8")
    entries = json.loads(data.removeprefix("window.NEWS_EDC_INDEX=").removesuffix(";\n"))
    assert len(entries) == n and entries[0][1] == f"docs/{entries[0][3]}.html"
    assert elapsed < 60, f"{elapsed:.1f} s for {n} documents"  # about 1 s of CPU; the rest is the disk


def test_cli_view(seed_release, tmp_path, capsys):
    assert main(["view", str(seed_release), "--out", str(tmp_path / "v")]) == 0
    assert (tmp_path / "v" / "index.html").is_file()
    assert "index.html" in capsys.readouterr().out
    # The build wrote the same viewer into the (checksummed) release: writing it again is a no-op.
    before = (seed_release / "viewer" / "index.html").read_bytes()
    assert main(["view", str(seed_release)]) == 0
    assert (seed_release / "viewer" / "index.html").read_bytes() == before
    # A different viewer (here: with a baselines table) is refused: a published release is never rewritten.
    baselines = tmp_path / "b.json"
    baselines.write_text('{"entities": null, "timexes": null, "claims": null}', encoding="utf-8")
    assert main(["view", str(seed_release), "--baselines", str(baselines)]) == 2
    assert "never rewritten" in capsys.readouterr().err
    assert (seed_release / "viewer" / "index.html").read_bytes() == before


# --- in a real browser ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not installed at {CHROMIUM} (Debian: apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright not installed (pip install playwright)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.errors = []
    page.dialogs = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


_DISTINCT = """layer => new Set(Array.from(document.querySelectorAll(`.ann[data-layer="${layer}"]`),
                                         el => el.dataset.i)).size"""


def test_browser_document_page_renders_layers_and_toggles(seed_release, page, tmp_path):
    out = write_viewer(seed_release, tmp_path / "v")
    record = max(iter_records(seed_release), key=lambda r: len(r["claims"]))
    page.goto((out / "docs" / f"{record['id']}.html").as_uri())
    for layer in ("entities", "timexes", "claims"):
        assert page.evaluate(_DISTINCT, layer) == len(record[layer]), layer
    assert page.locator(".claim-item").count() == len(record["claims"])
    assert page.inner_text("#text").replace("\n", "") == record["text"].replace("\n", "")
    page.screenshot(path=str(tmp_path / "document.png"))

    background = "() => getComputedStyle(document.querySelector('.ann.ent')).backgroundColor"
    assert page.evaluate(background) != "rgba(0, 0, 0, 0)"
    page.uncheck("input[data-hide=hide-entities]")
    assert page.evaluate(background) == "rgba(0, 0, 0, 0)"
    page.check("input[data-hide=hide-entities]")
    assert page.evaluate(background) != "rgba(0, 0, 0, 0)"

    underline = "() => getComputedStyle(document.querySelector('.ann.tx')).textDecorationLine"
    assert page.evaluate(underline) == "underline"
    page.uncheck("input[data-hide=hide-timexes]")
    assert page.evaluate(underline) == "none"

    assert page.is_visible("section.claims")
    page.uncheck("input[data-hide=hide-claims]")
    assert not page.is_visible("section.claims")
    page.uncheck("input[data-hide=hide-gold]")  # every seed annotation is gold
    assert page.evaluate(background) == "rgba(0, 0, 0, 0)"
    page.screenshot(path=str(tmp_path / "document-filtered.png"))
    assert page.errors == []


def test_browser_escaping_and_origin_filter(xss_release, page, tmp_path):
    out = write_viewer(xss_release, tmp_path / "v")
    page.goto((out / "docs" / "00000000000000aa.html").as_uri())
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.dialogs == []
    text = page.inner_text("#text")
    assert "<script>alert(1)</script> &amp;" in text and "<script>window.__xss = 2</script>" in text
    assert page.locator("main script, main img").count() == 0
    page.screenshot(path=str(tmp_path / "xss.png"))

    silver = "() => getComputedStyle(document.querySelector('.ann.ent.silver')).backgroundColor"
    gold = "() => getComputedStyle(document.querySelector('.ann.ent.gold')).backgroundColor"
    assert page.evaluate(silver) != "rgba(0, 0, 0, 0)"
    page.uncheck("input[data-hide=hide-silver]")
    assert page.evaluate(silver) == "rgba(0, 0, 0, 0)"
    assert page.evaluate(gold) != "rgba(0, 0, 0, 0)"

    page.goto((out / "index.html").as_uri())
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.dialogs == [] and page.errors == []


def test_browser_index_charts_and_search(seed_release, page, tmp_path):
    out = write_viewer(seed_release, tmp_path / "v")
    records = list(iter_records(seed_release))
    page.goto((out / "index.html").as_uri())
    assert page.locator("svg.chart").count() == 6
    assert page.locator("#listing table.docs tbody tr").count() == len(records)
    page.screenshot(path=str(tmp_path / "index.png"), full_page=True)

    target = records[0]
    page.fill("#search", target["id"])
    page.wait_for_function("document.getElementById('results').hidden === false")
    assert page.locator("#results tbody tr").count() == 1
    assert not page.is_visible("#listing")
    page.click("#results tbody a")
    page.wait_for_url(f"**/docs/{target['id']}.html")
    assert page.evaluate(_DISTINCT, "entities") == len(target["entities"])
    assert page.errors == []
