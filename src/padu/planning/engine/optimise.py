"""Allocation optimiser: which proposals to fund (MIP solved by HiGHS). Django-free.

See :mod:`padu.planning.engine.model` for the value formula and the constraints. Status:

* ``optimal``: HiGHS proved the solution within ``scenario.mip_gap`` (relative) of the best possible;
* ``gap``: the time limit was reached with a feasible solution; ``gap`` states how far from the
  proven bound it may be (``(bound - objective) / objective``);
* ``infeasible``: the rules cannot all hold; ``conflicts`` names them (pre-checks, then the elastic
  model of :mod:`padu.planning.engine.diagnose`);
* ``no_solution``: the time limit passed before any feasible solution was found.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from padu.planning.engine.diagnose import Conflict, elastic, precheck
from padu.planning.engine.model import SCALE, Item, Problem, Scenario, build_problem
from padu.planning.engine.solver import RawResult, run_highs
from padu.planning.engine.text import Text, percent


@dataclass(frozen=True)
class Solution:
    """Result of one scenario. Amounts in rupiah."""

    scenario: str
    status: str  # optimal | gap | infeasible | no_solution | error
    funded: tuple[str, ...]
    objective: float | None
    bound: float | None
    gap: float | None
    total: float
    by_kecamatan: dict[str, float]
    by_opd: dict[str, float]
    nonphysical_share: float
    solve_seconds: float
    message: Text
    conflicts: tuple[Conflict, ...] = ()
    x: np.ndarray = field(default_factory=lambda: np.zeros(0, bool), repr=False)
    problem: Problem | None = field(default=None, repr=False, compare=False)

    @property
    def count(self) -> int:
        return len(self.funded)


def _solve_problem(problem: Problem, *, time_limit: float | None = None) -> RawResult:
    s = problem.scenario
    n = len(problem.ids)
    return run_highs(
        obj=problem.value, col_lower=problem.lower, col_upper=np.ones(n), integer=np.ones(n, bool),
        row_lower=np.array([r.lower for r in problem.rows]),
        row_upper=np.array([r.upper for r in problem.rows]),
        starts=problem.starts, indices=problem.indices, values=problem.values, maximise=True,
        time_limit=s.time_limit if time_limit is None else time_limit, mip_gap=s.mip_gap,
    )


def summarise(problem: Problem, x: np.ndarray) -> tuple[float, dict[str, float], dict[str, float], float]:
    """Funded total, totals per kecamatan and OPD (only those with funding), non-physical share."""
    on = x > 0.5
    cost = problem.cost * SCALE
    total = float(cost[on].sum())
    by_kec: dict[str, float] = {}
    by_opd: dict[str, float] = {}
    for attr, out in ((problem.kecamatan, by_kec), (problem.opd, by_opd)):
        keys, inv = np.unique(attr[on].astype(str), return_inverse=True)
        sums = np.bincount(inv, weights=cost[on], minlength=len(keys))
        out.update({str(k): float(v) for k, v in zip(keys, sums, strict=True)})
    nonphys = float(cost[on & ~problem.physical].sum())
    return total, by_kec, by_opd, (nonphys / total if total > 0 else 0.0)


def _message(raw: RawResult, mip_gap: float) -> Text:
    if raw.status == "optimal":
        secs = f"{raw.seconds:.1f}".replace(".", ",")
        return Text(f"Optimal (terbukti dalam selisih {percent(mip_gap, decimals=2)} dari batas atas), "
                    f"{secs} detik.",
                    f"Optimal (proven within {percent(mip_gap, 'en', 2)} of the upper bound), "
                    f"{raw.seconds:.1f} s.")
    if raw.status == "gap":
        g = raw.gap or 0.0
        return Text(f"Batas waktu tercapai; solusi terbaik berselisih paling banyak {percent(g, decimals=2)} "
                    "dari optimum.",
                    f"Time limit reached; the best solution is at most {percent(g, 'en', 2)} below the "
                    "optimum.")
    if raw.status == "no_solution":
        return Text("Batas waktu tercapai sebelum solusi layak ditemukan.",
                    "Time limit reached before a feasible solution was found.")
    if raw.status == "infeasible":
        return Text("Batasan tidak dapat dipenuhi bersama.", "The constraints cannot all hold.")
    return Text(f"Pemecah gagal ({raw.highs_status}).", f"Solver failed ({raw.highs_status}).")


def _infeasible(problem: Problem, conflicts: list[Conflict], seconds: float) -> Solution:
    detail_id = "; ".join(c.text.id for c in conflicts)
    detail_en = "; ".join(c.text.en for c in conflicts)
    return Solution(
        scenario=problem.scenario.name, status="infeasible", funded=(), objective=None, bound=None,
        gap=None, total=0.0, by_kecamatan={}, by_opd={}, nonphysical_share=0.0, solve_seconds=seconds,
        message=Text(f"Tidak layak: {detail_id}.", f"Infeasible: {detail_en}."),
        conflicts=tuple(conflicts), x=np.zeros(len(problem.ids), bool), problem=problem,
    )


def optimise(items: list[Item], scenario: Scenario) -> Solution:
    """Fund the subset of ``items`` of greatest total value that respects every rule of ``scenario``."""
    problem = build_problem(items, scenario)
    return solve(problem)


def solve(problem: Problem, *, time_limit: float | None = None) -> Solution:
    conflicts = precheck(problem.items, problem.scenario, problem)
    if conflicts:
        return _infeasible(problem, conflicts, 0.0)
    raw = _solve_problem(problem, time_limit=time_limit)
    if raw.status == "infeasible":
        found = elastic(problem, time_limit=max(2.0, problem.scenario.time_limit / 2))
        if not found:
            found = [Conflict("numerical", (), Text(
                "Pemecah menyatakan tidak layak, tetapi relaksasi elastis menemukan solusi; periksa "
                "angka yang sangat besar atau kecil.",
                "The solver reported infeasible but the elastic relaxation found a solution; check "
                "very large or very small numbers."))]
        return _infeasible(problem, found, raw.seconds)
    x = raw.x if raw.x is not None else np.zeros(len(problem.ids))
    on = x > 0.5
    total, by_kec, by_opd, nonphys = summarise(problem, x)
    return Solution(
        scenario=problem.scenario.name, status=raw.status,
        funded=tuple(i for i, f in zip(problem.ids, on, strict=True) if f),
        objective=raw.objective, bound=raw.bound, gap=raw.gap, total=total, by_kecamatan=by_kec,
        by_opd=by_opd, nonphysical_share=nonphys, solve_seconds=raw.seconds,
        message=_message(raw, problem.scenario.mip_gap), x=on, problem=problem,
    )


def solve_forced(problem: Problem, item_id: str, fund: bool, *, time_limit: float = 5.0) -> RawResult:
    """Re-solve with one item forced in (``fund=True``) or out; used by the explanations."""
    i = problem.index[item_id]
    lower, upper = problem.lower.copy(), np.ones(len(problem.ids))
    if fund:
        lower[i] = 1.0
    else:
        upper[i] = 0.0
    s = problem.scenario
    return run_highs(
        obj=problem.value, col_lower=lower, col_upper=upper, integer=np.ones(len(problem.ids), bool),
        row_lower=np.array([r.lower for r in problem.rows]),
        row_upper=np.array([r.upper for r in problem.rows]),
        starts=problem.starts, indices=problem.indices, values=problem.values, maximise=True,
        time_limit=time_limit, mip_gap=s.mip_gap,
    )
