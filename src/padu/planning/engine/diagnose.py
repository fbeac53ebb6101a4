"""Infeasibility diagnosis: which rules cannot hold together, in words. Django-free.

Two steps. (1) Pre-checks find the common conflicts directly and name them exactly (unknown ids,
must-fund items over a ceiling or the budget, min shares summing over 100%, min > max, a required
share with no item able to meet it, must-fund items that exclude each other, a together group holding
two mutually exclusive items). (2) If the MIP is still infeasible, an *elastic* model keeps the
must-fund, together and exclusive rules hard, lets every budget/ceiling/share row be violated by a
slack (in rupiah) and minimises the total slack; the rows that need slack are the conflicting set
(IIS-like: one smallest-total-violation explanation, not every possible one), each reported with
the shortfall. No solver log is shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from padu.planning.engine.model import SCALE, Item, Problem, Row, Scenario
from padu.planning.engine.solver import run_highs
from padu.planning.engine.text import Text, percent, rupiah


@dataclass(frozen=True, slots=True)
class Conflict:
    """One named conflict. ``kind`` is stable for programs; ``text`` is for people."""

    kind: str
    keys: tuple[str, ...]
    text: Text
    shortfall: float | None = None  # rupiah needed to reconcile, where meaningful


def _forced(problem: Problem) -> np.ndarray:
    return problem.lower > 0


def precheck(items: list[Item], scenario: Scenario, problem: Problem) -> list[Conflict]:
    """Conflicts visible without solving (see module docstring)."""
    s, out = scenario, []
    known = problem.index
    for label, ids in (("wajib didanai / must-fund", s.must_fund),
                       ("kelompok bersama / together", [i for g in s.together for i in g]),
                       ("kelompok pilihan / exclusive", [i for g in s.exclusive for i in g])):
        unknown = sorted({i for i in ids if i not in known})
        if unknown:
            out.append(Conflict("unknown_item", tuple(unknown), Text(
                f"Usulan {label.split(' / ')[0]} tidak dikenal: {', '.join(unknown)}",
                f"Unknown {label.split(' / ')[1]} items: {', '.join(unknown)}")))
    forced = _forced(problem)
    cost = problem.cost * SCALE
    total = float(cost[forced].sum())
    if total > s.budget + 0.5:
        out.append(Conflict("must_fund_budget", (), Text(
            f"Usulan wajib didanai berbiaya {rupiah(total)} > pagu total {rupiah(s.budget)}",
            f"Must-fund items cost {rupiah(total, 'en')} > total budget {rupiah(s.budget, 'en')}"),
            total - s.budget))
    for kind, attr, caps, word in (("must_fund_opd", problem.opd, s.opd_ceilings, ("", "")),
                                   ("must_fund_kecamatan", problem.kecamatan, s.kecamatan_ceilings,
                                    ("Kec. ", "Kec. "))):
        for key, cap in sorted(caps.items()):
            need = float(cost[forced & (attr == key)].sum())
            if need > cap + 0.5:
                name = word[0] + s.label(key)
                out.append(Conflict(kind, (key,), Text(
                    f"Usulan wajib didanai {name} berbiaya {rupiah(need)} > plafonnya {rupiah(cap)}",
                    f"Must-fund items of {name} cost {rupiah(need, 'en')} > its ceiling "
                    f"{rupiah(cap, 'en')}"), need - cap))
    mins = {k: v for k, v in s.kecamatan_min_share.items() if v > 0}
    if sum(mins.values()) > 1 + 1e-9:
        tot = sum(mins.values())
        out.append(Conflict("min_shares_sum", tuple(sorted(mins)), Text(
            f"Porsi minimum per kecamatan berjumlah {percent(tot)} (> 100%)",
            f"Minimum shares per kecamatan sum to {percent(tot, 'en')} (> 100%)")))
    for key, lo in sorted(mins.items()):
        hi = s.kecamatan_max_share.get(key, 1.0)
        name = s.label(key)
        if lo > hi + 1e-12:
            out.append(Conflict("min_above_max", (key,), Text(
                f"Kec. {name}: porsi minimum {percent(lo)} > porsi maksimum {percent(hi)}",
                f"Kec. {name}: minimum share {percent(lo, 'en')} > maximum share {percent(hi, 'en')}")))
        if not (problem.kecamatan == key).any():
            out.append(Conflict("min_share_no_items", (key,), Text(
                f"Kec. {name} wajib mendapat porsi minimum {percent(lo)} tetapi tidak punya usulan "
                "(tidak ada yang dapat didanai)",
                f"Kec. {name} needs a minimum share of {percent(lo, 'en')} but has no items "
                "(nothing could be funded)")))
    kecs = set(problem.kecamatan.tolist())
    maxes = s.kecamatan_max_share
    if kecs and all(k in maxes for k in kecs) and sum(maxes[k] for k in kecs) < 1 - 1e-9:
        tot = sum(maxes[k] for k in kecs)
        out.append(Conflict("max_shares_sum", tuple(sorted(kecs)), Text(
            f"Porsi maksimum semua kecamatan hanya berjumlah {percent(tot)} (< 100%)",
            f"Maximum shares of all kecamatan sum to only {percent(tot, 'en')} (< 100%)")))
    if s.min_nonphysical_share > 0 and problem.physical.all():
        out.append(Conflict("nonphysical_no_items", (), Text(
            f"Porsi minimum non-fisik {percent(s.min_nonphysical_share)} tetapi tidak ada usulan non-fisik",
            f"Minimum non-physical share {percent(s.min_nonphysical_share, 'en')} but no non-physical "
            "items")))
    out += _group_conflicts(problem)
    return out


def _group_conflicts(problem: Problem) -> list[Conflict]:
    out: list[Conflict] = []
    forced = _forced(problem)
    for g, members in enumerate(problem.scenario.exclusive):
        idx = sorted({problem.index[i] for i in members if i in problem.index})
        ids = [problem.ids[i] for i in idx]
        must = [problem.ids[i] for i in idx if forced[i]]
        if len(must) > 1:
            out.append(Conflict("must_fund_exclusive", tuple(must), Text(
                f"Usulan wajib didanai {', '.join(must)} saling eksklusif (kelompok pilihan {g + 1})",
                f"Must-fund items {', '.join(must)} exclude each other (exclusive group {g + 1})")))
        by_group: dict[int, list[str]] = defaultdict(list)
        for i in idx:
            if problem.group_of[i] >= 0:
                by_group[int(problem.group_of[i])].append(problem.ids[i])
        for clash in by_group.values():
            if len(clash) > 1:
                out.append(Conflict("together_exclusive", tuple(clash), Text(
                    f"Usulan {', '.join(clash)} harus didanai bersama tetapi juga saling eksklusif "
                    f"(kelompok pilihan {g + 1}: {', '.join(ids)})",
                    f"Items {', '.join(clash)} must be funded together but also exclude each other "
                    f"(exclusive group {g + 1}: {', '.join(ids)})")))
    return out


def _row_text(row: Row, scenario: Scenario, need: float) -> Text:
    name = scenario.label(row.key)
    if row.kind == "budget":
        return Text(f"Pagu total {rupiah(row.limit)} kurang {rupiah(need)}",
                    f"Total budget {rupiah(row.limit, 'en')} is short by {rupiah(need, 'en')}")
    if row.kind in ("opd_ceiling", "kecamatan_ceiling"):
        pre = "Kec. " if row.kind == "kecamatan_ceiling" else ""
        return Text(f"Plafon {pre}{name} {rupiah(row.limit)} kurang {rupiah(need)}",
                    f"Ceiling of {pre}{name} {rupiah(row.limit, 'en')} is short by {rupiah(need, 'en')}")
    if row.kind == "kecamatan_min_share":
        return Text(f"Porsi minimum Kec. {name} {percent(row.limit)} tidak tercapai "
                    f"(kurang {rupiah(need)})",
                    f"Minimum share of Kec. {name} {percent(row.limit, 'en')} cannot be met "
                    f"(short by {rupiah(need, 'en')})")
    if row.kind == "kecamatan_max_share":
        return Text(f"Porsi maksimum Kec. {name} {percent(row.limit)} terlampaui ({rupiah(need)})",
                    f"Maximum share of Kec. {name} {percent(row.limit, 'en')} exceeded by "
                    f"{rupiah(need, 'en')}")
    return Text(f"Porsi minimum non-fisik {percent(row.limit)} tidak tercapai (kurang {rupiah(need)})",
                f"Minimum non-physical share {percent(row.limit, 'en')} cannot be met "
                f"(short by {rupiah(need, 'en')})")


def elastic(problem: Problem, time_limit: float = 5.0) -> list[Conflict]:
    """Rows that must give way (minimum total slack) when the hard rules are kept; [] if none."""
    rows = problem.rows
    soft = [r for r, row in enumerate(rows) if row.resource]
    n, k = len(problem.ids), len(soft)
    starts, indices, values = problem.starts, problem.indices, problem.values
    new_idx, new_val, new_start = [], [], [0]
    slack_of = {r: n + j for j, r in enumerate(soft)}
    for r, row in enumerate(rows):
        s, e = starts[r], starts[r + 1]
        idx, val = indices[s:e], values[s:e]
        if r in slack_of:
            sign = -1.0 if np.isfinite(row.upper) else 1.0  # <= rows: a x - s <= u; >= rows: a x + s >= l
            idx = np.append(idx, slack_of[r])
            val = np.append(val, sign)
        new_idx.append(idx)
        new_val.append(val)
        new_start.append(new_start[-1] + len(idx))
    res = run_highs(
        obj=np.concatenate([np.zeros(n), np.ones(k)]),
        col_lower=np.concatenate([problem.lower, np.zeros(k)]),
        col_upper=np.concatenate([np.ones(n), np.full(k, np.inf)]),
        integer=np.concatenate([np.ones(n, bool), np.zeros(k, bool)]),
        row_lower=np.array([r.lower for r in rows]), row_upper=np.array([r.upper for r in rows]),
        starts=np.array(new_start, np.int32), indices=np.concatenate(new_idx),
        values=np.concatenate(new_val), maximise=False, time_limit=time_limit, mip_gap=1e-6,
    )
    if res.x is None:
        return [Conflict("unknown", (), Text(
            "Batasan tidak dapat dipenuhi bersama; penyebab tidak dapat dipastikan dalam batas waktu.",
            "The constraints cannot all hold; the cause could not be pinned down within the time limit."))]
    out = []
    for j, r in enumerate(soft):
        slack = float(res.x[n + j]) * SCALE
        if slack > 1000.0:  # > Rp 1.000
            row = rows[r]
            keys = (row.key,) if row.key else ()
            out.append(Conflict(row.kind, keys, _row_text(row, problem.scenario, slack), slack))
    return out
