"""Validation issues with stable codes and messages in Bahasa Indonesia and English. Django-free.

Every NIK/KK rule reports an :class:`Issue`. The ``code`` (``nik.length``, ``kk.serial_zero``, ...)
is stable and meant for programs (filters, counts, API clients); the two messages are for people.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

ERROR: Severity = "error"
WARNING: Severity = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in a value. Errors reject the value; warnings keep it but flag it."""

    code: str
    message_id: str
    message_en: str
    severity: Severity = ERROR

    @property
    def message(self) -> str:
        """Both languages, Bahasa Indonesia first: ``"pesan / message"``."""
        return f"{self.message_id} / {self.message_en}"

    def to_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "message_id": self.message_id,
            "message_en": self.message_en,
        }


_TEXT_HINT_ID = "Simpan kolom {label} sebagai Teks (Format Cells → Text) lalu ketik/ekspor ulang."
_TEXT_HINT_EN = "Store the {label} column as Text (Format Cells → Text) and re-enter/export it."

# name -> (Bahasa Indonesia, English). Placeholders are filled with str.format(**params); ``label``
# is always given ("NIK" or "Nomor KK"). The full code is "<prefix>.<name>", e.g. "nik.length".
CATALOGUE: dict[str, tuple[str, str]] = {
    "empty": ("{label} kosong.", "{label} is empty."),
    "not_digits": (
        "{label} hanya boleh berisi angka; ditemukan {chars}.",
        "{label} may contain digits only; found {chars}.",
    ),
    "length": (
        "{label} harus 16 digit, bukan {n} digit.",
        "{label} must be 16 digits, not {n}.",
    ),
    "excel_scientific": (
        "{label} rusak oleh Excel: tertulis sebagai notasi ilmiah ({value}), digit terakhirnya "
        "sudah hilang dan tidak dapat dipulihkan. " + _TEXT_HINT_ID,
        "{label} damaged by Excel: written in scientific notation ({value}); its last digits are "
        "lost and cannot be recovered. " + _TEXT_HINT_EN,
    ),
    "excel_float": (
        "{label} rusak oleh Excel: terbaca sebagai angka desimal ({value}); Excel hanya menyimpan "
        "15 digit, jadi digit ke-16 tidak dapat dipercaya. " + _TEXT_HINT_ID,
        "{label} damaged by Excel: read as a decimal number ({value}); Excel keeps only 15 digits, "
        "so the 16th digit cannot be trusted. " + _TEXT_HINT_EN,
    ),
    "excel_trailing_zero": (
        "{label} rusak oleh Excel: terbaca sebagai angka ({value}) dan digit ke-16 sudah berubah "
        "menjadi 0. " + _TEXT_HINT_ID,
        "{label} damaged by Excel: read as a number ({value}) and the 16th digit has already "
        "become 0. " + _TEXT_HINT_EN,
    ),
    "invalid_date": (
        "Tanggal lahir dalam {label} (digit 7–12: {ddmmyy}) tidak mungkin: {reason_id}.",
        "The birth date in the {label} (digits 7–12: {ddmmyy}) is impossible: {reason_en}.",
    ),
    "serial_zero": (
        "Nomor urut {label} (4 digit terakhir) 0000 tidak pernah diterbitkan.",
        "{label} serial number (last 4 digits) 0000 is never issued.",
    ),
    "unknown_region": (
        "Kode wilayah {code} di awal {label} tidak dikenal dalam kode wilayah Kemendagri"
        "{detail_id}. Data tetap disimpan; periksa kembali {label}.",
        "Region code {code} at the start of the {label} is not a known Kemendagri region code"
        "{detail_en}. The record is kept; please double-check the {label}.",
    ),
    "unknown_kecamatan": (
        "Kecamatan {code} di awal {label} tidak ada dalam kode wilayah Kemendagri terbaru, "
        "walaupun {parent} ({parent_name}) ada. Mungkin kode lama sebelum pemekaran; data tetap "
        "disimpan.",
        "Kecamatan {code} at the start of the {label} is not in the current Kemendagri codes, "
        "although {parent} ({parent_name}) is. Possibly an old code from before a split; the "
        "record is kept.",
    ),
    "birth_date_mismatch": (
        "Tanggal lahir dalam {label} ({nik_date}) berbeda dengan tanggal lahir pada data "
        "({record_date}).",
        "The birth date in the {label} ({nik_date}) differs from the record's birth date "
        "({record_date}).",
    ),
    "sex_mismatch": (
        "Jenis kelamin dalam {label} ({nik_sex}) berbeda dengan jenis kelamin pada data "
        "({record_sex}).",
        "The sex encoded in the {label} ({nik_sex}) differs from the record's sex ({record_sex}).",
    ),
    "invalid_registration_date": (
        "Digit 7–12 {label} ({ddmmyy}) bukan tanggal pencatatan yang sah: {reason_id}. Data tetap "
        "disimpan.",
        "Digits 7–12 of the {label} ({ddmmyy}) are not a valid registration date: {reason_en}. The "
        "record is kept.",
    ),
}


def make_issue(
    prefix: str, name: str, severity: Severity = ERROR, *, text: str | None = None, **params: object
) -> Issue:
    """The :class:`Issue` ``<prefix>.<name>``, messages from ``CATALOGUE[text or name]``."""
    text_id, text_en = CATALOGUE[text or name]
    return Issue(
        code=f"{prefix}.{name}",
        message_id=text_id.format(**params),
        message_en=text_en.format(**params),
        severity=severity,
    )
