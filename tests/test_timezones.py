"""The zone table is checked against the tz database itself."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from dataset_builder.timezones import iso_offset, table, utc_offset

ZONES, REGIONS = table()


@pytest.mark.parametrize("abbreviation", sorted(set(ZONES) - REGIONS))
def test_each_abbreviation_is_its_zones_own_abbreviation_in_the_tz_database(abbreviation):
    tz = ZoneInfo(ZONES[abbreviation])
    names = {datetime(2025, m, 1, 12, tzinfo=tz).tzname() for m in range(1, 13)}
    assert abbreviation in names


@pytest.mark.parametrize(
    ("name", "day", "expected"),
    [
        ("IST", date(2025, 8, 13), "+05:30"),
        ("UK", date(2025, 1, 15), "+00:00"),  # GMT in winter
        ("UK", date(2025, 7, 15), "+01:00"),  # BST in summer
        ("EST", date(2025, 8, 13), "-05:00"),  # EST means standard time, even in August
        ("ET", date(2025, 8, 13), "-04:00"),  # ET means the time in force
        ("GMT", date(2025, 7, 15), "+00:00"),  # GMT is never BST
        ("AEDT", date(2025, 1, 10), "+11:00"),
    ],
)
def test_offsets(name, day, expected):
    assert iso_offset(utc_offset(name, day)) == expected


def test_unknown_and_utc():
    assert utc_offset("XYZ", date(2025, 1, 1)) is None
    assert iso_offset(utc_offset("GMT", date(2025, 1, 1)), utc_as_z=True) == "Z"
