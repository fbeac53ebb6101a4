"""Inclusion findings on hand-made cases, each on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from tests.targeting_engine.helpers import World


def _types(world: World, finding_type: str) -> list[tuple[int | None, str]]:
    return [(f["roll_entry_id"], f["severity"]) for f in world.findings(finding_type)]


def test_it_flags_a_family_above_the_desil_threshold_or_graduated(world: World) -> None:
    prog = world.programme(1, "bpnt", max_desil=4)
    rich, near, ok, mampu = (world.family(i, desil=d) for i, d in ((1, 8), (2, 5), (3, 4), (4, 2)))
    for i, fam in enumerate((rich, near, ok, mampu), start=1):
        world.person(10 + i, fam, status="mampu" if fam == mampu else "aktif")
    e_rich = world.entry(prog, person=11)
    e_near = world.entry(prog, person=12)
    world.entry(prog, person=13)
    e_mampu = world.entry(prog, person=14)
    world.run()
    assert _types(world, "inclusion_graduated") == [(e_rich, "high"), (e_near, "medium"), (e_mampu, "high")]
    detail = json.loads(world.findings("inclusion_graduated")[0]["detail"])
    assert detail == {"desil": 8, "max_desil": 4, "person_status": "aktif", "family_status": "aktif"}


def test_it_flags_payment_after_death_only_when_death_precedes_the_period_end(world: World) -> None:
    prog = world.programme(1, "lansia")
    fam = world.family(1)
    world.person(1, fam, status="meninggal", death="2025-01-10")
    world.person(2, fam, status="meninggal", death="2025-07-15", relationship="istri")  # after 30 June
    world.person(3, fam, status="meninggal", death=None, relationship="anak")
    dead = world.entry(prog, person=1)
    world.entry(prog, person=2)
    undated = world.entry(prog, person=3)
    world.run()
    assert _types(world, "inclusion_deceased") == [(dead, "high"), (undated, "high")]
    assert json.loads(world.findings("inclusion_deceased")[0]["detail"]) == {"death_ymd": 20250110}


def test_it_respects_a_programme_that_allows_a_status(world: World) -> None:
    prog = world.programme(1, "santunan_kematian", statuses="aktif,meninggal")
    world.person(1, world.family(1), status="meninggal", death="2025-01-10")
    world.entry(prog, person=1)
    world.run()
    assert world.findings("inclusion_deceased") == []


def test_it_flags_moved_persons_and_families_and_invalid_records(world: World) -> None:
    prog = world.programme(1, "pbi", unit="person")
    world.person(1, world.family(1), status="pindah")
    world.person(2, world.family(2, status="pindah"))
    world.person(3, world.family(3), status="tidak_ditemukan")
    world.person(4, world.family(4), status="ganda")
    moved = world.entry(prog, person=1)
    family_moved = world.entry(prog, person=2)
    missing = world.entry(prog, person=3)
    double = world.entry(prog, person=4)
    world.run()
    assert _types(world, "inclusion_moved") == [(moved, "medium"), (family_moved, "medium")]
    assert _types(world, "inclusion_invalid_record") == [(missing, "medium"), (double, "medium")]


def test_it_flags_recipients_not_in_the_registry(world: World) -> None:
    prog = world.programme(1, "pbi")
    world.person(1, world.family(1))
    world.entry(prog, person=1)
    outsider = world.entry(prog, nik="3604011201900001", kel="36.73.02.1001")
    dangling = world.entry(prog, person=99)  # linked to a person the registry does not hold
    world.run()
    first, second = world.findings("inclusion_unregistered")
    assert second["roll_entry_id"] == dangling
    finding = first
    assert finding["roll_entry_id"] == outsider
    assert finding["kelurahan_code"] == "36.73.02.1001"
    assert finding["person_id"] is None
    assert json.loads(finding["detail"]) == {"nik_given": 1}


def test_it_flags_civil_servants_by_link_nik_and_family_member(world: World) -> None:
    person_prog = world.programme(1, "pbi")
    family_prog = world.programme(2, "pkh", unit="family", recipient="mother")
    world.person(1, world.family(1), nik="3673010101800001")
    world.person(2, world.family(2))
    fam3 = world.family(3)
    world.person(3, fam3, relationship="istri", sex="P")
    world.person(4, fam3, relationship="kepala", nik="3673010101800004")
    world.person(5, world.family(5))
    by_nik = world.entry(person_prog, person=1)
    by_person = world.entry(person_prog, person=2)
    by_family = world.entry(family_prog, person=3, family=fam3)
    world.entry(person_prog, person=5)
    world.asn(nik="3673010101800001")
    world.asn(person=2)
    world.asn(nik="3673010101800004")
    world.run()
    found = {f["roll_entry_id"]: json.loads(f["detail"])["via"] for f in world.findings("inclusion_asn")}
    assert found == {by_nik: "person", by_person: "person", by_family: "family"}


def test_it_flags_an_unlinked_row_whose_nik_is_an_asn(world: World) -> None:
    prog = world.programme(1, "pbi")
    row = world.entry(prog, nik="3673010101800009")
    world.asn(nik="3673010101800009")
    world.run()
    assert [f["roll_entry_id"] for f in world.findings("inclusion_asn")] == [row]


def test_it_flags_entries_failing_age_sex_or_category(world: World) -> None:
    prog = world.programme(1, "pip", min_age=6, max_age=21, categories="in_school")
    fam = world.family(1)
    world.person(1, fam, birth="2012-03-01", in_school=True, relationship="anak")
    world.person(2, fam, birth="1970-03-01")  # too old, not a pupil
    world.person(3, fam, birth="2010-03-01", relationship="anak")  # not a pupil
    world.entry(prog, person=1)
    old = world.entry(prog, person=2)
    dropout = world.entry(prog, person=3)
    world.run()
    assert _types(world, "inclusion_ineligible") == [(old, "low"), (dropout, "low")]
