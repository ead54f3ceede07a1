"""Dates as readers meet them ("10 July 2025", "Jul 10, 2025 14:00 EDT", RFC 2822, ISO with offsets,
Reuters' "26-FEB-1987 15:01:01.79") turned into one ISO calendar day, or None.

The day kept is the calendar day *as written* in the value's own time zone: an article stamped
"2025-07-10T23:30:00-05:00" was published on 10 July where it was written, even though it was
already 11 July in UTC. Converting to UTC would move late-evening stories to the next day.
"""
from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as dateutil_parser

EARLIEST_PLAUSIBLE = dt.date(1900, 1, 1)
MAX_DAYS_AHEAD = 2  # clock skew and time zones; anything later is a typo or a placeholder

# Most inputs (WCEP, Reuters, feeds) are ISO already: a regex is ~50x cheaper than dateutil.
_ISO_DAY = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T ]\d)")
_DAY_FIRST = re.compile(r"\s*\d{1,2}\.\d{1,2}\.\d{4}\b")  # "10.07.2025" is European: day first
_EPOCH = re.compile(r"\s*(\d{10}|\d{13})(?:\.\d+)?\s*$")
# Two defaults that differ in every field: a field dateutil filled from the default differs
# between the two parses, which tells us the value did not contain it ("Tuesday", "14:00", "12").
_DEFAULT_A = dt.datetime(2001, 1, 1)
_DEFAULT_B = dt.datetime(2002, 2, 2)
_TZ_OFFSET_SECONDS = {  # abbreviations dateutil does not know; the offset does not change the day kept
    name: 0 for name in ("EDT", "EST", "CDT", "CST", "MDT", "MST", "PDT", "PST", "BST", "CET", "CEST",
                         "GMT", "UTC", "IST", "JST", "KST", "MSK", "EET", "EEST", "AEST", "AEDT", "ET",
                         "PT", "CT", "MT", "HKT", "SGT", "PKT", "WIB", "SAST", "EAT", "WAT", "CAT",
                         "AST", "ADT", "NZST", "NZDT", "IRST", "WET", "WEST")
}
# "Published 10:30 GMT, 10 July 2025", "Updated: July 10, 2025": a label before the date itself.
_LABEL = re.compile(r"\s*(?:last\s+)?(?:published|updated|posted|modified|date|dated)\s*(?:on\s+|:\s*)?",
                    re.IGNORECASE)


def parse_date_checked(value: str | None, today: dt.date | None = None) -> tuple[str | None, str | None]:
    """Parse `value` into ("YYYY-MM-DD", None), or (None, why) when it is missing, unparseable or
    implausible (before 1900 or more than two days after `today`, default: today in UTC).
    `why` is None when the value was simply empty."""
    if value is None:
        return None, None
    text = str(value).strip()
    if not text:
        return None, None
    day = _parse_day(text)
    if day is None:
        return None, f"unparseable date {text[:40]!r} ignored"
    today = today or dt.datetime.now(dt.timezone.utc).date()
    if day < EARLIEST_PLAUSIBLE or day > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        return None, f"implausible date {text[:40]!r} ignored"
    return day.isoformat(), None


def parse_date(value: str | None) -> str | None:
    """ISO "YYYY-MM-DD" for a date written in any common format; None when unparseable or
    implausible (before 1900, or more than two days in the future)."""
    return parse_date_checked(value)[0]


def _parse_day(text: str) -> dt.date | None:
    iso = _ISO_DAY.match(text)
    if iso:
        try:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            return None
    epoch = _EPOCH.match(text)
    if epoch:
        seconds = int(epoch.group(1)) / (1000 if len(epoch.group(1)) == 13 else 1)
        return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date()
    if len(text) > 80 or not any(ch.isdigit() for ch in text):
        return None
    label = _LABEL.match(text)
    if label:
        text = text[label.end():]  # a date always has a day or a year; long strings are sentences, not dates
    day_first = bool(_DAY_FIRST.match(text))
    try:
        first = dateutil_parser.parse(text, default=_DEFAULT_A, tzinfos=_TZ_OFFSET_SECONDS, dayfirst=day_first)
        second = dateutil_parser.parse(text, default=_DEFAULT_B, tzinfos=_TZ_OFFSET_SECONDS, dayfirst=day_first)
    except (ValueError, OverflowError, TypeError):
        return None
    if first.date() != second.date():
        return None  # year, month or day came from the default, not from the value
    return first.date()
