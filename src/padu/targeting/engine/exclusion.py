"""Exclusion rules: units that should receive and do not (see ``FINDING_TYPES`` for each rule).

Eligibility is the programme's rule as data (``tg_tmp_prog``): status allowed (the person's for person
programmes; the family's and its recipient's for family programmes: the head, or the "mother" for
``recipient = 'mother'``), ``desil <= max_desil``, age in years/months and sex (person programmes),
categories (:data:`padu.targeting.engine.staging.CATEGORIES`). Only ``entitlement`` programmes give
``exclusion_programme`` findings: a quota programme is not expected to reach everyone eligible.
"""

from __future__ import annotations

import datetime as dt

from padu.targeting.engine.rules import FINDING_TYPES, Rule, json_sql
from padu.targeting.engine.staging import FAMILY_CATEGORIES, PERSON_CATEGORIES, age_months, age_years

__all__ = ["exclusion_rules"]


def _allowed(bit: str) -> str:
    return f"(g.allowed & {bit}) <> 0"


def _head(finding_type: str, severity: str) -> str:
    return f"SELECT ?, '{finding_type}', '{FINDING_TYPES[finding_type].category}', {severity}"


def _not_on_roll(key: str, unit_key: str) -> str:
    """Not on the programme's own roll, nor on one it may not be combined with."""
    own = (
        f"NOT EXISTS (SELECT 1 FROM tg_tmp_entry e WHERE e.{key} = {unit_key} "
        f"AND e.programme_id = g.programme_id AND e.matched = 1)"
    )
    others = " AND ".join(
        f"""NOT EXISTS (SELECT 1 FROM tg_tmp_excl x CROSS JOIN tg_tmp_entry e
        WHERE x.a = g.programme_id AND {cond} AND e.{k} = {expr} AND e.programme_id = x.b
          AND e.matched = 1)"""
        for k, expr, cond in _exclusive_keys(key, unit_key)
    )
    return f"{own} AND (g.has_excl = 0 OR ({others}))"


def _exclusive_keys(key: str, unit_key: str) -> list[tuple[str, str, str]]:
    if key == "person_id":  # a person: their own entries on person programmes, their family's otherwise
        return [
            ("person_id", unit_key, "x.b_unit = 'person'"),
            ("family_id", "p.family_id", "x.b_unit <> 'person'"),
        ]
    return [("family_id", unit_key, "1 = 1")]


def exclusion_rules(priority_max_desil: int, reference_date: dt.date) -> list[Rule]:
    return [
        Rule("exclusion_programme", _person_programmes(reference_date, with_age=False)),
        Rule("exclusion_programme", _person_programmes(reference_date, with_age=True)),
        Rule("exclusion_programme", _family_programmes()),
        Rule("exclusion_priority", _priority(int(priority_max_desil))),
        Rule("exclusion_strategy_gap", _strategy_gap(int(priority_max_desil))),
    ]


def _person_programmes(ref: dt.date, *, with_age: bool) -> str:
    """Programmes with an age rule reach their persons through the birth-date index (one range per
    programme); the others scan the persons."""
    years, months = age_years("p.birth_ymd", ref), age_months("p.birth_ymd", ref)
    cats = " AND ".join(
        [f"(g.need_{c} = 0 OR p.{c} = 1)" for c in PERSON_CATEGORIES]
        + [f"(g.need_{c} = 0 OR f.{c} = 1)" for c in FAMILY_CATEGORIES]
    )
    window = (
        "g.has_age = 1 AND p.birth_ymd BETWEEN g.min_birth AND g.max_birth" if with_age else "g.has_age = 0"
    )
    severity = "CASE WHEN f.extreme_poor = 1 OR p.desil = 1 THEN 'high' ELSE 'medium' END"
    detail = json_sql(age_y=("num", years), extreme_poor=("num", "f.extreme_poor"))
    return f"""{_head("exclusion_programme", severity)}, g.programme_id, NULL, NULL, p.person_id,
      p.family_id, p.kelurahan_code, p.desil, g.strategy, g.rupiah_month, g.rupiah_year, {detail}
    FROM tg_tmp_prog g CROSS JOIN tg_tmp_person p
    JOIN tg_tmp_family f ON f.family_id = p.family_id
    WHERE g.unit = 'person' AND g.targeting = 'entitlement' AND {window}
      AND (g.max_desil IS NULL OR p.desil <= g.max_desil)
      AND (g.min_age IS NULL OR {years} >= g.min_age) AND (g.max_age IS NULL OR {years} <= g.max_age)
      AND {_allowed("p.status_bit")} AND {_allowed("p.family_bit")}
      AND (g.min_age_months IS NULL OR {months} >= g.min_age_months)
      AND (g.max_age_months IS NULL OR {months} <= g.max_age_months)
      AND (g.sex IS NULL OR p.sex = g.sex) AND {cats}
      AND {_not_on_roll("person_id", "p.person_id")}"""


def _family_programmes() -> str:
    cats = " AND ".join(
        [f"(g.need_{c} = 0 OR f.any_{c} = 1)" for c in PERSON_CATEGORIES]
        + [f"(g.need_{c} = 0 OR f.{c} = 1)" for c in FAMILY_CATEGORIES]
    )
    recipient = "CASE WHEN g.recipient = 'mother' THEN f.mother_bit ELSE f.head_bit END"
    severity = "CASE WHEN f.extreme_poor = 1 OR f.desil = 1 THEN 'high' ELSE 'medium' END"
    detail = json_sql(extreme_poor=("num", "f.extreme_poor"), recipient=("str", "g.recipient"))
    return f"""{_head("exclusion_programme", severity)}, g.programme_id, NULL, NULL, NULL, f.family_id,
      f.kelurahan_code, f.desil, g.strategy, g.rupiah_month, g.rupiah_year, {detail}
    FROM tg_tmp_prog g
    JOIN tg_tmp_family f ON (g.max_desil IS NULL OR f.desil <= g.max_desil)
    WHERE g.unit <> 'person' AND g.targeting = 'entitlement'
      AND {_allowed("f.status_bit")} AND {_allowed(recipient)} AND {cats}
      AND {_not_on_roll("family_id", "f.family_id")}"""


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


def _strategy_gap(pmax: int) -> str:
    detail = json_sql(extreme_poor=("num", "f.extreme_poor"), strategy=("str", "s.strategy"))
    return f"""{_head("exclusion_strategy_gap", "'low'")}, NULL, NULL, NULL, NULL, f.family_id,
      f.kelurahan_code, f.desil, s.strategy, 0, 0, {detail}
    FROM tg_tmp_family f
    CROSS JOIN (SELECT DISTINCT strategy FROM tg_tmp_prog WHERE strategy IS NOT NULL) s
    WHERE {_priority_where(pmax)}
      AND EXISTS (SELECT 1 FROM tg_tmp_entry e WHERE e.family_id = f.family_id AND e.matched = 1)
      AND NOT EXISTS (SELECT 1 FROM tg_tmp_entry e WHERE e.family_id = f.family_id
        AND e.strategy = s.strategy AND e.matched = 1)"""
