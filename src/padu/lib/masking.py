"""Masking NIK, KK and other identity numbers for display. Django-free.

The rule (one place): a 16-digit NIK or KK shows its first 4 digits (province + regency) and its
last 4, ``3673********0001``; any other non-empty value shows only its last 4 characters,
``****1234`` (or just ``****`` when it has 4 characters or fewer); an empty value shows ``—``.
"""

from __future__ import annotations

EMPTY = "—"
_STARS = "********"


def mask_id(value: object) -> str:
    """``value`` masked for display (see the module docstring)."""
    if value is None:
        return EMPTY
    text = str(value).strip()
    if not text:
        return EMPTY
    if len(text) == 16 and text.isdigit():
        return f"{text[:4]}{_STARS}{text[-4:]}"
    if len(text) <= 4:
        return "****"
    return f"****{text[-4:]}"


def mask_nik(value: object) -> str:
    """A NIK masked for display; same rule as :func:`mask_id`."""
    return mask_id(value)


def mask_kk(value: object) -> str:
    """A KK number masked for display; same rule as :func:`mask_id`."""
    return mask_id(value)
