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
    select = entry_select(
        "double_in_programme", "'high'", json_sql(copies=("num", "e.copies")), other="e.first_id"
    )
    return f"""{select}
    FROM (
      SELECT d.*, ROW_NUMBER() OVER w AS rn, FIRST_VALUE(d.entry_id) OVER w AS first_id,
        COUNT(*) OVER (PARTITION BY d.programme_id, d.unit_key) AS copies
      FROM tg_tmp_entry d WHERE d.matched = 1 AND d.unit_key IS NOT NULL
      WINDOW w AS (PARTITION BY d.programme_id, d.unit_key ORDER BY d.row_number, d.entry_id)
    ) e JOIN tg_tmp_prog g ON g.programme_id = e.programme_id
    WHERE e.rn > 1"""


def _exclusive() -> str:
    select = entry_select(
        "double_exclusive",
        "'high'",
        json_sql(other_programme=("str", "c.other_code"), conflicts=("num", "c.n")),
        other="c.other_id",
    )
    pair = """SELECT b.entry_id, x.entry_id AS other_id, ex.b_code AS other_code, ex.b AS other_programme
      FROM tg_tmp_entry b JOIN tg_tmp_excl ex ON ex.a = b.programme_id AND {unit}
      JOIN tg_tmp_entry x ON x.programme_id = ex.b AND x.{key} = b.{key}
      WHERE b.matched = 1 AND x.matched = 1"""
    both_person = pair.format(unit="b.unit = 'person' AND ex.b_unit = 'person'", key="person_id")
    via_family = pair.format(unit="(b.unit <> 'person' OR ex.b_unit <> 'person')", key="family_id")
    return f"""{select}
    FROM (
      SELECT u.entry_id, MIN(u.other_id) AS other_id, MIN(u.other_code) AS other_code,
        COUNT(DISTINCT u.other_programme) AS n
      FROM ({both_person} UNION ALL {via_family}) u GROUP BY u.entry_id
    ) c
    JOIN tg_tmp_entry e ON e.entry_id = c.entry_id
    JOIN tg_tmp_prog g ON g.programme_id = e.programme_id"""


def _two_families(schema: TargetingSchema) -> str:
    live = "NOT IN ('ganda', 'meninggal')"
    sources = [
        f"""SELECT p.person_id, q.family_id AS other_family FROM tg_tmp_person p
        JOIN tg_tmp_person q ON q.nik = p.nik AND q.person_id < p.person_id AND q.family_id <> p.family_id
        WHERE p.nik IS NOT NULL AND p.nik <> '' AND p.status {live} AND q.status {live}"""
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
    paid = """(SELECT {agg} FROM tg_tmp_entry e JOIN tg_tmp_prog g ON g.programme_id = e.programme_id
      WHERE e.person_id = t.person_id AND e.matched = 1)"""
    n, month, year = (paid.format(agg=a) for a in ("COUNT(*)", "SUM(g.rupiah_month)", "SUM(g.rupiah_year)"))
    detail = json_sql(other_family_id=("num", "t.other_family"), entries=("num", n))
    return f"""SELECT ?, 'double_family', '{category}',
      CASE WHEN {n} > 0 THEN 'high' ELSE 'medium' END,
      NULL, NULL, NULL, p.person_id, p.family_id, p.kelurahan_code, p.desil, NULL,
      COALESCE({month}, 0), COALESCE({year}, 0), {detail}
    FROM (SELECT s.person_id, MIN(s.other_family) AS other_family
          FROM ({" UNION ALL ".join(sources)}) s GROUP BY s.person_id) t
    JOIN tg_tmp_person p ON p.person_id = t.person_id"""
