"""Aggregations of a period's findings (SQL ``GROUP BY``) and the priority families' package matrix."""

from __future__ import annotations

from typing import Any

from padu.targeting.engine.dialect import Db, detect_dialect
from padu.targeting.engine.exclusion import strategies, strategy_flags
from padu.targeting.engine.run import DEFAULT_RESULTS_TABLE
from padu.targeting.engine.schema import TargetingSchema, col, tbl

__all__ = ["AGGREGATIONS", "aggregate", "package_matrix", "staged_package_matrix"]

AGGREGATIONS = ("type", "programme", "opd", "kelurahan", "kecamatan", "desil", "strategy", "severity")


def _key(by: str, schema: TargetingSchema) -> str:
    g = schema.programmes
    keys = {
        "type": "f.finding_type",
        "programme": col("g", g.code),
        "opd": col("g", g.opd),
        "kelurahan": "f.kelurahan_code",
        "kecamatan": f"SUBSTR(f.kelurahan_code, 1, {int(schema.kecamatan_code_length)})",
        "desil": "f.desil",
        "strategy": "f.strategy",
        "severity": "f.severity",
    }
    if by not in keys:
        raise ValueError(f"agregasi tidak dikenal / unknown aggregation {by!r}; one of {AGGREGATIONS}")
    return keys[by]


def aggregate(
    conn: Any,
    schema: TargetingSchema,
    period: str,
    by: str = "programme",
    results_table: str = DEFAULT_RESULTS_TABLE,
) -> list[dict[str, Any]]:
    """Findings of ``period`` grouped by ``by`` (one of :data:`AGGREGATIONS`), category and type:
    ``[{key, category, finding_type, findings, rupiah_month, rupiah_year}]``, ordered by key."""
    db = Db(conn, detect_dialect(conn))
    g = schema.programmes
    key = _key(by, schema)
    rows = db.query(
        f"""SELECT {key} AS k, f.category, f.finding_type, COUNT(*), SUM(f.rupiah_month),
          SUM(f.rupiah_year)
        FROM {tbl(results_table)} f LEFT JOIN {tbl(g.table)} g ON {col("g", g.id)} = f.programme_id
        WHERE f.period = ?
        GROUP BY {key}, f.category, f.finding_type
        ORDER BY 1, 2, 3""",
        (period,),
    )
    names = ("key", "category", "finding_type", "findings", "rupiah_month", "rupiah_year")
    return [
        dict(zip(names, (k, c, t, int(n), int(m or 0), int(y or 0)), strict=True))
        for k, c, t, n, m, y in rows
    ]


def package_matrix(
    conn: Any, schema: TargetingSchema, period: str, *, priority_max_desil: int = 2
) -> list[dict[str, Any]]:
    """Per kelurahan, the active priority families (extreme poor or desil <= ``priority_max_desil``)
    that receive, in ``period``, something of every strategy (``full``), of some (``part``) or nothing
    (``nothing``), and how many receive each strategy: ``[{kelurahan_code, families, full, part,
    nothing, strategies: {strategy: families}}]``. "Every strategy" = every strategy some programme has.
    Reads the contract's tables directly (no run needed); ``run_targeting(..., packages=True)`` gives
    the same from its staged tables, cheaper."""
    db = Db(conn, detect_dialect(conn))
    p, f, g, r = schema.persons, schema.families, schema.programmes, schema.roll_entries
    strategies = [
        s for (s,) in db.query(f"SELECT DISTINCT {col('g', g.strategy)} FROM {tbl(g.table)} g") if s
    ]
    flag = db.dialect.flag(col("f", f.extreme_poor))
    pri = f"""SELECT {col("f", f.id)} AS family_id, {col("f", f.kelurahan_code)} AS kelurahan_code
          FROM {tbl(f.table)} f
          WHERE ({flag} = 1 OR {col("f", f.desil)} <= {int(priority_max_desil)})
            AND {col("f", f.status)} = 'aktif'"""
    rv = f"""SELECT DISTINCT COALESCE({col("e", r.family_id)}, {col("p", p.family_id)}) AS family_id,
            {col("g", g.strategy)} AS strategy
          FROM {tbl(r.table)} e JOIN {tbl(g.table)} g ON {col("g", g.id)} = {col("e", r.programme_id)}
          LEFT JOIN {tbl(p.table)} p ON {col("p", p.id)} = {col("e", r.person_id)}
          WHERE {col("e", r.period)} = ? AND {col("e", r.link_status)} = 'matched'"""
    return _matrix(db, strategies, pri, rv, (period,))


def staged_package_matrix(db: Db, *, priority_max_desil: int = 2) -> list[dict[str, Any]]:
    """:func:`package_matrix` from a run's staged tables (``tg_tmp_family``, ``tg_tmp_entry``,
    ``tg_tmp_prog``: already one period, links resolved); called by ``run_targeting(packages=True)``.
    Each priority family's strategies are looked up once through the entries' family index
    (:func:`~padu.targeting.engine.exclusion.strategy_flags`), not found by grouping every entry."""
    names = [s for s in strategies(db) if s]
    ones, zeros = "1" * len(names), "0" * len(names)
    per_strategy = "".join(
        f", SUM(CASE WHEN SUBSTR(got, {i}, 1) = '1' THEN 1 ELSE 0 END)" for i in range(1, len(names) + 1)
    )
    rows = db.query(
        f"""WITH fam AS MATERIALIZED (
          SELECT f.kelurahan_code, {strategy_flags(names, "f.family_id")} AS got
          FROM tg_tmp_family f
          WHERE (f.extreme_poor = 1 OR f.desil <= {int(priority_max_desil)}) AND f.status = 'aktif'
        )
        SELECT kelurahan_code, COUNT(*),
          SUM(CASE WHEN COALESCE(got, '{zeros}') = '{ones}' THEN 1 ELSE 0 END),
          SUM(CASE WHEN got <> '{zeros}' AND got <> '{ones}' THEN 1 ELSE 0 END),
          SUM(CASE WHEN COALESCE(got, '{zeros}') = '{zeros}' THEN 1 ELSE 0 END){per_strategy}
        FROM fam GROUP BY kelurahan_code ORDER BY kelurahan_code"""
    )
    return _rows(rows, names)


def _matrix(
    db: Db, strategies: list[str], pri: str, rv: str, params: tuple[Any, ...]
) -> list[dict[str, Any]]:
    per_strategy = "".join(f", SUM(CASE WHEN got_{i} = 1 THEN 1 ELSE 0 END)" for i in range(len(strategies)))
    got = "".join(
        f", MAX(CASE WHEN strategy = '{s.replace(chr(39), chr(39) * 2)}' THEN 1 ELSE 0 END) AS got_{i}"
        for i, s in enumerate(strategies)
    )
    rows = db.query(
        f"""WITH pri AS (
          {pri}
        ), rv AS (
          {rv}
        ), fam AS (
          -- One GROUP BY over the priority families and what they receive (UNION ALL), not a join
          -- of the two: SQLite planned ``pri LEFT JOIN rv`` as a scan of rv per family (over 15
          -- minutes at 1M persons); one sort-based grouping is n log n on every database.
          SELECT family_id, MAX(kelurahan_code) AS kelurahan_code, MAX(is_pri) AS is_pri,
            COUNT(DISTINCT strategy) AS n{got}
          FROM (
            SELECT family_id, kelurahan_code, 1 AS is_pri, NULL AS strategy FROM pri
            UNION ALL
            SELECT family_id, NULL, 0, strategy FROM rv
          ) u
          GROUP BY family_id
        )
        SELECT kelurahan_code, COUNT(*),
          SUM(CASE WHEN n >= {len(strategies)} THEN 1 ELSE 0 END),
          SUM(CASE WHEN n > 0 AND n < {len(strategies)} THEN 1 ELSE 0 END),
          SUM(CASE WHEN n = 0 THEN 1 ELSE 0 END){per_strategy}
        FROM fam WHERE is_pri = 1 GROUP BY kelurahan_code ORDER BY kelurahan_code""",
        params,
    )
    return _rows(rows, strategies)


def _rows(rows: list[tuple[Any, ...]], strategies: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "kelurahan_code": row[0],
            "families": int(row[1]),
            "full": int(row[2]),
            "part": int(row[3]),
            "nothing": int(row[4]),
            "strategies": {s: int(row[5 + i]) for i, s in enumerate(strategies)},
        }
        for row in rows
    ]
