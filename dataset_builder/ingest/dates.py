"""Publication dates and times as news sites print them.

Recognises the date layouts of news furniture — ``25-10-2025`` (day first, as
non-US sites print it), ``2024-10-04``, ``4 October 2024``, ``February 14, 2024``,
``Aug 13 2025``, with an optional weekday in front — and an optional time
(``5:20 PM``, ``22:22``, ``8:04 AM IST``, ``0823 GMT``) with its zone. Calendar
checks use :mod:`datetime` (an impossible date such as ``31-02-2025`` is an
error, not a guess); UTC offsets come from :mod:`dataset_builder.timezones`
(the tz database; ``GMT`` is always +00:00, ``EST`` stays -05:00 in August).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

from .. import timezones

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DATE_FORMS = (
    r"(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})",
    r"(?P<nd>\d{1,2})[-/.](?P<nm>\d{1,2})[-/.](?P<ny>\d{4})",
    rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})",
    rf"{_MONTH.replace('month', 'month2')}\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year2>\d{{4}})",
)
DATE_RE = re.compile(_WEEKDAY + "(?:" + "|".join(_DATE_FORMS) + r")(?![\d:])", re.IGNORECASE)
TIME_RE = re.compile(
    r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2})|(?P<m2>\d{2})(?=\s*[A-Z]{2,4}\b))"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\.?)?"
    r"(?:\s*,?\s*\(?(?P<zone>[A-Z]{1,4})\b\)?)?",
    re.IGNORECASE,
)


class ImpossibleDate(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Stamp:
    """A date found in furniture, with the time of day and zone when printed."""

    day: date
    time: tuple[int, int] | None = None
    zone: str | None = None  # as printed ("IST", "GMT", "UK"), a name dataset_builder.timezones knows

    def iso(self) -> str:
        """``YYYY-MM-DD``, or a date-time (with its UTC offset when the zone is known)."""
        if self.time is None:
            return self.day.isoformat()
        stamp = datetime(self.day.year, self.day.month, self.day.day, *self.time)
        offset = timezones.utc_offset(self.zone, self.day) if self.zone else None
        if offset is not None:
            stamp = stamp.replace(tzinfo=timezone(offset))
        return stamp.isoformat()


def find_date(text: str) -> tuple[Stamp, re.Match] | None:
    """The first date in ``text`` (with a following time and zone), or None.

    Raises:
        ImpossibleDate: the text has a date-shaped token that is not a calendar date.
    """
    m = DATE_RE.search(text)
    if m is None:
        return None
    g = m.groupdict()
    if g["iy"]:
        y, mo, d = int(g["iy"]), int(g["im"]), int(g["id"])
    elif g["ny"]:
        y, mo, d = int(g["ny"]), int(g["nm"]), int(g["nd"])
    elif g["year"]:
        y, mo, d = int(g["year"]), _MONTHS[g["month"].lower()], int(g["day"])
    else:
        y, mo, d = int(g["year2"]), _MONTHS[g["month2"].lower()], int(g["day2"])
    try:
        day = date(y, mo, d)
    except ValueError as err:
        raise ImpossibleDate(f"{m.group(0).strip()!r} is not a calendar date ({err})") from None
    time, zone = _time_after(text[m.end():])
    return Stamp(day, time, zone), m


def _time_after(rest: str) -> tuple[tuple[int, int] | None, str | None]:
    # The time follows the date after a separator: "- 5:20 PM", "| 8:04 AM IST", " 22:22, UK".
    sep = re.match(r"\s*(?:[|,@–—-]|at)?\s*", rest)
    t = TIME_RE.match(rest, sep.end())
    if not t or (t.group("m") is None and t.group("m2") is None):
        return None, None
    h, mi = int(t.group("h")), int(t.group("m") or t.group("m2"))
    if t.group("ampm"):
        h = h % 12 + (12 if t.group("ampm").lower() == "p" else 0)
    if h > 23 or mi > 59:
        return None, None
    zone = t.group("zone")
    return (h, mi), zone.upper() if zone and timezones.known(zone) else None


_ISO_SHAPE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")


def parse_date_field(value: str) -> str:
    """A publication date given as metadata (HTML meta, a JSONL field) as ISO 8601.

    Accepts ISO 8601 (``2025-10-25``, ``2025-10-25T08:03:00+05:30``, ``…Z``) and the
    layouts :func:`find_date` knows (``25-10-2025``, ``Aug 13 2025 8:04 AM IST``).
    Fractions of a second are dropped (the record schema has none).

    Raises:
        ImpossibleDate: a date-shaped value that is not a calendar date.
        ValueError: no date at all.
    """
    try:
        stamp = datetime.fromisoformat(value.strip())
    except ValueError:
        if _ISO_SHAPE.match(value):
            # ISO-shaped but rejected by fromisoformat: an impossible day or month, or a bad time.
            try:
                date.fromisoformat(value.strip()[:10])
            except ValueError as err:
                raise ImpossibleDate(f"{value.strip()!r} is not a calendar date ({err})") from None
        found = find_date(value)
        if found is None:
            raise ValueError(f"{value.strip()!r} is not a recognisable date") from None
        return found[0].iso()
    if len(value.strip()) <= 10:  # a date without a time: keep it a date
        return stamp.date().isoformat()
    return stamp.replace(microsecond=0).isoformat()
