"""Static inline SVG charts for the viewer's index page.

Charts are drawn at build time as plain SVG strings, so the report needs no
JavaScript library, no CDN and no network: it opens from the file system. Every
text that reaches the SVG goes through :func:`html.escape`. The output depends
only on the input (no random ids, no clock), so a release stays byte-identical.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

# displaCy's entity colours (spacy/displacy/render.py), so the viewer looks like
# what spaCy users already know; labels outside the list get GREY.
LABEL_COLOURS: dict[str, str] = {
    "PERSON": "#aa9cfc",
    "NORP": "#c887fb",
    "FAC": "#9cc9cc",
    "ORG": "#7aecec",
    "GPE": "#feca74",
    "LOC": "#ff9561",
    "PRODUCT": "#bfeeb7",
    "EVENT": "#ffeb80",
    "WORK_OF_ART": "#f0d0ff",
    "LAW": "#ff8197",
    "LANGUAGE": "#ff8197",
    "PERCENT": "#e4e7d2",
    "MONEY": "#e4e7d2",
    "QUANTITY": "#e4e7d2",
    "ORDINAL": "#e4e7d2",
    "CARDINAL": "#e4e7d2",
}
GREY = "#dddddd"
# Stacked bars: one colour per annotation origin.
ORIGIN_COLOURS = {"gold": "#c9a227", "silver": "#9aa5b1"}
LAYER_COLOURS = {"entities": "#7aa6d8", "timexes": "#6cbf84", "claims": "#e0875a"}


def label_colour(label: str) -> str:
    """The display colour of an entity label (grey for an unknown label)."""
    return LABEL_COLOURS.get(label, GREY)


def _num(x: float) -> str:
    """A coordinate with at most one decimal: short, and identical on every platform."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, Mapping[str, int]]],
    series: Sequence[str] = ("gold", "silver"),
    colours: Mapping[str, str] | None = None,
    row_colour: Mapping[str, str] | None = None,
    width: int = 460,
) -> str:
    """A horizontal stacked bar chart as an inline ``<svg>`` element.

    Args:
        title: caption, also the SVG's accessible name.
        rows: ``(label, {series: count})`` in display order.
        series: the stacked parts of each bar, left to right.
        colours: colour of each series (default: gold/silver origin colours).
        row_colour: when given, the first series of a row takes the row's colour
            (an entity label's colour) and later series a paler copy of it.
        width: total width in pixels.

    Returns:
        The SVG markup; a short note instead of bars when ``rows`` is empty.
    """
    colours = colours or ORIGIN_COLOURS
    label_w, value_w, row_h, top = 120, 56, 20, 26
    bar_w = width - label_w - value_w
    height = top + max(1, len(rows)) * row_h + 24
    peak = max((sum(c.values()) for _, c in rows), default=0) or 1
    out = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<text class="chart-title" x="0" y="16">{escape(title)}</text>',
    ]
    if not rows:
        out.append(f'<text class="chart-note" x="0" y="{top + 14}">nothing annotated</text>')
    for i, (label, counts) in enumerate(rows):
        y = top + i * row_h
        out.append(f'<text class="chart-label" x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>')
        x = float(label_w)
        for j, name in enumerate(series):
            n = counts.get(name, 0)
            if not n:
                continue
            w = bar_w * n / peak
            fill = colours.get(name, GREY)
            opacity = ""
            if row_colour is not None:
                fill = row_colour.get(label, GREY)
                opacity = "" if j == 0 else ' fill-opacity="0.45"'
            out.append(
                f'<rect x="{_num(x)}" y="{y + 3}" width="{_num(max(w, 1.0))}" height="{row_h - 6}" '
                f'fill="{fill}"{opacity}>'
                f"<title>{escape(label)} · {escape(name)}: {n}</title></rect>"
            )
            x += w
        total = sum(counts.values())
        out.append(f'<text class="chart-value" x="{_num(x + 4)}" y="{y + 14}">{total}</text>')
    legend_y = top + max(1, len(rows)) * row_h + 16
    x = label_w
    for j, name in enumerate(series):
        fill = colours.get(name, GREY) if row_colour is None else "#888888"
        opacity = ' fill-opacity="0.45"' if row_colour is not None and j else ""
        out.append(f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" fill="{fill}"{opacity}/>')
        out.append(f'<text class="chart-legend" x="{x + 14}" y="{legend_y}">{escape(name)}</text>')
        x += 14 + 8 * len(name) + 16
    out.append("</svg>")
    return "".join(out)


# --- the timeline of resolved dates ------------------------------------------------------

# The calendar part of a TIMEX3 value: a 4-digit year, then optionally a month,
# week, quarter, half or season, then a day. Anything with X (unknown digits) or
# a decade/century ("199", "20") has no place on a year axis and is left out.
_VALUE = re.compile(r"^(\d{4})(?:-(\d{2}|W\d{2}|Q[1-4]|H[12]|SP|SU|FA|WI)(?:-(\d{2}))?)?(?=$|T|-)")
_SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def value_start(value: str) -> date | None:
    """The first day a TIMEX3 date value refers to, or None when it has no full year.

    Args:
        value: a TIMEX3 value such as ``2025-10-24``, ``2025-W44``, ``2024-FA``,
            ``2025-10-23TAF``; ``PAST_REF``, ``199`` or ``XXXX-10`` give None.

    Returns:
        The start date of the period (e.g. the Monday of an ISO week).
    """
    m = _VALUE.match(value)
    if not m:
        return None
    year, part, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if part is None:
            return date(year, 1, 1)
        if part.startswith("W"):
            return date.fromisocalendar(year, int(part[1:]), 1)
        if part.startswith("Q"):
            return date(year, 3 * (int(part[1]) - 1) + 1, 1)
        if part.startswith("H"):
            return date(year, 1 if part == "H1" else 7, 1)
        if part in _SEASON_MONTH:
            return date(year, _SEASON_MONTH[part], 1)
        return date(year, int(part), int(day) if day else 1)
    except ValueError:  # month 13, week 54, 31 February: not a calendar date
        return None


@dataclass(frozen=True, slots=True)
class _Unit:
    name: str
    key: Callable[[date], int]  # a date's bin, increasing with time
    label: Callable[[int], str]  # a bin's axis label


_MONTH = _Unit("month", lambda d: d.year * 12 + d.month - 1, lambda k: f"{k // 12}-{k % 12 + 1:02d}")
_YEAR = _Unit("year", lambda d: d.year, str)
_DECADE = _Unit("decade", lambda d: d.year // 10, lambda k: f"{k * 10}s")


def _unit(first: date, last: date) -> _Unit:
    # Months while the range is short enough for a bar per month to stay wider
    # than a few pixels; years, then decades, for a long-range corpus.
    years = last.year - first.year
    if years <= 6:
        return _MONTH
    if years <= 150:
        return _YEAR
    return _DECADE


def timeline(
    mentions: Iterable[date],
    published: Iterable[date] = (),
    width: int = 940,
    title: str = "Timeline of resolved dates",
) -> str:
    """A histogram of referenced dates on a time axis, with publication dates below it.

    Args:
        mentions: the start dates of the resolved DATE/TIME values.
        published: publication dates (DCT) of the documents, drawn as a second row.
        width: total width in pixels.
        title: caption.

    Returns:
        The SVG markup; a short note when there is no date to place.
    """
    mentions, published = sorted(mentions), sorted(published)
    everything = mentions + published
    height = 190
    head = (
        f'<svg class="chart timeline" role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f'<text class="chart-title" x="0" y="16">{escape(title)}</text>'
    )
    if not everything:
        return head + '<text class="chart-note" x="0" y="40">no resolved date with a year</text></svg>'
    unit = _unit(min(everything), max(everything))
    lo, hi = unit.key(min(everything)), unit.key(max(everything))
    n_bins = hi - lo + 1
    left, right, top, axis_y, dct_h = 40, 10, 28, 130, 18
    plot_w = width - left - right
    bin_w = plot_w / n_bins
    counts = Counter(unit.key(d) for d in mentions)
    dcts = Counter(unit.key(d) for d in published)
    peak = max(counts.values(), default=0) or 1
    dct_peak = max(dcts.values(), default=0) or 1
    out = [head]
    out.append(f'<text class="chart-axis" x="{left - 4}" y="{top + 8}" text-anchor="end">{peak}</text>')
    out.append(f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" stroke="#555"/>')
    for key in sorted(counts):
        n = counts[key]
        h = (axis_y - top) * n / peak
        x = left + (key - lo) * bin_w
        out.append(
            f'<rect class="tl-bar" x="{_num(x + 0.5)}" y="{_num(axis_y - h)}" width="{_num(max(bin_w - 1, 1.0))}" '
            f'height="{_num(h)}" fill="{LAYER_COLOURS["timexes"]}"><title>{escape(unit.label(key))}: {n} '
            f"date mention(s)</title></rect>"
        )
    for key in sorted(dcts):
        n = dcts[key]
        h = dct_h * n / dct_peak
        x = left + (key - lo) * bin_w
        out.append(
            f'<rect class="tl-dct" x="{_num(x + 0.5)}" y="{axis_y + 2}" width="{_num(max(bin_w - 1, 1.0))}" '
            f'height="{_num(max(h, 1.0))}" fill="{ORIGIN_COLOURS["silver"]}"><title>{escape(unit.label(key))}: '
            f"{n} document(s) published</title></rect>"
        )
    # About eight evenly spaced axis labels, whatever the number of bins.
    step = max(1, round(n_bins / 8))
    for key in range(lo, hi + 1, step):
        x = left + (key - lo + 0.5) * bin_w
        out.append(
            f'<text class="chart-axis" x="{_num(x)}" y="{axis_y + dct_h + 16}" text-anchor="middle">'
            f"{escape(unit.label(key))}</text>"
        )
    legend_y = height - 6
    out.append(f'<rect x="{left}" y="{legend_y - 9}" width="10" height="10" fill="{LAYER_COLOURS["timexes"]}"/>')
    out.append(
        f'<text class="chart-legend" x="{left + 14}" y="{legend_y}">dates referred to ({len(mentions)}, per '
        f"{unit.name})</text>"
    )
    out.append(f'<rect x="{left + 260}" y="{legend_y - 9}" width="10" height="10" fill="{ORIGIN_COLOURS["silver"]}"/>')
    out.append(
        f'<text class="chart-legend" x="{left + 274}" y="{legend_y}">publication dates ({len(published)})</text>'
    )
    out.append("</svg>")
    return "".join(out)
