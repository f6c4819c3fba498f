"""Time-zone abbreviations as printed in news (``8:04 AM IST``, ``22:22, UK``) -> UTC offsets.

One table (``data/timezones.json``) maps each abbreviation or region name to an IANA
zone; offsets come from the tz database through :mod:`zoneinfo`. An abbreviation that
names standard or daylight time (``EST``, ``EDT``) keeps that meaning whatever the
date; a region name (``UK``, ``ET``) takes the offset in force on the date. ``GMT``,
``UTC`` and ``Z`` are always +00:00.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from .config import PACKAGE_ROOT

_ZERO = timedelta(0)
_ALWAYS_UTC = {"UTC", "GMT", "Z"}


@cache
def table() -> tuple[dict[str, str], frozenset[str]]:
    """(abbreviation -> IANA zone, the names that are regions rather than abbreviations)."""
    data = json.loads((PACKAGE_ROOT / "data" / "timezones.json").read_text(encoding="utf-8"))
    regions = frozenset(data.pop("_regions"))
    return {k: v for k, v in data.items() if not k.startswith("_")}, regions


def known(name: str) -> bool:
    return name.upper() in table()[0]


def zone(name: str) -> str | None:
    """The IANA zone of an abbreviation or region name, or None."""
    return table()[0].get(name.upper())


def utc_offset(name: str, day: date) -> timedelta | None:
    """The UTC offset that ``name`` means on ``day`` (None for an unknown name)."""
    name = name.upper()
    zones, regions = table()
    if name not in zones:
        return None
    if name in _ALWAYS_UTC:
        return _ZERO
    tz = ZoneInfo(zones[name])
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=tz)
    if name in regions or noon.tzname() == name:
        return noon.utcoffset()
    # EST printed in August still means UTC-5: find when the zone uses this abbreviation.
    for month in range(1, 13):
        probe = datetime(day.year, month, 1, 12, tzinfo=tz)
        if probe.tzname() == name:
            return probe.utcoffset()
    return noon.utcoffset()


def iso_offset(offset: timedelta, utc_as_z: bool = False) -> str:
    """``+05:30``, ``-04:00``; ``Z`` for zero when ``utc_as_z`` (TIMEX3 style)."""
    if offset == _ZERO and utc_as_z:
        return "Z"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
