"""Sector indicators through the intake guarantees: a messy file (kelurahan by code or by name,
unknown kelurahan, a non-numeric value, duplicate rows) gives a precise report per row and field;
the valid rows are saved in one transaction; the same file again changes nothing; the CLI."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from padu.cli import main
from padu.core.models import AuditLog
from padu.planning.models import SectorBatch, SectorIndicator, SectorRejectedRow
from padu.planning.services import sector
from tests.conftest import KEL_A1, KEL_A2, KEL_B1

pytestmark = pytest.mark.django_db

# Dinkes' recap as sent: a title line, names for most kelurahan, codes for some, and mistakes.
MESSY = (
    "Rekap stunting Dinkes Kota Serang 2026\n"
    "No;Kode Kelurahan;Kelurahan;Kecamatan;Jumlah Kasus\n"
    "1;;Kel. Serang;Serang;12\n"  # line 3: by name (36.73.01.1001)
    f"2;{KEL_A2.replace('.', '')};;;5\n"  # line 4: plain code
    "3;;Kelurahan Entah;Serang;7\n"  # line 5: unknown name
    "4;36.73.09.9999;;;2\n"  # line 6: unknown code
    f"5;{KEL_B1};;;tiga\n"  # line 7: not a number
    f"6;{KEL_A2};;;5\n"  # line 8: same kelurahan and value as line 4: a duplicate row
    ";;;;\n"  # line 9: blank, skipped
)


def _write(tmp_path, text, name="stunting.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _kelurahan_name(code):
    from padu.wilayah.models import Region

    return Region.objects.get(code=code).name


def test_a_messy_file_gets_a_report_per_row_and_field(analyst, tmp_path):
    assert _kelurahan_name(KEL_A1) == "Serang"  # the name used on line 3
    path = _write(tmp_path, MESSY)
    batch = sector.import_indicators(
        actor=analyst, path=path, period="2026", source="e-PPGBM Dinkes", indicator="stunting_cases"
    )
    assert (batch.rows, batch.accepted, batch.unchanged, batch.rejected) == (6, 2, 0, 4)
    assert batch.keys == ["stunting_cases"]
    values = {(s.kelurahan_id, s.key): s.value for s in SectorIndicator.objects.all()}
    assert values == {(KEL_A1, "stunting_cases"): 12.0, (KEL_A2, "stunting_cases"): 5.0}
    issues = {
        r.line: [(i["field"], i["value"], i["id"], i["en"]) for i in r.issues]
        for r in SectorRejectedRow.objects.filter(batch=batch)
    }
    assert issues == {
        5: [
            (
                "Kelurahan",
                "Kelurahan Entah",
                "Nama kelurahan 'Kelurahan Entah' tidak dikenal di wilayah ini.",
                "Kelurahan name 'Kelurahan Entah' is not known in this region.",
            )
        ],
        6: [
            (
                "Kode Kelurahan",
                "36.73.09.9999",
                "Kode kelurahan '36.73.09.9999' tidak dikenal di wilayah ini.",
                "Kelurahan code '36.73.09.9999' is not known in this region.",
            )
        ],
        7: [
            (
                "Jumlah Kasus",
                "tiga",
                "Kolom 'Jumlah Kasus': 'tiga' bukan angka.",
                "Column 'Jumlah Kasus': 'tiga' is not a number.",
            )
        ],
        8: [
            (
                "Kode Kelurahan",
                KEL_A2,
                f"Kelurahan {KEL_A2} sudah ada di baris 4 dengan nilai yang sama (baris ganda).",
                f"Kelurahan {KEL_A2} is already in line 4 with the same values (duplicate row).",
            )
        ],
    }
    assert SectorRejectedRow.objects.get(batch=batch, line=7).raw["Kode Kelurahan"] == KEL_B1
    # the XLSX report names file, row, field and both reasons
    wb = load_workbook(io.BytesIO(sector.batch_report_xlsx(batch)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert ("stunting.csv", 7, "Jumlah Kasus", "tiga", "Kolom 'Jumlah Kasus': 'tiga' bukan angka.",
            "Column 'Jumlah Kasus': 'tiga' is not a number.") in rows  # fmt: skip
    log = AuditLog.objects.get(action="import", object_type="planning.sectorindicator")
    assert log.detail["accepted"] == 2 and log.detail["rejected"] == 4


def test_the_same_file_again_changes_nothing(analyst, tmp_path):
    path = _write(tmp_path, MESSY)
    sector.import_indicators(
        actor=analyst, path=path, period="2026", source="Dinkes", indicator="stunting_cases"
    )
    before = list(SectorIndicator.objects.order_by("pk").values())
    again = sector.import_indicators(
        actor=analyst, path=path, period="2026", source="Dinkes", indicator="stunting_cases"
    )
    assert (again.rows, again.accepted, again.unchanged, again.rejected, again.values_written) == (
        6,
        0,
        2,
        4,
        0,
    )
    assert list(SectorIndicator.objects.order_by("pk").values()) == before  # imported_at untouched too
    assert SectorBatch.objects.count() == 2
    first, second = SectorBatch.objects.order_by("pk")
    assert first.sha256 == second.sha256


def test_conflicting_duplicates_are_all_rejected(analyst, tmp_path):
    text = f"kode_wilayah;stunting_cases\n{KEL_A1};4\n{KEL_A2};1\n{KEL_A1};6\n"
    path = _write(tmp_path, text)
    batch = sector.import_indicators(actor=analyst, path=path, period="2026", source="Dinkes")
    assert (batch.accepted, batch.rejected) == (1, 2)
    assert list(SectorIndicator.objects.values_list("kelurahan_id", flat=True)) == [KEL_A2]
    reasons = [r.issues[0]["id"] for r in batch.rejected_rows.all()]
    assert (
        reasons
        == [f"Kelurahan {KEL_A1} muncul di baris 2, 4 dengan nilai berbeda; tidak ada yang dipakai."] * 2
    )


def test_a_name_that_contradicts_the_code_is_rejected(analyst, tmp_path):
    other = _kelurahan_name(KEL_B1)
    assert other != _kelurahan_name(KEL_A2)
    path = _write(tmp_path, f"kode_wilayah;kelurahan;stunting_cases\n{KEL_A2};{other};3\n")
    batch = sector.import_indicators(actor=analyst, path=path, period="2026", source="Dinkes")
    assert batch.rejected == 1 and not SectorIndicator.objects.exists()
    issue = batch.rejected_rows.get().issues[0]
    assert issue["field"] == "kelurahan" and f"Kode {KEL_A2} adalah Kel." in issue["id"]


def test_a_file_without_a_kelurahan_column_saves_nothing(analyst, tmp_path):
    path = _write(tmp_path, "wilayah;stunting_cases\nSerang;3\n")
    batch = sector.import_indicators(actor=analyst, path=path, period="2026", source="Dinkes")
    assert batch.file_errors and "Kolom kelurahan tidak ditemukan" in batch.file_errors[0]["id"]
    assert "No kelurahan column found" in batch.file_errors[0]["en"]
    assert not SectorIndicator.objects.exists()


def test_a_failure_while_saving_leaves_nothing_behind(analyst, tmp_path, monkeypatch):
    path = _write(tmp_path, MESSY)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(sector.audit, "record", boom)
    with pytest.raises(RuntimeError):
        sector.import_indicators(
            actor=analyst, path=path, period="2026", source="Dinkes", indicator="stunting_cases"
        )
    assert not SectorIndicator.objects.exists() and not SectorBatch.objects.exists()
    assert not SectorRejectedRow.objects.exists()


def test_the_cli_imports_reports_and_exits_cleanly(tmp_path, capsys):
    path = _write(tmp_path, MESSY)
    report = tmp_path / "laporan.xlsx"
    args = ["plan", "import-indicators", str(path), "--indicator", "stunting_cases", "--period", "2026"]
    assert main([*args, "--source", "e-PPGBM Dinkes", "--report", str(report)]) == 0
    out, err = capsys.readouterr()
    assert out.strip().splitlines()[-1] == "rows=6 accepted=2 rejected=4 unchanged=0"
    assert "stunting.csv, baris/row 7, Jumlah Kasus: Kolom 'Jumlah Kasus': 'tiga' bukan angka." in err
    assert report.is_file()
    assert main([*args, "--source", "e-PPGBM Dinkes"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "rows=6 accepted=0 rejected=4 unchanged=2"
    assert SectorIndicator.objects.count() == 2
    bad_period = ["plan", "import-indicators", str(path), "--period", "2026-13", "--source", "x"]
    assert main(bad_period) == 1
    assert "YYYY" in capsys.readouterr().err
    assert (
        main(["plan", "import-indicators", str(tmp_path / "none.csv"), "--period", "2026", "--source", "x"])
        == 1
    )
    assert "file not found" in capsys.readouterr().err
    bad = _write(tmp_path, "wilayah;nilai\nSerang;3\n", "bad.csv")
    assert main(["plan", "import-indicators", str(bad), "--period", "2026", "--source", "x"]) == 1
    assert "No kelurahan column found" in capsys.readouterr().err


def test_the_cli_refuses_an_invalid_indicator_code(tmp_path):
    path = _write(tmp_path, MESSY)
    with pytest.raises(CommandError):
        call_command(
            "plan",
            "import-indicators",
            str(path),
            "--period",
            "2026",
            "--source",
            "x",
            "--indicator",
            "1 kasus",
        )


def test_the_page_shows_rejected_rows_and_the_report(analyst, viewer, login, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(analyst)
    file = SimpleUploadedFile("stunting.csv", MESSY.encode(), content_type="text/csv")
    response = client.post(
        "/perencanaan/indikator/",
        {"file": file, "period": "2026", "source": "Dinkes", "indicator": "stunting_cases"},
        follow=True,
    )
    html = response.content.decode()
    assert "6 baris dibaca: 2 diterima (baru/berubah), 0 tidak berubah, 4 ditolak." in html
    assert "Kelurahan Entah" in html and "is not a number" in html
    batch = SectorBatch.objects.get()
    report = client.get(f"/perencanaan/indikator/impor/{batch.pk}/laporan.xlsx")
    assert report.status_code == 200 and report.content.startswith(b"PK")
    assert login(viewer).get(f"/perencanaan/indikator/impor/{batch.pk}/").status_code == 403
