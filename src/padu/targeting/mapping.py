"""Padu's tables as the targeting engine's contract (:class:`~padu.targeting.engine.TargetingSchema`).

:func:`stage` creates, on Django's connection, temporary views (``CREATE TEMP VIEW … AS SELECT``) over
the registry, the programme rolls and the links, which the engine reads once while it stages (the
SELECTs are built with the ORM, so they are the same on SQLite and PostgreSQL); memberships and programme
exclusions are read in place. Programmes (a dozen rows) are flattened in Python by
:func:`programme_row`, because their eligibility is JSON with "any of" categories the contract spells
differently.

Mapping decisions (docs/targeting.md, "Django side"):

* roll entries of the period: link ``auto``/``accepted`` → ``matched`` (person/family as linked);
  an entry's own amount (``benefit_rp``, from the list's "Nominal" column) values its findings in place
  of the programme's benefit value;
  ``unmatched``/``rejected`` → not matched (counts as not in the registry); ``review`` and rows not
  linked yet are left out of the run (neither matched nor unregistered) and counted in ``inputs``;
* persons: ``in_school`` = occupation ``Pelajar/Mahasiswa`` (Dukcapil's code; the registry holds no
  school enrolment of its own); ``is_pregnant`` unknown (no column: pregnancy counts for no one);
* families: desil, status, extreme poor as in the registry; ``house_owned``/``house_unfit`` from the
  family's latest welfare record (ownership, floor, wall, roof as the generator codes) — like desil, the
  registry's current view, whatever the period of the lists;
* exclusive programmes (``exclusive_of``, symmetric in Padu): the entry flagged as double receipt is
  the one of the programme funded closer to the city (APBDes < APBD kota < APBD provinsi < APBN: a local
  top-up gives way to the national programme); both when funded at the same level;
* programmes: ``quota`` targeting when the programme has a quota, is inactive, or has a condition the
  contract cannot check (occupation, pregnancy, …): such programmes give no exclusion findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Case, Count, F, FilteredRelation, Q, Value, When
from django.db.models.functions import NullIf

from padu.linkage.choices import Decision
from padu.programs.models import Programme, RollEntry
from padu.registry.models import Family, Person, WelfareRecord
from padu.targeting.engine import (
    ExclusionsTable,
    FamiliesTable,
    MembershipsTable,
    PersonsTable,
    ProgrammesTable,
    RollEntriesTable,
    TargetingSchema,
)
from padu.targeting.engine.synthload import FIT_WALLS, POOR_ROOF

__all__ = ["STAGE_VIEWS", "Staged", "drop_staging", "programme_row", "stage"]

STAGE_VIEWS = ("tgd_person", "tgd_family", "tgd_entry", "tgd_exclusion")
# Which side of an exclusive pair is flagged: the programme funded closer to the city gives way.
FUNDING_RANK = {"apbdes": 0, "apbd_kota": 1, "lainnya": 1, "apbd_provinsi": 2, "apbn": 3}
FREQUENCY = {"bulanan": "monthly", "triwulanan": "quarterly", "tahunan": "annual", "sekali": "once"}
PKH_CATEGORIES = frozenset({"ibu_hamil", "balita", "usia_sekolah", "lansia", "disabilitas"})
FLAG_EXTRAS = {"house_owned", "house_unfit", "extreme_poor", "pkh_component", "disability"}
_DAILY = re.compile(r"harian selama (\d+) hari")
PROGRAMME_COLUMNS = (
    ("id", "BIGINT"),
    ("code", "TEXT"),
    ("opd", "TEXT"),
    ("unit", "TEXT"),
    ("benefit_value_rp", "BIGINT"),
    ("benefit_frequency", "TEXT"),
    ("payments_per_year", "INTEGER"),
    ("strategy", "TEXT"),
    ("targeting", "TEXT"),
    ("max_desil", "INTEGER"),
    ("min_age", "INTEGER"),
    ("max_age", "INTEGER"),
    ("min_age_months", "INTEGER"),
    ("max_age_months", "INTEGER"),
    ("sex", "TEXT"),
    ("categories", "TEXT"),
)


@dataclass
class Staged:
    schema: TargetingSchema
    inputs: dict[str, Any] = field(default_factory=dict)


def programme_row(p: Programme) -> tuple[tuple[Any, ...], list[str]]:
    """The contract row of one programme and the conditions it cannot check (bilingual-free codes)."""
    rule = p.eligibility or {}
    unsupported: list[str] = []
    ages: dict[str, int | None] = {
        "min_age": None,
        "max_age": None,
        "min_age_months": None,
        "max_age_months": None,
    }
    suffix = "_months" if rule.get("age_unit") == "bulan" else ""
    ages["min_age" + suffix], ages["max_age" + suffix] = rule.get("age_min"), rule.get("age_max")
    no_age = all(v is None for v in ages.values())
    categories: list[str] = []
    wanted = set(rule.get("categories") or [])
    if wanted >= PKH_CATEGORIES:
        categories.append("pkh_component")
    elif wanted == {"usia_sekolah"}:  # school age *and* at school (PIP, scholarships)
        categories.append("in_school")
        if no_age:
            ages["min_age"], ages["max_age"] = 6, 21
    elif wanted == {"disabilitas"}:
        categories.append("disability")
    elif wanted == {"balita"} and no_age:
        ages["max_age_months"] = 59
    elif wanted == {"lansia"} and no_age:
        ages["min_age"] = 60
    elif wanted:
        unsupported.append("categories:" + ",".join(sorted(wanted)))
    for extra in rule.get("extra") or []:
        name = extra.get("field")
        if name in FLAG_EXTRAS and extra.get("op") == "==" and extra.get("value") is True:
            categories.append(name)
        else:
            unsupported.append(f"{name} {extra.get('op')} {extra.get('value')}")
    frequency, per_year = FREQUENCY.get(p.benefit_frequency or "", "once"), None
    if m := _DAILY.search(p.benefit_note or ""):
        frequency, per_year = "daily", int(m[1])
    quota = bool(p.quota) or not p.is_active or bool(unsupported)
    row = (
        p.pk,
        p.code,
        p.opd.code if p.opd_id else None,
        p.unit,
        int(p.benefit_value_rp or 0),
        frequency,
        per_year,
        p.strategy,
        "quota" if quota else "entitlement",
        rule.get("desil_max"),
        ages["min_age"],
        ages["max_age"],
        ages["min_age_months"],
        ages["max_age_months"],
        rule.get("sex") or None,
        ",".join(dict.fromkeys(categories)) or None,
    )
    return row, unsupported


def _view(cursor: Any, name: str, queryset: Any, kind: str = "TEMP") -> None:
    """``CREATE TEMP VIEW name AS <the queryset's SELECT>``: the engine's staging reads it once (a table
    here would copy a million persons twice). A view holds no parameters, so the queryset's (codes and
    constants of this module, never user input) are written in as SQL literals."""
    if isinstance(queryset, str):  # written by hand, literals only
        cursor.execute(f"CREATE {kind} VIEW {name} AS {queryset}")
        return
    # No ORDER BY: a model's default ordering (roll entries: OPD, programme, row) made PostgreSQL sort
    # every entry on disk before staging them (3 s at 1M persons).
    sql, params = queryset.order_by().query.sql_with_params()
    if connection.vendor == "postgresql":
        sql = connection.ops.compose_sql(sql, params)  # type: ignore[attr-defined]  # PostgreSQL backend
    else:
        sql = sql % tuple(_sqlite_literal(p) for p in params)
    cursor.execute(f"CREATE {kind} VIEW {name} AS {sql}")


def _sqlite_literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"parameter {value!r} cannot be written into a view")


def _persons() -> Any:
    """Persons with the relationship of their live membership: a LEFT JOIN, not a lookup per person
    (1M persons: SQLite 3.4 -> 2.2 s CPU to read them, PostgreSQL 1.8 -> 0.5 s); the same rows: a person
    has at most one live membership (constraint ``membership_one_live_per_person``)."""
    pupil = Q(occupation__istartswith="pelajar") | Q(occupation__istartswith="mahasiswa")
    return Person.objects.annotate(
        live=FilteredRelation("memberships", condition=Q(memberships__valid_to__isnull=True)),
        nik_c=NullIf(F("nik"), Value("")),
        relationship_c=F("live__relationship"),
        in_school_c=Case(When(pupil, then=Value(True)), default=Value(False)),
    ).values(
        "id",
        "family_id",
        "status",
        "nik_c",
        "death_date",
        "birth_date",
        "sex",
        "kelurahan_id",
        "relationship_c",
        "disability",
        "in_school_c",
    )


def _families() -> str:
    """Families with two flags from the housing answers of their latest welfare record. Each flag is
    one scalar subquery (a lookup of the latest record), not a join: a view with a join inside cannot
    be merged into the engine's ``persons LEFT JOIN families`` on SQLite, which then built the whole
    view (every welfare lookup) a second time for the persons. PostgreSQL merges either form and
    runs a join to the latest records (``DISTINCT ON``) faster than the lookups."""
    family, welfare = Family._meta.db_table, WelfareRecord._meta.db_table

    def get(key: str) -> str:
        if connection.vendor == "postgresql":
            return f"(w.housing ->> '{key}')"
        return f"json_extract(w.housing, '$.{key}')"

    def codes(values: Any) -> str:
        return ", ".join("'" + v.replace("'", "''") + "'" for v in sorted(values))

    def latest(condition: str) -> str:
        return (
            f"COALESCE((SELECT CASE WHEN {condition} THEN TRUE ELSE FALSE END FROM {welfare} w"
            " WHERE w.family_id = f.id ORDER BY w.period DESC, w.id DESC LIMIT 1), FALSE)"
        )

    wall = get("wall")
    unfit = (
        f"{get('floor')} = 'Tanah' OR ({wall} IS NOT NULL AND {wall} NOT IN ({codes(FIT_WALLS)}))"
        f" OR {get('roof')} IN ({codes(POOR_ROOF)})"
    )
    if connection.vendor == "postgresql":  # one sort of the welfare records, then a hash join
        return f"""SELECT f.id, f.desil, f.status, f.kelurahan_id, f.extreme_poor,
      COALESCE({get("house_ownership")} = 'Milik sendiri', FALSE) AS house_owned_c,
      COALESCE({unfit}, FALSE) AS house_unfit_c
    FROM {family} f LEFT JOIN (SELECT DISTINCT ON (family_id) family_id, housing FROM {welfare}
      ORDER BY family_id, period DESC, id DESC) w ON w.family_id = f.id"""
    return f"""SELECT f.id, f.desil, f.status, f.kelurahan_id, f.extreme_poor,
      {latest(f"{get('house_ownership')} = 'Milik sendiri'")} AS house_owned_c,
      {latest(unfit)} AS house_unfit_c
    FROM {family} f"""


def _entries(period: str) -> Any:
    linked = [Decision.AUTO, Decision.ACCEPTED]
    return (
        RollEntry.objects.filter(
            roll__period=period,
            link__decision__in=[*linked, Decision.UNMATCHED, Decision.REJECTED],
        )
        .annotate(
            programme_c=F("roll__programme_id"),
            period_c=F("roll__period"),
            link_c=Case(When(link__decision__in=linked, then=Value("matched")), default=Value("unmatched")),
            person_c=Case(When(link__decision__in=linked, then=F("person_id"))),
            family_c=Case(
                When(link__decision__in=linked, roll__programme__unit="family", then=F("family_id"))
            ),
            nik_c=NullIf(F("nik"), Value("")),
        )
        .values(
            "id",
            "programme_c",
            "period_c",
            "row_number",
            "person_c",
            "family_c",
            "link_c",
            "nik_c",
            "name",
            "kelurahan_id",
            "benefit_rp",
        )
    )


def _exclusions() -> Any:
    through = Programme.exclusive_of.through

    def rank(side: str) -> Case:
        whens = [When(**{f"{side}__funding_source": k}, then=Value(v)) for k, v in FUNDING_RANK.items()]
        return Case(*whens, default=Value(1))

    return (
        through.objects.annotate(rank_a=rank("from_programme"), rank_b=rank("to_programme"))
        .filter(**{"rank_a__lte": F("rank_b")})
        .values("from_programme_id", "to_programme_id")
    )


def stage(*, period: str, shared: bool = False) -> Staged:
    """Create the ``tgd_*`` temporary views (and the programmes' table) for ``period`` on Django's
    connection; the engine reads each view once while it stages."""
    drop_staging()
    inputs: dict[str, Any] = {"exclusions": _exclusions().count()}  # the rest is counted as staged
    with connection.cursor() as cur:
        # shared: plain views and an unlogged table in the schema first on the search_path, so that
        # the engine's other connections see them too (``run_targeting(helpers=...)``, PostgreSQL).
        view = "" if shared else "TEMP"
        _view(cur, "tgd_person", _persons(), view)
        _view(cur, "tgd_family", _families(), view)
        _view(cur, "tgd_entry", _entries(period), view)
        _view(cur, "tgd_exclusion", _exclusions(), view)
        defs = ", ".join(f"{name} {kind}" for name, kind in PROGRAMME_COLUMNS)
        cur.execute(f"CREATE {'UNLOGGED' if shared else 'TEMP'} TABLE tgd_programme ({defs})")
        rows, unsupported = [], {}
        for programme in Programme.objects.select_related("opd").order_by("pk"):
            row, skipped = programme_row(programme)
            rows.append(row)
            if skipped:
                unsupported[programme.code] = skipped
        marks = ", ".join(["%s"] * len(PROGRAMME_COLUMNS))
        if rows:
            cur.executemany(f"INSERT INTO tgd_programme VALUES ({marks})", rows)
    inputs["programmes"] = len(rows)
    inputs["unsupported"] = unsupported
    decisions = dict(
        RollEntry.objects.filter(roll__period=period)
        .values_list("link__decision")
        .annotate(n=Count("id"))
        .order_by()
    )
    inputs["links"] = {str(k or "none"): int(v) for k, v in decisions.items()}
    schema = TargetingSchema(
        persons=PersonsTable(
            table="tgd_person",
            family_id="family_id",
            nik="nik_c",
            kelurahan_code="kelurahan_id",
            relationship="relationship_c",
            is_pregnant=None,
            disability="disability",
            in_school="in_school_c",
        ),
        families=FamiliesTable(
            table="tgd_family",
            id="id",
            kelurahan_code="kelurahan_id",
            house_owned="house_owned_c",
            house_unfit="house_unfit_c",
        ),
        programmes=ProgrammesTable(table="tgd_programme", statuses=None, recipient=None),
        exclusions=ExclusionsTable(
            table="tgd_exclusion", programme_a="from_programme_id", programme_b="to_programme_id"
        ),
        roll_entries=RollEntriesTable(
            table="tgd_entry",
            programme_id="programme_c",
            period="period_c",
            person_id="person_c",
            family_id="family_c",
            link_status="link_c",
            nik="nik_c",
            kelurahan_code="kelurahan_id",
            benefit_rp="benefit_rp",
        ),
        memberships=MembershipsTable(table="registry_membership"),
    )
    return Staged(schema=schema, inputs=inputs)


def drop_staging() -> None:
    with connection.cursor() as cur:
        for name in STAGE_VIEWS:
            cur.execute(f"DROP VIEW IF EXISTS {name}")
        cur.execute("DROP TABLE IF EXISTS tgd_programme")
