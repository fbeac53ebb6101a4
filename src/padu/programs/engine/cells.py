"""Cells of OPD lists that need more than the registry's readers: "tempat, tanggal lahir" in one cell,
rupiah amounts as OPDs write them, and the issue a cell raises. Django-free.

Amounts: ``600000``, Excel numbers (``600000.0``), ``Rp 600.000``, ``Rp600.000,-``, ``1.500.000,00``,
``1,500,000`` (English separators), ``IDR 750000``, ``1,5 juta``, ``1.8 jt``, ``450 ribu`` / ``450rb``.
A dot or comma followed by exactly three digits is a thousands separator; one or two digits after the
last separator are decimals (rounded to whole rupiah). Anything else, a negative amount included, is a
:class:`~padu.ingest.engine.ValueProblem` (a warning: the row is kept, the programme's value counts).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from padu.ingest.engine import FieldIssue, ValueProblem
from padu.ingest.engine.values import clean_text, show

__all__ = ["WARNING", "issue", "parse_rupiah", "problem", "split_ttl"]

WARNING = "warning"

_TTL = re.compile(r"^\s*(.*?)\s*[,/]\s*(\d.*|\d{1,2}\s+\S+\s+\d{2,4})\s*$")
_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)
_TAIL = re.compile(r"\s*(?:,-|\.-|-)$")
_SCALE = re.compile(r"^(.*?)\s*(juta|jt|ribu|rb)\.?$", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*(?:[.,]\d{1,2})?$")
_PLAIN = re.compile(r"^\d+(?:[.,]\d{1,2})?$")
_DECIMALS = re.compile(r"[.,](\d{1,2})$")
_SCALES = {"juta": 1_000_000, "jt": 1_000_000, "ribu": 1_000, "rb": 1_000}
LIMIT = 10**12  # a trillion rupiah on one list row is a typing error


def split_ttl(value: object) -> tuple[str | None, str | None]:
    """``"SERANG, 17 AGUSTUS 1950"`` -> ``("SERANG", "17 AGUSTUS 1950")``; a bare date has no place."""
    text = clean_text(value)
    if text is None:
        return None, None
    match = _TTL.match(text)
    if match is None:
        return None, text
    return (match[1] or None), match[2]


def issue(
    field: str, column: str | None, kind: str, severity: str, msg_id: str, msg_en: str, raw: object = None
) -> FieldIssue:
    if column is None:
        return FieldIssue(field, None, f"{field}.{kind}", severity, msg_id, msg_en, show(raw) or None)
    return FieldIssue(
        field,
        column,
        f"{field}.{kind}",
        severity,
        f"Kolom '{column}': {msg_id}",
        f"Column '{column}': {msg_en}",
        show(raw),
    )


def problem(field: str, column: str, problem: ValueProblem, raw: object) -> FieldIssue:
    return issue(field, column, problem.kind, WARNING, problem.message_id, problem.message_en, raw)


def _bad(value: object) -> ValueProblem:
    return ValueProblem(
        "invalid",
        f"nilai rupiah {value!s:.40} tidak terbaca; nilai manfaat program yang dipakai",
        f"the rupiah amount {value!s:.40} cannot be read; the programme's benefit value is used",
        severity="warning",
    )


def _number(text: str) -> Decimal:
    grouped = _GROUPED.match(text)
    if grouped:
        decimals = _DECIMALS.search(text)
        whole = text[: decimals.start()] if decimals else text
        return Decimal(whole.replace(grouped[1], "") + "." + (decimals[1] if decimals else "0"))
    if _PLAIN.match(text):
        return Decimal(text.replace(",", "."))
    raise InvalidOperation(text)


def parse_rupiah(value: object) -> int | None:
    """A rupiah amount from a list cell, or ``None`` for an empty cell; see the module docstring."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        amount = Decimal(str(value))
    else:
        text = clean_text(value)
        if text is None:
            return None
        text = _TAIL.sub("", _CURRENCY.sub("", text.replace("\u00a0", " ").strip())).strip()
        scale = 1
        if match := _SCALE.match(text):
            text, scale = match[1].strip(), _SCALES[match[2].lower()]
        text = text.replace(" ", "")
        try:
            amount = _number(text) * scale
        except (InvalidOperation, ValueError):
            raise _bad(value) from None
    if amount.is_nan() or amount < 0 or amount >= LIMIT:
        raise _bad(value)
    return int(amount.to_integral_value())
