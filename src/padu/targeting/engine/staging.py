"""Staging: the contract's tables copied, for one run, into narrow temporary tables the rules read.

``tg_tmp_prog``    one row per programme: unit, strategy, thresholds, category needs (0/1), rupiah.
``tg_tmp_person``  one row per person: status, birth date as YYYYMMDD (ages: :func:`age_years`), flags, and
                   the family's desil and status (so eligibility can be filtered without a join).
``tg_tmp_family``  one row per family: desil, flags, status of the head and of the "mother" (a female
                   head, else the istri, else the head), number of active members, whether any active
                   member is a pupil / pregnant / disabled, and the PKH component flag.
``tg_tmp_entry``   one row per roll entry of the period, with everything above about the unit it is
                   linked to (``family_id`` is the entry's, else its person's family).
``tg_tmp_excl``    programme exclusions with the unit of the excluded programme.
``tg_tmp_asn``     (only with an ASN table) persons who are civil servants, and ``tg_tmp_asn_nik``.

Everything is ``CREATE TEMP TABLE ... AS SELECT``; dates become YYYYMMDD integers and booleans 0/1 here,
so the rules are plain portable SQL. With a pool of PostgreSQL connections
(:mod:`padu.targeting.engine.parallel`) the tables are ``UNLOGGED`` instead, and the roll entries are
staged on one connection while the persons and families are staged on another.
"""

from __future__ import annotations

import datetime as dt
import functools

from padu.targeting.engine.dialect import Db, Dialect
from padu.targeting.engine.parallel import Pool, statement
from padu.targeting.engine.rupiah import payments_sql, rupiah_month_sql
from padu.targeting.engine.schema import TargetingSchema, col, tbl

__all__ = ["CATEGORIES", "STATUS_BITS", "TEMP_TABLES", "age_months", "age_years", "build_staging"]

TEMP_TABLES = (
    "tg_tmp_prog",
    "tg_tmp_person",
    "tg_tmp_family",
    "tg_tmp_entry",
    "tg_tmp_excl",
    "tg_tmp_asn",
    "tg_tmp_asn_nik",
)

# Programme categories (``programmes.categories``) and where each is read:
# person-level ones on the person (person programmes) or "any active member" (family programmes);
# family-level ones on the family (both kinds).
PERSON_CATEGORIES = ("in_school", "pregnant", "disability")
FAMILY_CATEGORIES = ("extreme_poor", "house_owned", "house_unfit", "pkh_component")
CATEGORIES = PERSON_CATEGORIES + FAMILY_CATEGORIES
# Statuses as bits, so "status allowed by the programme" is ``(g.allowed & p.status_bit) <> 0``.
STATUS_BITS = {"aktif": 1, "mampu": 2, "meninggal": 4, "pindah": 8, "tidak_ditemukan": 16, "ganda": 32}


def status_bit(expr: str) -> str:
    whens = " ".join(f"WHEN '{k}' THEN {v}" for k, v in STATUS_BITS.items())
    return f"CASE {expr} {whens} ELSE 0 END"


def age_years(birth_ymd: str, ref: dt.date) -> str:
    """Whole years at ``ref`` from a YYYYMMDD integer (integer arithmetic, both databases)."""
    return f"(({ref.year * 10000 + ref.month * 100 + ref.day} - {birth_ymd}) / 10000)"


def age_months(birth_ymd: str, ref: dt.date) -> str:
    b = birth_ymd
    return (
        f"(({ref.year} - {b} / 10000) * 12 + ({ref.month} - ({b} / 100) % 100) "
        f"- CASE WHEN {ref.day} < {b} % 100 THEN 1 ELSE 0 END)"
    )


def _int(expr: str) -> str:
    return f"CAST({expr} AS INTEGER)" if expr != "NULL" else "CAST(NULL AS INTEGER)"


def _big(expr: str) -> str:
    return f"CAST({expr} AS BIGINT)" if expr != "NULL" else "CAST(NULL AS BIGINT)"


def _text(expr: str) -> str:
    return f"CAST({expr} AS TEXT)" if expr != "NULL" else "CAST(NULL AS TEXT)"


Columns = list[tuple[str, str, str]]  # (name, SQL type, expression)


def _create(
    db: Db,
    name: str,
    key: str | None,
    columns: Columns,
    source: str,
    params: tuple[object, ...] = (),
    *,
    step: str,
) -> None:
    """``CREATE TEMP TABLE name (...)`` + ``INSERT ... SELECT``; ``key`` is the row id (SQLite: the
    INTEGER PRIMARY KEY, so lookups by it need no separate index; PostgreSQL: indexed afterwards)."""
    pg = db.dialect.is_postgres
    defs = ", ".join(f"{c} {'INTEGER PRIMARY KEY' if c == key and not pg else t}" for c, t, _ in columns)
    db.execute(f"CREATE {db.table_kind} TABLE {name} ({defs})", step=step)
    names = ", ".join(c for c, _, _ in columns)
    exprs = ",\n  ".join(e for _, _, e in columns)
    db.rows[name] = db.execute(f"INSERT INTO {name} ({names}) SELECT {exprs} {source}", params, step=step)
    if pg and key:
        db.execute(f"CREATE UNIQUE INDEX {name}_key ON {name} ({key})", step=step)


def build_staging(
    db: Db, schema: TargetingSchema, period: str, reference_date: dt.date, pool: Pool | None = None
) -> None:
    """Stage the run's tables on ``db``. With ``pool`` (PostgreSQL), two connections at once: one
    stages the persons then the families, the other the roll entries — reading the person and family
    fields it needs from the contract's tables rather than from the staged ones (the same values:
    the same expressions), so that it need not wait for them."""
    db.drop_temp(*TEMP_TABLES)
    _programmes(db, schema)
    if pool is None or pool.size < 2:
        _persons(db, schema)
        _families(db, schema, reference_date)
        _entries(db, schema, period)
    else:

        def people(d: Db) -> None:
            _persons(d, schema)
            _families(d, schema, reference_date)

        pool.queue([people, functools.partial(_entries, s=schema, period=period, direct=True)], pinned=True)
    _exclusions(db, schema)
    if schema.asn is not None:
        _asn(db, schema)
    if db.dialect.is_postgres:  # autovacuum never analyses temporary tables; a small sample will do
        names = [n for n in TEMP_TABLES if schema.asn is not None or not n.startswith("tg_tmp_asn")]
        if pool is None:
            db.execute("SET LOCAL default_statistics_target = 10")
            for name in names:
                db.execute(f"ANALYZE {name}", step="staging.analyze")
        else:
            pool.queue([statement(f"ANALYZE {n}", step="staging.analyze") for n in names])


def _programmes(db: Db, s: TargetingSchema) -> None:
    g = s.programmes
    statuses = f"',' || COALESCE({_text(col('g', g.statuses))}, 'aktif') || ','"
    categories = f"',' || COALESCE({_text(col('g', g.categories))}, '') || ','"
    allowed = " + ".join(
        f"CASE WHEN {statuses} LIKE '%,{k},%' THEN {v} ELSE 0 END" for k, v in STATUS_BITS.items()
    )
    rules = " OR ".join(
        [
            f"{col('g', c)} IS NOT NULL"
            for c in (g.min_age, g.max_age, g.min_age_months, g.max_age_months, g.sex)
            if c
        ]
        + [f"{categories} <> ',,'"]
    )
    payments = payments_sql(_text(col("g", g.benefit_frequency)), col("g", g.payments_per_year))
    year = f"CAST({col('g', g.benefit_value_rp)} AS BIGINT) * {payments}"
    columns: Columns = [
        ("programme_id", "BIGINT", _big(col("g", g.id))),
        ("code", "TEXT", _text(col("g", g.code))),
        ("unit", "TEXT", _text(col("g", g.unit))),
        ("strategy", "TEXT", _text(col("g", g.strategy))),
        ("targeting", "TEXT", f"COALESCE({_text(col('g', g.targeting))}, 'entitlement')"),
        ("max_desil", "INTEGER", _int(col("g", g.max_desil))),
        ("allowed", "INTEGER", allowed),
        ("min_age", "INTEGER", _int(col("g", g.min_age))),
        ("max_age", "INTEGER", _int(col("g", g.max_age))),
        ("min_age_months", "INTEGER", _int(col("g", g.min_age_months))),
        ("max_age_months", "INTEGER", _int(col("g", g.max_age_months))),
        ("sex", "TEXT", _text(col("g", g.sex))),
        ("recipient", "TEXT", f"COALESCE({_text(col('g', g.recipient))}, 'head')"),
        *[
            (f"need_{c}", "INTEGER", f"CASE WHEN {categories} LIKE '%,{c},%' THEN 1 ELSE 0 END")
            for c in CATEGORIES
        ],
        ("has_rules", "INTEGER", f"CASE WHEN {rules} THEN 1 ELSE 0 END"),
        ("rupiah_year", "BIGINT", year),
        ("rupiah_month", "BIGINT", rupiah_month_sql(year)),
        ("payments", "BIGINT", payments),
    ]
    _create(db, "tg_tmp_prog", "programme_id", columns, f"FROM {tbl(g.table)} g", step="staging.programmes")


def _person_columns(s: TargetingSchema, d: Dialect) -> tuple[Columns, str]:
    """The staged persons' columns and their ``FROM`` (persons joined to their families)."""
    p, f = s.persons, s.families
    status, family_status = _text(col("p", p.status)), _text(col("f", f.status))
    columns: Columns = [
        ("person_id", "BIGINT", _big(col("p", p.id))),
        ("family_id", "BIGINT", _big(col("p", p.family_id))),
        ("nik", "TEXT", _text(col("p", p.nik))),
        ("status", "TEXT", status),
        ("status_bit", "INTEGER", status_bit(status)),
        (
            "death_ymd",
            "INTEGER",
            f"CASE WHEN {status} = 'meninggal' THEN {d.ymd(col('p', p.death_date))} END",
        ),
        ("birth_ymd", "INTEGER", d.ymd(col("p", p.birth_date))),
        ("sex", "TEXT", _text(col("p", p.sex))),
        ("relationship", "TEXT", _text(col("p", p.relationship))),
        (
            "kelurahan_code",
            "TEXT",
            f"COALESCE({_text(col('p', p.kelurahan_code))}, {_text(col('f', f.kelurahan_code))})",
        ),
        ("in_school", "INTEGER", d.flag(col("p", p.in_school))),
        ("pregnant", "INTEGER", d.flag(col("p", p.is_pregnant))),
        ("disability", "INTEGER", d.flag(col("p", p.disability))),
        ("desil", "INTEGER", _int(col("f", f.desil))),
        ("family_status", "TEXT", family_status),
        ("family_bit", "INTEGER", status_bit(family_status)),
    ]
    source = f"FROM {tbl(p.table)} p LEFT JOIN {tbl(f.table)} f ON {col('f', f.id)} = {col('p', p.family_id)}"
    return columns, source


def _family_columns(s: TargetingSchema, d: Dialect) -> Columns:
    """The staged families' own columns (``f``: the contract's families), before the members'."""
    f = s.families
    status = _text(col("f", f.status))
    return [
        ("family_id", "BIGINT", _big(col("f", f.id))),
        ("desil", "INTEGER", _int(col("f", f.desil))),
        ("extreme_poor", "INTEGER", d.flag(col("f", f.extreme_poor))),
        ("status", "TEXT", status),
        ("status_bit", "INTEGER", status_bit(status)),
        ("kelurahan_code", "TEXT", _text(col("f", f.kelurahan_code))),
        ("house_owned", "INTEGER", d.flag(col("f", f.house_owned))),
        ("house_unfit", "INTEGER", d.flag(col("f", f.house_unfit))),
    ]


def _persons(db: Db, s: TargetingSchema) -> None:
    columns, source = _person_columns(s, db.dialect)
    _create(db, "tg_tmp_person", "person_id", columns, source, step="staging.persons")
    if not db.dialect.is_postgres:  # PostgreSQL hashes instead (and sorts text slowly in most collations)
        db.execute("CREATE INDEX tg_tmp_person_nik ON tg_tmp_person (nik)", step="staging.persons")


def _families(db: Db, s: TargetingSchema, ref: dt.date) -> None:
    f = s.families
    active = "m.status = 'aktif'"
    age = age_years("m.birth_ymd", ref)
    status = _text(col("f", f.status))
    mother = f"""COALESCE(CASE WHEN a.head_sex = 'P' THEN a.head_status
      ELSE COALESCE(a.istri_status, a.head_status) END, {status})"""
    columns: Columns = [
        *_family_columns(s, db.dialect),
        ("head_bit", "INTEGER", status_bit(f"COALESCE(a.head_status, {status})")),
        ("mother_bit", "INTEGER", status_bit(mother)),
        *[
            (c, "INTEGER", f"COALESCE(a.{c}, 0)")
            for c in ("n_active", "pkh_component", "any_in_school", "any_pregnant", "any_disability")
        ],
    ]
    source = f"""FROM {tbl(f.table)} f LEFT JOIN (
          SELECT m.family_id,
            MAX(CASE WHEN m.relationship = 'kepala' THEN m.status END) AS head_status,
            MAX(CASE WHEN m.relationship = 'kepala' THEN m.sex END) AS head_sex,
            MAX(CASE WHEN m.relationship = 'istri' THEN m.status END) AS istri_status,
            SUM(CASE WHEN {active} THEN 1 ELSE 0 END) AS n_active,
            MAX(CASE WHEN {active} AND ({age} < 6 OR (m.in_school = 1 AND {age} <= 21)
              OR m.pregnant = 1 OR {age} >= 70 OR m.disability = 1) THEN 1 ELSE 0 END) AS pkh_component,
            MAX(CASE WHEN {active} THEN m.in_school ELSE 0 END) AS any_in_school,
            MAX(CASE WHEN {active} THEN m.pregnant ELSE 0 END) AS any_pregnant,
            MAX(CASE WHEN {active} THEN m.disability ELSE 0 END) AS any_disability
          FROM tg_tmp_person m GROUP BY m.family_id
        ) a ON a.family_id = {col("f", f.id)}"""
    _create(db, "tg_tmp_family", "family_id", columns, source, step="staging.families")


def _entries(db: Db, s: TargetingSchema, period: str, direct: bool = False) -> None:
    """The period's roll entries with what the rules need of the person and family they are linked to:
    from the staged tables, or with ``direct`` from the contract's tables (same expressions), so that
    the entries can be staged while another connection stages the persons and families."""
    r = s.roll_entries
    person_id, family_id = _big(col("r", r.person_id)), _big(col("r", r.family_id))
    family = f"COALESCE({family_id}, p.family_id)"
    persons, families = "tg_tmp_person", "tg_tmp_family"
    if direct:
        of_person = ("person_id", "family_id", "status", "status_bit", "death_ymd", "kelurahan_code")
        columns_p, source_p = _person_columns(s, db.dialect)
        select_p = ", ".join(f"{e} AS {c}" for c, _, e in columns_p if c in of_person)
        persons = f"(SELECT {select_p} {source_p})"
        of_family = ("family_id", "desil", "status", "status_bit", "kelurahan_code")
        select_f = ", ".join(f"{e} AS {c}" for c, _, e in _family_columns(s, db.dialect) if c in of_family)
        families = f"(SELECT {select_f} FROM {tbl(s.families.table)} f)"
    # matched: linked, and the person or family linked to is in the registry
    matched = (
        f"CASE WHEN {_text(col('r', r.link_status))} = 'matched' "
        "AND (p.person_id IS NOT NULL OR f.family_id IS NOT NULL) THEN 1 ELSE 0 END"
    )
    columns: Columns = [
        ("entry_id", "BIGINT", _big(col("r", r.id))),
        ("programme_id", "BIGINT", "g.programme_id"),
        ("unit", "TEXT", "g.unit"),
        ("strategy", "TEXT", "g.strategy"),
        ("row_number", "INTEGER", _int(col("r", r.row_number))),
        ("person_id", "BIGINT", person_id),
        ("family_id", "BIGINT", family),
        ("matched", "INTEGER", matched),
        ("nik", "TEXT", _text(col("r", r.nik))),
        (
            "kelurahan_code",
            "TEXT",
            f"COALESCE(p.kelurahan_code, f.kelurahan_code, {_text(col('r', r.kelurahan_code))})",
        ),
        ("desil", "INTEGER", "f.desil"),
        ("person_status", "TEXT", "p.status"),
        ("family_status", "TEXT", "f.status"),
        ("person_bit", "INTEGER", "COALESCE(p.status_bit, 0)"),
        ("family_bit", "INTEGER", "COALESCE(f.status_bit, 0)"),
        ("death_ymd", "INTEGER", "p.death_ymd"),
        ("unit_key", "BIGINT", f"CASE WHEN g.unit = 'person' THEN {person_id} ELSE {family} END"),
        *_entry_rupiah(col("r", r.benefit_rp)),
    ]
    source = f"""FROM {tbl(r.table)} r
        JOIN tg_tmp_prog g ON g.programme_id = {col("r", r.programme_id)}
        LEFT JOIN {persons} p ON p.person_id = {col("r", r.person_id)}
        LEFT JOIN {families} f ON f.family_id = {family}
        WHERE {col("r", r.period)} = ?"""
    # PostgreSQL needs neither a key nor the (programme, unit) index: it hashes (SQLite seeks).
    pg = db.dialect.is_postgres
    _create(
        db, "tg_tmp_entry", None if pg else "entry_id", columns, source, (period,), step="staging.entries"
    )
    indexes = [("person", "person_id, programme_id"), ("family", "family_id, programme_id")]
    for name, cols in indexes if pg else [*indexes, ("unit", "programme_id, unit_key")]:
        db.execute(f"CREATE INDEX tg_tmp_entry_{name} ON tg_tmp_entry ({cols})", step="staging.entries")


def _entry_rupiah(amount: str) -> Columns:
    """An entry's rupiah a year and a month: the amount of one payment written on its list row times
    the programme's payments a year, else the programme's own value (an amount of 0 or less counts as
    none given: a row is on a benefit list to be paid)."""
    if amount == "NULL":
        return [("rupiah_year", "BIGINT", "g.rupiah_year"), ("rupiah_month", "BIGINT", "g.rupiah_month")]
    own = f"CAST({amount} AS BIGINT)"
    year = f"CASE WHEN {own} > 0 THEN {own} * g.payments ELSE g.rupiah_year END"
    month = f"CASE WHEN {own} > 0 THEN {rupiah_month_sql(f'{own} * g.payments')} ELSE g.rupiah_month END"
    return [("rupiah_year", "BIGINT", year), ("rupiah_month", "BIGINT", month)]


def _exclusions(db: Db, s: TargetingSchema) -> None:
    x = s.exclusions
    db.execute(
        f"""CREATE {db.table_kind} TABLE tg_tmp_excl AS
        SELECT DISTINCT {_big(col("x", x.programme_a))} AS a, {_big(col("x", x.programme_b))} AS b,
          CAST(gb.unit AS TEXT) AS b_unit, CAST(gb.code AS TEXT) AS b_code,
          CAST(CASE WHEN ga.unit = 'person' AND gb.unit = 'person' THEN 'person' ELSE 'family' END AS TEXT)
            AS match_on
        FROM {tbl(x.table)} x JOIN tg_tmp_prog gb ON gb.programme_id = {col("x", x.programme_b)}
        JOIN tg_tmp_prog ga ON ga.programme_id = {col("x", x.programme_a)}""",
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
        f"p.nik IN (SELECT {_text(col('a', a.nik))} FROM {tbl(a.table)} a "
        f"WHERE {col('a', a.nik)} IS NOT NULL)"
        if a.nik
        else "1 = 0"
    )
    db.execute(
        f"""CREATE {db.table_kind} TABLE tg_tmp_asn AS
        SELECT DISTINCT CAST(p.person_id AS BIGINT) AS person_id, CAST(p.family_id AS BIGINT) AS family_id
        FROM tg_tmp_person p WHERE {by_id} OR {by_nik}""",
        step="staging.asn",
    )
    db.execute(
        f"""CREATE {db.table_kind} TABLE tg_tmp_asn_nik AS
        SELECT DISTINCT {_text(col("a", a.nik))} AS nik FROM {tbl(a.table)} a
        WHERE {col("a", a.nik)} IS NOT NULL""",
        step="staging.asn",
    )
    db.execute("CREATE INDEX tg_tmp_asn_person ON tg_tmp_asn (person_id)", step="staging.asn")
    db.execute("CREATE INDEX tg_tmp_asn_family ON tg_tmp_asn (family_id)", step="staging.asn")
    db.execute("CREATE INDEX tg_tmp_asn_nik_i ON tg_tmp_asn_nik (nik)", step="staging.asn")
