"""Thin HiGHS (highspy) runner shared by the optimiser and the infeasibility diagnosis. Django-free."""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np


@dataclass(frozen=True)
class RawResult:
    status: str  # optimal | gap | infeasible | no_solution | error
    x: np.ndarray | None
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    highs_status: str


def run_highs(
    *,
    obj: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    integer: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    starts: np.ndarray,
    indices: np.ndarray,
    values: np.ndarray,
    maximise: bool,
    time_limit: float,
    mip_gap: float,
    threads: int = 1,
) -> RawResult:
    """Solve ``opt obj x`` s.t. ``row_lower <= A x <= row_upper`` (A in CSR), bounds, integrality."""
    started = time.perf_counter()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("threads", int(threads))
    inf = highspy.kHighsInf
    n = len(obj)
    h.addCols(n, obj.astype(np.float64), col_lower.astype(np.float64), col_upper.astype(np.float64),
              0, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.float64))
    m = len(row_lower)
    if m:
        lo = np.where(np.isfinite(row_lower), row_lower, -inf).astype(np.float64)
        up = np.where(np.isfinite(row_upper), row_upper, inf).astype(np.float64)
        h.addRows(m, lo, up, len(indices), starts[:-1].astype(np.int32), indices.astype(np.int32),
                  values.astype(np.float64))
    ints = np.flatnonzero(integer).astype(np.int32)
    if len(ints):
        h.changeColsIntegrality(len(ints), ints, np.full(len(ints), 1, dtype=np.uint8))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize)
    h.run()
    ms = h.getModelStatus()
    info = h.getInfo()
    name = h.modelStatusToString(ms)
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    x = np.asarray(h.getSolution().col_value) if has_solution else None
    mip = len(ints) > 0
    objective = float(info.objective_function_value) if has_solution else None
    bound = float(info.mip_dual_bound) if (mip and has_solution) else objective
    gap = float(info.mip_gap) if (mip and has_solution) else (0.0 if has_solution else None)
    if ms == highspy.HighsModelStatus.kOptimal:
        status = "optimal"
    elif ms == highspy.HighsModelStatus.kInfeasible:
        status = "infeasible"
    elif has_solution:
        status = "gap"
    elif ms in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kIterationLimit):
        status = "no_solution"
    else:
        status = "error"
    if x is not None and mip:
        x = np.round(x)
    return RawResult(status, x, objective, bound, gap, time.perf_counter() - started, name)
