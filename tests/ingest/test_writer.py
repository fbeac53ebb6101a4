"""Chunks written on a second thread (``padu.ingest.writer``), as a PostgreSQL commit does.

The thread is forced on for whichever database runs the tests (on SQLite it works the same, it only
does not pay off), with chunks of a few rows so that writing and deciding really interleave.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from padu.ingest import registry_plan, runner, services, writer
from padu.ingest.models import BatchStatus, ImportBatch, ImportRow
from padu.registry.models import Family, Membership, Person, StatusChange, WelfareRecord
from tests.ingest.conftest import DTSEN, registry_counts, write_rows

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, list[tuple[object, ...]]]:
    """The registry by natural keys (ids and timestamps aside)."""
    return {
        "families": sorted(
            Family.objects.values_list("kk", "source_id", "kelurahan_id", "status", "desil", "extreme_poor")
        ),
        "persons": sorted(
            Person.objects.values_list(
                "nik", "nik_valid", "source_id", "name", "birth_date", "family__kk", "status", "death_date"
            )
        ),
        "memberships": sorted(
            Membership.objects.values_list("person__source_id", "family__kk", "relationship", "valid_to")
        ),
        "welfare": sorted(WelfareRecord.objects.values_list("family__kk", "period", "desil")),
        "history": sorted(
            (
                (kk, person, name, *(_family_kk(v) if name == "family" else v for v in (old, new)))
                for kk, person, name, old, new in StatusChange.objects.values_list(
                    "family__kk", "person__source_id", "field", "old_value", "new_value"
                )
            ),
            key=repr,
        ),
    }


def _family_kk(family_id: str) -> str:
    """A moved person's history names family ids; ids differ between runs (sequences), KKs do not."""
    return Family.objects.get(pk=int(family_id)).kk if family_id else ""


def _clear_registry() -> None:
    for model in (StatusChange, WelfareRecord, Membership, Person, Family):
        model.objects.all().delete()
    if connection.vendor == "postgresql":  # run the deletes' deferred key checks now: a first load
        with connection.cursor() as cursor:  # may not ALTER a table with checks pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.fixture
def threaded(monkeypatch) -> list[str]:
    """Force the writer thread on, with chunks of 7 rows; records the threads that wrote plans."""
    monkeypatch.setattr(writer.ChunkWriter, "pays_off", staticmethod(lambda alias="default": True))
    monkeypatch.setattr(runner, "CHUNK_ROWS", 7)
    names: list[str] = []
    real = registry_plan.write_plan

    def spying(plan, **kwargs):
        names.append(threading.current_thread().name)
        real(plan, **kwargs)

    monkeypatch.setattr("padu.ingest.commit.write_plan", spying)
    return names


def test_a_threaded_commit_writes_what_a_plain_commit_writes(threaded, monkeypatch, tmp_path, rows):
    rows[3]["nik"] = rows[1]["nik"]  # a duplicate in the file: a rejected row kept with its reason
    path = write_rows(tmp_path / "a.csv", rows)
    batch = services.import_file(actor=None, path=path, source="dtsen", period="2026-03")
    assert (batch.rows, batch.accepted, batch.rejected) == (40, 39, 1)
    assert len(threaded) >= 5 and set(threaded) == {"padu-import-writer"}
    assert ImportRow.objects.filter(batch=batch, status="rejected").count() == 1
    with_thread = _snapshot()

    _clear_registry()
    monkeypatch.setattr(writer.ChunkWriter, "pays_off", staticmethod(lambda alias="default": False))
    threaded.clear()
    plain = services.import_file(actor=None, path=path, source="dtsen", period="2026-03")
    assert (plain.rows, plain.accepted, plain.rejected) == (40, 39, 1)
    assert set(threaded) == {threading.current_thread().name}
    assert _snapshot() == with_thread

    again = services.import_file(actor=None, path=path, source="dtsen", period="2026-03")
    assert (again.accepted, again.rejected, again.unchanged) == (0, 1, 39)


def test_an_error_in_the_writer_thread_rolls_back_the_whole_file(threaded, monkeypatch):
    counts = registry_counts()
    real = registry_plan.write_plan
    calls: list[int] = []

    def failing(plan, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk penuh / disk full")
        real(plan, **kwargs)

    monkeypatch.setattr("padu.ingest.commit.write_plan", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        services.import_file(actor=None, path=DTSEN, source="dtsen", period="2026-03")
    assert len(calls) == 3  # the chunks after the failure were not written
    assert registry_counts() == counts
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.FAILED
    assert "disk full" in batch.error
    assert not [t for t in threading.enumerate() if t.name == "padu-import-writer"]
