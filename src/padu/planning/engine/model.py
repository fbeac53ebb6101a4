"""Allocation model: items, scenario, and the MIP rows built from them. Django-free.

Decision: ``x_i in {0, 1}`` per item (fund or not). Amounts inside the model are in juta rupiah (cost /
1e6) for numerical scale; everything outside is in rupiah.

Value of an item (objective coefficient, maximised):
``v_i = L(kelurahan_i)^a * G(strategy_i)^b * P_i^c`` (``L`` location priority, e.g. from
:meth:`PriorityResult.location_weights`; ``G`` strategy gap; ``P`` proposal priority; missing = 1),
multiplied by the cost in juta when ``value_per_rupiah`` is set. ``a = 0`` gives equal weight to every
location ("equal shares"), ``a = 1`` poverty-weighted.

Rows (``T = sum_i c_i x_i`` = funded total):
budget ``T <= B``; OPD ceiling ``sum_{i in o} c_i x_i <= C_o``; kecamatan ceiling likewise;
kecamatan share ``min_k T <= sum_{i in k} c_i x_i <= max_k T``; non-physical share
``sum_{i non-physical} c_i x_i >= s T``; together groups ``x_a = x_b``; exclusive groups
``sum x <= 1``; must-fund ``x_i = 1`` (a column bound). Shares are of the funded total, not the budget.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

SCALE = 1e6  # rupiah per model unit (juta)


@dataclass(frozen=True, slots=True)
class Item:
    """A Musrenbang proposal (usulan) or RAT activity (kegiatan)."""

    id: str
    cost: float  # rupiah
    opd: str
    kecamatan: str
    kelurahan: str
    physical: bool
    strategy: str
    priority: float = 1.0  # proposal priority, > 0 (1 = top)
    source: str = "musrenbang"  # or "rat"
    title: str = ""


def _frozen(mapping: Mapping[str, float] | None = None) -> Mapping[str, float]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Scenario:
    """Budget rules and weighting of one allocation run. Change with ``dataclasses.replace``."""

    name: str
    budget: float
    opd_ceilings: Mapping[str, float] = field(default_factory=_frozen)
    kecamatan_ceilings: Mapping[str, float] = field(default_factory=_frozen)
    kecamatan_min_share: Mapping[str, float] = field(default_factory=_frozen)
    kecamatan_max_share: Mapping[str, float] = field(default_factory=_frozen)
    min_nonphysical_share: float = 0.0
    must_fund: frozenset[str] = frozenset()
    together: tuple[tuple[str, ...], ...] = ()
    exclusive: tuple[tuple[str, ...], ...] = ()
    location_priority: Mapping[str, float] = field(default_factory=_frozen)
    strategy_gap: Mapping[str, float] = field(default_factory=_frozen)
    location_exponent: float = 1.0
    strategy_exponent: float = 1.0
    priority_exponent: float = 1.0
    value_per_rupiah: bool = False
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # code -> display name
    time_limit: float = 10.0  # seconds, HiGHS time_limit
    mip_gap: float = 1e-4  # relative gap at which HiGHS stops and reports optimal

    def label(self, code: str) -> str:
        return self.labels.get(code, code)


@dataclass(frozen=True, slots=True)
class Row:
    """One linear constraint ``lower <= a x <= upper`` with what it means."""

    kind: str  # budget | opd_ceiling | kecamatan_ceiling | kecamatan_min_share | kecamatan_max_share
    # | nonphysical_min_share | together | exclusive
    key: str  # OPD / kecamatan code / group number ("" for budget)
    lower: float
    upper: float
    limit: float  # rupiah for ceilings, share (0–1) for shares, 0 for groups

    @property
    def resource(self) -> bool:
        return self.kind not in ("together", "exclusive")


@dataclass
class Problem:
    """Arrays of the MIP for one (items, scenario). Build with :func:`build_problem`."""

    items: list[Item]
    scenario: Scenario
    ids: list[str]
    index: dict[str, int]
    cost: np.ndarray  # juta
    value: np.ndarray
    lower: np.ndarray  # column lower bounds (1 for must-fund)
    rows: list[Row]
    starts: np.ndarray  # CSR of the rows
    indices: np.ndarray
    values: np.ndarray
    opd: np.ndarray  # per item, str
    kecamatan: np.ndarray
    physical: np.ndarray  # bool
    groups: list[list[int]]  # together groups as index lists (connected components of size > 1)
    group_of: np.ndarray  # item -> group number, -1 if alone

    def row_matrix(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.starts, self.indices, self.values

    def activity(self, x: np.ndarray) -> np.ndarray:
        """``a_r x`` for every row."""
        out = np.empty(len(self.rows))
        for r in range(len(self.rows)):
            s, e = self.starts[r], self.starts[r + 1]
            out[r] = float(self.values[s:e] @ x[self.indices[s:e]])
        return out

    def column(self, cols: np.ndarray) -> np.ndarray:
        """Sum of the given columns per row (effect on every row of funding them all)."""
        mask = np.zeros(len(self.ids), dtype=np.float64)
        mask[cols] = 1.0
        return self.activity(mask)


def item_values(items: list[Item], scenario: Scenario) -> np.ndarray:
    """Objective coefficient per item (see the module docstring)."""
    loc = np.array([scenario.location_priority.get(it.kelurahan, 1.0) for it in items], dtype=float)
    gap = np.array([scenario.strategy_gap.get(it.strategy, 1.0) for it in items], dtype=float)
    pri = np.array([it.priority for it in items], dtype=float)
    s = scenario
    value = loc**s.location_exponent * gap**s.strategy_exponent * pri**s.priority_exponent
    if scenario.value_per_rupiah:
        value = value * np.array([it.cost for it in items]) / SCALE
    return value


def _components(n: int, groups: tuple[tuple[str, ...], ...], index: dict[str, int]) -> list[list[int]]:
    parent = list(range(n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    touched: set[int] = set()
    for g in groups:
        idx = [index[i] for i in g if i in index]
        touched.update(idx)
        for a, b in itertools.pairwise(idx):
            parent[find(a)] = find(b)
    comps: dict[int, list[int]] = {}
    for i in sorted(touched):
        comps.setdefault(find(i), []).append(i)
    return [c for c in comps.values() if len(c) > 1]


def build_problem(items: list[Item], scenario: Scenario) -> Problem:
    """Rows of the MIP. Unknown ids in must-fund/together/exclusive are ignored here (the
    pre-checks in :mod:`padu.planning.engine.diagnose` report them)."""
    ids = [it.id for it in items]
    index = {i: n for n, i in enumerate(ids)}
    if len(index) != len(ids):
        raise ValueError("id usulan ganda / duplicate item ids")
    n = len(items)
    cost = np.array([it.cost for it in items], dtype=float) / SCALE
    opd = np.array([it.opd for it in items], dtype=object)
    kec = np.array([it.kecamatan for it in items], dtype=object)
    physical = np.array([it.physical for it in items], dtype=bool)
    s = scenario
    rows: list[Row] = []
    starts, indices, values = [0], [], []
    allidx = np.arange(n, dtype=np.int32)

    def add(row: Row, idx: np.ndarray, coef: np.ndarray) -> None:
        rows.append(row)
        indices.append(idx.astype(np.int32))
        values.append(coef.astype(np.float64))
        starts.append(starts[-1] + len(idx))

    add(Row("budget", "", -np.inf, s.budget / SCALE, s.budget), allidx, cost)
    for kind, attr, ceilings in (("opd_ceiling", opd, s.opd_ceilings),
                                 ("kecamatan_ceiling", kec, s.kecamatan_ceilings)):
        for key, cap in sorted(ceilings.items()):
            idx = allidx[attr == key]
            add(Row(kind, key, -np.inf, cap / SCALE, cap), idx, cost[idx])
    for key, share in sorted(s.kecamatan_min_share.items()):
        if share > 0:
            coef = cost * (np.where(kec == key, 1.0, 0.0) - share)
            add(Row("kecamatan_min_share", key, 0.0, np.inf, share), allidx, coef)
    for key, share in sorted(s.kecamatan_max_share.items()):
        if share < 1:
            coef = cost * (np.where(kec == key, 1.0, 0.0) - share)
            add(Row("kecamatan_max_share", key, -np.inf, 0.0, share), allidx, coef)
    if s.min_nonphysical_share > 0:
        coef = cost * (np.where(physical, 0.0, 1.0) - s.min_nonphysical_share)
        add(Row("nonphysical_min_share", "", 0.0, np.inf, s.min_nonphysical_share), allidx, coef)
    groups = _components(n, s.together, index)
    group_of = np.full(n, -1, dtype=np.int64)
    for g, members in enumerate(groups):
        group_of[members] = g
        for a, b in itertools.pairwise(members):
            add(Row("together", str(g), 0.0, 0.0, 0.0), np.array([a, b]), np.array([1.0, -1.0]))
    for g, members_ids in enumerate(s.exclusive):
        idx = np.array(sorted({index[i] for i in members_ids if i in index}), dtype=np.int32)
        if len(idx) > 1:
            add(Row("exclusive", str(g), -np.inf, 1.0, 0.0), idx, np.ones(len(idx)))
    lower = np.zeros(n)
    for i in s.must_fund:
        if i in index:
            lower[index[i]] = 1.0
    for members in groups:  # must-fund propagates through its together group
        if lower[members].max() > 0:
            lower[members] = 1.0
    return Problem(
        items=items, scenario=scenario, ids=ids, index=index, cost=cost, value=item_values(items, s),
        lower=lower, rows=rows, starts=np.array(starts, dtype=np.int32),
        indices=np.concatenate(indices) if indices else np.zeros(0, np.int32),
        values=np.concatenate(values) if values else np.zeros(0),
        opd=opd, kecamatan=kec, physical=physical, groups=groups, group_of=group_of,
    )
