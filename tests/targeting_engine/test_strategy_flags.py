"""Strategy gaps and the package matrix read each priority family's strategies as one flags text, and
age rules are tested without a birth-date window: hand-made edges, each on SQLite and PostgreSQL."""

from __future__ import annotations

from padu.targeting.engine import package_matrix
from tests.targeting_engine.helpers import World


def test_strategy_gaps_and_packages_over_three_strategies(world: World) -> None:
    food = world.programme(1, "bpnt", unit="family", strategy="pengurangan_beban")
    work = world.programme(2, "umkm", strategy="o'brien", max_desil=6)  # a quote in a strategy
    house = world.programme(3, "rtlh", unit="family", strategy="kantong_kemiskinan")
    plain = world.programme(4, "lain", strategy=None)  # type: ignore[arg-type]  # no strategy
    one = world.family(1, desil=1)
    unmatched = world.family(2, desil=2)
    every = world.family(3, desil=1, extreme_poor=True)
    no_strategy = world.family(4, desil=2)
    other_kel = world.family(5, desil=1, kel="36.73.02.1001")
    for pid, fam in ((1, one), (2, unmatched), (3, every), (4, no_strategy), (5, other_kel)):
        world.person(pid, fam)
    world.entry(food, family=one)
    world.entry(food, person=2, family=unmatched, link="unmatched")  # counts as nothing received
    world.entry(food, family=every)
    world.entry(work, person=3)
    world.entry(house, family=every)
    world.entry(plain, person=4)
    world.entry(work, person=5)
    result = world.run(packages=True)
    gaps = sorted((f["family_id"], f["strategy"]) for f in world.findings("exclusion_strategy_gap"))
    assert gaps == [
        (one, "kantong_kemiskinan"),
        (one, "o'brien"),
        (no_strategy, "kantong_kemiskinan"),
        (no_strategy, "o'brien"),
        (no_strategy, "pengurangan_beban"),
        (other_kel, "kantong_kemiskinan"),
        (other_kel, "pengurangan_beban"),
    ]
    direct = package_matrix(world.conn, world.schema, "2025-06")
    assert result.packages == direct
    first = direct[0]
    assert (first["families"], first["full"], first["part"], first["nothing"]) == (4, 1, 1, 2)
    assert first["strategies"] == {"kantong_kemiskinan": 1, "o'brien": 1, "pengurangan_beban": 2}


def test_packages_without_any_strategy_match_the_direct_matrix(world: World) -> None:
    food = world.programme(1, "bpnt", unit="family", strategy=None)  # type: ignore[arg-type]
    fed, hungry = world.family(1, desil=1), world.family(2, desil=2)
    world.person(1, fed)
    world.person(2, hungry)
    world.entry(food, family=fed)
    result = world.run(packages=True)
    assert world.findings("exclusion_strategy_gap") == []
    assert result.packages == package_matrix(world.conn, world.schema, "2025-06")
    assert result.packages and result.packages[0]["families"] == 2


def test_age_rules_hold_on_their_boundaries(world: World) -> None:
    """Reference date 2025-06-30: ages in whole years and months, both bounds inclusive."""
    school = world.programme(1, "pip", targeting="entitlement", min_age=6, max_age=21)
    baby = world.programme(2, "pmt", targeting="entitlement", min_months=6, max_months=59)
    fam = world.family(1, desil=1)
    births = {
        1: "2019-06-30",  # 6 years
        2: "2019-07-01",  # 5 years
        3: "2003-07-01",  # 21 years
        4: "2003-06-30",  # 22 years
        5: "2024-12-30",  # 6 months
        6: "2024-12-31",  # 5 months
        7: "2020-07-30",  # 59 months
        8: "2020-06-30",  # 60 months
    }
    for pid, born in births.items():
        world.person(pid, fam, birth=born, relationship="kepala" if pid == 1 else "anak")
    world.run()
    found = sorted((f["programme_id"], f["person_id"]) for f in world.findings("exclusion_programme"))
    assert found == [(school, 1), (school, 3), (baby, 5), (baby, 7)]


def test_copies_on_one_roll_count_only_matched_entries(world: World) -> None:
    """double_in_programme takes the repeated units among all entries, then counts the matched ones:
    an unmatched copy (linked to the person, but not 'matched') neither makes nor counts a double."""
    pbi = world.programme(1, "pbi")
    fam = world.family(1)
    world.person(1, fam)
    world.person(2, fam, relationship="istri", sex="P")
    first = world.entry(pbi, person=1, row=3)
    world.entry(pbi, person=1, row=1, link="unmatched")
    second = world.entry(pbi, person=1, row=7)
    world.entry(pbi, person=2, row=2)
    world.entry(pbi, person=2, row=4, link="unmatched")  # one matched entry: no double
    world.run()
    found = [
        (f["roll_entry_id"], f["other_roll_entry_id"], f["detail"])
        for f in world.findings("double_in_programme")
    ]
    assert found == [(second, first, '{"copies":2}')]
