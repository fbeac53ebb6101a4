"""Exclusion rules: units that should receive and do not (see ``FINDING_TYPES`` for each rule).

Eligibility is the programme's rule as data (``tg_tmp_prog``): status allowed (the person's and the
family's for person programmes; the family's and its recipient's for family programmes: the head, or
the "mother" for ``recipient = 'mother'``), ``desil <= max_desil``, age in years/months and sex (person
programmes), categories (:data:`padu.targeting.engine.staging.CATEGORIES`). Only ``entitlement``
programmes give ``exclusion_programme`` findings: a quota programme is not expected to reach everyone
eligible.

``exclusion_programme`` is one set-based statement *per entitlement programme*, its rule read from the
(small) staged programme table and written into the SQL as constants: each statement is then a plain
filtered scan plus one anti-join, which both databases run far faster than one statement joining every
person with every programme. Age rules are tested on every person the scan reads, a birth-date window
(YYYYMMDD range) before the exact age, never through an index on the birth date (SQLite read the
persons of a school-age window through one twice as slowly as it scans them all).

``exclusion_strategy_gap`` and the package matrix (:mod:`padu.targeting.engine.aggregate`) read, for
each priority family, one text of ``'0'``/``'1'`` flags, one per strategy (:func:`strategy_flags`): what
the family receives, looked up once, instead of one lookup of its entries per strategy.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from padu.targeting.engine.dialect import Db
from padu.targeting.engine.rules import FINDING_TYPES, Rule, json_sql
from padu.targeting.engine.staging import (
    CATEGORIES,
    FAMILY_CATEGORIES,
    PERSON_CATEGORIES,
    age_months,
    age_years,
)

__all__ = ["exclusion_rules", "strategies", "strategy_flags"]

_PROG_COLUMNS = ("programme_id", "unit", "max_desil", "allowed", "min_age", "max_age", "min_age_months",
                 "max_age_months", "sex", "recipient")  # fmt: skip


def _head(finding_type: str, severity: str) -> str:
    return f"SELECT ?, '{finding_type}', '{FINDING_TYPES[finding_type].category}', {severity}"


def exclusion_rules(db: Db, priority_max_desil: int, reference_date: dt.date) -> list[Rule]:
    """Rules over the staged tables; reads the entitlement programmes and exclusions (a few rows)."""
    columns = _PROG_COLUMNS + tuple(f"need_{c}" for c in CATEGORIES)
    programmes = [
        dict(zip(columns, row, strict=True))
        for row in db.query(
            f"SELECT {', '.join(columns)} FROM tg_tmp_prog WHERE targeting = 'entitlement' "
            "ORDER BY programme_id"
        )
    ]
    excluded: dict[int, list[tuple[int, str]]] = {}
    for a, b, b_unit in db.query("SELECT a, b, b_unit FROM tg_tmp_excl ORDER BY a, b"):
        excluded.setdefault(int(a), []).append((int(b), str(b_unit)))
    rules = [
        Rule(
            "exclusion_programme",
            _person_programme(
                g, excluded.get(int(g["programme_id"]), []), reference_date, postgres=db.dialect.is_postgres
            )
            if g["unit"] == "person"
            else _family_programme(g, excluded.get(int(g["programme_id"]), [])),
        )
        for g in programmes
    ]
    pmax = int(priority_max_desil)
    return [
        *rules,
        Rule("exclusion_priority", _priority(pmax)),
        Rule("exclusion_strategy_gap", _strategy_gap(pmax, strategies(db))),
    ]


def strategies(db: Db) -> list[str]:
    """The programmes' strategies (NULL left out), in the order of their first programme."""
    rows = db.query(
        "SELECT strategy FROM tg_tmp_prog WHERE strategy IS NOT NULL GROUP BY strategy "
        "ORDER BY MIN(programme_id), strategy"
    )
    return [str(s) for (s,) in rows]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def strategy_flags(names: list[str], family_id: str) -> str:
    """SQL: for the family ``family_id``, a text of one flag per strategy of ``names`` (``'1'`` where a
    matched entry of it is staged, else ``'0'``), or NULL when the family has no matched entry."""
    flags = (
        " || ".join(f"MAX(CASE WHEN e.strategy = {_literal(s)} THEN '1' ELSE '0' END)" for s in names)
        or "MAX('')"
    )
    return f"(SELECT {flags} FROM tg_tmp_entry e WHERE e.family_id = {family_id} AND e.matched = 1)"


def _ids(ids: list[int]) -> str:
    return ", ".join(str(int(i)) for i in ids)


def _not_received(key: str, unit_key: str, programme_ids: list[int]) -> str:
    return (
        f"NOT EXISTS (SELECT 1 FROM tg_tmp_entry e WHERE e.{key} = {unit_key} "
        f"AND e.programme_id IN ({_ids(programme_ids)}) AND e.matched = 1)"
    )


def _num(value: Any) -> int:
    return int(value)


def _person_programme(
    g: dict[str, Any], excluded: list[tuple[int, str]], ref: dt.date, *, postgres: bool
) -> str:
    pid = _num(g["programme_id"])
    years, months = age_years("p.birth_ymd", ref), age_months("p.birth_ymd", ref)
    r = ref.year * 10000 + ref.month * 100 + ref.day
    conds = [f"(p.status_bit & {_num(g['allowed'])}) <> 0", f"(p.family_bit & {_num(g['allowed'])}) <> 0"]
    if g["max_desil"] is not None:
        conds.append(f"p.desil <= {_num(g['max_desil'])}")
    ages: list[str] = []
    lo_years: list[int] = []  # whole-year bounds of the birth-date window
    hi_years: list[int] = []
    for name, expr, op, years_of in (
        ("min_age", years, ">=", 1), ("max_age", years, "<=", 1),
        ("min_age_months", months, ">=", 12), ("max_age_months", months, "<=", 12),
    ):  # fmt: skip
        if g[name] is not None:
            bound = _num(g[name])
            ages.append(f"{expr} {op} {bound}")
            (lo_years if op == ">=" else hi_years).append(bound // years_of)
    # The window first (two integer comparisons), then the exact ages. SQLite: ``+`` keeps it off an
    # index on birth_ymd (a school-age window read through one took twice as long as scanning every
    # person); PostgreSQL: none (it has no such index, and ``+`` would blind its row estimate).
    born = "p.birth_ymd" if postgres else "+p.birth_ymd"
    if lo_years:
        conds.append(f"{born} <= {r - 10000 * max(lo_years)}")
    if hi_years:
        conds.append(f"{born} >= {r - 10000 * (min(hi_years) + 1)}")
    conds += ages
    if g["sex"] is not None:
        conds.append("p.sex = '{}'".format(str(g["sex"]).replace("'", "''")))
    conds += [f"p.{c} = 1" for c in PERSON_CATEGORIES if g[f"need_{c}"]]
    conds += [f"f.{c} = 1" for c in FAMILY_CATEGORIES if g[f"need_{c}"]]
    conds.append(_not_received("person_id", "p.person_id", [pid] + [b for b, u in excluded if u == "person"]))
    by_family = [b for b, u in excluded if u != "person"]
    if by_family:
        conds.append(_not_received("family_id", "p.family_id", by_family))
    severity = "CASE WHEN f.extreme_poor = 1 OR p.desil = 1 THEN 'high' ELSE 'medium' END"
    detail = json_sql(age_y=("num", years), extreme_poor=("num", "f.extreme_poor"))
    where = "\n      AND ".join(conds)
    return f"""{_head("exclusion_programme", severity)}, g.programme_id, NULL, NULL, p.person_id,
      p.family_id, p.kelurahan_code, p.desil, g.strategy, g.rupiah_month, g.rupiah_year, {detail}
    FROM tg_tmp_person p JOIN tg_tmp_family f ON f.family_id = p.family_id
    JOIN tg_tmp_prog g ON g.programme_id = {pid}
    WHERE {where}"""


def _family_programme(g: dict[str, Any], excluded: list[tuple[int, str]]) -> str:
    pid = _num(g["programme_id"])
    recipient = "f.mother_bit" if g["recipient"] == "mother" else "f.head_bit"
    conds = [f"(f.status_bit & {_num(g['allowed'])}) <> 0", f"({recipient} & {_num(g['allowed'])}) <> 0"]
    if g["max_desil"] is not None:
        conds.append(f"f.desil <= {_num(g['max_desil'])}")
    conds += [f"f.any_{c} = 1" for c in PERSON_CATEGORIES if g[f"need_{c}"]]
    conds += [f"f.{c} = 1" for c in FAMILY_CATEGORIES if g[f"need_{c}"]]
    conds.append(_not_received("family_id", "f.family_id", [pid] + [b for b, _ in excluded]))
    severity = "CASE WHEN f.extreme_poor = 1 OR f.desil = 1 THEN 'high' ELSE 'medium' END"
    detail = json_sql(extreme_poor=("num", "f.extreme_poor"), recipient=("str", "g.recipient"))
    where = "\n      AND ".join(conds)
    return f"""{_head("exclusion_programme", severity)}, g.programme_id, NULL, NULL, NULL, f.family_id,
      f.kelurahan_code, f.desil, g.strategy, g.rupiah_month, g.rupiah_year, {detail}
    FROM tg_tmp_family f JOIN tg_tmp_prog g ON g.programme_id = {pid}
    WHERE {where}"""


def _priority_where(pmax: int) -> str:
    return f"(f.extreme_poor = 1 OR f.desil <= {pmax}) AND f.status = 'aktif' AND f.n_active > 0"


def _priority(pmax: int) -> str:
    severity = "CASE WHEN f.extreme_poor = 1 THEN 'high' ELSE 'medium' END"
    detail = json_sql(extreme_poor=("num", "f.extreme_poor"), members=("num", "f.n_active"))
    return f"""{_head("exclusion_priority", severity)}, NULL, NULL, NULL, NULL, f.family_id,
      f.kelurahan_code, f.desil, NULL, 0, 0, {detail}
    FROM tg_tmp_family f
    WHERE {_priority_where(pmax)}
      AND NOT EXISTS (SELECT 1 FROM tg_tmp_entry e WHERE e.family_id = f.family_id AND e.matched = 1)"""


def _strategy_gap(pmax: int, names: list[str]) -> str:
    """One finding per strategy a priority family receiving something does not receive. The family's
    flags are computed once (``MATERIALIZED``: inlined, the lookup would run once per strategy and
    test); SQLite >= 3.35, PostgreSQL >= 12."""
    detail = json_sql(extreme_poor=("num", "x.extreme_poor"), strategy=("str", "s.strategy"))
    values = (
        " UNION ALL ".join(
            f"SELECT CAST({_literal(n)} AS TEXT) AS strategy, {i} AS pos" for i, n in enumerate(names, 1)
        )
        or "SELECT CAST(NULL AS TEXT) AS strategy, 0 AS pos WHERE 1 = 0"
    )
    return f"""{_head("exclusion_strategy_gap", "'low'")}, NULL, NULL, NULL, NULL, c.family_id,
      c.kelurahan_code, c.desil, c.strategy, 0, 0, c.detail
    FROM (
      WITH x AS MATERIALIZED (
        SELECT f.family_id, f.kelurahan_code, f.desil, f.extreme_poor,
          {strategy_flags(names, "f.family_id")} AS got
        FROM tg_tmp_family f
        WHERE {_priority_where(pmax)}
      )
      SELECT x.family_id, x.kelurahan_code, x.desil, s.strategy, {detail} AS detail
      FROM x CROSS JOIN ({values}) s
      WHERE x.got IS NOT NULL AND SUBSTR(x.got, s.pos, 1) = '0'
    ) c"""
