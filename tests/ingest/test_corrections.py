"""Rejected rows are kept and can be corrected and sent again, one by one or as a file."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from padu.core.models import AuditLog
from padu.ingest import corrections, reports, services
from padu.ingest.models import ImportRow
from padu.registry.models import Person, WelfareRecord
from tests.ingest.conftest import read_rows, write_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(tmp_path, rows):
    rows[3]["tanggal_lahir"] = "31-02-1985"
    rows[10]["nik"] = "3.67301E+15"
    return services.import_file(actor=None, path=write_rows(tmp_path / "salah.csv", rows), period="2026-03")


def test_it_commits_a_corrected_row_into_the_same_period(batch, rows, bappeda_admin):
    assert (batch.rejected, batch.accepted) == (2, 38)
    bad = ImportRow.objects.get(batch=batch, line=5)
    fixed = {**bad.raw, "tanggal_lahir": rows[3]["tanggal_lahir"].replace("31-02", "28-02")}
    counts = corrections.resubmit_rows(actor=bappeda_admin, batch=batch, corrections=[(bad, fixed)])
    assert counts["accepted"] == 1
    batch.refresh_from_db()
    assert (batch.rows, batch.rejected, batch.accepted) == (40, 1, 39)
    person = Person.objects.get(source_id=bad.raw["id_art"])
    assert person.birth_date.isoformat() == "1985-02-28"
    child = ImportRow.objects.get(corrected_from=bad)
    assert child.status == "accepted"
    assert [r.line for r in corrections.pending_rejected(batch)] == [12]
    assert not WelfareRecord.objects.exclude(period="2026-03").exists()
    entry = AuditLog.objects.filter(action="import", detail__stage="correction").get()
    assert entry.actor == bappeda_admin


def test_it_keeps_a_correction_that_still_fails(batch, bappeda_admin):
    bad = ImportRow.objects.get(batch=batch, line=12)
    counts = corrections.resubmit_rows(actor=bappeda_admin, batch=batch, corrections=[(bad, dict(bad.raw))])
    assert counts["rejected"] == 1
    batch.refresh_from_db()
    assert batch.rejected == 2
    assert list(corrections.pending_rejected(batch)) == [
        ImportRow.objects.get(batch=batch, line=5),
        ImportRow.objects.get(corrected_from=bad),
    ]


def test_it_takes_the_corrected_rejected_sheet_of_the_report(batch, tmp_path, bappeda_admin):
    clean = read_rows()
    report = tmp_path / "laporan.xlsx"
    reports.write_batch_report(batch=batch, path=report)
    book = load_workbook(report)
    sheet = book["Data ditolak"]
    header = [c.value for c in sheet[1]]
    assert header[-1] == "Baris asal"
    for cells in sheet.iter_rows(min_row=2):
        line = cells[-1].value
        original = clean[line - 2]
        for cell, column in zip(cells, header, strict=False):
            if column in {"tanggal_lahir", "nik"}:
                cell.value = "1985-02-28" if column == "tanggal_lahir" and line == 5 else original[column]
    fixed = tmp_path / "koreksi.xlsx"
    book.save(fixed)
    with fixed.open("rb") as fh:
        counts = corrections.resubmit_file(actor=bappeda_admin, batch=batch, file=fh, name="koreksi.xlsx")
    assert counts["rows"] == 2 and counts["rejected"] == 0
    batch.refresh_from_db()
    assert (batch.rejected, batch.accepted + batch.unchanged) == (0, 40)
    assert Person.objects.count() == 40
    assert not corrections.pending_rejected(batch).exists()
