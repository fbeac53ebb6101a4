"""Benchmark ``padu import registry`` on SQLite and PostgreSQL against a raw-load baseline.

    python bench/bench_import.py                               # 1,000,000 persons (generated once)
    python bench/bench_import.py --persons 100000
    python bench/bench_import.py --from bench/out/import/100000-2026 --targets sqlite postgres

For the registry file of N persons (``padu generate``; reused from ``--from`` or ``bench/out/import/``) it
measures, each in its own child process:

* ``sqlite``: ``padu import registry FILE --source dtsen --period 2026-09`` into a fresh SQLite database
  (a temporary ``PADU_DATA_DIR``, prepared with ``padu setup`` before the clock starts);
* ``postgres``: the same into ``padu_bench`` on ``--pg-url`` (created and dropped by this script);
* ``sqlite-raw``: the baseline — ``csv.reader`` plus one ``executemany`` of every row into an unindexed
  table, in one transaction;
* ``postgres-raw``: the baseline — ``COPY ... FROM STDIN (FORMAT csv)`` of the file into an unindexed table;
* with ``--reimport``, the same import again (every row unchanged) on each database;
* ``validate`` (only when named in ``--targets``): reading, mapping and validating the file with the
  Django-free engine (``read_table`` + ``map_columns`` + ``validate_rows``, the in-file duplicate
  check included), no database: the validation step alone, for A/B runs of it.

CPU is the measured child's user + system time (``getrusage``; the PostgreSQL server's own work is not
in it), and the machine's 1-minute load average before and after each run is recorded beside it.
Peak RSS is ``ru_maxrss`` of the measured child (each measurement runs in a fresh wrapper process, so
sizes and targets do not mask each other): the largest single process. ``peak_tree_rss_mib`` is the peak
of the summed RSS of the child and its descendants (the import's reading process included), sampled
every 0.2 s from ``/proc`` (Linux). Prints a table and one JSON document (also written to
``bench/out/import/result-N.json``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "import"
PERIOD = "2026-09"
TARGETS = ("sqlite", "postgres", "sqlite-raw", "postgres-raw")
EXTRA_TARGETS = ("validate",)


def _padu(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "padu", *args], capture_output=True, text=True, env=env, check=False
    )


def _checked(proc: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(proc.returncode)
    return proc


def _db_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_db_url(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


# -- measured children --------------------------------------------------------------------------------


def raw_sqlite(file: Path, db: Path) -> int:
    import sqlite3

    with file.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        conn = sqlite3.connect(db)
        cols = ", ".join(f'"{c}" TEXT' for c in header)
        conn.execute(f"CREATE TABLE raw ({cols})")
        with conn:
            conn.executemany(f"INSERT INTO raw VALUES ({', '.join('?' * len(header))})", reader)
        rows = conn.execute("SELECT count(*) FROM raw").fetchone()[0]
        conn.close()
    return int(rows)


def raw_postgres(file: Path, url: str) -> int:
    import psycopg

    with file.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    with psycopg.connect(url) as conn:
        cols = ", ".join(f'"{c}" text' for c in header)
        conn.execute("DROP TABLE IF EXISTS raw")
        conn.execute(f"CREATE TABLE raw ({cols})")
        copy_sql = "COPY raw FROM STDIN (FORMAT csv, HEADER true)"
        with conn.cursor() as cur, cur.copy(copy_sql) as copy, file.open("rb") as fh:
            while block := fh.read(1 << 20):
                copy.write(block)
        rows = conn.execute("SELECT count(*) FROM raw").fetchone()[0]
        conn.execute("DROP TABLE raw")
    return int(rows)


def validate_only(file: Path) -> int:
    """Read, map and validate ``file`` (no database); returns the number of validated rows."""
    from padu.ingest.engine import ValidationContext, map_columns, read_table, validate_rows

    rows = 0
    with read_table(file) as table:
        for _result in validate_rows(table.rows, map_columns(table.columns), ValidationContext()):
            rows += 1
    return rows


def measure(target: str, file: Path, data_dir: Path, db_url: str) -> dict[str, object]:
    """Run one target in a child process; called inside a fresh wrapper process."""
    env = {**os.environ, "PADU_DATA_DIR": str(data_dir)}
    if target.startswith("postgres"):
        env["DATABASE_URL"] = db_url
    else:
        env.pop("DATABASE_URL", None)
    if target == "validate":
        cmd = [sys.executable, __file__, "--raw", "validate", str(file), "-"]
    elif target.endswith("-raw"):
        kind = "sqlite" if target.startswith("sqlite") else "postgres"
        where = str(data_dir / "raw.sqlite3") if kind == "sqlite" else db_url
        cmd = [sys.executable, __file__, "--raw", kind, str(file), where]
    else:
        cmd = [sys.executable, "-m", "padu", "import", "registry", str(file), "--source", "dtsen",
               "--period", PERIOD]  # fmt: skip
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, env=env)
        tree_peak = _sample_tree_rss(child)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        proc = subprocess.CompletedProcess(cmd, child.returncode, out.read(), err.read())
    load_after = os.getloadavg()[0]
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(proc.returncode)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    rss_kib = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss // 1024
    last = proc.stdout.strip().splitlines()[-1]
    counts = (
        {k: int(v) for k, v in (p.split("=") for p in last.split())} if "=" in last else {"rows": int(last)}
    )
    return {
        "target": target,
        "rows": counts["rows"],
        "summary": last,
        "wall_s": round(wall, 1),
        "rows_per_s": round(counts["rows"] / wall),
        "cpu_user_s": round(usage.ru_utime, 1),
        "cpu_sys_s": round(usage.ru_stime, 1),
        "load_1m": [round(load_before, 2), round(load_after, 2)],  # the machine's, before and after
        "peak_rss_mib": round(rss_kib / 1024, 1),
        "peak_tree_rss_mib": round(tree_peak / 2**20, 1) if tree_peak else None,
    }


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants (Linux ``/proc``; 0 elsewhere)."""
    parents: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * page
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(parents.get(pid, ()))
    return total


def _sample_tree_rss(child: subprocess.Popen[str]) -> int:
    """Wait for ``child``; the peak of the summed RSS of its process tree, sampled every 0.2 s (the
    import's reading process counts too: ``ru_maxrss`` only gives the largest single process)."""
    peak = 0
    while child.poll() is None:
        peak = max(peak, _tree_rss(child.pid))
        time.sleep(0.2)
    return peak


# -- orchestration ------------------------------------------------------------------------------------


def _source(args: argparse.Namespace) -> Path:
    folder = args.source or OUT / f"{args.persons}-{args.seed}"
    if not (folder / "manifest.json").exists():
        if args.source:
            raise SystemExit(f"{folder}: no manifest.json (not written by 'padu generate')")
        print(f"generating {args.persons:,} persons into {folder} ...", file=sys.stderr)
        cmd = ["generate", "--persons", str(args.persons), "--seed", str(args.seed), "--out", str(folder)]
        _checked(_padu(*cmd, "--force", "--no-progress", env=dict(os.environ)))
    return folder / "registry" / "dtsen_registry.csv"


def _run(target: str, file: Path, data_dir: Path, db_url: str) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--single", target, str(file), str(data_dir), db_url]
    proc = _checked(subprocess.run(cmd, capture_output=True, text=True, check=False))
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _prepare(target: str, work: Path, db_url: str) -> Path:
    data_dir = work / target.split("-")[0]
    data_dir.mkdir(parents=True, exist_ok=True)
    if target.endswith("-raw") or target == "validate":
        return data_dir
    env = {**os.environ, "PADU_DATA_DIR": str(data_dir)}
    if target == "postgres":
        env["DATABASE_URL"] = db_url
    else:
        env.pop("DATABASE_URL", None)
    _checked(_padu("setup", env=env))
    return data_dir


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument(
        "--from", dest="source", type=Path, default=None, help="folder written by 'padu generate'"
    )
    ap.add_argument("--targets", nargs="+", choices=TARGETS + EXTRA_TARGETS, default=list(TARGETS))
    ap.add_argument("--reimport", action="store_true", help="also import the same file again (all unchanged)")
    ap.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/padu_bench")
    ap.add_argument("--keep", action="store_true", help="keep the databases' data directories")
    ap.add_argument("--single", nargs=4, help=argparse.SUPPRESS)
    ap.add_argument("--raw", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.raw:
        kind, file, where = args.raw
        if kind == "validate":
            print(validate_only(Path(file)))
        elif kind == "sqlite":
            print(raw_sqlite(Path(file), Path(where)))
        else:
            print(raw_postgres(Path(file), where))
        return 0
    if args.single:
        target, file, data_dir, db_url = args.single
        print(json.dumps(measure(target.removesuffix("+again"), Path(file), Path(data_dir), db_url)))
        return 0

    file = _source(args)
    db_name = urlsplit(args.pg_url).path.lstrip("/")
    uses_pg = any(t.startswith("postgres") for t in args.targets)
    if uses_pg:
        _pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{db_name}"')
        _pg_admin(args.pg_url, f'CREATE DATABASE "{db_name}"')
    work = Path(tempfile.mkdtemp(prefix="padu-bench-import-"))
    results: list[dict[str, object]] = []
    try:
        for target in args.targets:
            data_dir = _prepare(target, work, args.pg_url)
            results.append(_run(target, file, data_dir, args.pg_url))
            print(json.dumps(results[-1]), file=sys.stderr)
            if args.reimport and target in ("sqlite", "postgres"):
                again = _run(target + "+again", file, data_dir, args.pg_url)
                again["target"] = f"{target} (again)"
                results.append(again)
                print(json.dumps(again), file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        if uses_pg:
            _pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{db_name}"')
    speed = {str(r["target"]): float(r["rows_per_s"]) for r in results}  # type: ignore[arg-type]
    for r in results:
        base = str(r["target"]).split(" ")[0]
        raw = speed.get(f"{base}-raw")
        r["share_of_raw"] = (
            round(speed[str(r["target"])] / raw, 3) if raw and base in ("sqlite", "postgres") else None
        )
    doc = {
        "persons": args.persons,
        "file": str(file),
        "file_mib": round(file.stat().st_size / 2**20, 1),
        "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "results": results,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"result-{args.persons}.json").write_text(json.dumps(doc, indent=2), encoding="utf-8")
    print(
        f"{'target':<22}{'rows':>10}{'wall s':>9}{'cpu s':>8}{'rows/s':>10}{'peak RSS MiB':>14}{'tree':>7}"
        f"{'of raw':>8}{'load':>12}"
    )
    for r in results:
        share = f"{r['share_of_raw']:.0%}" if r["share_of_raw"] is not None else ""
        cpu = round(float(r["cpu_user_s"]) + float(r["cpu_sys_s"]), 1)  # type: ignore[arg-type]
        load = "/".join(str(x) for x in r["load_1m"])  # type: ignore[attr-defined]
        print(
            f"{r['target']!s:<22}{r['rows']:>10,}{r['wall_s']:>9}{cpu:>8}{r['rows_per_s']:>10,}"
            f"{r['peak_rss_mib']:>14}{r['peak_tree_rss_mib']!s:>7}{share:>8}{load:>12}"
        )
    print(json.dumps(doc))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
