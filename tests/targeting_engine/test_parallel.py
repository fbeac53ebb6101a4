"""A run on a pool of PostgreSQL connections (``run_targeting(helpers=...)``) finds exactly what the
one-transaction run finds, on the generated city; the pool itself runs jobs and reports failures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from padu.targeting.engine import TargetingSchema, run_targeting
from padu.targeting.engine.dialect import Db, Dialect
from padu.targeting.engine.parallel import Pool
from padu.targeting.engine.synthload import load_synth

COLUMNS = (
    "finding_type, category, severity, programme_id, roll_entry_id, other_roll_entry_id, person_id, "
    "family_id, kelurahan_code, desil, strategy, rupiah_month, rupiah_year, detail"
)


def _findings(conn: Any, table: str) -> list[tuple[Any, ...]]:
    return sorted(conn.execute(f"SELECT {COLUMNS} FROM {table}").fetchall(), key=lambda r: tuple(map(str, r)))


@pytest.mark.slow
def test_a_pooled_run_finds_what_a_serial_run_finds(pg_database: str, small_city: Path) -> None:
    import psycopg

    conn = psycopg.connect(pg_database, autocommit=True)
    helper = psycopg.connect(pg_database, autocommit=True)
    try:
        conn.execute("DROP SCHEMA IF EXISTS pooled_ws CASCADE")
        loaded = load_synth(conn, small_city)
        serial = run_targeting(conn, TargetingSchema(), loaded.period, "serial_findings", packages=True)
        conn.execute("CREATE TABLE pooled_findings (LIKE serial_findings INCLUDING ALL)")
        conn.execute("CREATE SCHEMA pooled_ws")
        conn.execute("SET search_path = pooled_ws, public")
        pooled = run_targeting(
            conn,
            TargetingSchema(),
            loaded.period,
            "public.pooled_findings",
            packages=True,
            helpers=[helper],
        )
        assert pooled.counts == serial.counts and serial.total > 1_000
        assert pooled.packages == serial.packages
        assert pooled.staged == serial.staged
        assert _findings(conn, "public.pooled_findings") == _findings(conn, "serial_findings")
        # the staged tables were unlogged tables of the run's schema, dropped at the end
        left = conn.execute(
            "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'pooled_ws' AND c.relkind = 'r'"
        ).fetchall()
        assert left == []
        assert helper.execute("SHOW work_mem").fetchone()[0] == conn.execute("SHOW work_mem").fetchone()[0]
    finally:
        conn.execute("RESET search_path")
        conn.execute("DROP SCHEMA IF EXISTS pooled_ws CASCADE")
        conn.close()
        helper.close()


def test_the_pool_runs_every_job_once_and_raises_the_first_failure() -> None:
    import sqlite3

    dbs = [Db(sqlite3.connect(":memory:", check_same_thread=False), Dialect("sqlite")) for _ in range(2)]
    pool = Pool(dbs)
    assert pool.queue([lambda d, n=n: n * n for n in range(7)]) == [n * n for n in range(7)]
    assert pool.queue([lambda d: d is dbs[0], lambda d: d is dbs[1]], pinned=True) == [True, True]

    def boom(_d: Db) -> None:
        raise ValueError("job 3 broke")

    with pytest.raises(ValueError, match="job 3 broke"):
        pool.queue([lambda d: 1, lambda d: 2, boom, lambda d: 4])


def test_helpers_are_refused_on_sqlite() -> None:
    import sqlite3

    conn = sqlite3.connect(":memory:")
    with pytest.raises(ValueError, match="PostgreSQL"):
        run_targeting(conn, TargetingSchema(), "2025-06", helpers=[sqlite3.connect(":memory:")])
