"""Targeting pages: dashboard aggregates per role, drill-down rows (scoped, masked, audited), package
matrix, history, starting a run."""

from __future__ import annotations

import pytest

from padu.core.models import AuditLog
from padu.targeting import services
from padu.targeting.models import TargetingRun
from tests.targeting.conftest import PERIOD


@pytest.fixture
def ran(town, analyst):
    services.run_targeting(period=PERIOD, actor=analyst)
    return town


def _text(response) -> str:
    return response.content.decode()


def test_it_shows_the_dashboard_with_counts_rupiah_and_charts(ran, analyst, login):
    response = login(analyst).get("/penargetan/")
    assert response.status_code == 200
    body = _text(response)
    assert 'data-testid="totals"' in body and "Rp15.600.000" in body  # every finding's rupiah a year
    assert 'data-chart="chart-programme"' in body and "vendor/plotly.min.js" in body
    assert 'data-testid="run-form"' in body


def test_it_gives_viewers_aggregates_only(ran, viewer, login):
    client = login(viewer)
    body = _text(client.get("/penargetan/"))
    assert 'data-testid="totals"' in body and 'data-testid="run-form"' not in body
    assert "/penargetan/temuan/" not in body
    assert client.get("/penargetan/temuan/").status_code == 403


def test_it_lists_rows_with_names_masked_nik_and_audit(ran, analyst, viewer, login):
    before = AuditLog.objects.filter(object_type="targeting.finding").count()
    body = _text(login(analyst).get(f"/penargetan/temuan/?periode={PERIOD}&jenis=inclusion_graduated"))
    assert "BUDI SANTOSO" in body and "SITI AMINAH" not in body
    assert AuditLog.objects.filter(object_type="targeting.finding").count() == before + 1


def test_it_scopes_rows_to_the_opd_operators_programmes(ran, opd_operator, opd_operator_other, login):
    body = _text(login(opd_operator).get(f"/penargetan/temuan/?periode={PERIOD}"))  # Dinsos: BLT
    assert "BUDI SANTOSO" in body and "ALM. HASAN" not in body  # the deceased is on Dinkes' Lansia list
    body = _text(login(opd_operator_other).get(f"/penargetan/temuan/?periode={PERIOD}"))
    assert "ALM. HASAN" in body and "BUDI SANTOSO" not in body


def test_it_scopes_rows_and_packages_to_the_kelurahan_operator(ran, kel_operator_in, kel_operator_out, login):
    client = login(kel_operator_in)
    body = _text(client.get(f"/penargetan/temuan/?periode={PERIOD}"))
    assert "BUDI SANTOSO" in body and "WATI" not in body
    body = _text(login(kel_operator_out).get(f"/penargetan/temuan/?periode={PERIOD}"))
    assert "WATI" in body and "BUDI SANTOSO" not in body
    packages = _text(login(kel_operator_out).get("/penargetan/paket/"))
    assert "36.73.02.1001" in packages and "36.73.01.1001" not in packages


def test_it_masks_nik_for_roles_without_full_nik(ran, analyst, login, monkeypatch):
    from padu.accounts.models import User
    from padu.registry.models import Person

    nik = Person.objects.get(name="BUDI SANTOSO").nik
    url = f"/penargetan/temuan/?periode={PERIOD}&jenis=inclusion_graduated"
    assert nik in _text(login(analyst).get(url))
    monkeypatch.setattr(User, "may_see_full_nik", property(lambda self: False))
    body = _text(login(analyst).get(url))
    assert "BUDI SANTOSO" in body and nik not in body and nik[:4] in body
    body = _text(login(analyst).get(f"/penargetan/temuan/?periode={PERIOD}&jenis=inclusion_unregistered"))
    assert "ORANG LUAR" in body and "3673019999999999" not in body and "3673" in body  # the list's NIK


def test_it_shows_history_and_starts_runs_for_bappeda_only(ran, analyst, opd_operator, login):
    assert "2025-06" in _text(login(analyst).get("/penargetan/riwayat/"))
    response = login(opd_operator).post("/penargetan/jalankan/", {"periode": PERIOD})
    assert response.status_code == 403
    response = login(analyst).post("/penargetan/jalankan/", {"periode": PERIOD})
    assert response.status_code == 302
    assert TargetingRun.objects.filter(status="done").count() == 2  # the immediate task backend ran it
