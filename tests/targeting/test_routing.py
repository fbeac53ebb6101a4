"""Routing: the per-OPD correction list (XLSX, audited export) and the per-kelurahan field checks."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from padu.core.models import AuditLog
from padu.targeting import services
from tests.conftest import KEL_A1, KEL_B1
from tests.targeting.conftest import PERIOD


@pytest.fixture
def ran(town, analyst):
    services.run_targeting(period=PERIOD, actor=analyst)
    return town


def _sheets(response) -> dict[str, list[tuple]]:
    wb = load_workbook(io.BytesIO(response.content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_it_exports_the_opd_operators_own_correction_list(ran, opd_operator, login):
    response = login(opd_operator).get(f"/penargetan/koreksi/?periode={PERIOD}&opd=dinkes")  # opd= ignored
    assert response.status_code == 200 and "koreksi-dinsos-2025-06.xlsx" in response["Content-Disposition"]
    sheets = _sheets(response)
    assert list(sheets) == ["Ringkasan", "Hentikan", "Periksa", "Tambahkan"]
    assert sheets["Hentikan"][0][:3] == ("No", "Jenis temuan", "Tingkat")
    stop = {row[7] for row in sheets["Hentikan"][1:]}
    assert stop == {"BUDI SANTOSO"}  # graduated; the deceased is on Dinkes' list
    assert {row[7] for row in sheets["Periksa"][1:]} == {"ORANG LUAR"}
    assert {row[7] for row in sheets["Tambahkan"][1:]} == {"WATI"}  # the missed family's head
    assert sheets["Tambahkan"][1][12] == 3_600_000
    entry = AuditLog.objects.filter(object_type="targeting.finding", action="export").get()
    assert entry.actor == opd_operator and entry.detail["opd"] == "dinsos" and entry.detail["count"] == 3


def test_it_lets_bappeda_pick_the_opd_and_refuses_others(ran, analyst, viewer, kel_operator_in, login):
    response = login(analyst).get(f"/penargetan/koreksi/?periode={PERIOD}&opd=dinkes")
    assert {row[7] for row in _sheets(response)["Hentikan"][1:]} == {"ALM. HASAN"}
    assert login(viewer).get(f"/penargetan/koreksi/?periode={PERIOD}&opd=dinkes").status_code == 403
    assert login(kel_operator_in).get(f"/penargetan/koreksi/?periode={PERIOD}").status_code == 403


def test_it_lists_field_checks_per_kelurahan_in_scope(ran, kel_operator_in, kel_operator_out, login):
    body = login(kel_operator_in).get(f"/penargetan/cek-lapangan/?periode={PERIOD}&wilayah={KEL_A1}")
    text = body.content.decode()
    assert "ALM. HASAN" in text and KEL_B1 not in text
    text = (
        login(kel_operator_out)
        .get(f"/penargetan/cek-lapangan/?periode={PERIOD}&wilayah={KEL_B1}")
        .content.decode()
    )
    assert "WATI" in text and "ALM. HASAN" not in text  # priority family without any programme
    assert AuditLog.objects.filter(object_type="targeting.finding", detail__list="cek_lapangan").count() == 2
