"""Benchmark the targeting engine on SQLite and PostgreSQL, and score it against the generator's truth.

    python bench/bench_targeting.py                                  # 1,000,000 persons, both databases
    python bench/bench_targeting.py --persons 250000 --backends sqlite
    python bench/bench_targeting.py --reuse                          # skip loading when already loaded

For a generated city (``padu generate``; reused from ``bench/out/targeting-N-SEED`` when present) it:

1. loads it into the contract's tables (:mod:`padu.targeting.engine.synthload`, perfect links from
   ``truth/list_identities.csv``): SQLite ``bench/out/targeting-N-SEED/targeting.sqlite3``, PostgreSQL
   database ``padu_targeting_bench`` on ``--pg-url`` (created here; dropped at the end unless ``--keep``);
2. times a full run (``run_targeting``: staging + every rule, one transaction) on empty findings, then
   a second, idempotent run over the first one's findings;
3. scores the findings against truth/ (``evaluate``): recall and precision per fault type.

Prints a table and one JSON document (also written to ``bench/out/targeting-N-SEED/result.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from padu.targeting.engine import (  # noqa: E402
    TargetingSchema,
    evaluate,
    fetch_findings,
    package_matrix,
    run_targeting,
)
from padu.targeting.engine.synthload import load_synth  # noqa: E402

PG_DB = "padu_targeting_bench"


def city(persons: int, seed: int) -> Path:
    folder = ROOT / "bench" / "out" / f"targeting-{persons}-{seed}"
    manifest = folder / "manifest.json"
    if manifest.exists() and json.loads(manifest.read_text())["persons"] == persons:
        return folder
    from padu.synth import generate

    print(f"generating {persons:,} persons into {folder} ...", file=sys.stderr)
    started = time.perf_counter()
    generate(folder, persons=persons, seed=seed, overwrite=True)
    print(f"generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return folder


def connect(backend: str, folder: Path, pg_url: str, reuse: bool) -> tuple[Any, bool]:
    """(connection, needs loading)."""
    if backend == "sqlite":
        path = folder / "targeting.sqlite3"
        fresh = not (reuse and path.exists())
        if fresh and path.exists():
            path.unlink()
        return sqlite3.connect(path), fresh
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DB,)).fetchone()
        fresh = not (reuse and exists)
        if fresh:
            admin.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{PG_DB}"')
    return psycopg.connect(urlunsplit(urlsplit(pg_url)._replace(path=f"/{PG_DB}"))), fresh


def backend_cpu(conn: Any, backend: str) -> float:
    """CPU seconds used so far by the process doing the SQL: this one (SQLite) or the PostgreSQL backend
    serving ``conn`` (read from /proc: same machine, Linux)."""
    if backend == "sqlite":
        return time.process_time()
    pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(backend: str, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    conn, fresh = connect(backend, folder, args.pg_url, args.reuse)
    out: dict[str, Any] = {"backend": backend}
    period = json.loads((folder / "manifest.json").read_text())["reference_date"][:7]
    if fresh:
        loaded = load_synth(conn, folder)
        out["load_s"] = round(loaded.seconds, 1)
        out["rows"] = loaded.counts
    conn.execute("DROP TABLE IF EXISTS tg_finding")
    conn.commit()
    schema = TargetingSchema()
    cpu, load = backend_cpu(conn, backend), os.getloadavg()[0]
    first = run_targeting(conn, schema, period, packages=True)  # as the service runs it
    out["run_s"] = round(first.seconds, 2)
    out["run_cpu_s"] = round(backend_cpu(conn, backend) - cpu, 2)
    out["load_average_1m"] = round((load + os.getloadavg()[0]) / 2, 2)
    out["timings"] = first.timings
    # The service's run includes the package matrix (from the staged tables); the contract-table
    # version (``package_matrix``, no run needed) is timed for comparison.
    out["package_matrix_in_run_s"] = round(first.timings.get("package_matrix", 0.0), 2)
    cpu, started = backend_cpu(conn, backend), time.perf_counter()
    assert package_matrix(conn, schema, period) == first.packages, "package matrices differ"
    out["package_matrix_standalone_s"] = round(time.perf_counter() - started, 2)
    out["package_matrix_standalone_cpu_s"] = round(backend_cpu(conn, backend) - cpu, 2)
    out["counts"] = first.counts
    out["rupiah_year"] = first.rupiah_year
    cpu = backend_cpu(conn, backend)
    again = run_targeting(conn, schema, period)
    out["rerun_s"] = round(again.seconds, 2)
    out["rerun_cpu_s"] = round(backend_cpu(conn, backend) - cpu, 2)
    assert again.counts == first.counts, "re-run changed the findings"
    scores = evaluate(fetch_findings(conn, schema, period), folder / "truth")
    out["scores"] = {k: {m: round(v, 4) for m, v in s.items()} for k, s in scores.items()}
    conn.close()
    if backend == "postgresql" and not args.keep:
        import psycopg

        with psycopg.connect(args.pg_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--backends", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite", "postgresql"]
    )
    ap.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    ap.add_argument("--reuse", action="store_true", help="reuse an already loaded database")
    ap.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = ap.parse_args()
    folder = city(args.persons, args.seed)
    results = [measure(b, folder, args) for b in args.backends]
    doc = {
        "persons": args.persons,
        "seed": args.seed,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
        },
        "load_average_1m": round(os.getloadavg()[0], 2),
        "results": results,
    }
    (folder / "result.json").write_text(json.dumps(doc, indent=2) + "\n")
    for r in results:
        total = sum(r["counts"].values())
        print(
            f"{r['backend']}: load {r.get('load_s', '-')} s, "
            f"run {r['run_s']} s wall / {r['run_cpu_s']} s CPU, "
            f"re-run {r['rerun_s']} s / {r['rerun_cpu_s']} s CPU, {total:,} findings "
            f"(load average {r['load_average_1m']})"
        )
        for fault, s in r["scores"].items():
            print(
                f"  {fault:<15} recall {s['recall']:.4f}  precision {s['precision']:.4f}  "
                f"(truth {int(s['truth']):,}, found {int(s['found']):,})"
            )
    print(json.dumps(doc))


if __name__ == "__main__":
    main()
