"""Infeasible rules are reported as named conflicts (pre-checks, then the elastic model)."""

from __future__ import annotations

import pytest

from padu.planning.engine import optimise
from tests.planning_engine.helpers import JT, item, scenario


def conflicts(items, s):
    sol = optimise(items, s)
    assert sol.status == "infeasible" and sol.funded == ()
    assert sol.message.id.startswith("Tidak layak: ") and sol.message.en.startswith("Infeasible: ")
    return sol.conflicts


def test_it_names_must_fund_items_over_an_opd_ceiling():
    items = [item("m1", 3200, 1), item("m2", 3000, 1), item("x", 100, 1, opd="DINSOS")]
    (c,) = conflicts(items, scenario(20_000, opd_ceilings={"PUPR": 5000}, must_fund=frozenset({"m1", "m2"})))
    assert c.kind == "must_fund_opd" and c.keys == ("PUPR",) and c.shortfall == pytest.approx(1200 * JT)
    assert c.text.id == "Usulan wajib didanai Dinas PUPR berbiaya Rp 6,2 M > plafonnya Rp 5 M"
    assert c.text.en == "Must-fund items of Dinas PUPR cost Rp 6.2 bn > its ceiling Rp 5 bn"


def test_it_names_must_fund_items_over_the_budget_and_a_kecamatan_ceiling():
    items = [item("m1", 80, 1), item("m2", 40, 1, kec="K2")]
    found = conflicts(items, scenario(100, kecamatan_ceilings={"K1": 50}, must_fund=frozenset({"m1", "m2"})))
    assert {c.kind for c in found} == {"must_fund_budget", "must_fund_kecamatan"}
    assert any("Kec. Kasemen" in c.text.id for c in found)


def test_it_names_minimum_shares_summing_over_100_percent():
    items = [item("a", 10, 1), item("b", 10, 1, kec="K2")]
    (c,) = conflicts(items, scenario(100, kecamatan_min_share={"K1": 0.6, "K2": 0.5}))
    assert c.kind == "min_shares_sum" and "110%" in c.text.id and "sum to 110%" in c.text.en


def test_it_names_min_above_max_and_unknown_ids():
    items = [item("a", 10, 1), item("b", 10, 1, kec="K2")]
    found = conflicts(items, scenario(100, kecamatan_min_share={"K1": 0.4}, kecamatan_max_share={"K1": 0.3},
                                      must_fund=frozenset({"zzz"})))
    assert {c.kind for c in found} == {"min_above_max", "unknown_item"}
    assert any("zzz" in c.text.id for c in found)


def test_it_names_group_conflicts():
    items = [item("a", 10, 1), item("b", 10, 1), item("c", 10, 1)]
    found = conflicts(items, scenario(100, must_fund=frozenset({"a", "b"}), exclusive=(("a", "b"),)))
    assert [c.kind for c in found] == ["must_fund_exclusive"]
    found = conflicts(items, scenario(100, together=(("a", "c"),), exclusive=(("a", "c"),)))
    assert [c.kind for c in found] == ["together_exclusive"]


def test_it_finds_a_max_share_conflict_with_the_elastic_model():
    items = [item("a", 100, 1), item("c", 20, 1, kec="K2")]
    (c,) = conflicts(items, scenario(500, kecamatan_max_share={"K1": 0.5}, must_fund=frozenset({"a"})))
    assert c.kind == "kecamatan_max_share" and c.keys == ("K1",)
    assert c.shortfall == pytest.approx(40 * JT, rel=1e-6)
    assert "Porsi maksimum Kec. Kasemen 50% terlampaui" in c.text.id


def test_it_finds_a_non_physical_share_conflict_with_the_elastic_model():
    items = [item("a", 100, 1), item("c", 20, 1, physical=False)]
    (c,) = conflicts(items, scenario(500, min_nonphysical_share=0.5, must_fund=frozenset({"a"})))
    assert c.kind == "nonphysical_min_share" and c.shortfall == pytest.approx(40 * JT, rel=1e-6)
    assert "Minimum non-physical share 50% cannot be met" in c.text.en


def test_it_names_the_cheapest_rule_to_relax_when_two_clash():
    items = [item("m", 50, 1, opd="DINSOS"), item("k1", 15, 1, kec="K2"), item("k2", 15, 1, kec="K2")]
    found = conflicts(items, scenario(500, opd_ceilings={"PUPR": 20}, kecamatan_min_share={"K2": 0.5},
                                      must_fund=frozenset({"m"})))
    assert [c.kind for c in found] == ["kecamatan_min_share"]
    assert "Porsi minimum Kec. Curug 50% tidak tercapai" in found[0].text.id
