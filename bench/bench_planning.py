"""Benchmark the planning engines: priority index from a person table and the allocation MIP.

    python bench/bench_planning.py          # 1,000,000 persons; 10,000 proposals x 60 kelurahan x 20 OPD
    python bench/bench_planning.py --persons 200000 --proposals 2000

Targets (issue 6): priority index for a 1M-person registry <= 10 s; allocation of 10,000 proposals with
every constraint type solved to proven optimality or a stated gap <= 10 s, on 2 cores. Generating the
synthetic inputs is reported separately and not counted. Peak RSS is ``ru_maxrss`` of this process
(the whole run). Prints one JSON line and human-readable lines.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from padu.planning.engine import explain, indicators_from_persons, optimise, priority_index  # noqa: E402
from padu.planning.engine.synthetic import synthetic_persons, synthetic_planning  # noqa: E402


def peak_rss_mib() -> float:
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024 if sys.platform != "darwin" else kib / 1024 / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--proposals", type=int, default=10_000)
    ap.add_argument("--kelurahan", type=int, default=60)
    ap.add_argument("--opd", type=int, default=20)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--time-limit", type=float, default=8.0, help="HiGHS time limit, seconds")
    ap.add_argument("--mip-gap", type=float, default=1e-4, help="relative gap accepted as optimal")
    args = ap.parse_args()
    out: dict[str, object] = {"command": "python " + " ".join(sys.argv), "python": platform.python_version()}

    t0 = time.perf_counter()
    persons = synthetic_persons(args.persons, seed=args.seed)
    out["persons_generate_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    indicators = indicators_from_persons(persons)
    t1 = time.perf_counter()
    index = priority_index(indicators)
    t2 = time.perf_counter()
    out |= {
        "persons": persons.num_rows,
        "kelurahan_indexed": indicators.num_rows,
        "aggregate_s": round(t1 - t0, 3),
        "index_s": round(t2 - t1, 4),
        "priority_total_s": round(t2 - t0, 3),
        "top3": index.top(3),
    }
    del persons

    t0 = time.perf_counter()
    data = synthetic_planning(
        args.proposals,
        n_kelurahan=args.kelurahan,
        n_opd=args.opd,
        seed=args.seed,
        time_limit=args.time_limit,
        mip_gap=args.mip_gap,
    )
    out["planning_generate_s"] = round(time.perf_counter() - t0, 2)
    s = data.scenario
    out |= {
        "proposals": len(data.items),
        "kelurahan": len({i.kelurahan for i in data.items}),
        "opd": len({i.opd for i in data.items}),
        "must_fund": len(s.must_fund),
        "together_groups": len(s.together),
        "exclusive_groups": len(s.exclusive),
        "time_limit_s": args.time_limit,
        "mip_gap_tolerance": args.mip_gap,
    }
    t0 = time.perf_counter()
    sol = optimise(data.items, s)
    t1 = time.perf_counter()
    why = explain(sol)
    t2 = time.perf_counter()
    out |= {
        "status": sol.status,
        "gap": sol.gap,
        "objective": sol.objective,
        "bound": sol.bound,
        "funded": sol.count,
        "funded_total_rp": sol.total,
        "budget_rp": s.budget,
        "nonphysical_share": round(sol.nonphysical_share, 4),
        "solve_s": round(sol.solve_seconds, 2),
        "optimise_wall_s": round(t1 - t0, 2),
        "explain_all_s": round(t2 - t1, 2),
        "explained": len(why),
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }
    print(json.dumps(out))
    print(
        f"priority index: {out['persons']:,} persons -> {out['kelurahan_indexed']} kelurahan in "
        f"{out['priority_total_s']} s (aggregate {out['aggregate_s']} s, index {out['index_s']} s)"
    )
    print(
        f"allocation: {out['proposals']:,} proposals x {out['kelurahan']} kelurahan x {out['opd']} OPD: "
        f"{sol.status}, gap {100 * (sol.gap or 0):.4f}%, {out['optimise_wall_s']} s wall "
        f"(HiGHS {out['solve_s']} s), funded {sol.count:,}; explanations {out['explain_all_s']} s"
    )
    print(f"peak RSS {out['peak_rss_mib']} MiB")


if __name__ == "__main__":
    main()
