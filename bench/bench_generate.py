"""Benchmark ``padu generate``: wall time and peak memory (RSS) per size, each run in its own subprocess.

    python bench/bench_generate.py                       # 1,000,000 persons
    python bench/bench_generate.py --persons 100000 1000000   # memory should stay flat

Prints one JSON line and one human line per size. Peak RSS is ``ru_maxrss`` of RUSAGE_CHILDREN, taken in
a fresh wrapper process per size so sizes do not mask each other; it is the largest single process
(the generator or its XLSX writer), not their sum. Output goes to ``bench/out/`` (git-ignored) and is
removed afterwards unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def measure(persons: int, seed: int, out: Path, keep: bool) -> dict[str, object]:
    """Run the generator once (called inside the per-size wrapper process)."""
    if out.exists():
        shutil.rmtree(out)
    cmd = [
        sys.executable,
        "-m",
        "padu",
        "generate",
        "--persons",
        str(persons),
        "--seed",
        str(seed),
        "--out",
        str(out),
        "--no-progress",
    ]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(proc.returncode)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    rss_kib = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss // 1024
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    result = {
        "persons": persons,
        "seed": seed,
        "wall_s": round(wall, 1),
        "cpu_user_s": round(usage.ru_utime, 1),
        "cpu_sys_s": round(usage.ru_stime, 1),
        "peak_rss_mib": round(rss_kib / 1024, 1),
        "output_mib": round(_dir_size(out) / 2**20, 1),
        "families": manifest["counts"]["families"],
        "list_rows": manifest["counts"]["list_rows"],
        "list_formats": sorted({p["format"] for p in manifest["programmes"]}),
        "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    if not keep:
        shutil.rmtree(out)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, nargs="+", default=[1_000_000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "generate")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    ap.add_argument("--single", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.single:
        print(json.dumps(measure(args.persons[0], args.seed, args.out, args.keep)))
        return 0
    for n in args.persons:
        out = args.out / str(n)
        cmd = [
            sys.executable,
            __file__,
            "--single",
            "--persons",
            str(n),
            "--seed",
            str(args.seed),
            "--out",
            str(out),
        ] + (["--keep"] if args.keep else [])
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout + proc.stderr)
            return proc.returncode
        line = proc.stdout.strip().splitlines()[-1]
        r = json.loads(line)
        print(line)
        print(
            f"padu generate --persons {n:,}: {r['wall_s']} s wall ({r['cpu_user_s']} s user CPU), "
            f"peak RSS {r['peak_rss_mib']} MiB, {r['families']:,} families, {r['list_rows']:,} list rows, "
            f"output {r['output_mib']} MiB, {r['cpus']} CPUs"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
