"""Benchmark the targeting dashboard pages on a 1,000,000-person city with a finished run.

    python bench/bench_targeting_pages.py                       # 1,000,000 persons, SQLite
    python bench/bench_targeting_pages.py --persons 100000 --requests 20
    python bench/bench_targeting_pages.py --reuse               # the database is already loaded
    python bench/bench_targeting_pages.py --reuse --runs 3 --requests 0   # time three more full runs
    python bench/bench_targeting_pages.py --database-url postgres://postgres@127.0.0.1:5432/padu_pages

1. The city (``padu generate``; shared with ``bench_targeting.py`` under ``bench/out/targeting-N-SEED``)
   is loaded into a migrated Padu database (default SQLite ``bench/out/targeting-N-SEED/pages.sqlite3``)
   as the product holds it (:mod:`padu_city_load`: registry, memberships, welfare records, programmes
   with their eligibility, rolls, entries and links), then one full targeting run is made the way
   ``padu targeting run`` makes it (:func:`padu.targeting.services.run_targeting`) and timed;
   ``--runs K`` times K more runs (also with ``--reuse``), ``--requests 0`` skips the pages.
2. Django's test client, logged in as a Bappeda analyst, requests each page ``--requests`` times after
   two warm-up requests: overview, per-kelurahan field checks, one kelurahan's field-check rows,
   drill-down (first page, and filtered by type and kelurahan), package matrix, history, and the
   finding rows of the API (``/api/penargetan/<period>/temuan/``, first page and filtered).
3. Prints p50/p95/max per page (wall ms) and the process CPU ms per request (SQLite runs in this
   process; on PostgreSQL the server's CPU is not counted), with the load average before and after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def setup_django(url: str, data_dir: Path) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("PADU_DATA_DIR", str(data_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "padu.config.settings")
    import django

    django.setup()


def load(folder: Path, period: str) -> dict[str, Any]:
    """Migrate, load the city as Padu holds it (:mod:`padu_city_load`), then one targeting run."""
    from django.core.management import call_command
    from padu_city_load import load_padu_city

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - started
    doc = load_padu_city(folder)
    doc["timings"]["migrate_s"] = round(migrate_s, 1)
    doc["runs"] = [service_run(period)]
    return doc


def service_run(period: str) -> dict[str, Any]:
    """One full targeting run as ``padu targeting run`` makes it (``services.run_targeting``:
    the Django staging, the engine with the package matrix, the findings' run, field-task links and
    aggregates, the audit entry); wall and this process's CPU seconds (SQLite runs in-process; on
    PostgreSQL the server's CPU is not in it)."""
    from padu.targeting import services

    load = os.getloadavg()[0]
    cpu, wall = time.process_time(), time.perf_counter()
    run = services.run_targeting(period=period, actor=None)
    out = {
        "wall_s": round(time.perf_counter() - wall, 2),
        "cpu_s": round(time.process_time() - cpu, 2),
        "findings": run.total,
        "load_average_1m": [round(load, 2), round(os.getloadavg()[0], 2)],
        "timings": {k: round(v, 2) for k, v in (run.timings or {}).items() if v >= 0.05},
    }
    print(
        f"service run: {out['wall_s']} s wall, {out['cpu_s']} s CPU, {run.total:,} findings, "
        f"load {out['load_average_1m']}",
        file=sys.stderr,
        flush=True,
    )
    return out


def pages(period: str, kelurahan: str) -> dict[str, str]:
    q = f"?periode={period}"
    return {
        "overview": f"/penargetan/{q}",
        "per_kelurahan": f"/penargetan/cek-lapangan/{q}",
        "kelurahan_rows": f"/penargetan/cek-lapangan/{q}&wilayah={kelurahan}",
        "drill_down": f"/penargetan/temuan/{q}",
        "drill_down_filtered": f"/penargetan/temuan/{q}&jenis=inclusion_graduated&wilayah={kelurahan}",
        "drill_down_page_40": f"/penargetan/temuan/{q}&hal=40",
        "package_matrix": f"/penargetan/paket/{q}",
        "history": "/penargetan/riwayat/",
        # The finding rows through the API (100 a page, JSON; audited like the pages).
        "api_rows": f"/api/penargetan/{period}/temuan/",
        "api_rows_filtered": (
            f"/api/penargetan/{period}/temuan/?type=inclusion_graduated&kelurahan={kelurahan}"
        ),
    }


def measure(n: int, period: str) -> dict[str, Any]:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from padu.accounts.models import Role, User
    from padu.targeting.models import Finding

    setup_test_environment()
    analyst = User.objects.filter(username="bench_analis").first() or User.objects.create_user(
        username="bench_analis", password="Rahasia-Bench-2026!", role=Role.ANALYST
    )
    kelurahan = (
        Finding.objects.filter(period=period, kelurahan__isnull=False)
        .values_list("kelurahan_id", flat=True)
        .order_by("kelurahan_id")
        .first()
    )
    client = Client(SERVER_NAME="localhost")
    client.force_login(analyst)
    out: dict[str, Any] = {}
    for name, url in pages(period, kelurahan or "").items():
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        walls, cpus = [], []
        for _ in range(n):
            cpu, wall = time.process_time(), time.perf_counter()
            client.get(url)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        walls.sort()
        out[name] = {
            "url": url,
            "p50_ms": round(statistics.median(walls), 1),
            "p95_ms": round(walls[min(len(walls) - 1, int(0.95 * len(walls)))], 1),
            "max_ms": round(walls[-1], 1),
            "cpu_mean_ms": round(statistics.fmean(cpus), 1),
        }
        print(
            f"{name:<22} p50 {out[name]['p50_ms']:>7} ms  p95 {out[name]['p95_ms']:>7} ms  "
            f"cpu {out[name]['cpu_mean_ms']:>7} ms  {url}",
            flush=True,
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--requests", type=int, default=30)
    ap.add_argument("--database-url", default="", help="default: SQLite in the city's folder")
    ap.add_argument("--reuse", action="store_true", help="the database is already loaded")
    ap.add_argument("--runs", type=int, default=0, help="time this many more full targeting runs first")
    args = ap.parse_args()
    from bench_targeting import city

    folder = city(args.persons, args.seed)
    period = json.loads((folder / "manifest.json").read_text())["reference_date"][:7]
    sqlite_path = folder / "pages.sqlite3"
    url = args.database_url or f"sqlite:///{sqlite_path}"
    if not args.reuse:
        if not args.database_url and sqlite_path.exists():
            sqlite_path.unlink()
        elif args.database_url.startswith("postgres"):
            from urllib.parse import urlsplit, urlunsplit

            import psycopg

            name = urlsplit(url).path.lstrip("/")
            admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
    setup_django(url, folder / "pages-data")
    doc: dict[str, Any] = {
        "persons": args.persons,
        "seed": args.seed,
        "database": url.split(":")[0],
        "requests": args.requests,
        "cpus": os.cpu_count(),
        "at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    if not args.reuse:
        print(f"loading {folder} into {url} ...", file=sys.stderr, flush=True)
        doc["load"] = load(folder, period)
        print(json.dumps(doc["load"]), file=sys.stderr, flush=True)
    runs = doc.setdefault("load", {}).setdefault("runs", [])
    runs += [service_run(period) for _ in range(args.runs)]
    doc["load_average_before"] = os.getloadavg()
    doc["pages"] = measure(args.requests, period) if args.requests > 0 else {}
    doc["load_average_after"] = os.getloadavg()
    (folder / f"pages-{doc['database']}.json").write_text(json.dumps(doc, indent=2) + "\n")
    print(json.dumps(doc))


if __name__ == "__main__":
    main()
