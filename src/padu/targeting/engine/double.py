"""Double-receipt rules: twice in one programme, in two programmes that exclude each other, two KK."""

from __future__ import annotations

from padu.targeting.engine.rules import FINDING_TYPES, Rule, entry_select, json_sql
from padu.targeting.engine.schema import TargetingSchema, col, tbl

__all__ = ["double_rules"]


def double_rules(schema: TargetingSchema) -> list[Rule]:
    return [
        Rule("double_in_programme", _in_programme()),
        Rule("double_exclusive", _exclusive()),
        Rule("double_family", _two_families(schema)),
    ]


def _in_programme() -> str:
    """Units on one roll more than once: keys repeated among *all* entries (SQLite: from the
    (programme, unit) index alone, no row read), then their matched entries, counted per unit."""
    select = entry_select(
        "double_in_programme", "'high'", json_sql(copies=("num", "e.copies")), other="e.first_id"
    )
    return f"""{select}
    FROM (
      SELECT d.entry_id, d.programme_id, d.person_id, d.family_id, d.kelurahan_code, d.desil,
        d.rupiah_month, d.rupiah_year,
        COUNT(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS copies,
        ROW_NUMBER() OVER w AS rn, FIRST_VALUE(d.entry_id) OVER w AS first_id
      FROM (
        SELECT programme_id, unit_key FROM tg_tmp_entry
        WHERE unit_key IS NOT NULL GROUP BY programme_id, unit_key HAVING COUNT(*) > 1
      ) k CROSS JOIN tg_tmp_entry d
      WHERE d.programme_id = k.programme_id AND d.unit_key = k.unit_key AND d.matched = 1
      WINDOW w AS (PARTITION BY d.programme_id, d.unit_key ORDER BY d.row_number, d.entry_id)
    ) e JOIN tg_tmp_prog g ON g.programme_id = e.programme_id
    WHERE e.rn > 1"""


def _exclusive() -> str:
    select = entry_select(
        "double_exclusive",
        "'high'",
        json_sql(other_programme=("str", "c.other_code"), conflicts=("num", "c.n")),
        other="c.other_id",
        alias="c",
    )
    pair = """SELECT b.entry_id, b.programme_id, b.person_id, b.family_id, b.kelurahan_code, b.desil,
        b.rupiah_month, b.rupiah_year, x.entry_id AS other_id, ex.b_code AS other_code,
        ex.b AS other_programme
      FROM tg_tmp_excl ex CROSS JOIN tg_tmp_entry b CROSS JOIN tg_tmp_entry x
      WHERE ex.match_on = '{key}' AND b.programme_id = ex.a AND b.matched = 1
        AND x.{key}_id = b.{key}_id AND x.programme_id = ex.b AND x.matched = 1"""
    first = ", ".join(
        f"MIN(u.{c}) AS {c}"
        for c in (
            "programme_id",
            "person_id",
            "family_id",
            "kelurahan_code",
            "desil",
            "rupiah_month",
            "rupiah_year",
            "other_id",
            "other_code",
        )
    )
    return f"""{select}
    FROM (
      SELECT u.entry_id, {first}, COUNT(DISTINCT u.other_programme) AS n
      FROM ({pair.format(key="person")} UNION ALL {pair.format(key="family")}) u GROUP BY u.entry_id
    ) c
    JOIN tg_tmp_prog g ON g.programme_id = c.programme_id"""


def _two_families(schema: TargetingSchema) -> str:
    live = "NOT IN ('ganda', 'meninggal')"
    sources = [
        f"""SELECT p.person_id, q.family_id AS other_family
        FROM (SELECT nik FROM tg_tmp_person WHERE nik IS NOT NULL AND nik <> ''
              GROUP BY nik HAVING COUNT(*) > 1) dn
        CROSS JOIN tg_tmp_person p CROSS JOIN tg_tmp_person q
        WHERE p.nik = dn.nik AND q.nik = dn.nik AND q.person_id < p.person_id
          AND q.family_id <> p.family_id AND p.status {live} AND q.status {live}"""
    ]
    m = schema.memberships
    if m is not None:
        current = f"{col('m', m.valid_to)} IS NULL" if m.valid_to else "1 = 1"
        sources.append(
            f"""SELECT p.person_id, CAST({col("m", m.family_id)} AS BIGINT) AS other_family
            FROM {tbl(m.table)} m JOIN tg_tmp_person p ON p.person_id = {col("m", m.person_id)}
            WHERE {current} AND {col("m", m.family_id)} <> p.family_id AND p.status {live}"""
        )
    category = FINDING_TYPES["double_family"].category
    paid = """(SELECT {agg} FROM tg_tmp_entry e WHERE e.person_id = t.person_id AND e.matched = 1)"""
    n, month, year = (paid.format(agg=a) for a in ("COUNT(*)", "SUM(e.rupiah_month)", "SUM(e.rupiah_year)"))
    detail = json_sql(other_family_id=("num", "t.other_family"), entries=("num", n))
    return f"""SELECT ?, 'double_family', '{category}',
      CASE WHEN {n} > 0 THEN 'high' ELSE 'medium' END,
      NULL, NULL, NULL, p.person_id, p.family_id, p.kelurahan_code, p.desil, NULL,
      COALESCE({month}, 0), COALESCE({year}, 0), {detail}
    FROM (SELECT s.person_id, MIN(s.other_family) AS other_family
          FROM ({" UNION ALL ".join(sources)}) s GROUP BY s.person_id) t
    JOIN tg_tmp_person p ON p.person_id = t.person_id"""
