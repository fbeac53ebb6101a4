"""Normalisation of person records for linkage, as DuckDB SQL macros (one definition, run in bulk).

Every rule lives in SQL so that a million registry rows are cleaned in about a second on two cores;
the Python helpers below (``normalise_name`` ...) run the same macros on one value, for tests and
for callers that need a single key.

Names (``padu_name_tokens``): upper case, accents stripped, apostrophes dropped, anything after the
first comma dropped (``"AHMAD FAUZI, S.Pd."``), other punctuation -> space; title tokens removed
(``H.``, ``Hj.``, ``Drs.``, ``Dra.``, ``Ir.``, ``Dr.``, ``dr.``, ``Prof.``, ``S.Pd.``, ``S.E.``,
``S.H.``, ``S.Kom.``, ``A.Md.`` ...; one-letter titles only when written with a dot);
Muhammad in any spelling or abbreviation (``Moh.``, ``Muh.``, ``Mhd.``, ``M.``, ``Mochamad``) ->
``MUHAMMAD``; ``Tb.`` -> ``TUBAGUS``. The phonetic key of a token (``padu_phonetic``) maps old and
regional spellings to one form: ``OE``->``U``, ``DJ``->``J``, ``TJ``->``C``, ``CH``->``KH``->``H``,
``SY``->``S``, ``TH``->``T``, ``DH``->``D``, ``F``/``V``/``PH``->``P``, ``Z``->``J``, ``Q``->``K``,
``Y``->``I``, ``AE``->``E``, doubled letters once, a final ``H`` after a vowel dropped.

NIK/KK (``padu_nik``): digits only; exactly 16 digits with a possible birth date (day 01-31 or
41-71, month 01-12) and a serial other than ``0000``. Excel damage (``3.67301E+15``, a float
``3673014107850000.0``, a numeric cell that lost its 16th digit, 15 digits) is not a NIK: the
first 15 digits are kept as ``nik15`` where they are trustworthy, for a partial comparison.
"""

from __future__ import annotations

import functools
from typing import Any

import duckdb

# Titles removed wherever they stand (they are never names), with or without dots.
TITLES = (
    "HJ", "HAJJAH", "DRS", "DRA", "IR", "DR", "DRG", "PROF", "KH", "USTZ", "USTADZ", "USTADZAH",
    "SPD", "SPDI", "SPDSD", "SKOM", "SAG", "SSOS", "SIP", "SKEP", "SKM", "SSI", "SHI", "SSTP",
    "AMD", "AMDKEB", "AMDKEP", "AMDKOM", "MPD", "MSI", "MKOM", "MAG", "MHUM", "SKED", "SFARM",
    "STP", "SPSI", "SAK", "SIKOM", "SPT", "SKEB", "SGZ", "MKES", "MHI",
)  # fmt: skip
# Short titles removed only when written with a dot (``H.``, ``S.E.``): as bare tokens they may be
# initials or parts of a name.
DOTTED_TITLES = ("H", "SE", "SH", "ST", "MM", "MH", "MT", "UST", "NY", "TN", "SS", "AG")
MUHAMMAD = (
    "MUHAMMAD", "MUHAMAD", "MOHAMMAD", "MOHAMAD", "MOCHAMMAD", "MOCHAMAD", "MUCHAMMAD", "MUCHAMAD",
    "MUKHAMAD", "MUKHAMMAD", "MOHAMED", "MUHAMMED", "MOHAMMED", "MUHAMED", "MOCHAMED", "MUHHAMAD",
    "MOH", "MUH", "MHD", "MOCH", "MUCH", "MOHD", "MUHD", "MD", "MUHAM", "MOHAM",
)  # fmt: skip

_PHONETIC_STEPS = (
    ("OE", "U"), ("DJ", "J"), ("TJ", "C"), ("CH", "KH"), ("KH", "H"), ("SY", "S"), ("SJ", "S"),
    ("TH", "T"), ("DH", "D"), ("PH", "F"), ("F", "P"), ("V", "P"), ("Z", "J"), ("Q", "K"),
    ("Y", "I"), ("AE", "E"), ("X", "KS"),
)  # fmt: skip


def _sql_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def _phonetic_expr(arg: str) -> str:
    expr = arg
    for old, new in _PHONETIC_STEPS:
        expr = f"replace({expr}, '{old}', '{new}')"
    for letter in "ABCDEFGHIJKLMNOPRSTUW":
        expr = f"replace({expr}, '{letter}{letter}', '{letter}')"
    return f"regexp_replace({expr}, '([AIUEO])H$', '\\1')"


MACROS = f"""
CREATE OR REPLACE MACRO padu_phonetic(t) AS {_phonetic_expr("t")};
CREATE OR REPLACE MACRO padu_name_text(s) AS
    trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        upper(strip_accents(CAST(s AS VARCHAR))), '[''`\u2019\u2018]', '', 'g'),
        '^([^,]*[A-Z][^,]*),.*$', '\\1'), '[^A-Z0-9. ]', ' ', 'g'), '\\s+', ' ', 'g'));
CREATE OR REPLACE MACRO padu_name_tokens(s) AS
    list_transform(list_filter(string_split_regex(array_to_string(
        list_filter(string_split(padu_name_text(s), ' '), lambda t:
            t <> '' AND NOT list_contains({_sql_list(TITLES)}, replace(t, '.', ''))
            AND NOT (t LIKE '%.%' AND list_contains({_sql_list(DOTTED_TITLES)}, replace(t, '.', '')))),
        ' '), '[. ]+'), lambda t: t <> ''),
        lambda t: CASE WHEN t = 'M' OR list_contains({_sql_list(MUHAMMAD)}, t) THEN 'MUHAMMAD'
                       WHEN t = 'TB' THEN 'TUBAGUS' ELSE t END);
CREATE OR REPLACE MACRO padu_name_std(s) AS
    nullif(array_to_string(padu_name_tokens(s), ' '), '');
CREATE OR REPLACE MACRO padu_name_ph_tokens(s) AS
    list_transform(padu_name_tokens(s), lambda t: padu_phonetic(t));
CREATE OR REPLACE MACRO padu_digits(v) AS regexp_replace(CAST(v AS VARCHAR), '[^0-9]', '', 'g');
CREATE OR REPLACE MACRO padu_nik_plausible(d) AS
    length(d) = 16 AND substr(d, 13, 4) <> '0000'
    AND TRY_CAST(substr(d, 9, 2) AS INTEGER) BETWEEN 1 AND 12
    AND (TRY_CAST(substr(d, 7, 2) AS INTEGER) BETWEEN 1 AND 31
         OR TRY_CAST(substr(d, 7, 2) AS INTEGER) BETWEEN 41 AND 71);
CREATE OR REPLACE MACRO padu_nik_damaged(v) AS
    regexp_matches(trim(CAST(v AS VARCHAR)), '^[0-9]+([.,][0-9]*)?[eE][+]?[0-9]+$')
    OR regexp_matches(trim(CAST(v AS VARCHAR)), '^[0-9]{{15,}}[.,]0+$');
CREATE OR REPLACE MACRO padu_nik(v) AS
    CASE WHEN v IS NULL OR padu_nik_damaged(v) THEN NULL
         WHEN padu_nik_plausible(padu_digits(v)) THEN padu_digits(v) END;
CREATE OR REPLACE MACRO padu_nik15(v) AS
    CASE WHEN v IS NULL OR regexp_matches(trim(CAST(v AS VARCHAR)), '[eE]') THEN NULL
         WHEN padu_nik_damaged(v) AND length(split_part(trim(CAST(v AS VARCHAR)), '.', 1)) = 16
              THEN substr(split_part(trim(CAST(v AS VARCHAR)), '.', 1), 1, 15)
         WHEN length(padu_digits(v)) = 15 THEN padu_digits(v)
         WHEN length(padu_digits(v)) = 16 AND NOT padu_nik_plausible(padu_digits(v))
              AND substr(padu_digits(v), 16, 1) = '0' THEN substr(padu_digits(v), 1, 15) END;
CREATE OR REPLACE MACRO padu_nik_date(n) AS
    CASE WHEN n IS NULL THEN NULL ELSE
    try_strptime(
        lpad(CAST(TRY_CAST(substr(n, 7, 2) AS INTEGER) % 40 AS VARCHAR), 2, '0') || substr(n, 9, 2)
        || CASE WHEN TRY_CAST(substr(n, 11, 2) AS INTEGER) <= year(current_date) % 100 - 0
                THEN '20' ELSE '19' END || substr(n, 11, 2), '%d%m%Y')::DATE END;
CREATE OR REPLACE MACRO padu_date(v) AS
    coalesce(TRY_CAST(v AS DATE),
             try_strptime(CAST(v AS VARCHAR), ['%d-%m-%Y', '%d/%m/%Y', '%d.%m.%Y', '%Y/%m/%d'])::DATE);
CREATE OR REPLACE MACRO padu_sex(v) AS
    CASE WHEN upper(trim(CAST(v AS VARCHAR))) IN ('L', 'LK', 'LAKI-LAKI', 'LAKI LAKI', 'LAKI', 'PRIA',
                                                   'M', 'MALE', '1') THEN 'L'
         WHEN upper(trim(CAST(v AS VARCHAR))) IN ('P', 'PR', 'PEREMPUAN', 'WANITA', 'W', 'F', 'FEMALE', '2')
              THEN 'P' END;
CREATE OR REPLACE MACRO padu_small_number(v) AS
    CAST(TRY_CAST(nullif(padu_digits(v), '') AS INTEGER) AS VARCHAR);
CREATE OR REPLACE MACRO padu_address(s) AS
    nullif(trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        upper(CAST(s AS VARCHAR)), '\\bR[T]\\.?\\s*[0-9]+\\s*/?\\s*(RW\\.?\\s*[0-9]+)?', ' ', 'g'),
        '\\b(KP|KAMPUNG|LINK|LINGKUNGAN|JL|JLN|JALAN|GG|GANG|KOMP|KOMPLEK|KOMPLEKS|PERUM|DUSUN|DS|NO|BLOK)\\b\\.?',
        ' ', 'g'), '[^A-Z0-9 ]', ' ', 'g'), '\\s+', ' ', 'g')), '');
"""


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define the ``padu_*`` macros on ``con`` (idempotent)."""
    con.execute(MACROS)


@functools.cache
def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    install_macros(con)
    return con


def _one(expr: str, value: Any) -> Any:
    return _con().cursor().execute(f"SELECT {expr}", [value]).fetchall()[0][0]


def normalise_name(value: str | None) -> str | None:
    """Standard name: ``"Hj. Siti Aminah, S.Pd."`` -> ``"SITI AMINAH"``; ``"Moh. Rizki"`` ->
    ``"MUHAMMAD RIZKI"``; ``None`` when nothing of a name is left."""
    return _one("padu_name_std(CAST(? AS VARCHAR))", value)


def name_tokens(value: str | None) -> list[str]:
    """Tokens of the standard name."""
    return list(_one("padu_name_tokens(CAST(? AS VARCHAR))", value) or [])


def phonetic_key(value: str | None) -> str | None:
    """Phonetic key of a name: every token of the standard name through :func:`phonetic_token`."""
    return _one("nullif(array_to_string(padu_name_ph_tokens(CAST(? AS VARCHAR)), ' '), '')", value)


def sorted_key(value: str | None) -> str | None:
    """Token-sorted phonetic key (``"HIDAYAT RAHMAT"`` and ``"RAHMAT HIDAYAT"`` agree)."""
    return _one("nullif(array_to_string(list_sort(padu_name_ph_tokens(CAST(? AS VARCHAR))), ' '), '')", value)


def phonetic_token(value: str) -> str:
    """Phonetic key of one upper-case token: ``"DJOEMADI"`` -> ``"JUMADI"``."""
    return str(_one("padu_phonetic(CAST(? AS VARCHAR))", value))


def normalise_nik(value: object) -> str | None:
    """16 trustworthy digits, or ``None`` (missing, malformed or damaged by Excel)."""
    return _one("padu_nik(CAST(? AS VARCHAR))", None if value is None else str(value))


def nik15(value: object) -> str | None:
    """The first 15 digits of a NIK whose last digit was lost (Excel), else ``None``."""
    return _one("padu_nik15(CAST(? AS VARCHAR))", None if value is None else str(value))
