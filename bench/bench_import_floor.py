"""The write floor of a registry import: how long writing the rows an import writes takes by itself.

    python bench/bench_import_floor.py --persons 1000000 --pg-url postgres://postgres@127.0.0.1:5432/padu_floor

The issue's raw baseline loads the file into one unindexed table. An import writes more than that:
for 1,000,000 persons about 3.8 million rows in six registry tables (families, KK history, persons,
memberships, welfare records, status history) with their keys, unique constraints, indexes and
foreign keys. This script first imports the generated file (``padu import registry``, as
``bench_import.py`` does; not timed here), then measures, in a fresh database prepared with
``padu setup``, writing exactly those rows again with no reading, checking or deciding at all — in one
transaction, with the import's own deferred-index procedure (``padu.ingest.tuning.deferred_indexes``:
secondary indexes and, on PostgreSQL, the foreign keys dropped and rebuilt once):

* ``postgres-floor``: binary ``COPY`` of each table from a file written by ``COPY ... TO`` beforehand
  (the format the import sends);
* ``sqlite-floor``: ``INSERT INTO t SELECT * FROM src.t`` from the imported database, attached
  (SQLite's C code only; no Python per row).

The result (wall seconds, rows, and the share of the raw baseline it would leave) says how close to
the raw baseline any import that writes these tables can come. Writes ``bench/out/import/floor-N.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_import import OUT, PERIOD, _checked, _db_url, _padu, _pg_admin, raw_postgres, raw_sqlite

TABLES = (  # in an order the foreign keys accept
    "registry_family",
    "registry_person",
    "registry_kkhistory",
    "registry_membership",
    "registry_welfarerecord",
    "registry_statuschange",
)


def _env(data_dir: Path, db_url: str | None) -> dict[str, str]:
    env = {**os.environ, "PADU_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    if db_url:
        env["DATABASE_URL"] = db_url
    return env


def floor_child(kind: str, data_dir: str, db_url: str, source: str) -> None:
    """Runs inside a fresh process with Django set up for the target database."""
    os.environ.update(_env(Path(data_dir), db_url if kind == "postgres" else None))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "padu.config.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from padu.ingest.tuning import deferred_indexes, tuned_connection

    counts: dict[str, int] = {}
    started = time.perf_counter()
    with tuned_connection(), transaction.atomic():
        with connection.cursor() as cursor:
            if kind == "sqlite":
                cursor.execute("ATTACH DATABASE %s AS src", [source])
        # expected_rows: any large number turns the deferred-index procedure on, as for a large file
        with deferred_indexes(list(TABLES), expected_rows=10**9), connection.cursor() as cursor:
            for table in TABLES:
                if kind == "sqlite":
                    cursor.execute(f'INSERT INTO main."{table}" SELECT * FROM src."{table}"')
                else:
                    path = Path(source) / f"{table}.bin"
                    with (
                        cursor.cursor.copy(f'COPY "{table}" FROM STDIN (FORMAT BINARY)') as copy,
                        path.open("rb") as fh,
                    ):
                        while block := fh.read(1 << 20):
                            copy.write(block)
                cursor.execute(f'SELECT count(*) FROM main."{table}"' if kind == "sqlite"
                               else f'SELECT count(*) FROM "{table}"')  # fmt: skip
                counts[table] = int(cursor.fetchone()[0])
    wall = time.perf_counter() - started
    print(json.dumps({"wall_s": round(wall, 1), "rows": counts}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--targets", nargs="+", choices=("sqlite", "postgres"), default=["sqlite", "postgres"])
    ap.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/padu_floor")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        floor_child(*args.child)
        return 0
    folder = OUT / f"{args.persons}-{args.seed}"
    file = folder / "registry" / "dtsen_registry.csv"
    if not file.exists():
        raise SystemExit(
            f"{file}: run bench/bench_import.py --persons {args.persons} first (it generates it)"
        )
    work = Path(tempfile.mkdtemp(prefix="padu-bench-floor-"))
    results: dict[str, object] = {"persons": args.persons, "file": str(file)}
    name = urlsplit(args.pg_url).path.lstrip("/")
    try:
        for kind in args.targets:
            imported, fresh = work / f"{kind}-imported", work / f"{kind}-floor"
            imported.mkdir()
            fresh.mkdir()
            url_a = _db_url(args.pg_url, f"{name}_a") if kind == "postgres" else None
            url_b = _db_url(args.pg_url, f"{name}_b") if kind == "postgres" else None
            for url in (url_a, url_b):
                if url:
                    db = urlsplit(url).path.lstrip("/")
                    _pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{db}"')
                    _pg_admin(args.pg_url, f'CREATE DATABASE "{db}"')
            _checked(_padu("setup", env=_env(imported, url_a)))
            started = time.perf_counter()
            _checked(_padu("import", "registry", str(file), "--source", "dtsen", "--period", PERIOD,
                           env=_env(imported, url_a)))  # fmt: skip
            import_wall = time.perf_counter() - started
            _checked(_padu("setup", env=_env(fresh, url_b)))
            if kind == "postgres":
                import psycopg

                dump = work / "dump"
                dump.mkdir()
                with psycopg.connect(str(url_a)) as conn, conn.cursor() as cur:
                    for table in TABLES:
                        with (
                            (dump / f"{table}.bin").open("wb") as fh,
                            cur.copy(f'COPY "{table}" TO STDOUT (FORMAT BINARY)') as copy,
                        ):
                            for block in copy:
                                fh.write(block)
                source = str(dump)
                raw = _raw("postgres", file, str(url_b))
            else:
                source = str(imported / "padu.sqlite3")
                if not Path(source).exists():
                    source = str(next(imported.rglob("*.sqlite3")))
                raw = _raw("sqlite", file, str(work / "raw.sqlite3"))
            child = subprocess.run(
                [sys.executable, __file__, "--child", kind, str(fresh), str(url_b or ""), source],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            if child.returncode != 0:
                sys.stderr.write(child.stdout + child.stderr)
                return child.returncode
            floor = json.loads(child.stdout.strip().splitlines()[-1])
            rows = sum(floor["rows"].values())
            results[kind] = {
                "import_wall_s": round(import_wall, 1),
                "floor_wall_s": floor["wall_s"],
                "floor_rows": floor["rows"],
                "floor_rows_total": rows,
                "raw_wall_s": raw["wall_s"],
                "floor_share_of_raw": round(raw["wall_s"] / floor["wall_s"], 3),
                "import_share_of_floor": round(floor["wall_s"] / import_wall, 3),
                "load_1m": round(os.getloadavg()[0], 2),
            }
            print(json.dumps({kind: results[kind]}), file=sys.stderr)
            for url in (url_a, url_b):
                if url:
                    _pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}"')
    finally:
        shutil.rmtree(work, ignore_errors=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"floor-{args.persons}.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(results))
    return 0


def _raw(kind: str, file: Path, where: str) -> dict[str, float]:
    started = time.perf_counter()
    if kind == "postgres":
        raw_postgres(file, where)
    else:
        raw_sqlite(file, Path(where))
    return {"wall_s": round(time.perf_counter() - started, 1)}


if __name__ == "__main__":
    raise SystemExit(main())
