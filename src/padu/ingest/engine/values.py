"""Value parsers for registry files: sex, relationship, yes/no, status, desil, RT/RW. Django-free.

Each parser takes a raw cell value (``str``, ``int``, ``float``, ``datetime``, ``date``, ``bool`` or
``None``) and returns the normalised value, ``None`` for a blank cell, or raises
:class:`~padu.ingest.engine.errors.ValueProblem` (a ``ValueError``) whose text is
``"Bahasa Indonesia / English"``. Validation (:mod:`padu.ingest.engine.validate`) turns the problem
into a row issue that names the column.

The registry's choice values (``Relationship``, ``Status``) are repeated here as plain strings so the
engine stays importable without Django; a test checks they match :mod:`padu.registry.choices`.

Dates are parsed by :mod:`padu.ingest.engine.dates`, kelurahan codes and names resolved by
:mod:`padu.ingest.engine.kelurahan`; both use the cleaning helpers here.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from padu.ingest.engine.errors import ValueProblem

__all__ = [
    "RELATIONSHIPS",
    "SPOUSE",
    "STATUSES",
    "clean_text",
    "normalise_key",
    "parse_bool",
    "parse_desil",
    "parse_disability",
    "parse_relationship",
    "parse_rt",
    "parse_sex",
    "parse_status",
    "show",
]

# Values of padu.registry.choices (kept in sync by tests/ingest_engine/test_values.py).
RELATIONSHIPS = (
    "kepala", "istri", "suami", "anak", "menantu", "cucu", "orang_tua", "mertua", "famili", "lainnya"
)  # fmt: skip
STATUSES = ("aktif", "mampu", "meninggal", "pindah", "tidak_ditemukan", "ganda")
#: Returned by :func:`parse_relationship` for "Istri/Suami" (BDT code 2); validation picks by sex.
SPOUSE = "_pasangan"

# Spellings of "no value" that spreadsheets, pandas and databases write into cells.
NULLS = frozenset({"", "-", "--", "nan", "none", "null", "<na>", "nat", "n/a", "#n/a", "na"})

_NON_ALNUM = re.compile(r"[\W_]+")


def normalise_key(text: object) -> str:
    """Case-, space- and punctuation-insensitive key: ``"No. KTP"`` -> ``"noktp"``."""
    return _NON_ALNUM.sub("", str(text).casefold())


def show(value: object, limit: int = 60) -> str:
    """A raw value as a user typed it, for messages and reports (floats without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    elif isinstance(value, dt.datetime):
        text = value.strftime("%d-%m-%Y %H:%M") if value.time() != dt.time() else value.strftime("%d-%m-%Y")
    elif isinstance(value, dt.date):
        text = value.strftime("%d-%m-%Y")
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def clean_text(value: object) -> str | None:
    """Trimmed text with single spaces, ``None`` for blank/"-"/"nan"; numbers without ``.0``."""
    if value is None:
        return None
    if type(value) is str:
        text = value.strip()
        if len(text) <= 4 and text.lower() in NULLS:
            return None
        if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\xa0" in text:
            text = " ".join(text.split())
        return text
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e18 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean_text(str(value))


# --------------------------------------------------------------------------------------------------
# Codes and yes/no
# --------------------------------------------------------------------------------------------------

_SEX = {
    **dict.fromkeys(("l", "lk", "laki", "lakilaki", "pria", "male", "m", "1", "lakilakil"), "L"),
    **dict.fromkeys(("p", "pr", "perempuan", "wanita", "female", "f", "w", "2"), "P"),
}


def _key(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _NON_ALNUM.sub("", str(value).casefold())


def parse_sex(value: object) -> str | None:
    """``"L"`` / ``"P"`` from L/P, Laki-laki/Perempuan, Pria/Wanita, 1/2 (DTKS), M/F."""
    text = clean_text(value)
    if text is None:
        return None
    sex = _SEX.get(_key(text))
    if sex is None:
        raise ValueProblem(
            "unknown",
            f"jenis kelamin '{show(value)}' tidak dikenali (L/P, Laki-laki/Perempuan, 1/2)",
            f"sex '{show(value)}' is not recognised (L/P, Laki-laki/Perempuan, 1/2)",
            severity="warning",
        )
    return sex


_RELATIONSHIP_WORDS = {
    **dict.fromkeys(
        ("kepalakeluarga", "kepala", "kk", "krt", "kepalarumahtangga", "kepalaruta", "kepalakel"), "kepala"
    ),
    **dict.fromkeys(("istri", "isteri", "istrikepalakeluarga", "istrikk"), "istri"),
    **dict.fromkeys(("suami", "suamikepalakeluarga"), "suami"),
    **dict.fromkeys(("istrisuami", "suamiistri", "isterisuami", "pasangan", "suamiisteri"), SPOUSE),
    **dict.fromkeys(("anak", "anakkandung", "anaktiri", "anakangkat", "anakkk"), "anak"),
    **dict.fromkeys(("menantu",), "menantu"),
    **dict.fromkeys(("cucu",), "cucu"),
    **dict.fromkeys(("orangtua", "ortu", "ayah", "ibu", "bapak", "orangtuamertua", "ayahibu"), "orang_tua"),
    **dict.fromkeys(("mertua",), "mertua"),
    **dict.fromkeys(
        ("famililain", "famili", "familylain", "saudara", "keluargalain", "saudaralain"), "famili"
    ),
    **dict.fromkeys(
        ("lainnya", "lain", "lainlain", "pembantu", "pembanturuta", "pembanturumahtangga", "art"), "lainnya"
    ),
}
# SHDK codes of the Dukcapil KK (01 Kepala Keluarga ... 11 Lainnya).
_SHDK_CODES = dict(
    zip(
        range(1, 12),
        ("kepala", "suami", "istri", "anak", "menantu", "cucu", "orang_tua", "mertua", "famili", "lainnya",
         "lainnya"),
        strict=True,
    )
)  # fmt: skip
# BDT/DTKS "hubungan dengan kepala rumah tangga" codes (1 KRT, 2 istri/suami, 3 anak, 4 menantu,
# 5 cucu, 6 orang tua/mertua, 7 pembantu, 8 lainnya) — used for layout "dtks" (unverified against
# a Kemensos codebook).
_BDT_CODES = dict(
    zip(
        range(1, 9),
        ("kepala", SPOUSE, "anak", "menantu", "cucu", "orang_tua", "lainnya", "lainnya"),
        strict=True,
    )
)


def parse_relationship(value: object, *, layout: str = "unknown") -> str | None:
    """A registry ``Relationship`` value (or :data:`SPOUSE` for "Istri/Suami"), ``None`` if blank.

    Numbers are SHDK codes (01 Kepala Keluarga ... 11 Lainnya), or BDT codes (1 KRT ... 8 Lainnya)
    for ``layout="dtks"``. An unknown text is a warning and becomes ``"lainnya"``.
    """
    text = clean_text(value)
    if text is None:
        return None
    key = _key(text)
    found = _RELATIONSHIP_WORDS.get(key)
    if found is None and key.isdigit():
        found = (_BDT_CODES if layout == "dtks" else _SHDK_CODES).get(int(key))
    if found is None:
        raise ValueProblem(
            "unknown",
            f"hubungan keluarga '{show(value)}' tidak dikenali; dicatat sebagai 'lainnya'",
            f"family relationship '{show(value)}' is not recognised; recorded as 'lainnya' (other)",
            severity="warning",
            value="lainnya",
        )
    return found


_TRUE = frozenset(
    ("1", "ya", "y", "yes", "true", "benar", "b", "iya", "ada", "x", "v", "ok", "miskinekstrem", "ekstrem",
     "me", "sangatmiskin", "hamil", "sedanghamil")
)  # fmt: skip
_FALSE = frozenset(
    ("0", "tidak", "t", "tdk", "no", "n", "false", "salah", "s", "bukan", "tidakada", "bukanmiskinekstrem",
     "tidakmiskinekstrem", "nonekstrem", "tidakhamil")
)  # fmt: skip


def parse_bool(value: object) -> bool | None:
    """Yes/no from 1/0, Ya/Tidak, Y/T, True/False, ✓, "Miskin Ekstrem"; ``None`` if blank."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = clean_text(value)
    if text is None:
        return None
    if text in ("✓", "√", "✔"):
        return True
    key = _key(text)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueProblem(
        "not_boolean",
        f"'{show(value)}' bukan ya/tidak (1/0, Ya/Tidak); dibiarkan kosong",
        f"'{show(value)}' is not yes/no (1/0, Ya/Tidak); left empty",
        severity="warning",
    )


def parse_disability(value: object) -> tuple[bool, str | None]:
    """``(has disability, type text)``: blank/0/Tidak -> ``(False, None)``, "Netra" -> ``(True, "Netra")``."""
    text = clean_text(value)
    if text is None:
        return False, None
    key = _key(text)
    if key in _FALSE or key in ("tidakdisabilitas", "bukandisabilitas", "normal", "tidakcacat"):
        return False, None
    if key in _TRUE:
        return True, None
    return True, text


_STATUS_WORDS = {
    **dict.fromkeys(("aktif", "hidup", "ada", "ditemukan", "tetap", "layak", "masihhidup"), "aktif"),
    **dict.fromkeys(("meninggal", "meninggaldunia", "wafat", "md", "almarhum", "alm", "mati"), "meninggal"),
    **dict.fromkeys(
        ("pindah", "pindahdomisili", "pindahalamat", "pindahkeluarkota", "pindahkeluar", "pindahkota"),
        "pindah",
    ),
    **dict.fromkeys(("mampu", "sudahmampu", "graduasi", "graduasimandiri", "mampugraduasi"), "mampu"),
    **dict.fromkeys(
        ("tidakditemukan", "tidakdiketemukan", "tdkditemukan", "tidakditemui", "tidakdikenal"),
        "tidak_ditemukan",
    ),
    **dict.fromkeys(("ganda", "duplikat", "dobel", "gandaduplikat"), "ganda"),
}


_STATUS_LIST = "aktif, meninggal, pindah, mampu, tidak ditemukan, ganda"


def parse_status(value: object) -> str | None:
    """A registry ``Status`` value from aktif/hidup, meninggal/wafat, pindah, mampu, ..."""
    text = clean_text(value)
    if text is None:
        return None
    status = _STATUS_WORDS.get(_key(text))
    if status is None:
        raise ValueProblem(
            "unknown",
            f"status '{show(value)}' tidak dikenali ({_STATUS_LIST})",
            f"status '{show(value)}' is not recognised ({_STATUS_LIST})",
            severity="warning",
        )
    return status


_DESIL_PREFIX = re.compile(r"(?:desil|d)\s*[-:.]?\s*", re.IGNORECASE)


def parse_desil(value: object) -> int | None:
    """Welfare decile 1..10 from ``3``, ``3.0``, ``"3"``, ``"Desil 3"``, ``"D3"``; ``None`` if blank."""
    if value is None:
        return None
    number: float | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | float):
        number = float(value)
    else:
        text = clean_text(value)
        if text is None:
            return None
        try:
            number = float(_DESIL_PREFIX.sub("", text, count=1).replace(",", "."))
        except ValueError:
            number = None
    if number is None or math.isnan(number) or not number.is_integer():
        raise ValueProblem(
            "not_number",
            f"desil '{show(value)}' bukan angka 1–10",
            f"desil '{show(value)}' is not a number 1–10",
        )
    if not 1 <= number <= 10:
        raise ValueProblem(
            "range",
            f"desil {show(value)} di luar 1–10",
            f"desil {show(value)} is outside 1–10",
        )
    return int(number)


_RT_PREFIX = re.compile(r"(?:rt|rw)\s*[.:]?\s*", re.IGNORECASE)


def parse_rt(value: object) -> str | None:
    """RT/RW as three digits: ``1`` / ``"01"`` / ``"RT 1"`` -> ``"001"``; ``None`` for blank or 0."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        number = int(value)
    else:
        text = clean_text(value)
        if text is None:
            return None
        text = _RT_PREFIX.sub("", text, count=1)
        if not text.isdigit():
            raise ValueProblem(
                "invalid",
                f"'{show(value)}' bukan nomor RT/RW (angka 1–999); dibiarkan kosong",
                f"'{show(value)}' is not an RT/RW number (1–999); left empty",
                severity="warning",
            )
        number = int(text)
    if number == 0:
        return None
    if not 0 < number < 1000:
        raise ValueProblem(
            "invalid",
            f"'{show(value)}' bukan nomor RT/RW (angka 1–999); dibiarkan kosong",
            f"'{show(value)}' is not an RT/RW number (1–999); left empty",
            severity="warning",
        )
    return f"{number:03d}"
