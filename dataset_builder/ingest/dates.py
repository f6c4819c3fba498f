"""Publication dates and times as news sites print them.

Recognises the date layouts of news furniture — ``25-10-2025``, ``11/09/2024``
and ``9/11/24`` (numeric, see below), ``2024-10-04`` and ``2024/10/04``,
``4 October 2024``, ``February 14, 2024``, ``Sept. 21, 2024``, ``Aug 13 2025``,
with an optional weekday in front — and an optional time (``5:20 PM``, ``22:22``,
``15:39:38``, ``8:04 AM IST``, ``0823 GMT``, ``2 p.m. ET``) with its zone, printed
after the date or before it (``2:15 PM EDT, Wed Sept 11, 2024``). Calendar
checks use :mod:`datetime` (an impossible date such as ``31-02-2025`` is an
error, not a guess); UTC offsets come from :mod:`dataset_builder.timezones`
(the tz database; ``GMT`` is always +00:00, ``EST`` stays -05:00 in August).

Numeric dates whose first two fields are both ≤ 12 (``11/09/2024``) are
ambiguous. They are read day first, as most of the world prints them, unless
:func:`guess_month_first` finds evidence in the same page that the site prints
month first (see there); the caller passes that decision as ``month_first``.
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


def _name_or_digit_ahead(names: tuple[str, ...]) -> str:
    """A lookahead for a digit or the start of one of ``names``. It turns other positions
    away fast: first by a class of first letters and one of second letters, then by the
    names' first three letters."""
    first, second = ("".join(sorted({name[i] for name in names})) for i in (0, 1))
    return rf"(?=\d|[{first}][{second}])(?=\d|{'|'.join(sorted({name[:3] for name in names}))})"


_DATE_FORMS = (
    r"(?P<iy>\d{4})(?P<isep>[-/.])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})",
    r"(?P<nd>\d{1,2})(?P<nsep>[-/.])(?P<nm>\d{1,2})(?P=nsep)(?P<ny>\d{4})",
    # Two-digit years only with slashes ("9/11/24"): dashes and dots with two digits
    # are too often scores, ranges and version numbers.
    r"(?P<sd>\d{1,2})/(?P<sm>\d{1,2})/(?P<sy>\d{2})(?![\d/])",
    rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})",
    rf"{_MONTH.replace('month', 'month2')}\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year2>\d{{4}})",
)
# Every form starts with a digit, a weekday or a month: the lookahead turns almost every
# position of running text away at once (a search costs a third; the same matches).
DATE_START = _name_or_digit_ahead(
    (*_MONTHS, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
)
DATE_RE = re.compile(DATE_START + _WEEKDAY + "(?:" + "|".join(_DATE_FORMS) + r")(?![\d:])", re.IGNORECASE)
TIME_RE = re.compile(
    # "15:39(:38)", "0823 GMT", or an hour with am/pm ("2 p.m.").
    r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2})(?::\d{2})?|(?P<m2>\d{2})(?=\s*[A-Z]{2,4}\b)|(?=\s*[ap]\.?\s?m\b))"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\.?)?"
    r"(?:\s*,?\s*\(?(?P<zone>[A-Z]{1,4})\b\)?)?",
    re.IGNORECASE,
)
# What may stand between a time printed before the date and the date: "2:15 PM EDT, Wed …",
# "10:05 on 3 May 2025", "8:04 AM IST | Aug 13 2025".
_TIME_BEFORE = re.compile(TIME_RE.pattern + r"\s*(?:[|,@–—/-]|on)?\s*$", re.IGNORECASE)
# Zones that only US sites print; a page that prints one writes numeric dates month first.
_US_ZONES = re.compile(r"\d\s*(?i:[ap]\.?\s?m\.?)?\s*\(?(?:ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT)\b")


def _month(name: str) -> int:
    """The number of a month name as ``DATE_RE`` matched it.

    The regex ignores case the Unicode way, so it also matches letters that
    ``lower()`` does not turn into ASCII: the long s (``ſep``), the Kelvin sign,
    the dotted and the dotless i (``Aprıl``). Folded here, so such a page is read,
    not a crash.
    """
    return _MONTHS[name.casefold().replace("i\u0307", "i").replace("\u0131", "i")]


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


def find_date(text: str, *, month_first: bool = False) -> tuple[Stamp, re.Match] | None:
    """The first date in ``text`` (with the time and zone printed after or before it), or None.

    Args:
        text: a line of furniture (or any text).
        month_first: read an ambiguous numeric date (``11/09/2024``) month first.
            A numeric date whose first field is over 12 is day first, and one whose
            second field is over 12 is month first, whatever this says.

    Raises:
        ImpossibleDate: the text has a date-shaped token that is not a calendar date.
    """
    m = DATE_RE.search(text)
    if m is None:
        return None
    g = m.groupdict()
    if g["iy"]:
        y, mo, d = int(g["iy"]), int(g["im"]), int(g["id"])
    elif g["ny"] or g["sy"]:
        first, second = (int(g["nd"]), int(g["nm"])) if g["ny"] else (int(g["sd"]), int(g["sm"]))
        y = int(g["ny"]) if g["ny"] else 2000 + int(g["sy"])
        # The order is evident when one field cannot be a month; else the page's convention decides.
        swap = second > 12 or (month_first and first <= 12)
        d, mo = (second, first) if swap else (first, second)
    elif g["year"]:
        y, mo, d = int(g["year"]), _month(g["month"]), int(g["day"])
    else:
        y, mo, d = int(g["year2"]), _month(g["month2"]), int(g["day2"])
    try:
        day = date(y, mo, d)
    except ValueError as err:
        raise ImpossibleDate(f"{m.group(0).strip()!r} is not a calendar date ({err})") from None
    time, zone = _time_after(text[m.end():])
    if time is None:
        time, zone = _time_before(text[: m.start()])
    return Stamp(day, time, zone), m


def _time_after(rest: str) -> tuple[tuple[int, int] | None, str | None]:
    # The time follows the date after a separator: "- 5:20 PM", "| 8:04 AM IST", " 22:22, UK",
    # "T14:26" (ISO), "/ 02:26 PM CDT".
    sep = re.match(r"\s*(?:[|,@–—/-]|at|T(?=\d))?\s*", rest)
    return _read_time(TIME_RE.match(rest, sep.end()))


def _time_before(head: str) -> tuple[tuple[int, int] | None, str | None]:
    # US sites often print the time first: "Published 2:15 PM EDT, Wed Sept 11, 2024".
    t = _TIME_BEFORE.search(head)
    return _read_time(t)


def _read_time(t: re.Match | None) -> tuple[tuple[int, int] | None, str | None]:
    if not t or (t.group("m") is None and t.group("m2") is None and t.group("ampm") is None):
        return None, None
    h, mi = int(t.group("h")), int(t.group("m") or t.group("m2") or 0)
    if t.group("ampm"):
        h = h % 12 + (12 if t.group("ampm").lower() == "p" else 0)
    if h > 23 or mi > 59:
        return None, None
    zone = t.group("zone")
    return (h, mi), zone.upper() if zone and timezones.known(zone) else None


def guess_month_first(text: str, reference: date | None = None) -> bool:
    """Whether the page ``text`` prints numeric dates month first (``09/11/2024`` = Sept 11).

    The evidence, strongest first:

    1. a numeric date in the page that is unambiguous (``25/10/2025`` is day first,
       ``10/25/2025`` month first);
    2. ``reference`` (a date known from elsewhere, such as the web archive's
       capture date): an ambiguous numeric date that equals it read one way only;
    3. a month-name date in the page that an ambiguous numeric date repeats
       (``Sept 11, 2024`` next to ``09/11/2024``);
    4. a US time zone (``ET``, ``EDT``, ``PT`` …) next to a time: US sites write month first.

    Without evidence the answer is False (day first, as most of the world prints dates).
    """
    numeric: list[tuple[int, int, int]] = []
    named: set[date] = set()
    for m in DATE_RE.finditer(text):
        g = m.groupdict()
        if g["ny"] or g["sy"]:
            first, second = (int(g["nd"]), int(g["nm"])) if g["ny"] else (int(g["sd"]), int(g["sm"]))
            numeric.append((first, second, int(g["ny"]) if g["ny"] else 2000 + int(g["sy"])))
        elif g["year"] or g["year2"]:
            with_month = (g["year"], g["month"], g["day"]) if g["year"] else (g["year2"], g["month2"], g["day2"])
            try:
                named.add(date(int(with_month[0]), _month(with_month[1]), int(with_month[2])))
            except ValueError:
                continue
    for first, second, _ in numeric:
        if first > 12 >= second:
            return False
        if second > 12 >= first:
            return True
    for known in ([reference] if reference else []) + sorted(named):
        for first, second, year in numeric:
            as_dmy, as_mdy = _safe_date(year, second, first), _safe_date(year, first, second)
            if as_dmy != as_mdy and known in (as_dmy, as_mdy):
                return known == as_mdy
    return bool(_US_ZONES.search(text))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


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
