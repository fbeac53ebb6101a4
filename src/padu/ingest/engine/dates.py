"""Dates in registry files: the date parser of the intake engine. Django-free.

``parse_date`` reads ISO, day-month-year with any separator, month names in Bahasa Indonesia and
English (and common abbreviations), two-digit years, Excel serial numbers and ``date``/``datetime``
cells; a date that does not exist or lies in the future raises
:class:`~padu.ingest.engine.errors.ValueProblem` with a bilingual reason.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re

from padu.ingest.engine.errors import ValueProblem
from padu.ingest.engine.values import NULLS, show
from padu.lib.nik import MONTHS_EN, MONTHS_ID, date_problem, resolve_date

__all__ = ["parse_date"]

_MONTHS: dict[str, int] = {}
for _number, (_id, _en) in enumerate(zip(MONTHS_ID, MONTHS_EN, strict=True), start=1):
    for _name in (_id, _en, _id[:3], _en[:3]):
        _MONTHS[_name.lower()] = _number
_MONTHS.update(
    {"pebruari": 2, "peb": 2, "mrt": 3, "agt": 8, "ags": 8, "agst": 8, "agus": 8, "sept": 9, "nop": 11}
)

_YMD = re.compile(
    r"(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?)?"
)
_DMY = re.compile(
    r"(\d{1,2})\s*([-/. ])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?"
)
_D_MONTH_Y = re.compile(
    r"(?:[^\W\d_]+,\s*)?(\d{1,2})[\s\-/.]*([^\W\d_]{3,})\.?[\s\-/.,]*(\d{4}|\d{2})"
    r"(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?"
)
_MONTH_D_Y = re.compile(r"([^\W\d_]{3,})\.?\s+(\d{1,2}),?\s+(\d{4})")
_SERIAL_TEXT = re.compile(r"\d{5}(?:[.,]\d+)?")

_EXAMPLES_ID = "contoh: 17-08-1985, 17/08/1985, 17 Agustus 1985, 1985-08-17"
_EXAMPLES_EN = "e.g. 17-08-1985, 17/08/1985, 17 August 1985, 1985-08-17"
_EXCEL_BASE = dt.date(1899, 12, 30)  # serial 61 and later (serial 60 is Excel's 29 Feb 1900)
_MIN_YEAR, _MAX_YEAR = 1800, 2199


def _unreadable(text: str) -> ValueProblem:
    return ValueProblem(
        "unreadable",
        f"'{text}' bukan tanggal yang dikenali ({_EXAMPLES_ID})",
        f"'{text}' is not a recognised date ({_EXAMPLES_EN})",
    )


def _nonexistent(text: str, reason_id: str, reason_en: str) -> ValueProblem:
    return ValueProblem(
        "invalid",
        f"tanggal '{text}' tidak ada ({reason_id})",
        f"date '{text}' does not exist ({reason_en})",
    )


def _make_date(text: str, year: int, month: int, day: int) -> dt.date:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ValueProblem(
            "invalid",
            f"tanggal '{text}': tahun {year} tidak masuk akal",
            f"date '{text}': the year {year} is implausible",
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        reason_id, reason_en = date_problem(day, month)
        if 1 <= month <= 12 and day == 29 and month == 2:
            reason_id, reason_en = f"{year} bukan tahun kabisat", f"{year} is not a leap year"
        raise _nonexistent(text, reason_id, reason_en) from None


def _from_serial(number: float, text: str) -> dt.date:
    if not 1 <= number < 80001:
        raise ValueProblem(
            "unreadable",
            f"angka {text} bukan tanggal (nomor seri tanggal Excel harus 1–80000)",
            f"the number {text} is not a date (an Excel date serial must be 1–80000)",
        )
    serial = int(number)
    if serial == 60:
        raise _nonexistent(
            text, "29 Februari 1900 hanya ada di Excel", "29 February 1900 exists only in Excel"
        )
    if serial < 60:
        return _EXCEL_BASE + dt.timedelta(days=serial + 1)
    return _EXCEL_BASE + dt.timedelta(days=serial)


@functools.lru_cache(maxsize=1 << 16)
def _parse_text(text: str) -> dt.date | tuple[int, int, int]:
    """A date, or ``(day, month, yy)`` for a two-digit year (resolved against today by the caller)."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass  # 1985-02-31: explained below
    match = _YMD.fullmatch(text)
    if match:
        return _make_date(text, int(match[1]), int(match[3]), int(match[4]))
    match = _DMY.fullmatch(text)
    if match:
        day, month, year = int(match[1]), int(match[3]), match[4]
        if len(year) == 2:
            return _two_digit(text, day, month, int(year))
        return _make_date(text, int(year), month, day)
    match = _D_MONTH_Y.fullmatch(text)
    if match:
        month_number = _MONTHS.get(match[2].lower())
        if month_number is None:
            raise ValueProblem(
                "unreadable",
                f"'{text}': nama bulan '{match[2]}' tidak dikenali ({_EXAMPLES_ID})",
                f"'{text}': the month name '{match[2]}' is not recognised ({_EXAMPLES_EN})",
            )
        day, year = int(match[1]), match[3]
        if len(year) == 2:
            return _two_digit(text, day, month_number, int(year))
        return _make_date(text, int(year), month_number, day)
    match = _MONTH_D_Y.fullmatch(text)
    if match and match[1].lower() in _MONTHS:
        return _make_date(text, int(match[3]), _MONTHS[match[1].lower()], int(match[2]))
    if text.isdigit() and len(text) in (7, 8):  # 17081985 / 19850817; 7081985 = a lost leading zero
        digits = text.zfill(8)
        if digits[:2] in ("19", "20") and 1 <= int(digits[4:6]) <= 12 and 1 <= int(digits[6:]) <= 31:
            return _make_date(text, int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        return _make_date(text, int(digits[4:]), int(digits[2:4]), int(digits[:2]))
    if text.isdigit() and len(text) == 4:
        raise ValueProblem(
            "year_only",
            f"'{text}' hanya tahun; isi tanggal lengkap ({_EXAMPLES_ID})",
            f"'{text}' is only a year; enter the full date ({_EXAMPLES_EN})",
        )
    if _SERIAL_TEXT.fullmatch(text):
        return _from_serial(float(text.replace(",", ".")), text)
    raise _unreadable(text)


def _two_digit(text: str, day: int, month: int, yy: int) -> tuple[int, int, int]:
    try:
        dt.date(2000, month, day)  # 29 Feb is checked against the real year later
    except ValueError:
        reason_id, reason_en = date_problem(day, month)
        raise _nonexistent(text, reason_id, reason_en) from None
    return (day, month, yy)


def parse_date(value: object, *, today: dt.date | None = None) -> dt.date | None:
    """A date from any cell value, ``None`` for a blank cell.

    Accepts ``17-08-1985``, ``17/08/1985``, ``17.08.1985``, ``17/08/85`` (a two-digit year is the
    latest year that is not in the future, as of ``today``), ``1985-08-17`` (with or without a time),
    ``17 Agustus 1985`` / ``17 Agt 1985`` / ``17 Ags 1985`` / ``17-Aug-1985`` / ``17 August 1985``,
    ``17081985``, Excel date serials (numbers 1–80000, 1900 date system, also as text of five
    digits; a whole number 1800–2199 is taken for a year and refused) and ``datetime``/``date``
    objects. Raises ``ValueProblem`` (a ``ValueError``, text in
    both languages) for anything else; ``kind`` is ``invalid`` (no such date), ``unreadable`` or
    ``year_only``.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise _unreadable(str(value))
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        text = show(value)
        if 1800 <= value < 2200 and float(value).is_integer():  # a year in a number cell, not a 1905 date
            raise ValueProblem(
                "year_only",
                f"'{text}' hanya tahun; isi tanggal lengkap ({_EXAMPLES_ID})",
                f"'{text}' is only a year; enter the full date ({_EXAMPLES_EN})",
            )
        if 1 <= value < 80001:
            return _from_serial(value, text)
        if isinstance(value, int) and 1_000_000 <= value <= 99_999_999:  # 17081985 typed as a number
            result = _parse_text(str(value))
            assert isinstance(result, dt.date)
            return result
        return _from_serial(value, text)  # raises
    text = value.strip() if isinstance(value, str) else str(value).strip()
    if len(text) <= 4 and text.lower() in NULLS:
        return None
    result = _parse_text(" ".join(text.split()) if "  " in text or "\n" in text else text)
    if type(result) is tuple:
        day, month, yy = result
        resolved = resolve_date(day, month, yy, today or dt.date.today())
        if resolved is None:  # 29-02-yy in a year that is not a leap year
            reason_id, reason_en = date_problem(day, month)
            raise _nonexistent(text, reason_id, reason_en)
        return resolved
    assert isinstance(result, dt.date)
    return result
