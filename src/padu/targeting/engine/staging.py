"""Staging: the contract's tables copied, for one run, into narrow temporary tables the rules read.

``tg_tmp_prog``    one row per programme: unit, strategy, thresholds, category needs (0/1), rupiah.
``tg_tmp_person``  one row per person: status, age in years and months at the reference date, flags, and
                   the family's desil and status (so eligibility can be filtered without a join).
``tg_tmp_family``  one row per family: desil, flags, status of the head and of the "mother" (a female
                   head, else the istri, else the head), number of active members, whether any active
                   member is a pupil / pregnant / disabled, and the PKH component flag.
``tg_tmp_entry``   one row per roll entry of the period, with everything above about the unit it is
                   linked to (``family_id`` is the entry's, else its person's family).
``tg_tmp_excl``    programme exclusions with the unit of the excluded programme.
``tg_tmp_asn``     (only with an ASN table) persons who are civil servants, and ``tg_tmp_asn_nik``.

Everything is ``CREATE TEMP TABLE ... AS SELECT``; dates become YYYYMMDD integers and booleans 0/1 here,
so the rules are plain portable SQL.
"""

from __future__ import annotations

import datetime as dt

from padu.targeting.engine.dialect import Db
from padu.targeting.engine.rupiah import payments_sql, rupiah_month_sql
from padu.targeting.engine.schema import TargetingSchema, col, tbl

__all__ = ["CATEGORIES", "TEMP_TABLES", "build_staging"]

TEMP_TABLES = (
    "tg_tmp_prog", "tg_tmp_person", "tg_tmp_family", "tg_tmp_entry", "tg_tmp_excl", "tg_tmp_asn",
    "tg_tmp_asn_nik",
)  # fmt: skip

# Programme categories (``programmes.categories``) and where each is read:
# person-level ones on the person (person programmes) or "any active member" (family programmes);
# family-level ones on the family (both kinds).
PERSON_CATEGORIES = ("in_school", "pregnant", "disability")
FAMILY_CATEGORIES = ("extreme_poor", "house_owned", "house_unfit", "pkh_component")
CATEGORIES = PERSON_CATEGORIES + FAMILY_CATEGORIES


def _int(expr: str) -> str:
    return f"CAST({expr} AS INTEGER)" if expr != "NULL" else "CAST(NULL AS INTEGER)"


def _big(expr: str) -> str:
    return f"CAST({expr} AS BIGINT)" if expr != "NULL" else "CAST(NULL AS BIGINT)"


def _text(expr: str) -> str:
    return f"CAST({expr} AS TEXT)" if expr != "NULL" else "CAST(NULL AS TEXT)"


def build_staging(db: Db, schema: TargetingSchema, period: str, reference_date: dt.date) -> None:
    db.drop_temp(*TEMP_TABLES)
    _programmes(db, schema)
    _persons(db, schema, reference_date)
    _families(db, schema)
    _entries(db, schema, period)
    _exclusions(db, schema)
    if schema.asn is not None:
        _asn(db, schema)
    if db.dialect.is_postgres:  # autovacuum never analyses temporary tables
        for name in TEMP_TABLES:
            if name.startswith("tg_tmp_asn") and schema.asn is None:
                continue
            db.execute(f"ANALYZE {name}", step="staging.analyze")


def _programmes(db: Db, s: TargetingSchema) -> None:
    g = s.programmes
    needs = ", ".join(
        f"CASE WHEN ',' || COALESCE({_text(col('g', g.categories))}, '') || ',' LIKE '%,{c},%' "
        f"THEN 1 ELSE 0 END AS need_{c}"
        for c in CATEGORIES
    )
    year = f"(CAST(g.{tbl(g.benefit_value_rp)} AS BIGINT) * " + payments_sql(
        _text(col("g", g.benefit_frequency)), col("g", g.payments_per_year)
    ) + ")"
    db.execute(
        f"""CREATE TEMP TABLE tg_tmp_prog AS
        SELECT x.*, {rupiah_month_sql("x.rupiah_year")} AS rupiah_month FROM (
          SELECT {_big(col("g", g.id))} AS programme_id, {_text(col("g", g.code))} AS code,
            {_text(col("g", g.unit))} AS unit, {_text(col("g", g.strategy))} AS strategy,
            COALESCE({_text(col("g", g.targeting))}, 'entitlement') AS targeting,
            {_int(col("g", g.max_desil))} AS max_desil,
            ',' || COALESCE({_text(col("g", g.statuses))}, 'aktif') || ',' AS statuses,
            {_int(col("g", g.min_age))} AS min_age, {_int(col("g", g.max_age))} AS max_age,
            {_int(col("g", g.min_age_months))} AS min_age_months,
            {_int(col("g", g.max_age_months))} AS max_age_months,
            {_text(col("g", g.sex))} AS sex,
            COALESCE({_text(col("g", g.recipient))}, 'head') AS recipient,
            {needs}, {year} AS rupiah_year
          FROM {tbl(g.table)} g) x""",
        step="staging.programmes",
    )
    db.execute("CREATE INDEX tg_tmp_prog_id ON tg_tmp_prog (programme_id)")


def _persons(db: Db, s: TargetingSchema, ref: dt.date) -> None:
    p, f, d = s.persons, s.families, db.dialect
    r = ref.year * 10000 + ref.month * 100 + ref.day
    ry, rm, rd = ref.year, ref.month, ref.day
    db.execute(
        f"""CREATE TEMP TABLE tg_tmp_person AS
        SELECT x.person_id, x.family_id, x.nik, x.status, x.death_ymd, x.sex, x.relationship,
          x.kelurahan_code, x.in_school, x.pregnant, x.disability, x.desil, x.family_status,
          ({r} - x.birth_ymd) / 10000 AS age_y,
          ({ry} - x.birth_ymd / 10000) * 12 + ({rm} - (x.birth_ymd / 100) % 100)
            - CASE WHEN {rd} < x.birth_ymd % 100 THEN 1 ELSE 0 END AS age_m
        FROM (
          SELECT {_big(col("p", p.id))} AS person_id, {_big(col("p", p.family_id))} AS family_id,
            {_text(col("p", p.nik))} AS nik, {_text(col("p", p.status))} AS status,
            {d.ymd(col("p", p.death_date))} AS death_ymd, {d.ymd(col("p", p.birth_date))} AS birth_ymd,
            {_text(col("p", p.sex))} AS sex, {_text(col("p", p.relationship))} AS relationship,
            COALESCE({_text(col("p", p.kelurahan_code))}, {_text(col("f", f.kelurahan_code))})
              AS kelurahan_code,
            {d.flag(col("p", p.in_school))} AS in_school, {d.flag(col("p", p.is_pregnant))} AS pregnant,
            {d.flag(col("p", p.disability))} AS disability,
            {_int(col("f", f.desil))} AS desil, {_text(col("f", f.status))} AS family_status
          FROM {tbl(p.table)} p LEFT JOIN {tbl(f.table)} f ON f.{tbl(f.id)} = p.{tbl(p.family_id)}
        ) x""",
        step="staging.persons",
    )
    db.execute("CREATE INDEX tg_tmp_person_id ON tg_tmp_person (person_id)", step="staging.persons")
    db.execute("CREATE INDEX tg_tmp_person_fam ON tg_tmp_person (family_id)", step="staging.persons")
    db.execute("CREATE INDEX tg_tmp_person_nik ON tg_tmp_person (nik)", step="staging.persons")


def _families(db: Db, s: TargetingSchema) -> None:
    f, d = s.families, db.dialect
    active = "m.status = 'aktif'"
    db.execute(
        f"""CREATE TEMP TABLE tg_tmp_family AS
        SELECT {_big(col("f", f.id))} AS family_id, {_int(col("f", f.desil))} AS desil,
          {d.flag(col("f", f.extreme_poor))} AS extreme_poor, {_text(col("f", f.status))} AS status,
          {_text(col("f", f.kelurahan_code))} AS kelurahan_code,
          {d.flag(col("f", f.house_owned))} AS house_owned, {d.flag(col("f", f.house_unfit))} AS house_unfit,
          COALESCE(a.head_status, {_text(col("f", f.status))}) AS head_status,
          COALESCE(CASE WHEN a.head_sex = 'P' THEN a.head_status ELSE COALESCE(a.istri_status, a.head_status)
            END, {_text(col("f", f.status))}) AS mother_status,
          COALESCE(a.n_active, 0) AS n_active, COALESCE(a.pkh_component, 0) AS pkh_component,
          COALESCE(a.any_in_school, 0) AS any_in_school, COALESCE(a.any_pregnant, 0) AS any_pregnant,
          COALESCE(a.any_disability, 0) AS any_disability
        FROM {tbl(f.table)} f LEFT JOIN (
          SELECT m.family_id,
            MAX(CASE WHEN m.relationship = 'kepala' THEN m.status END) AS head_status,
            MAX(CASE WHEN m.relationship = 'kepala' THEN m.sex END) AS head_sex,
            MAX(CASE WHEN m.relationship = 'istri' THEN m.status END) AS istri_status,
            SUM(CASE WHEN {active} THEN 1 ELSE 0 END) AS n_active,
            MAX(CASE WHEN {active} AND (m.age_y < 6 OR (m.in_school = 1 AND m.age_y <= 21)
              OR m.pregnant = 1 OR m.age_y >= 70 OR m.disability = 1) THEN 1 ELSE 0 END) AS pkh_component,
            MAX(CASE WHEN {active} THEN m.in_school ELSE 0 END) AS any_in_school,
            MAX(CASE WHEN {active} THEN m.pregnant ELSE 0 END) AS any_pregnant,
            MAX(CASE WHEN {active} THEN m.disability ELSE 0 END) AS any_disability
          FROM tg_tmp_person m GROUP BY m.family_id
        ) a ON a.family_id = f.{tbl(f.id)}""",
        step="staging.families",
    )
    db.execute("CREATE INDEX tg_tmp_family_id ON tg_tmp_family (family_id)", step="staging.families")


def _entries(db: Db, s: TargetingSchema, period: str) -> None:
    r = s.roll_entries
    per_unit = ", ".join(
        f"CASE WHEN e.unit = 'person' THEN p.{c} ELSE COALESCE(f.any_{c}, 0) END AS c_{c}"
        for c in PERSON_CATEGORIES
    )
    db.execute(
        f"""CREATE TEMP TABLE tg_tmp_entry AS
        SELECT e.entry_id, e.programme_id, e.unit, e.strategy, e.row_number, e.person_id, e.family_id,
          e.matched, e.nik,
          COALESCE(p.kelurahan_code, f.kelurahan_code, e.list_kelurahan) AS kelurahan_code,
          f.desil, f.extreme_poor, p.status AS person_status, f.status AS family_status, p.death_ymd,
          p.age_y, p.age_m, p.sex, {per_unit},
          f.house_owned AS c_house_owned, f.house_unfit AS c_house_unfit,
          f.pkh_component AS c_pkh_component, f.extreme_poor AS c_extreme_poor,
          CASE WHEN e.unit = 'person' THEN e.person_id ELSE e.family_id END AS unit_key
        FROM (
          SELECT {_big(col("r", r.id))} AS entry_id, g.programme_id, g.unit, g.strategy,
            {_int(col("r", r.row_number))} AS row_number, {_big(col("r", r.person_id))} AS person_id,
            COALESCE({_big(col("r", r.family_id))}, pp.family_id) AS family_id,
            CASE WHEN {_text(col("r", r.link_status))} = 'matched'
              AND ({col("r", r.person_id)} IS NOT NULL OR {col("r", r.family_id)} IS NOT NULL)
              THEN 1 ELSE 0 END AS matched,
            {_text(col("r", r.nik))} AS nik, {_text(col("r", r.kelurahan_code))} AS list_kelurahan
          FROM {tbl(r.table)} r
          JOIN tg_tmp_prog g ON g.programme_id = {col("r", r.programme_id)}
          LEFT JOIN tg_tmp_person pp ON pp.person_id = {col("r", r.person_id)}
          WHERE {col("r", r.period)} = ?
        ) e
        LEFT JOIN tg_tmp_person p ON p.person_id = e.person_id
        LEFT JOIN tg_tmp_family f ON f.family_id = e.family_id""",
        (period,),
        step="staging.entries",
    )
    for name, cols in (
        ("prog_person", "programme_id, person_id"),
        ("prog_family", "programme_id, family_id"),
        ("family_strategy", "family_id, strategy"),
        ("person", "person_id"),
    ):
        db.execute(f"CREATE INDEX tg_tmp_entry_{name} ON tg_tmp_entry ({cols})", step="staging.entries")


def _exclusions(db: Db, s: TargetingSchema) -> None:
    x = s.exclusions
    db.execute(
        f"""CREATE TEMP TABLE tg_tmp_excl AS
        SELECT DISTINCT {_big(col("x", x.programme_a))} AS a, {_big(col("x", x.programme_b))} AS b,
          gb.unit AS b_unit, gb.code AS b_code
        FROM {tbl(x.table)} x JOIN tg_tmp_prog gb ON gb.programme_id = {col("x", x.programme_b)}""",
        step="staging.exclusions",
    )


def _asn(db: Db, s: TargetingSchema) -> None:
    a = s.asn
    assert a is not None
    by_id = (
        f"p.person_id IN (SELECT {col('a', a.person_id)} FROM {tbl(a.table)} a "
        f"WHERE {col('a', a.person_id)} IS NOT NULL)"
        if a.person_id
        else "1 = 0"
    )
    by_nik = (
        f"p.nik IN (SELECT {_text(col('a', a.nik))} FROM {tbl(a.table)} a WHERE {col('a', a.nik)} IS NOT NULL)"
        if a.nik
        else "1 = 0"
    )
    db.execute(
        f"""CREATE TEMP TABLE tg_tmp_asn AS
        SELECT DISTINCT p.person_id, p.family_id FROM tg_tmp_person p WHERE {by_id} OR {by_nik}""",
        step="staging.asn",
    )
    db.execute(
        f"""CREATE TEMP TABLE tg_tmp_asn_nik AS
        SELECT DISTINCT {_text(col("a", a.nik))} AS nik FROM {tbl(a.table)} a
        WHERE {col("a", a.nik)} IS NOT NULL""",
        step="staging.asn",
    )
    db.execute("CREATE INDEX tg_tmp_asn_person ON tg_tmp_asn (person_id)", step="staging.asn")
    db.execute("CREATE INDEX tg_tmp_asn_family ON tg_tmp_asn (family_id)", step="staging.asn")
    db.execute("CREATE INDEX tg_tmp_asn_nik_i ON tg_tmp_asn_nik (nik)", step="staging.asn")
