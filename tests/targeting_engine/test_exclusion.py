"""Exclusion findings on hand-made cases, each on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.targeting_engine.helpers import World


def test_it_finds_eligible_persons_missing_from_an_entitlement_roll(world: World) -> None:
    prog = world.programme(1, "lansia", targeting="entitlement", max_desil=3, min_age=60)
    quota = world.programme(2, "umkm", targeting="quota", max_desil=6)
    poor = world.family(1, desil=1, extreme_poor=True)
    world.person(1, poor, birth="1950-01-01")  # eligible, on the roll
    world.person(2, poor, birth="1955-01-01", relationship="istri")  # eligible, missing
    world.person(3, poor, birth="1990-01-01", relationship="anak")  # too young
    world.person(4, poor, birth="1940-01-01", status="meninggal", relationship="orang_tua")
    world.person(5, world.family(2, desil=5), birth="1950-01-01")  # desil too high
    world.person(6, world.family(3, desil=3), birth="1951-01-01")  # eligible, missing
    world.entry(prog, person=1)
    world.entry(quota, person=1)
    world.run()
    found = sorted(
        (f["programme_id"], f["person_id"], f["severity"]) for f in world.findings("exclusion_programme")
    )
    assert found == [(prog, 2, "high"), (prog, 6, "medium")]


def test_it_does_not_count_a_unit_on_an_excluding_programme_as_excluded(world: World) -> None:
    apbn = world.programme(1, "pbi_jk", targeting="entitlement", max_desil=4)
    apbd = world.programme(2, "pbi_apbd", targeting="entitlement", max_desil=5)
    world.exclusive(apbd, apbn)
    fam = world.family(1, desil=3)
    world.person(1, fam)
    world.person(2, fam, relationship="istri")
    world.entry(apbn, person=1)
    world.entry(apbd, person=2)
    world.run()
    # person 1 has PBI APBN: not excluded from APBD; person 2 has APBD only: excluded from APBN
    found = [(f["programme_id"], f["person_id"]) for f in world.findings("exclusion_programme")]
    assert found == [(apbn, 2)]


def test_it_applies_family_rules_recipient_and_categories(world: World) -> None:
    pkh = world.programme(
        1,
        "pkh",
        unit="family",
        targeting="entitlement",
        max_desil=3,
        categories="pkh_component",
        recipient="mother",
    )
    rtlh = world.programme(
        2, "rtlh", unit="family", targeting="entitlement", max_desil=4, categories="house_owned,house_unfit"
    )
    with_child = world.family(1, desil=2, house_owned=True, house_unfit=True)
    world.person(1, with_child)
    world.person(2, with_child, sex="P", relationship="istri")
    world.person(3, with_child, birth="2022-05-01", relationship="anak")
    widower = world.family(2, desil=2, house_owned=True)  # mother died: no PKH recipient
    world.person(4, widower)
    world.person(5, widower, sex="P", relationship="istri", status="meninggal", death="2024-01-01")
    world.person(6, widower, birth="2021-05-01", relationship="anak")
    no_component = world.family(3, desil=2)
    world.person(7, no_component)
    world.person(8, no_component, sex="P", relationship="istri")
    world.run()
    found = [(f["programme_id"], f["family_id"]) for f in world.findings("exclusion_programme")]
    assert found == [(pkh, with_child), (rtlh, with_child)]


def test_it_finds_priority_families_receiving_nothing_and_strategy_gaps(world: World) -> None:
    food = world.programme(1, "bpnt", unit="family")
    world.programme(2, "umkm", strategy="peningkatan_pendapatan", max_desil=6)
    extreme = world.family(1, desil=3, extreme_poor=True)
    world.person(1, extreme)
    poor = world.family(2, desil=2)
    world.person(2, poor)
    served = world.family(3, desil=1)
    world.person(3, served)
    world.person(4, world.family(4, desil=4))  # not a priority family
    world.person(5, world.family(5, desil=1, status="pindah"), status="pindah")
    world.entry(food, person=3, family=served)
    world.run()
    priority = [
        (f["family_id"], f["severity"], f["rupiah_month"]) for f in world.findings("exclusion_priority")
    ]
    assert priority == [(extreme, "high", 0), (poor, "medium", 0)]
    gaps = [(f["family_id"], f["strategy"]) for f in world.findings("exclusion_strategy_gap")]
    assert gaps == [(served, "peningkatan_pendapatan")]


def test_it_counts_person_programmes_towards_the_family(world: World) -> None:
    pbi = world.programme(1, "pbi")
    fam = world.family(1, desil=1)
    world.person(1, fam)
    world.person(2, fam, relationship="anak", birth="2015-01-01")
    world.entry(pbi, person=2)
    world.run()
    assert world.findings("exclusion_priority") == []
