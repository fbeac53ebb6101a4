"""Turn an input table (pandas DataFrame or pyarrow Table, canonical columns) into the cleaned table
that both linkage stages read, inside a DuckDB connection.

Canonical input columns (all optional except ``record_id``): ``record_id``, ``name``, ``id_number``
(NIK or any identifier), ``kk``, ``birth_date`` (date, datetime or text ``YYYY-MM-DD`` /
``DD-MM-YYYY``), ``sex`` (L/P and common spellings), ``address``, ``rt``, ``rw``, ``region_code``
(kelurahan code, dotted or plain), ``mother_name``.

Derived columns: ``name_std`` (titles stripped, Muhammad unified), ``name_ph`` (phonetic),
``name_sorted``, ``name_first``, ``name_last``, ``name_tokens``, ``nik`` (valid NIK), ``nik_cmp``
(any 16 digits, for fuzzy comparison), ``nik15`` (first 15 digits: a damaged NIK, or the first 15 of
a full one),
``kk``, ``dob`` (``YYYY-MM-DD``; from the NIK when the record has none), ``dob_swap`` (day and month
exchanged), ``dob_nik`` (the date the NIK encodes),
``dob_given`` (the record had a birth date), ``sex`` (L/P; from the NIK when missing),
``region`` (10 digits), ``kec`` (6 digits), ``rt``, ``rw`` (numbers without leading zeros),
``address``, ``mother_ph``, ``mother_first``.
"""

from __future__ import annotations

from typing import Any

import duckdb

from padu.linkage.engine.normalise import install_macros

CANONICAL = (
    "record_id", "name", "id_number", "kk", "birth_date", "sex", "address", "rt", "rw",
    "region_code", "mother_name",
)  # fmt: skip

CLEAN_COLUMNS = (
    "record_id", "name_std", "name_ph", "name_sorted", "name_first", "name_last", "name_tokens", "nik",
    "nik_cmp", "nik15", "kk", "dob", "dob_swap", "dob_nik", "dob_given", "sex", "region", "kec", "rt", "rw",
    "address", "mother_ph", "mother_first",
)  # fmt: skip

_NUMERIC = ("BIGINT", "INTEGER", "DOUBLE", "FLOAT", "HUGEINT", "DECIMAL", "UBIGINT", "REAL")


def _column(available: dict[str, str], name: str) -> str:
    if name not in available:
        return "NULL"
    return f'"{name}"'


def _id_expr(available: dict[str, str], name: str) -> str:
    """A NIK/KK column as text; numbers from a numeric column are marked as floats (Excel damage)."""
    if name not in available:
        return "NULL"
    if available[name].upper().startswith(_NUMERIC):
        return f"CAST(CAST(\"{name}\" AS HUGEINT) AS VARCHAR) || '.0'"
    return f'CAST("{name}" AS VARCHAR)'


def connect(threads: int | None = None, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that never downloads extensions, with the ``padu_*`` macros."""
    config: dict[str, Any] = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    if threads:
        config["threads"] = threads
    if memory_limit:
        config["memory_limit"] = memory_limit
    con = duckdb.connect(config=config)
    install_macros(con)
    return con


def prepare(con: duckdb.DuckDBPyConnection, data: Any, table: str) -> int:
    """Register ``data`` and write the cleaned table ``table``; returns its row count."""
    raw = f"{table}__raw"
    con.register(raw, data)
    available = {str(row[0]): str(row[1]) for row in con.execute(f"DESCRIBE {raw}").fetchall()}
    if "record_id" not in available:
        con.unregister(raw)
        raise ValueError(
            f"kolom record_id wajib ada / the record_id column is required (columns: {', '.join(available)})"
        )
    c = {name: _column(available, name) for name in CANONICAL}
    cx = {name: ("NULL" if c[name] == "NULL" else f"x.{c[name]}") for name in CANONICAL}
    nik = _id_expr(available, "id_number")
    kk = _id_expr(available, "kk")
    # Names repeat a lot (a million persons have far fewer distinct names): clean each once.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table}__names AS
        SELECT n, tok, list_transform(tok, lambda t: padu_phonetic(t)) AS ph
        FROM (SELECT n, padu_name_tokens(n) AS tok FROM (
            SELECT CAST({c["name"]} AS VARCHAR) AS n FROM {raw}
            UNION SELECT CAST({c["mother_name"]} AS VARCHAR) FROM {raw}) WHERE n IS NOT NULL)
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        WITH base AS (
            SELECT CAST({cx["record_id"]} AS VARCHAR) AS record_id,
                   nm.tok AS tok, nm.ph AS ph,
                   {nik} AS nik_raw, {kk} AS kk_raw,
                   padu_date({c["birth_date"]}) AS bd,
                   padu_sex({c["sex"]}) AS sex_in,
                   CAST({c["address"]} AS VARCHAR) AS addr_raw,
                   {c["rt"]} AS rt_raw, {c["rw"]} AS rw_raw,
                   padu_digits({c["region_code"]}) AS region_raw,
                   mo.ph AS mother_tok
            FROM {raw} x
            LEFT JOIN {table}__names nm ON nm.n = CAST({cx["name"]} AS VARCHAR)
            LEFT JOIN {table}__names mo ON mo.n = CAST({cx["mother_name"]} AS VARCHAR)
        ), ids0 AS (
            SELECT *, regexp_full_match(coalesce(nik_raw, ''), '[0-9]{16}') AS nik_clean,
                   regexp_full_match(coalesce(kk_raw, ''), '[0-9]{16}') AS kk_clean
            FROM base
        ), ids AS (
            -- fast path for values that already are 16 digits (nearly all registry rows)
            SELECT *,
                   CASE WHEN nik_clean THEN (CASE WHEN padu_nik_plausible(nik_raw) THEN nik_raw END)
                        ELSE padu_nik(nik_raw) END AS nik_ok,
                   CASE WHEN nik_clean THEN nik_raw
                        WHEN length(padu_digits(nik_raw)) = 16 AND NOT padu_nik_damaged(nik_raw)
                        THEN padu_digits(nik_raw) END AS nik16,
                   CASE WHEN nik_clean THEN (CASE WHEN NOT padu_nik_plausible(nik_raw)
                        AND substr(nik_raw, 16, 1) = '0' THEN substr(nik_raw, 1, 15) END)
                        ELSE padu_nik15(nik_raw) END AS nik15_dmg,
                   CASE WHEN kk_clean THEN (CASE WHEN padu_nik_plausible(kk_raw) THEN kk_raw END)
                        ELSE padu_nik(kk_raw) END AS kk_ok
            FROM ids0
        )
        SELECT record_id,
               nullif(array_to_string(tok, ' '), '') AS name_std,
               nullif(array_to_string(ph, ' '), '') AS name_ph,
               nullif(array_to_string(list_sort(ph), ' '), '') AS name_sorted,
               ph[1] AS name_first,
               CASE WHEN len(ph) > 0 THEN ph[len(ph)] END AS name_last,
               CASE WHEN len(ph) > 0 THEN ph END AS name_tokens,
               nik_ok AS nik,
               coalesce(nik_ok, nik16) AS nik_cmp,
               coalesce(nik15_dmg, substr(coalesce(nik_ok, nik16), 1, 15)) AS nik15,
               kk_ok AS kk,
               strftime(coalesce(bd, padu_nik_date(nik_ok)), '%Y-%m-%d') AS dob,
               CASE WHEN day(bd) <= 12 AND day(bd) <> month(bd)
                    THEN strftime(bd, '%Y') || '-' || lpad(CAST(day(bd) AS VARCHAR), 2, '0')
                         || '-' || lpad(CAST(month(bd) AS VARCHAR), 2, '0') END AS dob_swap,
               strftime(padu_nik_date(coalesce(nik_ok, nik16)), '%Y-%m-%d') AS dob_nik,
               bd IS NOT NULL AS dob_given,
               coalesce(sex_in, CASE WHEN TRY_CAST(substr(nik_ok, 7, 2) AS INTEGER) > 40 THEN 'P'
                                     WHEN nik_ok IS NOT NULL THEN 'L' END) AS sex,
               CASE WHEN length(region_raw) = 10 THEN region_raw END AS region,
               CASE WHEN length(region_raw) >= 6 THEN substr(region_raw, 1, 6) END AS kec,
               coalesce(padu_small_number(rt_raw),
                        regexp_extract(upper(addr_raw), 'RT\\.?\\s*0*([0-9]+)', 1)) AS rt,
               coalesce(padu_small_number(rw_raw),
                        regexp_extract(upper(addr_raw), 'RW\\.?\\s*0*([0-9]+)', 1)) AS rw,
               padu_address(addr_raw) AS address,
               nullif(array_to_string(mother_tok, ' '), '') AS mother_ph,
               mother_tok[1] AS mother_first
        FROM ids
    """)
    # empty strings from regexp_extract mean "not found"
    con.execute(f"UPDATE {table} SET rt = nullif(rt, ''), rw = nullif(rw, '')")
    con.unregister(raw)
    con.execute(f"DROP TABLE {table}__names")
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
