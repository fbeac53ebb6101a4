"""A large file is read and validated in a second process (``padu.ingest.engine.parallel``) while the
importing process decides and writes. The threshold is lowered so that the fixtures take that path;
both paths must write the same registry and keep the same rows, and a failure on either side must
leave nothing behind.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from padu.ingest import kinds, runner, services, tuning
from padu.ingest.engine import IngestError, RowResult
from padu.ingest.engine.parallel import ReaderDied, fields, pack, unpack
from padu.ingest.engine.results import ERROR, FieldIssue
from padu.ingest.models import BatchStatus, ImportBatch, ImportRow
from padu.registry.models import Person
from tests.ingest.conftest import DTKS, DTSEN, P3KE, registry_counts, write_rows
from tests.ingest.reader_helpers import dying_validate
from tests.ingest.test_writer import _clear_registry, _snapshot

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def readers(monkeypatch) -> list[str]:
    """Every file is read in a second process (batches of 4 rows, chunks of 6); records each start."""
    monkeypatch.setattr(settings, "IMPORT_WORKER_MIN_ROWS", 0)
    monkeypatch.setattr(runner, "CHUNK_ROWS", 6)
    monkeypatch.setattr("padu.ingest.engine.parallel.BATCH_ROWS", 4)
    monkeypatch.setattr("padu.ingest.engine.parallel.LEARN_PAIRS", 2)  # families sent once from batch 2
    started: list[str] = []
    real = runner.parallel_results

    def recording(job, **kwargs):
        started.append(Path(job.path).name)
        return real(job, **kwargs)

    monkeypatch.setattr(runner, "parallel_results", recording)
    return started


def _import(path: Path, source: str = "dtsen", period: str = "2026-03") -> tuple[object, ...]:
    batch = services.import_file(actor=None, path=path, source=source, period=period)
    kept = sorted(
        ImportRow.objects.filter(batch=batch).values_list(
            "line", "status", "raw", "issues", "family_key", "person_key"
        )
    )
    counts = (batch.rows, batch.accepted, batch.rejected, batch.unchanged, batch.warnings)
    return counts, batch.issue_counts, batch.stats, kept, _snapshot()


def _messy(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    rows[3]["nik"] = rows[1]["nik"]  # repeated in the file: rejected
    rows[5]["tanggal_lahir"] = "31-02-1985"  # impossible date
    rows[7]["nama"] = ""  # no name
    rows[9]["nik"] = "3.67301E+15"  # Excel damage
    rows[11]["kode_kelurahan"] = "99.99.99.9999"  # unknown kelurahan
    rows[13]["nama"] = "Siti\x1fAminah"  # the packing's separator inside a cell
    rows[15]["nik"] = ""  # no NIK: recorded and flagged
    return write_rows(tmp_path / "messy.csv", rows)


def test_both_paths_write_the_same_registry_and_keep_the_same_rows(readers, monkeypatch, tmp_path, rows):
    files = [(DTSEN, "dtsen"), (DTKS, "dtks"), (P3KE, "auto"), (_messy(tmp_path, rows), "dtsen")]
    for path, source in files:
        _clear_registry()
        first = _import(path, source)
        again = _import(path, source)  # a re-import: every valid row unchanged
        readers_used = list(readers)
        _clear_registry()
        monkeypatch.setattr(settings, "IMPORT_WORKER_MIN_ROWS", 10**9)
        assert (_import(path, source), _import(path, source)) == (first, again), path.name
        assert len(readers) == len(readers_used) == 2  # the plain path started none
        monkeypatch.setattr(settings, "IMPORT_WORKER_MIN_ROWS", 0)
        readers.clear()
    assert first[0][2] >= 4  # the messy file's rejected rows are kept with their reasons


def test_a_validation_preview_counts_the_same(readers, monkeypatch):
    batch = services.create_batch(actor=None, file=DTSEN, source="dtsen", period="2026-03")
    services.validate_batch(actor=None, batch=batch)
    parallel = (batch.rows, batch.accepted, batch.rejected, batch.unchanged, batch.stats)
    assert len(readers) == 1
    monkeypatch.setattr(settings, "IMPORT_WORKER_MIN_ROWS", 10**9)
    services.validate_batch(actor=None, batch=batch)
    assert (batch.rows, batch.accepted, batch.rejected, batch.unchanged, batch.stats) == parallel
    assert registry_counts()["Person"] == 0


@pytest.mark.parametrize("where", [20, 3000])  # in the first block read (the header scan) or far after
def test_an_unreadable_file_fails_with_the_same_message(readers, monkeypatch, tmp_path, rows, where):
    rows = [dict(r, id_keluarga=f"{r['id_keluarga']}-{n}") for n in range(100) for r in rows]
    rows[where]["alamat"] = "x" * 200_000  # over the csv module's field limit: the file cannot be read
    path = write_rows(tmp_path / "rusak.csv", rows)
    monkeypatch.setattr(tuning, "DEFER_MIN_ROWS", 1)
    messages = []
    for min_rows in (0, 10**9):
        monkeypatch.setattr(settings, "IMPORT_WORKER_MIN_ROWS", min_rows)
        with pytest.raises(IngestError) as caught:
            services.import_file(actor=None, path=path, source="dtsen", period="2026-03")
        assert caught.value.code == "file.corrupt"
        messages.append(str(caught.value).replace(caught.value.path.name, "BERKAS"))  # stored names differ
        assert registry_counts()["Person"] == 0
    assert messages[0] == messages[1] and f"baris {where + 2}: CSV tidak dapat dibaca" in messages[0]
    assert [b.status for b in ImportBatch.objects.all()] == [BatchStatus.FAILED] * 2
    assert len(readers) == (where > 30)  # a bad row in the header scan fails the upload, before any commit


def test_a_reading_process_that_dies_rolls_the_whole_file_back(readers, monkeypatch):
    registry = kinds.get("registry")
    monkeypatch.setitem(
        kinds._KINDS, "registry", dataclasses.replace(registry, engine_validate=dying_validate)
    )
    monkeypatch.setattr(tuning, "DEFER_MIN_ROWS", 1)
    writes: list[int] = []
    real = services.run_rows

    def counting(**kwargs):
        results = kwargs.pop("results")

        def seen():
            for r in results:
                writes.append(r.line)
                yield r

        return real(results=seen(), **kwargs)

    monkeypatch.setattr(services, "run_rows", counting)
    counts = registry_counts()
    with pytest.raises(ReaderDied, match=f"exit code -{signal.SIGKILL}"):
        services.import_file(actor=None, path=DTSEN, source="dtsen", period="2026-03")
    assert len(writes) <= 20  # those that arrived before it died (usually 20: decided, some written)
    assert registry_counts() == counts
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.FAILED
    assert batch.error.startswith("Proses pembaca berkas berhenti sebelum selesai")
    assert not ImportRow.objects.exists()


def test_the_reading_process_finds_modules_where_this_process_found_them(readers, monkeypatch, tmp_path):
    # A validator in a module that only this process's sys.path knows (added at run time, not installed).
    (tmp_path / "padu_extra_validator.py").write_text(
        "from padu.ingest.engine import validate_rows\n\n\ndef validate(rows, mapping, context):\n"
        "    return validate_rows(rows, mapping, context)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    import padu_extra_validator  # importable only now

    registry = kinds.get("registry")
    changed = dataclasses.replace(registry, engine_validate=padu_extra_validator.validate)
    monkeypatch.setitem(kinds._KINDS, "registry", changed)
    batch = services.import_file(actor=None, path=DTSEN, source="dtsen", period="2026-03")
    assert (batch.rows, batch.accepted) == (40, 40) and len(readers) == 1


def test_packing_keeps_every_row_as_it_was():
    issue = FieldIssue(
        "nik", "NIK", "nik.duplicate_in_file", ERROR, "Kolom 'NIK': ganda", "Column 'NIK': dup", "1"
    )
    day = dt.date(1985, 8, 17)
    rows = [
        RowResult(2, {"NIK": "1", "NAMA": "A"}, {"nik": "1", "birth_date": day, "kk_issues": []}, [], True,
                  "kk:1", "1"),
        RowResult(3, {"NIK": "2", "NAMA": None}, {"nik": None, "nik_issues": [{"c": 1}]}, [issue], False,
                  "row:3", "x"),
        RowResult(4, {"NIK": "3", "NAMA": "a\x1fb"}, {"nik": "3"}, [], True, "kk:1", "3"),
        RowResult(5, {"NIK": 3.6e15, "TGL": dt.datetime(2020, 1, 2)}, {"nik": None}, [issue, issue], False,
                  "", ""),
        RowResult(6, {"NIK": "", "NAMA": ""}, {}, [], True, "row:6", "row:6::"),
    ]  # fmt: skip
    unpacked = unpack(pickle.loads(pickle.dumps(pack(rows))))
    assert [fields(r) for r in unpacked] == [fields(r) for r in rows]
    unpacked[0].raw = {"NIK": "9"}  # as a plain RowResult: the raw cells can be replaced
    assert unpacked[0].raw == {"NIK": "9"}


KILLED = textwrap.dedent(
    """
    import os, signal, sys, time
    from pathlib import Path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "padu.config.settings")
    import django
    django.setup()
    from django.conf import settings
    from padu.ingest import runner, services, sql
    settings.IMPORT_WORKER_MIN_ROWS = 0
    runner.CHUNK_ROWS = 10
    real = sql.bulk_insert
    def dying(model, columns, rows, **kwargs):
        real(model, columns, rows, **kwargs)
        if model.__name__ == "Person":
            mine = [p for p in os.listdir("/proc") if p.isdigit()
                    and open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[1] == str(os.getpid())]
            print(" ".join(mine), flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
    sql.bulk_insert = dying
    services.import_file(actor=None, path=Path(sys.argv[1]), source="dtsen", period="2026-03")
    """
)


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


@pytest.mark.slow
@pytest.mark.skipif(
    connection.vendor != "sqlite" or not Path("/proc/self/stat").exists(),
    reason="a fresh SQLite file in its own data dir; Linux /proc",
)
def test_the_reading_process_ends_when_the_importing_process_is_killed(tmp_path, rows):
    env = {**os.environ, "PADU_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    padu = [sys.executable, "-m", "padu"]
    subprocess.run([*padu, "manage", "migrate"], env=env, cwd=ROOT, check=True, capture_output=True)
    code = "from padu.wilayah.services import load_regions; load_regions()"
    subprocess.run([*padu, "manage", "shell", "-c", code], env=env, cwd=ROOT, check=True, capture_output=True)
    # Large enough that the reader is still sending when the importer dies after its first chunk.
    big = write_rows(tmp_path / "big.csv", [dict(r, id_keluarga=f"{r['id_keluarga']}-{n}") for n in range(300)
                                            for r in rows])  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-c", KILLED, str(big)], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    children = [int(p) for p in proc.stdout.split()]
    assert children  # the reading process
    deadline = time.monotonic() + 30  # it notices at its next send (polled every second)
    while any(_running(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_running(pid) for pid in children)


def test_the_web_pages_and_their_background_tasks_use_it_with_a_manual_mapping(
    readers, login, bappeda_admin, tmp_path, rows
):
    for row in rows:
        row["NAMA_WARGA"] = row.pop("nama")  # no alias: mapped by hand on the page
    path = write_rows(tmp_path / "registri_kelurahan.csv", rows)
    client = login(bappeda_admin)
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
    client.post("/impor/", {"file": upload, "source": "auto", "period": "2026-03"})
    batch = ImportBatch.objects.get()
    by_column = {column: name for name, column in batch.mapping.items()}
    form = {f"col_{i}": by_column.get(column, "") for i, column in enumerate(batch.columns)}
    form[f"col_{batch.columns.index('NAMA_WARGA')}"] = "name"
    client.post(f"/impor/{batch.pk}/pemetaan/", form)
    client.post(f"/impor/{batch.pk}/validasi/")
    client.post(f"/impor/{batch.pk}/simpan/")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED
    assert (batch.rows, batch.accepted, batch.rejected) == (40, 40, 0)
    assert len(readers) == 2  # the validation and the commit, each through the tasks
    assert Person.objects.filter(name="IWAN RAHMAT").exists()
