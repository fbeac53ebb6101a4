"""The first-load fast path: secondary indexes dropped and rebuilt inside the import's transaction.

``DEFER_MIN_ROWS`` is lowered so that the 40-person fixture takes the path a million-row file takes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import connection

from padu.ingest import commit, kinds, runner, services, tuning
from padu.ingest.models import BatchStatus, ImportBatch
from tests.ingest.conftest import DTSEN, registry_counts, write_rows

pytestmark = pytest.mark.django_db

TABLES = kinds.get("registry").bulk_tables
ROOT = Path(__file__).resolve().parents[2]


def _index_sql() -> dict[str, str]:
    """Every index and (PostgreSQL) foreign key of the bulk tables, by name."""
    with connection.cursor() as cursor:
        found = {name: sql for table in TABLES for name, sql, _u, _c in tuning._indexes(cursor, table)}
        if connection.vendor == "postgresql":
            for table in TABLES:
                found.update(tuning._foreign_keys(cursor, table, refer_to={*TABLES, "accounts_user"}))
        return found


@pytest.fixture
def spy(monkeypatch) -> list[list[str]]:
    """Lower the threshold and record what each commit dropped."""
    monkeypatch.setattr(tuning, "DEFER_MIN_ROWS", 1)
    seen: list[list[str]] = []
    real = tuning.deferred_indexes

    @contextlib.contextmanager
    def recording(tables, *, expected_rows):
        with real(tables, expected_rows=expected_rows) as dropped:
            seen.append(list(dropped))
            yield dropped

    monkeypatch.setattr(services, "deferred_indexes", recording)
    return seen


def test_it_rebuilds_the_same_indexes_after_a_large_first_load(spy):
    before = _index_sql()
    batch = services.import_file(actor=None, path=DTSEN, source="dtsen", period="2026-03")
    assert batch.status == BatchStatus.COMMITTED
    assert (batch.rows, batch.accepted) == (40, 40)
    assert registry_counts()["Person"] == 40
    dropped = spy[0]
    assert "registry_person_name_2a560b73" in dropped
    assert "person_one_live_per_valid_nik" not in dropped  # constraints stay
    assert "registry_family_source_id_87670f2b" not in dropped  # looked up during the import
    if connection.vendor == "postgresql":  # checked by one join when re-added, not row by row
        assert "registry_person_family_id_dfea92dc_fk_registry_family_id" in dropped
        assert "registry_statuschange_author_id_b7cce94d_fk_accounts_user_id" not in dropped
    assert _index_sql() == before


def test_it_does_not_drop_indexes_of_a_registry_that_has_rows(spy):
    services.import_file(actor=None, path=DTSEN, source="dtsen", period="2026-03")
    again = services.import_file(actor=None, path=DTSEN, source="dtsen", period="2026-03")
    assert (again.rows, again.accepted, again.rejected, again.unchanged) == (40, 0, 0, 40)
    assert spy[1] == []


def test_it_keeps_the_indexes_and_no_rows_when_a_large_first_load_fails(spy, monkeypatch, tmp_path, rows):
    before = _index_sql()
    counts = registry_counts()
    monkeypatch.setattr(runner, "CHUNK_ROWS", 10)
    real_flush = commit.RegistryDiff._flush
    calls: list[int] = []

    def crash(self, plan):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("listrik padam / power cut")
        real_flush(self, plan)

    monkeypatch.setattr(commit.RegistryDiff, "_flush", crash)
    with pytest.raises(RuntimeError):
        services.import_file(actor=None, path=write_rows(tmp_path / "a.csv", rows), period="2026-03")
    assert spy[0]  # the indexes had been dropped and two chunks written
    assert registry_counts() == counts
    assert _index_sql() == before
    assert ImportBatch.objects.get().status == BatchStatus.FAILED


KILLED = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "padu.config.settings")
    import django
    django.setup()
    from padu.ingest import runner, services, sql, tuning
    tuning.DEFER_MIN_ROWS = 1
    runner.CHUNK_ROWS = 10
    real = sql.bulk_insert
    calls = []
    def dying(model, columns, rows, **kwargs):
        real(model, columns, rows, **kwargs)
        if model.__name__ == "Person":
            calls.append(1)
            if len(calls) == 3:  # indexes dropped, two chunks of persons written
                os.kill(os.getpid(), signal.SIGKILL)
    sql.bulk_insert = dying
    services.import_file(actor=None, path=Path(sys.argv[1]), source="dtsen", period="2026-03")
    """
)


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "sqlite", reason="a fresh SQLite file in its own data dir")
def test_it_leaves_a_whole_database_when_the_process_is_killed_mid_load(tmp_path):
    env = {**os.environ, "PADU_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    padu = [sys.executable, "-m", "padu"]
    subprocess.run([*padu, "manage", "migrate"], env=env, cwd=ROOT, check=True, capture_output=True)
    db = tmp_path / "data" / "padu.sqlite3"
    code = "from padu.wilayah.services import load_regions; load_regions()"
    subprocess.run([*padu, "manage", "shell", "-c", code], env=env, cwd=ROOT, check=True, capture_output=True)

    def indexes() -> set[tuple[str, str]]:
        with sqlite3.connect(db) as conn:
            return set(
                conn.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'registry_%'"
                )
            )

    before = indexes()
    proc = subprocess.run(
        [sys.executable, "-c", KILLED, str(DTSEN)], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for table in TABLES:
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
        status = conn.execute("SELECT status FROM ingest_importbatch").fetchone()[0]
    assert status == BatchStatus.COMMITTING  # may be retried
    assert indexes() == before
