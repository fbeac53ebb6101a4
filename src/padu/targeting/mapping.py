"""Padu's tables as the targeting engine's contract (:class:`~padu.targeting.engine.TargetingSchema`).

:func:`stage` creates, on Django's connection, temporary tables filled with set-based
``CREATE TEMP TABLE … AS SELECT`` from the registry, the programme rolls and the links (the SELECTs
are built with the ORM, so they are the same on SQLite and PostgreSQL); memberships and programme
exclusions are read in place. Programmes (a dozen rows) are flattened in Python by
:func:`programme_row`, because their eligibility is JSON with "any of" categories the contract spells
differently.

Mapping decisions (docs/targeting.md, "Django side"):

* roll entries of the period: link ``auto``/``accepted`` → ``matched`` (person/family as linked);
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
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import NullIf

from padu.linkage.choices import Decision
from padu.programs.models import Programme, RollEntry
from padu.registry.models import Family, Membership, Person, WelfareRecord
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

__all__ = ["STAGE_TABLES", "Staged", "drop_staging", "programme_row", "stage"]

STAGE_TABLES = ("tgd_person", "tgd_family", "tgd_programme", "tgd_entry", "tgd_exclusion")
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


def _create_as(cursor: Any, name: str, queryset: Any) -> int:
    sql, params = queryset.query.sql_with_params()
    cursor.execute(f"CREATE TEMP TABLE {name} AS {sql}", params)
    cursor.execute(f"SELECT COUNT(*) FROM {name}")
    return int(cursor.fetchone()[0])


def _persons() -> Any:
    pupil = Q(occupation__istartswith="pelajar") | Q(occupation__istartswith="mahasiswa")
    return Person.objects.annotate(
        family_c=F("family_id") + Value(0),  # no SQLite affinity, like tgd_family.family_pk (see there)
        nik_c=NullIf(F("nik"), Value("")),
        relationship_c=Subquery(
            Membership.objects.filter(person=OuterRef("pk"), valid_to__isnull=True).values("relationship")[:1]
        ),
        in_school_c=Case(When(pupil, then=Value(True)), default=Value(False)),
    ).values(
        "id",
        "family_c",
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


def _families() -> Any:
    latest = WelfareRecord.objects.filter(family=OuterRef("pk")).order_by("-period", "-id")

    def housing(key: str) -> Subquery:
        return Subquery(latest.annotate(v=KT(f"housing__{key}")).values("v")[:1])

    unfit = Q(floor_c="Tanah") | (Q(wall_c__isnull=False) & ~Q(wall_c__in=sorted(FIT_WALLS)))
    return (
        Family.objects.annotate(
            own_c=housing("house_ownership"),
            floor_c=housing("floor"),
            wall_c=housing("wall"),
            roof_c=housing("roof"),
        )
        .annotate(
            house_owned_c=Case(When(own_c="Milik sendiri", then=Value(True)), default=Value(False)),
            house_unfit_c=Case(
                When(unfit | Q(roof_c__in=sorted(POOR_ROOF)), then=Value(True)), default=Value(False)
            ),
        )
        # id + 0: a column without SQLite affinity, like the engine's COALESCE(entry family, person
        # family) it is joined with — with INTEGER affinity on one side only, SQLite builds no automatic
        # index and the package matrix scanned every entry for every priority family (50 s at 250,000
        # persons). Persons' family_c is made the same way so that their join keeps its index too.
        .annotate(family_pk=F("id") + Value(0))
        .values(
            "family_pk", "desil", "status", "kelurahan_id", "extreme_poor", "house_owned_c", "house_unfit_c"
        )
    )


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


def stage(*, period: str) -> Staged:
    """Create the ``tgd_*`` temporary tables for ``period`` on Django's connection."""
    drop_staging()
    inputs: dict[str, Any] = {}
    with connection.cursor() as cur:
        inputs["persons"] = _create_as(cur, "tgd_person", _persons())
        inputs["families"] = _create_as(cur, "tgd_family", _families())
        inputs["entries"] = _create_as(cur, "tgd_entry", _entries(period))
        inputs["exclusions"] = _create_as(cur, "tgd_exclusion", _exclusions())
        for table, column in (
            ("tgd_person", "id"),
            ("tgd_person", "family_c"),
            ("tgd_family", "family_pk"),
            ("tgd_entry", "person_c"),
        ):
            cur.execute(f"CREATE INDEX {table}_{column}_idx ON {table} ({column})")
        defs = ", ".join(f"{name} {kind}" for name, kind in PROGRAMME_COLUMNS)
        cur.execute(f"CREATE TEMP TABLE tgd_programme ({defs})")
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
            family_id="family_c",
            nik="nik_c",
            kelurahan_code="kelurahan_id",
            relationship="relationship_c",
            is_pregnant=None,
            disability="disability",
            in_school="in_school_c",
        ),
        families=FamiliesTable(
            table="tgd_family",
            id="family_pk",
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
        ),
        memberships=MembershipsTable(table="registry_membership"),
    )
    return Staged(schema=schema, inputs=inputs)


def drop_staging() -> None:
    with connection.cursor() as cur:
        for name in STAGE_TABLES:
            cur.execute(f"DROP TABLE IF EXISTS {name}")
