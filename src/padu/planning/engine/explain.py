"""Why each item was funded or not, in Bahasa Indonesia and English. Django-free.

Cheap and exact where it can be (no extra solve): for an unfunded item the funded plan is kept fixed
and the item (with its together group) is added; every rule that would then break is named, with the
numbers (the *binding constraints*). Its value per Rp 1 miliar is compared with the *cutoff*: the
weakest funded, non-mandatory item competing for the same binding resource (same OPD for an OPD
ceiling, same kecamatan for a kecamatan rule, any item for the total budget). An item worth more per
rupiah than the cutoff can still be left out because whole items must fit (knapsack): the text says so
rather than pretend otherwise. :func:`explain_forced` re-solves with one item forced in or out and
reports the exact loss of value (one MIP per call, for the item a user asks about).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from padu.planning.engine.model import SCALE, Problem, Row
from padu.planning.engine.optimise import Solution, solve_forced
from padu.planning.engine.text import Text, percent, rupiah

#: Order in which binding rows are named first (the most specific resource first).
_ORDER = ("opd_ceiling", "kecamatan_ceiling", "kecamatan_max_share", "budget", "kecamatan_min_share",
          "nonphysical_min_share")
_TOL = 1e-6  # juta


@dataclass(frozen=True, slots=True)
class Explanation:
    item_id: str
    funded: bool
    reason: str  # must_fund | with_must_fund | selected | exclusive | cost_exceeds | <row kind> | within_gap
    constraints: tuple[str, ...]  # "kind:key" of the binding rows (unfunded) or tight rows helped (funded)
    text: Text
    value: float
    value_per_billion: float  # objective value per Rp 1 miliar of cost
    cutoff_item: str | None = None
    cutoff_value_per_billion: float | None = None


def _fmt(v: float, lang: str) -> str:
    text = f"{v:,.2f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".") if lang == "id" else text


class _Context:
    def __init__(self, problem: Problem, solution: Solution) -> None:
        self.p, self.sol = problem, solution
        self.x = solution.x.astype(bool)
        self.res = [r for r, row in enumerate(problem.rows) if row.resource]
        n = len(problem.ids)
        self.a = np.zeros((len(self.res), n))
        for k, r in enumerate(self.res):
            s, e = problem.starts[r], problem.starts[r + 1]
            self.a[k, problem.indices[s:e]] = problem.values[s:e]
        self.act = self.a @ self.x.astype(float)
        self.total = float(problem.cost[self.x].sum())
        self.vpb = problem.value / np.maximum(problem.cost, 1e-12) * 1e3  # per miliar (cost is juta)
        self.forced = problem.lower > 0
        cost_on = np.where(self.x, problem.cost, 0.0)
        self.kec_spent = {str(k): float(cost_on[problem.kecamatan == k].sum())
                          for k in set(problem.kecamatan.tolist())}
        self.nonphys_spent = float(cost_on[~problem.physical].sum())
        self.best_unfunded: dict[str, int] = {}  # OPD -> unfunded item with the highest value per rupiah
        for j in np.argsort(-self.vpb, kind="stable"):
            if not self.x[j] and self.vpb[j] > 0:
                self.best_unfunded.setdefault(str(problem.opd[j]), int(j))
        self._cutoff: dict[int, int] = {}
        self.excl_of: dict[int, list[list[int]]] = {}
        for g in problem.scenario.exclusive:
            idx = sorted({problem.index[i] for i in g if i in problem.index})
            for i in idx:
                self.excl_of.setdefault(i, []).append(idx)

    def cutoff(self, k: int) -> int:
        """Weakest (lowest value per rupiah) funded, non-mandatory item using row ``k``; -1 if none."""
        if k not in self._cutoff:
            comp = self.x & ~self.forced & (self.a[k] > 0)
            self._cutoff[k] = int(np.flatnonzero(comp)[np.argmin(self.vpb[comp])]) if comp.any() else -1
        return self._cutoff[k]

    def row(self, k: int) -> Row:
        return self.p.rows[self.res[k]]

    def name(self, row: Row) -> str:
        return self.p.scenario.label(row.key)

    def members(self, i: int) -> list[int]:
        g = int(self.p.group_of[i])
        return self.p.groups[g] if g >= 0 else [i]


def _what(c: _Context, row: Row) -> tuple[str, str]:
    name = c.name(row)
    return {"budget": ("pagu total", "the total budget"),
            "opd_ceiling": (f"plafon {name}", f"the ceiling of {name}"),
            "kecamatan_ceiling": (f"plafon Kec. {name}", f"the ceiling of Kec. {name}")}[row.kind]


def _row_text(c: _Context, k: int, add_cost: float, kind_share_new: float) -> Text:
    row, name = c.row(k), c.name(c.row(k))
    if row.kind in ("budget", "opd_ceiling", "kecamatan_ceiling"):
        spent = float(c.act[k]) * SCALE
        left = max(0.0, row.limit - spent)
        what_id, what_en = _what(c, row)
        return Text(f"{what_id} {rupiah(row.limit)} tercapai (sisa {rupiah(left)} < biaya "
                    f"{rupiah(add_cost)})",
                    f"{what_en} {rupiah(row.limit, 'en')} is reached ({rupiah(left, 'en')} left < cost "
                    f"{rupiah(add_cost, 'en')})")
    if row.kind == "kecamatan_max_share":
        return Text(f"porsi maksimum Kec. {name} {percent(row.limit)} akan terlampaui "
                    f"(menjadi {percent(kind_share_new)})",
                    f"the maximum share of Kec. {name} {percent(row.limit, 'en')} would be exceeded "
                    f"(becoming {percent(kind_share_new, 'en')})")
    if row.kind == "kecamatan_min_share":
        return Text(f"porsi minimum Kec. {name} {percent(row.limit)} akan terlanggar "
                    f"(turun menjadi {percent(kind_share_new)})",
                    f"the minimum share of Kec. {name} {percent(row.limit, 'en')} would be broken "
                    f"(falling to {percent(kind_share_new, 'en')})")
    return Text(f"porsi minimum non-fisik {percent(row.limit)} akan terlanggar "
                f"(turun menjadi {percent(kind_share_new)})",
                f"the minimum non-physical share {percent(row.limit, 'en')} would be broken "
                f"(falling to {percent(kind_share_new, 'en')})")


def _share_after(c: _Context, k: int, add: list[int]) -> float:
    """Share of the row's class (kecamatan / non-physical) in the funded total after adding ``add``."""
    row = c.row(k)
    new = [j for j in add if not c.x[j]]
    cost = c.p.cost[new]
    if row.kind == "nonphysical_min_share":
        mine = c.nonphys_spent + float(cost[~c.p.physical[new]].sum())
    else:
        mine = c.kec_spent.get(row.key, 0.0) + float(cost[c.p.kecamatan[new] == row.key].sum())
    tot = c.total + float(cost.sum())
    return mine / tot if tot > 0 else 0.0


def _unfunded(c: _Context, i: int) -> Explanation:
    p = c.p
    add = c.members(i)
    add_cost = float(p.cost[add].sum()) * SCALE
    vpb = float(c.vpb[i])
    base: dict[str, Any] = {"item_id": p.ids[i], "funded": False, "value": float(p.value[i]),
                            "value_per_billion": vpb}
    group_id = ("", "")
    if len(add) > 1:
        others = ", ".join(p.ids[j] for j in add if j != i)
        group_id = (f" bersama kelompoknya ({others})", f" together with its group ({others})")
    for j in add:
        for grp in c.excl_of.get(j, []):
            alt = [p.ids[o] for o in grp if o not in add and c.x[o]]
            if alt:
                return Explanation(**base, reason="exclusive", constraints=(), cutoff_item=alt[0], text=Text(
                    f"Tidak didanai: alternatifnya {', '.join(alt)} (kelompok pilihan) sudah didanai.",
                    f"Not funded: its alternative {', '.join(alt)} (exclusive group) is funded instead."))
    delta = c.a[:, add].sum(axis=1)
    new = c.act + delta
    viol = [k for k in range(len(c.res))
            if new[k] > c.row(k).upper + _TOL or new[k] < c.row(k).lower - _TOL]
    viol.sort(key=lambda k: _ORDER.index(c.row(k).kind))
    for k in viol:
        row = c.row(k)
        if row.kind in ("budget", "opd_ceiling", "kecamatan_ceiling") and delta[k] * SCALE > row.limit + 0.5:
            return Explanation(**base, reason="cost_exceeds", constraints=(f"{row.kind}:{row.key}",),
                               text=Text(
                f"Tidak didanai: biayanya{group_id[0]} {rupiah(add_cost)} melebihi seluruh "
                f"{_what(c, row)[0]} {rupiah(row.limit)}.",
                f"Not funded: its cost{group_id[1]} {rupiah(add_cost, 'en')} exceeds all of "
                f"{_what(c, row)[1]} {rupiah(row.limit, 'en')}."))
    if not viol:
        gap = c.sol.gap or 0.0
        return Explanation(**base, reason="within_gap", constraints=(), text=Text(
            f"Tidak didanai meskipun muat tanpa melanggar aturan: solusi dihentikan pada selisih "
            f"{percent(gap, decimals=2)} dari optimum (atau nilainya nol).",
            f"Not funded although it would fit without breaking a rule: the solution stopped within "
            f"{percent(gap, 'en', 2)} of the optimum (or its value is zero)."))
    parts = [_row_text(c, k, add_cost, _share_after(c, k, add)) for k in viol]
    first = c.row(viol[0])
    cutoff, cutoff_vpb = None, None
    tail = ("", "")
    resource = first.kind in ("budget", "opd_ceiling", "kecamatan_ceiling", "kecamatan_max_share")
    j = c.cutoff(viol[0]) if resource else -1
    if j >= 0:
        cutoff, cutoff_vpb = p.ids[j], float(c.vpb[j])
        v_id, v_en = _fmt(vpb, "id"), _fmt(vpb, "en")
        w_id, w_en = _fmt(cutoff_vpb, "id"), _fmt(cutoff_vpb, "en")
        if vpb <= cutoff_vpb:
            tail = (f" Nilainya per Rp 1 M ({v_id}) tidak melebihi batas potong {w_id} (usulan terlemah "
                    f"yang didanai: {cutoff}).",
                    f" Its value per Rp 1 bn ({v_en}) does not exceed the cutoff {w_en} (weakest funded "
                    f"item: {cutoff}).")
        else:
            tail = (f" Nilainya per Rp 1 M ({v_id}) di atas batas potong {w_id} ({cutoff}), tetapi "
                    "biayanya tidak muat: menukar usulan yang didanai agar muat mengurangi nilai total.",
                    f" Its value per Rp 1 bn ({v_en}) is above the cutoff {w_en} ({cutoff}), but its cost "
                    "does not fit: swapping funded items to make room lowers the total value.")
    return Explanation(
        **base, reason=first.kind, constraints=tuple(f"{c.row(k).kind}:{c.row(k).key}" for k in viol),
        cutoff_item=cutoff, cutoff_value_per_billion=cutoff_vpb,
        text=Text(f"Tidak didanai{group_id[0]}: " + "; ".join(t.id for t in parts) + "." + tail[0],
                  f"Not funded{group_id[1]}: " + "; ".join(t.en for t in parts) + "." + tail[1]))


def _funded(c: _Context, i: int) -> Explanation:
    p = c.p
    base: dict[str, Any] = {"item_id": p.ids[i], "funded": True, "value": float(p.value[i]),
            "value_per_billion": float(c.vpb[i])}
    if p.ids[i] in p.scenario.must_fund:
        return Explanation(**base, reason="must_fund", constraints=(),
                           text=Text("Didanai: wajib didanai.", "Funded: must be funded."))
    if c.forced[i]:
        must = [p.ids[j] for j in c.members(i) if p.ids[j] in p.scenario.must_fund]
        return Explanation(**base, reason="with_must_fund", constraints=(), text=Text(
            f"Didanai: satu kelompok dengan usulan wajib {', '.join(must)}.",
            f"Funded: in one group with the must-fund item {', '.join(must)}."))
    without = c.act - c.a[:, c.members(i)].sum(axis=1)  # rows if this item (and group) were dropped
    tight = [k for k in range(len(c.res))
             if c.row(k).kind in ("kecamatan_min_share", "nonphysical_min_share")
             and without[k] < c.row(k).lower - _TOL]
    v_id, v_en = _fmt(float(c.vpb[i]), "id"), _fmt(float(c.vpb[i]), "en")
    text_id = f"Didanai: nilai per Rp 1 M {v_id}"
    text_en = f"Funded: value per Rp 1 bn {v_en}"
    cut, cut_v = None, None
    j = c.best_unfunded.get(str(p.opd[i]), -1)
    if j >= 0:
        cut, cut_v = p.ids[j], float(c.vpb[j])
        opd = p.scenario.label(p.opd[i])
        text_id += f"; usulan terbaik yang tidak didanai di {opd}: {cut} ({_fmt(cut_v, 'id')})"
        text_en += f"; best unfunded item of {opd}: {cut} ({_fmt(cut_v, 'en')})"
    for k in tight:
        row = c.row(k)
        what = ("porsi minimum non-fisik", "the minimum non-physical share") \
            if row.kind == "nonphysical_min_share" else \
            (f"porsi minimum Kec. {c.name(row)}", f"the minimum share of Kec. {c.name(row)}")
        text_id += f"; ikut memenuhi {what[0]} {percent(row.limit)}"
        text_en += f"; helps meet {what[1]} {percent(row.limit, 'en')}"
    return Explanation(**base, reason="selected",
                       constraints=tuple(f"{c.row(k).kind}:{c.row(k).key}" for k in tight),
                       cutoff_item=cut, cutoff_value_per_billion=cut_v,
                       text=Text(text_id + ".", text_en + "."))


def explain(solution: Solution, item_ids: list[str] | None = None) -> dict[str, Explanation]:
    """Explanation per item (all items, or ``item_ids``). Empty for an infeasible solution."""
    p = solution.problem
    if p is None or solution.status == "infeasible" or len(solution.x) != len(p.ids):
        return {}
    c = _Context(p, solution)
    wanted = range(len(p.ids)) if item_ids is None else [p.index[i] for i in item_ids]
    return {p.ids[i]: (_funded(c, i) if c.x[i] else _unfunded(c, i)) for i in wanted}


def explain_forced(solution: Solution, item_id: str, *, time_limit: float = 5.0) -> Text:
    """Re-solve with ``item_id`` switched (funded -> out, unfunded -> in) and report the exact change."""
    p = solution.problem
    if p is None or solution.objective is None:
        return Text("Tidak ada solusi untuk dibandingkan.", "No solution to compare with.")
    i = p.index[item_id]
    funded = bool(solution.x[i])
    raw = solve_forced(p, item_id, fund=not funded, time_limit=time_limit)
    verb = ("dikeluarkan", "left out") if funded else ("dipaksa didanai", "forced in")
    if raw.x is None:
        return Text(f"Jika {item_id} {verb[0]}, aturan tidak dapat dipenuhi lagi.",
                    f"If {item_id} is {verb[1]}, the rules can no longer all hold.")
    loss = solution.objective - (raw.objective or 0.0)
    new = raw.x > 0.5
    gone = [p.ids[j] for j in np.flatnonzero(solution.x & ~new)][:5]
    came = [p.ids[j] for j in np.flatnonzero(new & ~solution.x)][:5]
    rel = loss / solution.objective if solution.objective else 0.0
    return Text(
        f"Jika {item_id} {verb[0]}, nilai total turun {_fmt(loss, 'id')} ({percent(rel, decimals=2)}); "
        f"keluar: {', '.join(gone) or '-'}; masuk: {', '.join(came) or '-'}.",
        f"If {item_id} is {verb[1]}, the total value falls by {_fmt(loss, 'en')} "
        f"({percent(rel, 'en', 2)}); out: {', '.join(gone) or '-'}; in: {', '.join(came) or '-'}.")
