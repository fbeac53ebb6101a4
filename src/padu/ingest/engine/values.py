"""Value parsers for registry files: dates, sex, relationship, yes/no, desil, RT/RW, kelurahan. Django-free.

Each parser takes a raw cell value (``str``, ``int``, ``float``, ``datetime``, ``date``, ``bool`` or
``None``) and returns the normalised value, ``None`` for a blank cell, or raises
:class:`~padu.ingest.engine.errors.ValueProblem` (a ``ValueError``) whose text is
``"Bahasa Indonesia / English"``. Validation (:mod:`padu.ingest.engine.validate`) turns the problem
into a row issue that names the column.

The registry's choice values (``Relationship``, ``Status``) are repeated here as plain strings so the
engine stays importable without Django; a test checks they match :mod:`padu.registry.choices`.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from padu.ingest.engine.errors import ValueProblem
from padu.lib.nik import MONTHS_EN, MONTHS_ID, date_problem, resolve_date
from padu.lib.regions import RegionIndex, default_regions, dotted, plain

__all__ = [
    "RELATIONSHIPS",
    "SPOUSE",
    "STATUSES",
    "KelurahanResolver",
    "clean_text",
    "normalise_key",
    "parse_bool",
    "parse_date",
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
# Dates
# --------------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------------
# Kelurahan
# --------------------------------------------------------------------------------------------------

_REGION_PREFIX = re.compile(r"^(?:kelurahan|kel|desa|ds|kecamatan|kec)\b\.?\s*", re.IGNORECASE)
_CODE_LIKE = re.compile(r"[\d.\s-]+")


def region_key(name: object) -> str:
    """Key of a region name: ``"Kel. Sumur Pecung"`` -> ``"sumurpecung"``."""
    return _NON_ALNUM.sub("", _REGION_PREFIX.sub("", str(name).strip()).casefold())


@dataclass
class KelurahanResolver:
    """Turns a kelurahan code or name into a dotted Kemendagri code inside ``region_code``.

    ``index`` (normalised name -> code) replaces the names of the packaged codes; codes are always
    checked against ``regions`` (default: the packaged Kemendagri release). Names that occur twice in
    the region (Sukawana in Kec. Serang and Kec. Curug) need the kecamatan to be told apart.
    """

    region_code: str = "36.73"
    index: Mapping[str, str] | None = None
    regions: RegionIndex | None = None
    _prefix: str = field(init=False, default="")
    _by_name: dict[str, list[str]] = field(init=False, default_factory=dict)
    _kecamatan: dict[str, str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        regions = self.regions if self.regions is not None else default_regions()
        self.regions = regions
        self._prefix = plain(self.region_code)
        self.region_name = regions.names.get(self._prefix, self.region_code)
        for code, name in regions.names.items():
            if code.startswith(self._prefix):
                if len(code) == 10 and self.index is None:
                    self._by_name.setdefault(region_key(name), []).append(code)
                elif len(code) == 6:
                    self._kecamatan[region_key(name)] = code
                    self._kecamatan[code] = code
        if self.index is not None:
            for name, code in self.index.items():
                self._by_name.setdefault(region_key(name), []).append(plain(code))

    def resolve(self, value: object, kecamatan: object = None) -> str:
        """Dotted code for a code or name; raises ``ValueProblem`` (unknown/outside/ambiguous)."""
        text = clean_text(value)
        if text is None:
            raise ValueProblem("missing", "kelurahan kosong", "kelurahan is empty")
        if _CODE_LIKE.fullmatch(text):
            return self._check_code(text)
        key = region_key(text)
        codes = self._by_name.get(key)
        if not codes:
            raise ValueProblem(
                "unknown",
                f"kelurahan '{text}' tidak dikenal di {self.region_name} ({dotted(self._prefix)})",
                f"kelurahan '{text}' is not known in {self.region_name} ({dotted(self._prefix)})",
            )
        if len(codes) > 1:
            kec = self._kecamatan_code(kecamatan)
            narrowed = [c for c in codes if kec is not None and c.startswith(kec)]
            if len(narrowed) == 1:
                return dotted(narrowed[0])
            assert self.regions is not None
            names = ", ".join(
                f"{dotted(c)} (Kec. {self.regions.names.get(c[:6], '?')})" for c in sorted(codes)
            )
            raise ValueProblem(
                "ambiguous",
                f"kelurahan '{text}' ada lebih dari satu: {names}; isi kolom kecamatan atau kode kelurahan",
                f"there is more than one kelurahan '{text}': {names}; fill in the kecamatan or the code",
            )
        return dotted(codes[0])

    def _kecamatan_code(self, value: object) -> str | None:
        text = clean_text(value)
        if text is None:
            return None
        if _CODE_LIKE.fullmatch(text):
            return self._plain_code(text)[:6]
        return self._kecamatan.get(region_key(text))

    @staticmethod
    def _plain_code(text: str) -> str:
        parts = [p for p in re.split(r"[.\s-]+", text) if p]
        if len(parts) == 4:  # 36.73.1.1001: pad each part
            return parts[0].zfill(2) + parts[1].zfill(2) + parts[2].zfill(2) + parts[3].zfill(4)
        return "".join(parts)

    def _check_code(self, text: str) -> str:
        code = self._plain_code(text)
        assert self.regions is not None
        name = self.regions.names.get(code) if len(code) == 10 else None
        if name is None:
            raise ValueProblem(
                "unknown",
                f"kode kelurahan '{text}' tidak ada dalam kode wilayah Kemendagri (format 36.73.01.1001)",
                f"kelurahan code '{text}' is not a Kemendagri region code (format 36.73.01.1001)",
            )
        if not code.startswith(self._prefix):
            where = self.regions.label(code) or name
            region = f"{self.region_name} ({dotted(self._prefix)})"
            raise ValueProblem(
                "outside_region",
                f"kelurahan {dotted(code)} ({where}) berada di luar {region}",
                f"kelurahan {dotted(code)} ({where}) lies outside {region}",
            )
        return dotted(code)
