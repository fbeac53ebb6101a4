"""Scenario comparison, the synthetic generator, and that the engine stays Django-free."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np
import pytest

from padu.planning.engine import compare_scenarios, optimise
from padu.planning.engine.model import SCALE, build_problem
from padu.planning.engine.synthetic import synthetic_planning
from tests.planning_engine.helpers import JT, item, scenario


def test_it_compares_scenarios_side_by_side():
    items = [item("a", 50, 1.0, kel="L1"), item("b", 50, 1.2, kel="L2", kec="K2", physical=False)]
    poverty = scenario(50, name="miskin", location_priority={"L1": 2.0, "L2": 1.0})
    equal = dataclasses.replace(poverty, name="rata", location_exponent=0.0)
    cmp = compare_scenarios(items, [poverty, equal])
    assert cmp.scenarios == ("miskin", "rata")
    assert cmp.value("count", "miskin") == 1 and cmp.value("objective", "rata") == pytest.approx(1.2)
    assert cmp.value("kecamatan:K1", "miskin") == 50 * JT and cmp.value("kecamatan:K1", "rata") == 0
    assert cmp.value("nonphysical_share", "rata") == 1.0
    assert cmp.value("opd:PUPR", "miskin") == 100 * JT / 2
    md = cmp.to_markdown()
    assert "| Jumlah didanai | 1 | 1 |" in md and "| Kec. Kasemen | Rp 50 jt | Rp 0 |" in md
    assert "| Items funded |" in cmp.to_markdown("en")


def test_it_generates_the_same_data_for_the_same_seed():
    a, b = synthetic_planning(200, seed=3), synthetic_planning(200, seed=3)
    assert a.items == b.items and a.scenario == b.scenario
    assert synthetic_planning(200, seed=4).items != a.items


def test_it_generates_a_realistic_mix(planning300):
    items, s = planning300.items, planning300.scenario
    physical = np.mean([it.physical for it in items])
    assert 0.6 < physical < 0.9
    assert {it.strategy for it in items} == {"beban", "pendapatan", "kantong"}
    assert all(it.cost % 1e6 == 0 and it.cost >= 10e6 for it in items)
    assert len({it.kecamatan for it in items}) == 6 and planning300.kelurahan.num_rows == 67
    assert any("jalan" in it.title for it in items) and any("Pelatihan" in it.title for it in items)
    assert s.must_fund and s.together and s.exclusive and s.opd_ceilings and s.kecamatan_ceilings
    assert s.kecamatan_min_share and s.kecamatan_max_share and s.min_nonphysical_share > 0
    assert synthetic_planning(100, n_kelurahan=60, n_opd=20).kelurahan.num_rows == 60


def test_it_respects_every_rule_on_a_synthetic_plan(planning300):
    s = planning300.scenario
    sol = optimise(planning300.items, s)
    assert sol.status == "optimal", sol.message
    p = build_problem(planning300.items, s)
    x = sol.x
    cost = p.cost * SCALE
    tol = 1.0
    assert sol.total <= s.budget + tol
    for o, cap in s.opd_ceilings.items():
        assert cost[x & (p.opd == o)].sum() <= cap + tol
    for k, cap in s.kecamatan_ceilings.items():
        spent = cost[x & (p.kecamatan == k)].sum()
        assert spent <= cap + tol
        assert spent >= s.kecamatan_min_share[k] * sol.total - tol
        assert spent <= s.kecamatan_max_share[k] * sol.total + tol
    assert sol.nonphysical_share >= s.min_nonphysical_share - 1e-9
    funded = set(sol.funded)
    assert s.must_fund <= funded
    assert all(len({i in funded for i in g}) == 1 for g in s.together)
    assert all(sum(i in funded for i in g) <= 1 for g in s.exclusive)


def test_it_keeps_the_engine_free_of_django():
    code = """
import sys
sys.modules["django"] = None
import padu.planning
import padu.planning.engine as e
from padu.planning.engine.synthetic import synthetic_planning
d = synthetic_planning(60, seed=1)
sol = e.optimise(d.items, d.scenario)
e.explain(sol)
bad = sorted(m for m in sys.modules if m.startswith(("django.", "rest_framework")))
sys.exit(1 if bad or sol.status != "optimal" else 0)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
