"""What an import stores, value by value and type by type, on both databases: JSON columns hold JSON
arrays and objects (not JSON text in a string), dates are dates, numbers numbers. On PostgreSQL the
registry rows go in with binary COPY, where each value must already have its column's type."""

from __future__ import annotations

import datetime as dt

import pytest

from padu.ingest import services
from padu.registry.models import Family, KkHistory, Membership, Person, StatusChange, WelfareRecord
from tests.ingest.conftest import write_rows

pytestmark = pytest.mark.django_db


def test_the_registry_holds_typed_values(tmp_path, rows):
    rows[1]["tanggal_lahir"] = "1995-07-28"  # the NIK says the 27th: a warning kept with the person
    rows[2]["status_art"] = "meninggal"
    rows[2]["tanggal_status"] = "17-08-2026"
    path = write_rows(tmp_path / "dtsen.csv", rows)
    batch = services.import_file(actor=None, path=path, source="dtsen", period="2026-09")
    assert batch.rejected == 0

    flagged = Person.objects.get(name="ENOK HIDAYAT")
    assert isinstance(flagged.nik_issues, list) and flagged.nik_issues
    assert all(isinstance(issue, dict) and issue.get("code") for issue in flagged.nik_issues)
    head = Person.objects.get(nik="3673011907940101")
    assert head.nik_issues == [] and head.nik_valid is True
    assert head.birth_date == dt.date(1994, 7, 19) and head.sex == "L" and head.disability is False
    dead = Person.objects.get(name="DEDI JUHAENI")
    assert dead.status == "meninggal" and dead.death_date == dt.date(2026, 8, 17)
    assert Membership.objects.get(person=dead).valid_to == dt.date(2026, 9, 1)

    family = Family.objects.get(kk="3673011605150001")
    assert (family.desil, family.extreme_poor, family.kk_valid) == (4, False, True)
    assert family.created_at is not None and family.created_at.tzinfo is not None
    welfare = WelfareRecord.objects.get(family=family)
    assert (welfare.period, welfare.source, welfare.desil) == ("2026-09", "dtsen", 4)
    assert isinstance(welfare.criteria, dict) and welfare.criteria["k1_head_not_working"] is True
    assert welfare.criteria["k6_poor_wall"] is False
    assert isinstance(welfare.housing, dict) and welfare.housing["electricity"]
    assert KkHistory.objects.get(family=family).valid_from == dt.date(2026, 9, 1)
    change = StatusChange.objects.get(person=dead, field="status")
    assert (change.old_value, change.new_value) == ("", "meninggal")
    assert change.effective_date == dt.date(2026, 8, 17)
