"""Inclusion rules: roll entries that should not be there (see ``FINDING_TYPES`` for each rule)."""

from __future__ import annotations

import datetime as dt

from padu.targeting.engine.rules import Rule, entry_select, json_sql
from padu.targeting.engine.staging import (
    CATEGORIES,
    FAMILY_CATEGORIES,
    PERSON_CATEGORIES,
    STATUS_BITS,
    age_months,
    age_years,
)

__all__ = ["inclusion_rules"]

_FROM = "FROM tg_tmp_entry e JOIN tg_tmp_prog g ON g.programme_id = e.programme_id"


def _not_allowed(bit: str | int) -> str:
    return f"(g.allowed & {bit}) = 0"


def _status_rule(finding_type: str, statuses: tuple[str, ...], severity: str, extra: str = "") -> str:
    listed = ", ".join(f"'{s}'" for s in statuses)
    person = f"(e.person_status IN ({listed}) AND {_not_allowed('e.person_bit')})"
    family = f"(e.family_status IN ({listed}) AND {_not_allowed('e.family_bit')})"
    detail = json_sql(person_status=("str", "e.person_status"), family_status=("str", "e.family_status"))
    return (
        f"{entry_select(finding_type, severity, detail)} {_FROM} "
        f"WHERE e.matched = 1 AND ({person} OR {family}){extra}"
    )


def inclusion_rules(reference_date: dt.date, *, with_asn: bool) -> list[Rule]:
    reference_ymd = reference_date.year * 10000 + reference_date.month * 100 + reference_date.day
    mampu = (
        f"((e.person_status = 'mampu' OR e.family_status = 'mampu') AND {_not_allowed(STATUS_BITS['mampu'])})"
    )
    above = "(g.max_desil IS NOT NULL AND e.desil > g.max_desil)"
    graduated = entry_select(
        "inclusion_graduated",
        f"CASE WHEN {mampu} OR e.desil >= g.max_desil + 3 THEN 'high' ELSE 'medium' END",
        json_sql(
            desil=("num", "e.desil"),
            max_desil=("num", "g.max_desil"),
            person_status=("str", "e.person_status"),
            family_status=("str", "e.family_status"),
        ),
    )
    deceased = entry_select("inclusion_deceased", "'high'", json_sql(death_ymd=("num", "e.death_ymd")))
    unregistered = entry_select(
        "inclusion_unregistered",
        "'medium'",
        json_sql(nik_given=("num", "CASE WHEN e.nik IS NULL OR e.nik = '' THEN 0 ELSE 1 END")),
    )
    rules = [
        Rule("inclusion_graduated", f"{graduated} {_FROM} WHERE e.matched = 1 AND ({above} OR {mampu})"),
        Rule(
            "inclusion_deceased",
            f"{deceased} {_FROM} WHERE e.matched = 1 AND e.person_status = 'meninggal' "
            f"AND {_not_allowed('e.person_bit')} "  # = the meninggal bit: a join term, not a filter on g
            f"AND (e.death_ymd IS NULL OR e.death_ymd <= {int(reference_ymd)})",
        ),
        Rule("inclusion_moved", _status_rule("inclusion_moved", ("pindah",), "'medium'")),
        Rule(
            "inclusion_invalid_record",
            _status_rule("inclusion_invalid_record", ("tidak_ditemukan", "ganda"), "'medium'"),
        ),
        Rule("inclusion_unregistered", f"{unregistered} {_FROM} WHERE e.matched = 0"),
        Rule("inclusion_ineligible", _ineligible(reference_date)),
    ]
    if with_asn:
        rules.append(Rule("inclusion_asn", _asn()))
    return rules


def _ineligible(ref: dt.date) -> str:
    years, months = age_years("p.birth_ymd", ref), age_months("p.birth_ymd", ref)
    person_only = (
        f"(g.min_age IS NOT NULL AND {years} < g.min_age) OR (g.max_age IS NOT NULL AND {years} > g.max_age) "
        f"OR (g.min_age_months IS NOT NULL AND {months} < g.min_age_months) "
        f"OR (g.max_age_months IS NOT NULL AND {months} > g.max_age_months) "
        "OR (g.sex IS NOT NULL AND p.sex <> g.sex)"
    )
    has = {c: f"CASE WHEN g.unit = 'person' THEN p.{c} ELSE f.any_{c} END" for c in PERSON_CATEGORIES}
    has.update({c: f"f.{c}" for c in FAMILY_CATEGORIES})
    cats = " OR ".join(f"(g.need_{c} = 1 AND {has[c]} = 0)" for c in CATEGORIES)
    detail = json_sql(
        age_y=("num", years),
        age_m=("num", months),
        sex=("str", "p.sex"),
        **{c: ("num", f"CASE WHEN g.need_{c} = 1 THEN {has[c]} END") for c in CATEGORIES},
    )
    select = entry_select("inclusion_ineligible", "'low'", detail)
    return f"""{select} {_FROM}
    LEFT JOIN tg_tmp_person p ON p.person_id = e.person_id
    LEFT JOIN tg_tmp_family f ON f.family_id = e.family_id
    WHERE e.matched = 1 AND g.has_rules = 1 AND ((g.unit = 'person' AND ({person_only})) OR {cats})"""


def _asn() -> str:
    by_person = "EXISTS (SELECT 1 FROM tg_tmp_asn a WHERE a.person_id = e.person_id)"
    by_nik = "EXISTS (SELECT 1 FROM tg_tmp_asn_nik n WHERE n.nik = e.nik)"
    by_family = "(g.unit <> 'person' AND EXISTS (SELECT 1 FROM tg_tmp_asn a WHERE a.family_id = e.family_id))"
    via = f"CASE WHEN {by_person} THEN 'person' WHEN {by_nik} THEN 'nik' WHEN {by_family} THEN 'family' END"
    select = entry_select("inclusion_asn", "'high'", json_sql(via=("str", via)))
    return f"{select} {_FROM} WHERE {by_person} OR {by_nik} OR {by_family}"
