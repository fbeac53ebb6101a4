"""Explanations name the binding constraint, the cutoff and the alternative funded instead."""

from __future__ import annotations

from padu.planning.engine import explain, explain_forced, optimise
from tests.planning_engine.helpers import item, scenario


def why(items, s):
    sol = optimise(items, s)
    assert sol.status == "optimal", sol.message
    return sol, explain(sol)


def test_it_names_the_total_budget_and_the_cutoff():
    _, ex = why([item("a", 60, 3), item("b", 50, 2), item("c", 40, 2)], scenario(100))
    b = ex["b"]
    assert not b.funded and b.reason == "budget" and b.constraints == ("budget:",)
    assert "pagu total Rp 100 jt tercapai (sisa Rp 0 < biaya Rp 50 jt)" in b.text.id
    assert "the total budget Rp 100 m is reached" in b.text.en
    assert b.cutoff_item in {"a", "c"} and b.value_per_billion < b.cutoff_value_per_billion
    assert ex["a"].funded and ex["a"].reason == "selected"


def test_it_names_the_opd_ceiling_reached():
    _, ex = why([item("a", 60, 3), item("b", 50, 2), item("c", 40, 1, opd="DINSOS")],
                scenario(200, opd_ceilings={"PUPR": 100}))
    b = ex["b"]
    assert b.reason == "opd_ceiling" and b.constraints == ("opd_ceiling:PUPR",)
    assert "plafon Dinas PUPR Rp 100 jt tercapai (sisa Rp 40 jt < biaya Rp 50 jt)" in b.text.id
    assert "the ceiling of Dinas PUPR" in b.text.en and b.cutoff_item == "a"
    assert "usulan terbaik yang tidak didanai di Dinas PUPR: b" in ex["a"].text.id


def test_it_names_the_kecamatan_ceiling():
    _, ex = why([item("a", 60, 3), item("b", 50, 2), item("c", 40, 1, kec="K2")],
                scenario(200, kecamatan_ceilings={"K1": 100}))
    assert ex["b"].reason == "kecamatan_ceiling" and "plafon Kec. Kasemen" in ex["b"].text.id


def test_it_names_the_kecamatan_max_share():
    _, ex = why([item("a", 50, 5), item("b", 50, 4), item("c", 50, 1, kec="K2")],
                scenario(150, kecamatan_max_share={"K1": 0.5}))
    b = ex["b"]
    assert b.reason == "kecamatan_max_share" and b.constraints == ("kecamatan_max_share:K1",)
    assert "porsi maksimum Kec. Kasemen 50% akan terlampaui (menjadi 66,7%)" in b.text.id


def test_it_says_which_funded_item_meets_a_minimum_share():
    _, ex = why([item("a", 50, 1), item("b", 50, 5, kec="K2"), item("c", 50, 4, kec="K2")],
                scenario(100, kecamatan_min_share={"K1": 0.3}))
    a = ex["a"]
    assert a.funded and "kecamatan_min_share:K1" in a.constraints
    assert "ikut memenuhi porsi minimum Kec. Kasemen 30%" in a.text.id
    assert ex["c"].reason == "budget"


def test_it_names_the_minimum_non_physical_share():
    _, ex = why([item("a", 50, 5), item("b", 50, 4), item("c", 50, 1, physical=False)],
                scenario(200, min_nonphysical_share=0.4))
    b = ex["b"]
    assert b.reason == "nonphysical_min_share" and b.constraints == ("nonphysical_min_share:",)
    assert "porsi minimum non-fisik 40% akan terlanggar (turun menjadi 33,3%)" in b.text.id
    assert "helps meet the minimum non-physical share" in ex["c"].text.en


def test_it_names_the_exclusive_alternative():
    _, ex = why([item("a", 30, 3), item("b", 30, 2)], scenario(100, exclusive=(("a", "b"),)))
    assert ex["b"].reason == "exclusive" and ex["b"].cutoff_item == "a"
    assert "alternatifnya a" in ex["b"].text.id


def test_it_explains_must_fund_and_together_groups():
    items = [item("a", 30, 1), item("b", 30, 1), item("c", 50, 2.5), item("d", 10, 0.1)]
    _, ex = why(items, scenario(60, together=(("a", "b"),)))
    assert not ex["a"].funded and "bersama kelompoknya (b)" in ex["a"].text.id
    _, ex = why(items, scenario(60, together=(("a", "b"),), must_fund=frozenset({"a"})))
    assert ex["a"].reason == "must_fund" and ex["b"].reason == "with_must_fund"


def test_it_says_when_an_item_can_never_fit():
    _, ex = why([item("a", 300, 9), item("b", 10, 1)], scenario(200))
    assert ex["a"].reason == "cost_exceeds" and "melebihi seluruh pagu total Rp 200 jt" in ex["a"].text.id


def test_it_reports_the_exact_loss_of_forcing_an_item():
    sol, _ = why([item("a", 60, 3), item("b", 50, 2), item("c", 40, 2)], scenario(100))
    text = explain_forced(sol, "b")
    assert "nilai total turun 1,00 (20%)" in text.id and "out: a" in text.en
    assert "Jika a dikeluarkan, nilai total turun 1,00" in explain_forced(sol, "a", time_limit=2).id


def test_it_explains_nothing_for_an_infeasible_plan():
    sol = optimise([item("a", 300, 1)], scenario(100, must_fund=frozenset({"a"})))
    assert sol.status == "infeasible" and explain(sol) == {}


def test_it_explains_a_synthetic_plan_quickly(planning300):
    sol = optimise(planning300.items, planning300.scenario)
    ex = explain(sol)
    assert len(ex) == len(planning300.items)
    assert {e.item_id for e in ex.values() if e.funded} == set(sol.funded)
    assert all(e.text.id and e.text.en for e in ex.values())
