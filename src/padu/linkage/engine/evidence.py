"""Per-field evidence of a candidate pair, as a machine-readable dict and as Bahasa Indonesia text.

``evidence`` maps each compared field to its level key (``{"nik": "one_digit", "name": "jw95"}``);
``evidence_text`` renders the informative ones: ``"nama mirip, tanggal lahir sama, NIK beda 1 digit"``.
Fields missing on either side (``null``) are left out of the text.
"""

from __future__ import annotations

from collections.abc import Mapping

# field -> level key -> text; None: say nothing.
TEXT: dict[str, dict[str, str | None]] = {
    "nik": {"exact": "NIK sama", "one_digit": "NIK beda 1 digit", "transposed": "NIK 2 digit tertukar",
            "nik15": "NIK sama 15 digit (digit terakhir hilang)", "two_digits": "NIK beda 2 digit",
            "else": "NIK beda"},
    "name": {"exact": "nama sama", "sorted": "nama sama (urutan beda)", "jw95": "nama hampir sama",
             "jw88": "nama mirip", "token": "sebagian nama sama", "jw75": "nama agak mirip",
             "else": "nama beda"},
    "birth_date": {"exact": "tanggal lahir sama", "swap": "tanggal dan bulan lahir tertukar",
                   "edit1": "tanggal lahir beda 1 angka", "year1": "tahun lahir beda 1",
                   "days31": "tanggal lahir selisih kurang dari sebulan", "else": "tanggal lahir beda"},
    "sex": {"exact": None, "else": "jenis kelamin beda"},
    "kk": {"exact": "No. KK sama", "one_digit": "No. KK beda 1 digit", "else": "No. KK beda"},
    "region": {"exact": "kelurahan sama", "kecamatan": "kecamatan sama, kelurahan beda",
               "else": "kecamatan beda"},
    "rt_rw": {"exact": "RT/RW sama", "rw": "RW sama", "else": None},
    "address": {"jw92": "alamat mirip", "jw80": "alamat agak mirip", "else": None},
    "mother": {"jw92": "nama ibu sama", "token": "nama depan ibu sama", "else": "nama ibu beda"},
}  # fmt: skip
ORDER = ("nik", "name", "birth_date", "sex", "kk", "region", "rt_rw", "address", "mother")

STAGE_TEXT = {
    "nik": "NIK sama; nama dan tanggal lahir tidak bertentangan",
    "kk": "No. KK sama dan nama sama",
}


def evidence_text(evidence: Mapping[str, str]) -> str:
    """``{"name": "jw88", "birth_date": "exact", "nik": "one_digit"}`` ->
    ``"NIK beda 1 digit, nama mirip, tanggal lahir sama"``."""
    parts = []
    for field in ORDER:
        level = evidence.get(field)
        if level is None or level == "null":
            continue
        text = TEXT.get(field, {}).get(level)
        if text:
            parts.append(text)
    return ", ".join(parts)
