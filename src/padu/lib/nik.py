"""NIK (Nomor Induk Kependudukan) rules — the one place they live. Django-free.

NIK = 6-digit kecamatan code where first registered + DDMMYY birth date (day + 40 for women)
+ 4-digit serial. There is no checksum. The prefix never changes when codes do (pemekaran), so an
unknown prefix is only a warning. Spreadsheet damage (Excel keeps 15 significant digits) is the most
common fault in OPD files and is reported as such.

Public API::

    parse_nik(value, *, record_birth_date=None, record_sex=None, today=None, regions=None)
        -> NikResult
    is_valid_nik(value) -> bool          # fast; same answer as parse_nik(value).valid
    normalise_nik(value) -> str | None   # 16 digits, or None when it cannot be trusted
    mask_nik(value) -> "3673********0001"  (works for KK numbers too)
    compose_nik(kecamatan_plain, birth_date, sex, serial) -> str

Error codes (``valid`` is False): ``nik.empty``, ``nik.not_digits``, ``nik.length``,
``nik.excel_scientific``, ``nik.excel_float``, ``nik.excel_trailing_zero``, ``nik.invalid_date``,
``nik.serial_zero``. Warning codes (kept, flagged): ``nik.unknown_region``,
``nik.unknown_kecamatan``, ``nik.birth_date_mismatch``, ``nik.sex_mismatch``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import re
import time
from dataclasses import dataclass
from typing import Any

from padu.lib.masking import mask_id
from padu.lib.messages import WARNING, Issue, make_issue
from padu.lib.regions import RegionIndex, default_regions

__all__ = [
    "Issue",
    "NikResult",
    "compose_nik",
    "is_valid_nik",
    "mask_nik",
    "normalise_nik",
    "normalise_number",
    "parse_nik",
]

NIK_LENGTH = 16

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")  # fmt: skip
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")  # fmt: skip

# Characters stripped from both ends: whitespace, non-breaking/zero-width spaces, BOM, quotes and
# the apostrophe Excel users type to force text ('3673...).
_STRIP = " \t\r\n\v\f\u00a0\u2007\u202f\u200b\u2060\ufeff'\"`\u2018\u2019\u201a\u201c\u201d"
# Whitespace of any kind inside the value.
_SPACES = str.maketrans("", "", " \t\r\n\v\f\u00a0\u2007\u2009\u202f\u200b\u2060\ufeff")
# Formatting people put between digit groups: 3673.01.410785.0001, 3673-0141-0785-0001.
_SEPARATORS = str.maketrans("", "", ".-_\u2010\u2011\u2012\u2013\u2014")

# Spellings of "no value" that spreadsheets, pandas and databases write into text columns.
_NULLS = frozenset({"-", "--", "nan", "none", "null", "<na>", "nat", "n/a", "#n/a"})
_SCIENTIFIC = re.compile(r"[0-9]+(?:[.,][0-9]*)?[eE][+]?[0-9]+")
_DECIMAL = re.compile(r"[0-9]{15,}[.,]0+")  # 3673014107850001.0 (a float printed)
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3}){4,}|[0-9]{1,3}(?:\.[0-9]{3}){4,}")


def compose_nik(kecamatan_plain: str, birth_date: dt.date, sex: str, serial: int) -> str:
    """Build a NIK from its parts. ``sex`` is ``"L"`` (laki-laki) or ``"P"`` (perempuan)."""
    if len(kecamatan_plain) != 6 or not kecamatan_plain.isdigit():
        raise ValueError(f"kecamatan code must be 6 digits, got {kecamatan_plain!r}")
    if sex not in {"L", "P"}:
        raise ValueError(f"sex must be 'L' or 'P', got {sex!r}")
    if not 1 <= serial <= 9999:
        raise ValueError(f"serial must be 1..9999, got {serial}")
    day = birth_date.day + (40 if sex == "P" else 0)
    return (
        f"{kecamatan_plain}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"
    )


# --------------------------------------------------------------------------------------------------
# Normalisation shared by NIK and KK numbers
# --------------------------------------------------------------------------------------------------


def _short(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def normalise_number(
    value: object, *, prefix: str = "nik", label: str = "NIK"
) -> tuple[str | None, Issue | None]:
    """Turn a 16-digit identifier as found in files into 16 ASCII digits.

    Returns ``(digits, None)`` or ``(None, error)``. Accepts spaces, dots, dashes, a leading
    apostrophe, surrounding quotes and non-breaking spaces. Rejects values a spreadsheet has already
    damaged: scientific notation, decimals/floats and numbers whose 16th digit became 0. Used by
    ``padu.lib.kk`` with ``prefix="kk"``.
    """
    if isinstance(value, str):
        if len(value) == NIK_LENGTH and value.isascii() and value.isdigit():
            return value, None  # fast path: already clean
        text = value
    elif value is None:
        return None, make_issue(prefix, "empty", label=label)
    elif isinstance(value, bool):
        return None, make_issue(prefix, "not_digits", label=label, chars=repr(value))
    elif isinstance(value, int):
        # A number from a numeric cell: Excel already replaced everything after the 15th digit by 0.
        if value < 0:
            return None, make_issue(prefix, "not_digits", label=label, chars="'-'")
        text = str(value)
        if len(text) >= NIK_LENGTH and text.endswith("0"):
            return None, make_issue(prefix, "excel_trailing_zero", label=label, value=text)
        if len(text) != NIK_LENGTH:
            return None, make_issue(prefix, "length", label=label, n=len(text))
        return text, None
    elif isinstance(value, float):  # includes numpy.float64
        if math.isnan(value):  # pandas' empty cell
            return None, make_issue(prefix, "empty", label=label)
        if math.isinf(value):
            return None, make_issue(prefix, "not_digits", label=label, chars=repr(value))
        return None, make_issue(prefix, "excel_float", label=label, value=repr(value))
    elif hasattr(value, "__index__"):  # numpy integers and other int-like numbers
        return normalise_number(value.__index__(), prefix=prefix, label=label)
    else:  # Decimal, ...: judge their text
        text = str(value)

    text = text.strip(_STRIP)
    if not text or text.lower() in _NULLS:
        return None, make_issue(prefix, "empty", label=label)
    compact = text.translate(_SPACES)
    if len(compact) == NIK_LENGTH and compact.isascii() and compact.isdigit():
        return compact, None
    if ("e" in compact or "E" in compact) and _SCIENTIFIC.fullmatch(compact):
        return None, make_issue(prefix, "excel_scientific", label=label, value=_short(text))
    if _DECIMAL.fullmatch(compact):
        return None, make_issue(prefix, "excel_float", label=label, value=_short(text))
    grouped = _GROUPED.fullmatch(compact)
    if grouped:  # 3,673,014,107,850,000: a number formatted by a spreadsheet
        compact = compact.replace(",", "").replace(".", "")
        if len(compact) >= NIK_LENGTH and compact.endswith("0"):
            return None, make_issue(prefix, "excel_trailing_zero", label=label, value=_short(text))
    digits = compact.translate(_SEPARATORS)
    if not digits:  # "-", "--": the usual placeholder for "none"
        return None, make_issue(prefix, "empty", label=label)
    if not (digits.isascii() and digits.isdigit()):
        bad = sorted({c for c in digits if not ("0" <= c <= "9")})
        chars = ", ".join(repr(c) for c in bad[:5]) + (", ..." if len(bad) > 5 else "")
        return None, make_issue(prefix, "not_digits", label=label, chars=chars)
    if len(digits) != NIK_LENGTH:
        return None, make_issue(prefix, "length", label=label, n=len(digits))
    return digits, None


def normalise_nik(value: object) -> str | None:
    """The 16 digits of ``value``, or ``None`` when it is not a trustworthy 16-digit number."""
    return normalise_number(value)[0]


def mask_nik(value: object) -> str:
    """Hide the middle: ``"3673 0141 0785 0001"`` -> ``"3673********0001"``. Works for KK numbers.

    Formatting is normalised first; the masking rule itself is :func:`padu.lib.masking.mask_id`.
    """
    digits = normalise_number(value)[0]
    return mask_id(digits if digits is not None else value)


# --------------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------------


def date_problem(day: int, month: int) -> tuple[str, str]:
    """Why ``day``/``month`` is not a calendar date: (Bahasa Indonesia, English)."""
    if not 1 <= month <= 12:
        return f"bulan {month:02d} tidak ada", f"there is no month {month:02d}"
    if day == 0:
        return "hari 00 tidak ada", "there is no day 00"
    if day > 31:
        return f"hari {day:02d} tidak ada", f"there is no day {day:02d}"
    return (
        f"tidak ada tanggal {day} {MONTHS_ID[month - 1]}",
        f"there is no {day} {MONTHS_EN[month - 1]}",
    )


def resolve_date(day: int, month: int, yy: int, today: dt.date) -> dt.date | None:
    """The DDMMYY date: 20yy unless that is after ``today``, else 19yy; ``None`` if impossible."""
    try:
        candidate = dt.date(2000 + yy, month, day)
    except ValueError:
        candidate = None
    if candidate is not None and candidate <= today:
        return candidate
    try:
        return dt.date(1900 + yy, month, day)
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NikResult:
    """What a NIK says and what is wrong with it. Decoded parts are best-effort when invalid."""

    input: object
    nik: str | None
    valid: bool
    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()
    sex: str | None = None  # "L" / "P"
    birth_date: dt.date | None = None
    region_code: str | None = None  # dotted kecamatan code from the prefix, e.g. "36.73.01"
    region_name: str | None = None  # kecamatan name, None when the prefix is not a known kecamatan

    @property
    def issues(self) -> tuple[Issue, ...]:
        return self.errors + self.warnings

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.errors + self.warnings)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings)."""
        value = self.input
        return {
            "input": value if value is None or isinstance(value, str | int | float) else str(value),
            "nik": self.nik,
            "valid": self.valid,
            "errors": [i.to_dict() for i in self.errors],
            "warnings": [i.to_dict() for i in self.warnings],
            "sex": self.sex,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "region_code": self.region_code,
            "region_name": self.region_name,
        }


# Frozen dataclasses set every field through object.__setattr__, which is most of the cost of
# parsing a million NIKs. The hot path writes the slots directly instead: an identical, still-frozen
# instance. The unpacking fails at import if NikResult's fields change, so this cannot drift.
_new = object.__new__
(_set_input, _set_nik, _set_valid, _set_errors, _set_warnings, _set_sex, _set_birth, _set_code,
 _set_name) = (getattr(NikResult, f.name).__set__
               for f in dataclasses.fields(NikResult))  # fmt: skip


def _new_nik_result(
    value: object,
    nik: str,
    valid: bool,
    errors: tuple[Issue, ...],
    warnings: tuple[Issue, ...],
    sex: str | None,
    birth_date: dt.date | None,
    region_code: str,
    region_name: str | None,
) -> NikResult:
    obj = _new(NikResult)
    _set_input(obj, value)
    _set_nik(obj, nik)
    _set_valid(obj, valid)
    _set_errors(obj, errors)
    _set_warnings(obj, warnings)
    _set_sex(obj, sex)
    _set_birth(obj, birth_date)
    _set_code(obj, region_code)
    _set_name(obj, region_name)
    return obj


def _record_sex(value: str | None) -> str | None:
    if not value:
        return None
    first = value.strip()[:1].upper()
    return first if first in ("L", "P") else None


def region_issue(prefix6: str, index: RegionIndex, *, prefix: str, label: str) -> Issue | None:
    """Warning for a 6-digit region prefix that is not a known kecamatan (shared with KK)."""
    if prefix6 in index.kecamatan:
        return None
    code = f"{prefix6[:2]}.{prefix6[2:4]}.{prefix6[4:6]}"
    kabkota = prefix6[:4]
    if kabkota in index.kabkota:
        return make_issue(
            prefix,
            "unknown_kecamatan",
            WARNING,
            label=label,
            code=code,
            parent=code[:5],
            parent_name=index.names.get(kabkota, "?"),
        )
    if prefix6[:2] in index.provinces:
        province = f"{code[:2]} {index.names.get(prefix6[:2], '')}".strip()
        detail_id = f" (provinsi {province} ada, kab/kota tidak)"
        detail_en = f" (province {province} exists, kab/kota does not)"
    else:
        detail_id = f" (provinsi {code[:2]} tidak ada)"
        detail_en = f" (province {code[:2]} does not exist)"
    return make_issue(
        prefix,
        "unknown_region",
        WARNING,
        label=label,
        code=code,
        detail_id=detail_id,
        detail_en=detail_en,
    )


def _today() -> dt.date:
    """``date.today()``, re-read at most once a minute (it is slow on the hot path)."""
    now = time.time()
    if now - _TODAY[0] >= 60.0 or now < _TODAY[0]:
        _TODAY[0], _TODAY[1] = now, dt.date.today()
    return _TODAY[1]


_TODAY: list[Any] = [float("-inf"), dt.date.min]


@functools.lru_cache(maxsize=1 << 17)
def _decode_birth(ddmmyy: str, today: dt.date) -> tuple[str | None, dt.date | None, Issue | None]:
    """(sex, birth date, error) for NIK digits 7–12."""
    raw_day = int(ddmmyy[0:2])
    month = int(ddmmyy[2:4])
    sex: str | None
    day, sex = (raw_day - 40, "P") if raw_day > 40 else (raw_day, "L")
    birth_date = resolve_date(day, month, int(ddmmyy[4:6]), today)
    if birth_date is not None:
        return sex, birth_date, None
    if 1 <= day <= 31:
        reason_id, reason_en = date_problem(day, month)
    else:
        sex = None
        reason_id = f"hari {raw_day:02d} (laki-laki 01–31, perempuan 41–71)"
        reason_en = f"day {raw_day:02d} (men 01–31, women 41–71)"
    error = make_issue(
        "nik", "invalid_date", label="NIK", ddmmyy=ddmmyy, reason_id=reason_id, reason_en=reason_en
    )
    return sex, None, error


def decode_region(
    prefix6: str, index: RegionIndex, *, prefix: str = "nik", label: str = "NIK"
) -> tuple[str, str | None, Issue | None]:
    """(dotted kecamatan code, kecamatan name or None, warning or None) for a 6-digit prefix."""
    key = prefix + prefix6
    hit = index.lookup_cache.get(key)
    if hit is None:
        code = f"{prefix6[:2]}.{prefix6[2:4]}.{prefix6[4:6]}"
        if prefix6 in index.kecamatan:
            hit = (code, index.names.get(prefix6), None)
        else:
            hit = (code, None, region_issue(prefix6, index, prefix=prefix, label=label))
        if len(index.lookup_cache) < 200_000:
            index.lookup_cache[key] = hit
    return hit


def parse_nik(
    value: object,
    *,
    record_birth_date: dt.date | None = None,
    record_sex: str | None = None,
    today: dt.date | None = None,
    regions: RegionIndex | None = None,
) -> NikResult:
    """Validate and decode one NIK.

    ``value`` may be anything read from a file (str, int, float, None). ``record_birth_date`` and
    ``record_sex`` (``"L"``/``"P"``) are the record's own fields: disagreement is a warning, and a
    matching birth date also settles the century. ``today`` (default: today) decides 19xx vs 20xx.
    ``regions`` defaults to the packaged Kemendagri codes.
    """
    if type(value) is str and len(value) == NIK_LENGTH and value.isascii() and value.isdigit():
        nik = value
    else:
        normalised, problem = normalise_number(value)
        if normalised is None:
            return NikResult(value, None, False, (problem,) if problem else ())
        nik = normalised

    sex, birth_date, date_error = _decode_birth(nik[6:12], today or _today())
    region_code, region_name, region_warning = decode_region(
        nik[:6], regions if regions is not None else default_regions()
    )
    errors: tuple[Issue, ...] = ()
    if date_error is not None:
        errors = (date_error,)
    if nik[12:] == "0000":
        errors += (make_issue("nik", "serial_zero", label="NIK"),)
    warnings: tuple[Issue, ...] = () if region_warning is None else (region_warning,)

    if record_birth_date is not None and birth_date is not None:
        record_date = (
            record_birth_date.date()
            if isinstance(record_birth_date, dt.datetime)
            else record_birth_date
        )
        if (record_date.day, record_date.month, record_date.year % 100) == (
            birth_date.day,
            birth_date.month,
            birth_date.year % 100,
        ):
            birth_date = record_date  # same DDMMYY: the record knows the century
        else:
            warnings += (
                make_issue(
                    "nik",
                    "birth_date_mismatch",
                    WARNING,
                    label="NIK",
                    nik_date=birth_date.strftime("%d-%m-%Y"),
                    record_date=record_date.strftime("%d-%m-%Y"),
                ),
            )
    if record_sex is not None:
        expected_sex = _record_sex(record_sex)
        if expected_sex is not None and sex is not None and expected_sex != sex:
            warnings += (
                make_issue(
                    "nik",
                    "sex_mismatch",
                    WARNING,
                    label="NIK",
                    nik_sex=sex,
                    record_sex=expected_sex,
                ),
            )

    return _new_nik_result(
        value, nik, not errors, errors, warnings, sex, birth_date, region_code, region_name
    )


def is_valid_nik(value: object) -> bool:
    """``parse_nik(value).valid``, without building a result for already-clean strings."""
    if type(value) is str and len(value) == NIK_LENGTH and value.isascii() and value.isdigit():
        return not value.endswith("0000") and _decode_birth(value[6:12], _today())[2] is None
    return parse_nik(value).valid
