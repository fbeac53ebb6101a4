"""``padu import registry``: summary line, exit status, idempotence, report, audit."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from padu.core.models import AuditLog
from padu.ingest.models import BatchStatus, ImportBatch, ImportRow
from padu.registry.models import Family, Person
from tests.ingest.conftest import DTKS, DTSEN, P3KE, registry_counts, write_rows

pytestmark = pytest.mark.django_db


def _summary(out: str) -> dict[str, int]:
    last = out.strip().splitlines()[-1]
    assert last.startswith("rows="), last
    return {k: int(v) for k, v in (part.split("=") for part in last.split())}


def test_it_imports_a_dtsen_file_and_ends_with_the_summary_line(padu):
    code, out, _err = padu("import", "registry", DTSEN, "--source", "dtsen", "--period", "2026-03")
    assert code == 0
    assert out.strip().splitlines()[-1] == "rows=40 accepted=40 rejected=0 unchanged=0"
    assert Person.objects.count() == 40
    assert Family.objects.count() == 10
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.COMMITTED
    assert batch.sha256 and batch.size == DTSEN.stat().st_size
    entry = AuditLog.objects.get(action="import")
    assert entry.detail["counts"] == {
        "rows": 40,
        "accepted": 40,
        "rejected": 0,
        "unchanged": 0,
        "warnings": 0,
    }


def test_it_changes_nothing_when_the_same_file_comes_again(padu):
    padu("import", "registry", DTSEN, "--period", "2026-03")
    before = registry_counts()
    code, out, _err = padu("import", "registry", DTSEN, "--period", "2026-03")
    assert code == 0
    assert _summary(out) == {"rows": 40, "accepted": 0, "rejected": 0, "unchanged": 40}
    assert registry_counts() == before


def test_it_reads_the_messy_p3ke_workbook_and_writes_the_report(padu, tmp_path):
    report = tmp_path / "laporan.xlsx"
    code, out, _err = padu("import", "registry", P3KE, "--period", "2026-03", "--report", report)
    assert code == 0
    counts = _summary(out)
    assert counts["rows"] == counts["accepted"] + counts["rejected"] + counts["unchanged"]
    assert counts["rejected"] > 0
    batch = ImportBatch.objects.get()
    assert batch.source == "p3ke"
    assert batch.header_line == 13
    assert ImportRow.objects.filter(batch=batch, status="rejected").count() == counts["rejected"]
    book = load_workbook(report, read_only=True)
    assert book.sheetnames[:3] == ["Ringkasan", "Baris bermasalah", "Data ditolak"]
    rejected = list(book["Data ditolak"].iter_rows(values_only=True))
    assert len(rejected) - 1 == counts["rejected"]
    assert "Baris asal" in rejected[0]
    summary = {r[0]: r[1] for r in book["Ringkasan"].iter_rows(values_only=True) if r and len(r) > 1 and r[0]}
    assert summary["Jumlah baris data"] == counts["rows"]
    assert summary["Ditolak"] == counts["rejected"]


def test_it_reads_the_old_dtks_semicolon_cp1252_file(padu):
    code, out, _err = padu("import", "registry", DTKS, "--source", "auto", "--period", "2026-03")
    assert code == 0
    counts = _summary(out)
    assert counts["accepted"] > 0
    assert ImportBatch.objects.get().source == "dtks"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("hilang.csv", None, "tidak ditemukan / file not found"),
        ("sampah.csv", b"\x00\x01\x02\xff\xfe garbage \x00" * 50, "sampah.csv"),
        ("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "lama.xls"),
    ],
)
def test_it_exits_non_zero_with_a_bilingual_message_for_unreadable_files(
    padu, tmp_path, name, content, expected
):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, out, err = padu("import", "registry", path, "--period", "2026-03")
    assert code != 0
    assert expected in err
    assert " / " in err
    assert not out.strip().endswith("unchanged=0")
    assert Person.objects.count() == 0


def test_it_names_the_required_columns_it_cannot_map(padu, tmp_path, rows):
    for row in rows:
        row["NAMA_WARGA"] = row.pop("nama")
    path = write_rows(tmp_path / "tanpa_nama.csv", rows)
    code, _out, err = padu("import", "registry", path, "--period", "2026-03")
    assert code != 0
    assert "name" in err and "NAMA_WARGA" in err
    assert Person.objects.count() == 0


def test_it_takes_a_mapping_as_json(padu, tmp_path, rows):
    for row in rows:
        row["NAMA_WARGA"] = row.pop("nama")
    path = write_rows(tmp_path / "tanpa_nama.csv", rows)
    code, out, _err = padu(
        "import", "registry", path, "--period", "2026-03", "--mapping", json.dumps({"name": "NAMA_WARGA"})
    )
    assert code == 0
    assert _summary(out)["accepted"] == 40


@pytest.mark.parametrize("period", ["2026-13", "26-03", "2026/03", ""])
def test_it_refuses_a_bad_period(padu, period):
    code, _out, err = padu("import", "registry", DTSEN, "--period", period)
    assert code != 0
    assert "YYYY-MM" in err
    assert not ImportBatch.objects.exists()
