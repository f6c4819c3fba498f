"""Date lines whose month names carry letters that match only under Unicode case folding."""

from __future__ import annotations

from datetime import date

import pytest

from dataset_builder.ingest.dates import find_date, guess_month_first


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("\u017fep 5, 2024", date(2024, 9, 5)),  # long s
        ("Apr\u0131l 5, 2024", date(2024, 4, 5)),  # dotless i
        ("5 APR\u0130L 2024", date(2024, 4, 5)),  # dotted capital I
        ("Sep 5, 2024", date(2024, 9, 5)),
    ],
)
def test_month_names_the_regex_matches_are_read_not_a_crash(line, day):
    stamp, _ = find_date(line)
    assert stamp.day == day
    assert guess_month_first(f"Published {line}. Updated 05/09/2024.") in (True, False)
