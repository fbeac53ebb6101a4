"""Nomor KK (Kartu Keluarga) rules. Django-free.

16 digits: 6-digit kecamatan code of the issuing region + (commonly) a DDMMYY registration date
+ a 4-digit family serial. The split of the last 10 digits is unverified, so a bad date is only a
warning. Normalisation and Excel-damage detection are shared with NIKs
(:func:`padu.lib.nik.normalise_number`).

Public API::

    parse_kk(value, *, regions=None, today=None) -> KkResult
    is_valid_kk(value) -> bool
    mask_kk(value) -> "3673********0001"

Error codes: ``kk.empty``, ``kk.not_digits``, ``kk.length``, ``kk.excel_scientific``,
``kk.excel_float``, ``kk.excel_trailing_zero``, ``kk.serial_zero``. Warning codes:
``kk.unknown_region``, ``kk.unknown_kecamatan``, ``kk.invalid_date``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from padu.lib.messages import WARNING, Issue, make_issue
from padu.lib.nik import date_problem, decode_region, mask_nik, normalise_number, resolve_date
from padu.lib.regions import RegionIndex, default_regions

__all__ = ["KkResult", "is_valid_kk", "mask_kk", "parse_kk"]

LABEL = "Nomor KK"


@dataclass(frozen=True, slots=True)
class KkResult:
    """What a KK number says and what is wrong with it."""

    input: object
    kk: str | None
    valid: bool
    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()
    registration_date: dt.date | None = None  # digits 7–12 read as DDMMYY, when that is a date
    region_code: str | None = None  # dotted kecamatan code from the prefix, e.g. "36.73.01"
    region_name: str | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.errors + self.warnings)

    def to_dict(self) -> dict[str, Any]:
        value = self.input
        return {
            "input": value if value is None or isinstance(value, str | int | float) else str(value),
            "kk": self.kk,
            "valid": self.valid,
            "errors": [i.to_dict() for i in self.errors],
            "warnings": [i.to_dict() for i in self.warnings],
            "registration_date": (
                self.registration_date.isoformat() if self.registration_date else None
            ),
            "region_code": self.region_code,
            "region_name": self.region_name,
        }


def parse_kk(
    value: object, *, regions: RegionIndex | None = None, today: dt.date | None = None
) -> KkResult:
    """Validate and decode one Nomor KK (same input handling as :func:`padu.lib.nik.parse_nik`)."""
    kk, problem = normalise_number(value, prefix="kk", label=LABEL)
    if kk is None:
        return KkResult(input=value, kk=None, valid=False, errors=(problem,) if problem else ())

    errors: list[Issue] = []
    warnings: list[Issue] = []
    if kk[12:] == "0000":
        errors.append(make_issue("kk", "serial_zero", label=LABEL))

    region_code, region_name, region_warning = decode_region(
        kk[:6], regions if regions is not None else default_regions(), prefix="kk", label=LABEL
    )
    if region_warning is not None:
        warnings.append(region_warning)

    day, month, yy = int(kk[6:8]), int(kk[8:10]), int(kk[10:12])
    registration_date = resolve_date(day, month, yy, today or dt.date.today())
    if registration_date is None:
        reason_id, reason_en = date_problem(day, month)
        warnings.append(
            make_issue(
                "kk",
                "invalid_date",
                WARNING,
                text="invalid_registration_date",
                label=LABEL,
                ddmmyy=kk[6:12],
                reason_id=reason_id,
                reason_en=reason_en,
            )
        )

    return KkResult(
        input=value,
        kk=kk,
        valid=not errors,
        errors=tuple(errors),
        warnings=tuple(warnings),
        registration_date=registration_date,
        region_code=region_code,
        region_name=region_name,
    )


def is_valid_kk(value: object) -> bool:
    """``parse_kk(value).valid``: 16 trustworthy digits with a non-zero serial."""
    if type(value) is str and len(value) == 16 and value.isascii() and value.isdigit():
        return not value.endswith("0000")
    return parse_kk(value).valid


def mask_kk(value: object) -> str:
    """``"3673010101200001"`` -> ``"3673********0001"`` (as :func:`padu.lib.nik.mask_nik`)."""
    return mask_nik(value)
