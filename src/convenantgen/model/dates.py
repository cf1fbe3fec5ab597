"""Dates as the YAML writes them (YYYY-MM-DD), parsed with the reason in words when they are not."""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date

DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


MIN_YEAR, MAX_YEAR = 1900, 2199


def parse_iso_date(value: str) -> tuple[dt.date | None, str]:
    """Parse YYYY-MM-DD; on failure return the reason in words."""
    match = DATE_RE.fullmatch(value)
    if not match:
        return None, f"'{value}' is not a date; write YYYY-MM-DD, e.g. 2025-12-31"
    year, month, day = (int(g) for g in match.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        # Also keeps date arithmetic (the day after an end, school years) inside datetime's
        # range: 9999-12-31 + 1 day would raise.
        return None, (
            f"'{value}' is not a plausible date: the year must lie between {MIN_YEAR} "
            f"and {MAX_YEAR}"
        )
    if not 1 <= month <= 12:
        return None, f"'{value}' is not a date: there is no month {month}"
    try:
        return dt.date(year, month, day), ""
    except ValueError:
        first = dt.date(year, month, 1)
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        days = (nxt - first).days
        month_name = format_date(first, "LLLL yyyy", locale="nl")
        return None, (
            f"'{value}' does not exist: {day} {format_date(first, 'LLLL', locale='nl')} "
            f"is past the end of the month ({month_name} has {days} days)"
        )
