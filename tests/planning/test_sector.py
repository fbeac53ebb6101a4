"""Sector indicator upload: wide or one-indicator CSV/XLSX, kelurahan by code or name, every row and
field checked, valid rows saved in one transaction, rejected rows kept with reasons, re-import idempotent."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from padu.core.models import AuditLog
from padu.planning.models import SectorBatch, SectorIndicator
from padu.planning.selectors import compute_ranking
from tests.conftest import KEL_A1, KEL_A2, KEL_B1

pytestmark = pytest.mark.django_db

GOOD = (
    "kode_wilayah;nama;stunting_cases;stunting_prevalence\n"
    f"{KEL_A1};A1;12;20,5\n{KEL_A2.replace('.', '')};A2;3;4,0\n"
)
BAD = f"kode_wilayah;stunting_cases\n{KEL_A1};12\n99.99.99.9999;3\n{KEL_A1};4\n{KEL_B1};banyak\n"


def _upload(client, content: str, name: str = "stunting.csv", period: str = "2026"):
    file = SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")
    return client.post(
        "/perencanaan/indikator/", {"file": file, "period": period, "source": "e-PPGBM Dinkes"}
    )


def test_it_imports_a_wide_sector_file(analyst, login):
    client = login(analyst)
    response = _upload(client, GOOD)
    assert response.status_code == 302
    values = {(s.kelurahan_id, s.key): s.value for s in SectorIndicator.objects.all()}
    assert values == {
        (KEL_A1, "stunting_cases"): 12.0,
        (KEL_A1, "stunting_prevalence"): 20.5,
        (KEL_A2, "stunting_cases"): 3.0,
        (KEL_A2, "stunting_prevalence"): 4.0,
    }
    assert AuditLog.objects.filter(action="import", object_type="planning.sectorindicator").count() == 1
    # a changed file updates the changed row only, never duplicates
    _upload(client, GOOD.replace(";12;", ";13;"))
    assert SectorIndicator.objects.count() == 4
    assert SectorIndicator.objects.get(kelurahan_id=KEL_A1, key="stunting_cases").value == 13.0
    batch = SectorBatch.objects.first()
    assert (batch.rows, batch.accepted, batch.unchanged, batch.rejected) == (2, 1, 1, 0)
    page = client.get("/perencanaan/indikator/").content.decode()
    assert "e-PPGBM Dinkes" in page


def test_it_reports_every_bad_row_and_keeps_the_good_ones(analyst, login):
    client = login(analyst)
    response = _upload(client, BAD)
    batch = SectorBatch.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/indikator/impor/{batch.pk}/")
    assert (batch.rows, batch.accepted, batch.rejected) == (4, 0, 4)
    rejected = {r.line: r for r in batch.rejected_rows.all()}
    assert sorted(rejected) == [2, 3, 4, 5]
    assert "99.99.99.9999" in rejected[3].issues[0]["id"] and rejected[3].raw["stunting_cases"] == "3"
    assert "baris 2, 4 dengan nilai berbeda" in rejected[2].issues[0]["id"]
    assert rejected[5].issues[0]["field"] == "stunting_cases" and "banyak" in rejected[5].issues[0]["en"]
    html = client.get(response["Location"]).content.decode()
    assert "99.99.99.9999" in html and "banyak" in html and "is not a number" in html
    assert not SectorIndicator.objects.exists()


def test_it_reads_xlsx(analyst, login, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Data stunting 2026"])
    ws.append(["kode_kelurahan", "stunting_cases"])
    ws.append([KEL_A1, 7])
    path = tmp_path / "s.xlsx"
    wb.save(path)
    file = SimpleUploadedFile("s.xlsx", path.read_bytes())
    response = login(analyst).post(
        "/perencanaan/indikator/", {"file": file, "period": "2026-06", "source": "Dinkes"}
    )
    assert response.status_code == 302
    assert SectorIndicator.objects.get().value == 7.0


def test_it_lets_only_planners_upload(viewer, kel_operator_in, login):
    assert _upload(login(viewer), GOOD).status_code == 403
    assert _upload(login(kel_operator_in), GOOD).status_code == 403
    assert not SectorIndicator.objects.exists()


def test_it_weights_imported_indicators_in_the_index(registry, analyst, login):
    _upload(login(analyst), GOOD)
    ranking = compute_ranking(
        user=analyst, period=registry, indicator_period="2026", weights={"stunting_prevalence": 1.0}
    )
    assert ranking.rows[0]["code"] == KEL_A1
    assert ranking.table.sector_sources == {
        "stunting_cases": "e-PPGBM Dinkes",
        "stunting_prevalence": "e-PPGBM Dinkes",
    }
    page = login(analyst).get(
        "/perencanaan/",
        {
            "year": 2027,
            "period": registry,
            "indicator_period": "2026",
            "method": "minmax",
            "w_stunting_prevalence": 1,
        },
    )
    assert "Prevalensi stunting" in page.content.decode()
