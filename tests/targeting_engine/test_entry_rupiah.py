"""Rupiah at stake from the amount written on a list row (PKH by component, PIP by school level …):
that amount times the programme's payments a year, else the programme's own value."""

from __future__ import annotations

from dataclasses import replace

from tests.targeting_engine.helpers import World


def _with_amounts(world: World) -> None:
    world.schema = replace(
        world.schema, roll_entries=replace(world.schema.roll_entries, benefit_rp="benefit_rp")
    )


def _rupiah(world: World, finding_type: str) -> dict[int | None, tuple[int, int]]:
    return {f["roll_entry_id"]: (f["rupiah_month"], f["rupiah_year"]) for f in world.findings(finding_type)}


def test_an_entrys_own_amount_values_its_findings(world: World) -> None:
    _with_amounts(world)
    pkh = world.programme(1, "pkh", unit="family", value=750_000, frequency="quarterly", max_desil=4)
    for i in (1, 2, 3, 4):
        world.person(10 + i, world.family(i, desil=8))
    own = world.entry(pkh, family=1, person=11, amount=1_500_000)  # two components a quarter
    plain = world.entry(pkh, family=2, person=12)
    negative = world.entry(pkh, family=3, person=13, amount=-5)  # nonsense: the programme's value
    zero = world.entry(pkh, family=4, person=14, amount=0)  # on a benefit list to be paid: not given
    world.run()
    assert _rupiah(world, "inclusion_graduated") == {
        own: (500_000, 6_000_000),
        plain: (250_000, 3_000_000),
        negative: (250_000, 3_000_000),
        zero: (250_000, 3_000_000),
    }


def test_double_receipt_counts_the_entries_own_amounts(world: World) -> None:
    _with_amounts(world)
    pip = world.programme(1, "pip", value=450_000, frequency="annual", max_desil=None)
    fam = world.family(1)
    world.person(1, fam, nik="3673010101900001")
    world.entry(pip, person=1, amount=750_000)
    second = world.entry(pip, person=1, amount=1_800_000)
    world.run()
    assert _rupiah(world, "double_in_programme") == {second: (150_000, 1_800_000)}


def test_without_the_column_the_programmes_value_counts(world: World) -> None:
    pkh = world.programme(1, "pkh", unit="family", value=750_000, frequency="quarterly", max_desil=4)
    world.person(11, world.family(1, desil=8))
    entry = world.entry(pkh, family=1, person=11, amount=1_500_000)
    world.run()
    assert _rupiah(world, "inclusion_graduated") == {entry: (250_000, 3_000_000)}
