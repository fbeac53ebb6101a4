"""Monthly verivali periods cut at a day of the month (DTSEN: the 17th). Django-free.

A batch submitted on or before the cut-off day of month M belongs to period M; one submitted after it
belongs to period M+1 (December rolls over into January of the next year). Periods are ``"YYYY-MM"``.
"""

from __future__ import annotations

import datetime as dt


def period_for(day: dt.date, cutoff_day: int) -> str:
    """The period a batch submitted on ``day`` belongs to."""
    year, month = day.year, day.month
    if day.day > cutoff_day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{year:04d}-{month:02d}"


def deadline(period: str, cutoff_day: int) -> dt.date:
    """The last day a batch may be submitted for ``period``."""
    year, month = int(period[:4]), int(period[5:7])
    return dt.date(year, month, cutoff_day)


def period_start(period: str) -> dt.date:
    """The first day of the month named by ``period`` (for display with a localised month name)."""
    return dt.date(int(period[:4]), int(period[5:7]), 1)
