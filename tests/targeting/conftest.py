"""Targeting app: a hand-made registry with rolls and links, and the generated city.

The engine commits its own transaction on Django's connection, so every test that runs it is
transactional (``transactional_db``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from padu.linkage.models import Link
from padu.programs.models import Programme, Roll, RollEntry
from padu.registry.models import Family, Membership, Person, WelfareRecord
from tests.conftest import KEL_A1, KEL_B1

PERIOD = "2025-06"


@pytest.fixture(autouse=True)
def _targeting_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def family(kel: str, desil: int, *, status: str = "aktif", extreme: bool = False, **housing: str) -> Family:
    fam = Family.objects.create(
        kk=f"36730{Family.objects.count():011d}",
        kelurahan_id=kel,
        desil=desil,
        status=status,
        extreme_poor=extreme,
    )
    if housing:
        WelfareRecord.objects.create(
            family=fam, period="2025-01", source="dtsen", desil=desil, housing=housing
        )
    return fam


def person(fam: Family, name: str, born: str, *, rel: str = "kepala", sex: str = "L", **extra: Any) -> Person:
    nik = f"3673014{Person.objects.count() + 1:09d}"
    p = Person.objects.create(
        nik=nik,
        name=name,
        birth_date=dt.date.fromisoformat(born),
        sex=sex,
        family=fam,
        kelurahan_id=fam.kelurahan_id,
        **extra,
    )
    Membership.objects.create(person=p, family=fam, relationship=rel, valid_from=dt.date(2020, 1, 1))
    return p


def entry(
    roll: Roll, row: int, who: Person | None, decision: str, *, name: str = "X", nik: str = ""
) -> RollEntry:
    e = RollEntry.objects.create(
        roll=roll,
        row_number=row,
        name=name if who is None else who.name,
        nik=nik if who is None else who.nik,
        content_hash=f"{roll.pk}-{row}",
        kelurahan_id=who.kelurahan_id if who else KEL_A1,
    )
    linked = decision in ("auto", "accepted")
    Link.objects.create(
        entry=e,
        person=who if linked else None,
        family=who.family if linked and who else None,
        decision=decision,
    )
    if linked and who is not None:
        RollEntry.objects.filter(pk=e.pk).update(person=who, family=who.family)
    return e


@pytest.fixture
def town(transactional_db, opd_dinsos, opd_dinkes) -> dict[str, Any]:
    """Two programmes (BLT: family, desil <= 2, Rp300,000 monthly, Dinsos; Lansia: person, age >= 60,
    desil <= 3, Dinkes), six families in two kelurahan and their roll entries for 2025-06."""
    blt = Programme.objects.create(
        opd=opd_dinsos,
        code="blt",
        name="BLT",
        funding_source="apbd_kota",
        strategy="kurangi_beban",
        unit="family",
        benefit_value_rp=300_000,
        benefit_frequency="bulanan",
        eligibility={"desil_max": 2, "active_only": True},
    )
    lansia = Programme.objects.create(
        opd=opd_dinkes,
        code="lansia",
        name="Lansia",
        funding_source="apbd_kota",
        strategy="kurangi_beban",
        unit="person",
        benefit_value_rp=200_000,
        benefit_frequency="bulanan",
        eligibility={"desil_max": 3, "age_min": 60, "age_unit": "tahun"},
    )
    f_ok, f_rich, f_dead = family(KEL_A1, 1), family(KEL_A1, 7), family(KEL_A1, 2)
    f_missed, f_other = family(KEL_B1, 1, extreme=True), family(KEL_B1, 2)
    p_ok = person(f_ok, "SITI AMINAH", "1960-01-01", sex="P")
    p_rich = person(f_rich, "BUDI SANTOSO", "1970-05-05")
    p_dead = person(f_dead, "ALM. HASAN", "1940-02-02", status="meninggal", death_date=dt.date(2024, 12, 1))
    p_missed = person(f_missed, "WATI", "1950-03-03", sex="P")
    p_other = person(f_other, "JOKO", "1990-03-03")
    roll_blt = Roll.objects.create(programme=blt, period=PERIOD)
    roll_lansia = Roll.objects.create(programme=lansia, period=PERIOD)
    entries = {
        "ok": entry(roll_blt, 5, p_ok, "auto"),
        "rich": entry(roll_blt, 6, p_rich, "accepted"),
        "unmatched": entry(roll_blt, 7, None, "unmatched", name="ORANG LUAR", nik="3673019999999999"),
        "review": entry(roll_blt, 8, None, "review", name="RAGU RAGU"),
        "other": entry(roll_blt, 9, p_other, "auto"),
        "dead": entry(roll_lansia, 5, p_dead, "auto"),
        "lansia_ok": entry(roll_lansia, 6, p_ok, "auto"),
    }
    return {
        "programmes": {"blt": blt, "lansia": lansia},
        "entries": entries,
        "persons": {"ok": p_ok, "missed": p_missed, "other": p_other},
        "families": {"missed": f_missed},
    }


@pytest.fixture(scope="session")
def city_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from padu.synth import generate

    out = tmp_path_factory.mktemp("targeting_city") / "city"
    generate(out, persons=1500, seed=11)
    return out
