"""parse_date: many real-world formats in, one ISO calendar day (as written) or None out."""
from __future__ import annotations

import datetime as dt

import pytest

from analysis.dates import parse_date, parse_date_checked


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-07-10", "2025-07-10"),
        ("10 July 2025", "2025-07-10"),
        ("July 10, 2025", "2025-07-10"),
        ("Jul 10, 2025 14:00 EDT", "2025-07-10"),
        ("Jul 10 2025 2:00PM PST", "2025-07-10"),
        ("26-FEB-1987 15:01:01.79", "1987-02-26"),  # Reuters-21578 <DATE>
        ("1987-02-26T15:01:01.790000", "1987-02-26"),
        ("Thu, 10 Jul 2025 23:30:00 -0400", "2025-07-10"),  # RFC 2822, late evening stays local
        ("Thu, 10 Jul 2025 23:30:00 GMT", "2025-07-10"),
        ("2025-07-10T23:30:00-05:00", "2025-07-10"),  # already 11 July in UTC: keep the local day
        ("2025-07-11T01:30:00+09:00", "2025-07-11"),  # still 10 July in UTC: keep the local day
        ("2025-07-10T12:00:00Z", "2025-07-10"),
        ("2025/07/10", "2025-07-10"),
        ("10.07.2025", "2025-07-10"),  # dotted dates are day-first
        ("20250710", "2025-07-10"),
        ("  3 March 1987 ", "1987-03-03"),
        ("1752105600", "2025-07-10"),  # Unix seconds
        ("Thursday, July 10, 2025", "2025-07-10"),
        ("July 10th, 2025", "2025-07-10"),
        ("Jul. 10, 2025", "2025-07-10"),
        ("Sept. 3, 2024", "2024-09-03"),
        ("2025-07-10T14:00:00.000Z", "2025-07-10"),
        ("Published 10:30 GMT, 10 July 2025", "2025-07-10"),
        ("Updated: July 10, 2025 2:31 PM ET", "2025-07-10"),
    ],
)
def test_parses_common_formats_to_local_calendar_day(value: str, expected: str) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [None, "", "   ", "Tuesday", "14:00", "12", "July 2025", "nonsense", "2025-02-30",
     "Rubio to meet Lavrov in Kuala Lumpur on Thursday"],
)
def test_unparseable_or_incomplete_is_none(value: str | None) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize("value", ["1850-01-01", "0001-01-01", "2999-12-31"])
def test_implausible_dates_are_none_with_a_reason(value: str) -> None:
    day, why = parse_date_checked(value)
    assert day is None
    assert why is not None and "implausible" in why and value in why


def test_future_limit_is_two_days_after_today() -> None:
    today = dt.date(2025, 7, 10)
    assert parse_date_checked("2025-07-12", today=today) == ("2025-07-12", None)
    assert parse_date_checked("2025-07-13", today=today)[0] is None


def test_unparseable_reason_quotes_the_value() -> None:
    assert parse_date_checked("someday soon") == (None, "unparseable date 'someday soon' ignored")
    assert parse_date_checked("") == (None, None)
