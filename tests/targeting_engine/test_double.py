"""Double-receipt findings on hand-made cases, each on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from padu.targeting.engine import MembershipsTable, TargetingSchema
from tests.targeting_engine.helpers import World


def test_it_flags_every_copy_after_the_first_in_one_programme(world: World) -> None:
    pbi = world.programme(1, "pbi")
    bpnt = world.programme(2, "bpnt", unit="family")
    fam = world.family(1)
    world.person(1, fam)
    world.person(2, fam, relationship="istri", sex="P")
    first = world.entry(pbi, person=1, row=5)
    second = world.entry(pbi, person=1, row=9)
    third = world.entry(pbi, person=1, row=12)
    world.entry(pbi, person=2, row=6)
    head = world.entry(bpnt, person=1, family=fam, row=1)
    wife = world.entry(bpnt, person=2, family=fam, row=2)  # same family, other recipient
    world.entry(pbi, row=20)  # unmatched rows are never duplicates of each other
    world.entry(pbi, row=21)
    world.run()
    found = [(f["roll_entry_id"], f["other_roll_entry_id"]) for f in world.findings("double_in_programme")]
    assert sorted(found) == sorted([(wife, head), (second, first), (third, first)])
    copies = {json.loads(f["detail"])["copies"] for f in world.findings("double_in_programme")}
    assert copies == {2, 3}


def test_it_flags_the_excluding_programme_entry_of_a_double_receipt(world: World) -> None:
    pkh = world.programme(1, "pkh", unit="family", value=2_400_000, frequency="annual")
    blt = world.programme(2, "blt", unit="family", value=300_000)
    apbn = world.programme(3, "pbi_jk", value=42_000)
    apbd = world.programme(4, "pbi_apbd", value=42_000)
    world.exclusive(blt, pkh)
    world.exclusive(apbd, apbn)
    fam = world.family(1)
    world.person(1, fam)
    world.person(2, fam, relationship="istri", sex="P")
    pkh_row = world.entry(pkh, person=2, family=fam)
    blt_row = world.entry(blt, person=1, family=fam)
    apbn_row = world.entry(apbn, person=1)
    world.entry(apbd, person=2)  # a different person: no double receipt
    apbd_row = world.entry(apbd, person=1)
    world.run()
    found = {f["roll_entry_id"]: f for f in world.findings("double_exclusive")}
    assert set(found) == {blt_row, apbd_row}
    assert found[blt_row]["other_roll_entry_id"] == pkh_row
    assert found[apbd_row]["other_roll_entry_id"] == apbn_row
    assert found[blt_row]["rupiah_month"] == 300_000
    assert json.loads(found[blt_row]["detail"]) == {"other_programme": "pkh", "conflicts": 1}


def test_it_flags_a_person_in_two_families_by_nik(world: World) -> None:
    pbi = world.programme(1, "pbi", value=42_000)
    world.person(1, world.family(1), nik="3673010101800001")
    world.person(2, world.family(2), nik="3673010101800001", relationship="anak")
    world.person(3, world.family(3), nik="3673010101800003")
    world.person(4, world.family(4), nik="3673010101800003", status="ganda")  # already marked
    world.entry(pbi, person=2)
    world.run()
    [finding] = world.findings("double_family")
    assert (finding["person_id"], finding["family_id"], finding["severity"]) == (2, 2, "high")
    assert finding["rupiah_month"] == 42_000
    assert json.loads(finding["detail"]) == {"other_family_id": 1, "entries": 1}


def test_it_flags_a_person_with_two_current_memberships(world: World) -> None:
    world.programme(1, "pbi")
    world.person(1, world.family(1))
    world.family(2)
    world.db.execute("CREATE TABLE tg_membership (person_id BIGINT, family_id BIGINT, valid_to DATE)")
    world.db.execute("INSERT INTO tg_membership VALUES (1, 1, NULL), (1, 2, NULL)")
    world.schema = TargetingSchema(memberships=MembershipsTable())
    world.run()
    [finding] = world.findings("double_family")
    assert (finding["person_id"], finding["severity"], finding["rupiah_month"]) == (1, "medium", 0)
