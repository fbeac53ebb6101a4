"""The persons' view of the mapping: relationship of the live membership (a join, one row a person)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from padu.registry.models import Membership, Person
from padu.targeting import mapping
from tests.conftest import KEL_A1
from tests.targeting.conftest import PERIOD, family, person


@pytest.mark.django_db
def test_persons_carry_the_relationship_of_their_live_membership_only() -> None:
    old, new = family(KEL_A1, 2), family(KEL_A1, 3)
    moved = person(new, "PINDAH KK", "1990-01-01", rel="kepala", occupation="PELAJAR SMA")
    Membership.objects.filter(person=moved).update(valid_from=dt.date(2024, 1, 1))
    Membership.objects.create(
        person=moved, family=old, relationship="anak", valid_from=dt.date(2000, 1, 1),
        valid_to=dt.date(2023, 12, 31),
    )  # fmt: skip
    gone = person(old, "KELUAR", "1980-01-01", rel="istri", occupation="Mahasiswa")
    Membership.objects.filter(person=gone).update(valid_to=dt.date(2025, 1, 1))
    alone = Person.objects.create(
        nik="3673010000000099", name="TANPA KK", sex="L", family=old, kelurahan_id=KEL_A1,
        occupation="Petani",
    )  # fmt: skip
    mapping.stage(period=PERIOD)
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT id, relationship_c, in_school_c FROM tgd_person ORDER BY id")
            rows = {pk: (rel, bool(school)) for pk, rel, school in cur.fetchall()}
    finally:
        mapping.drop_staging()
    assert rows == {moved.pk: ("kepala", True), gone.pk: (None, True), alone.pk: (None, False)}
