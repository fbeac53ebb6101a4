"""Read-only targeting API: runs for every role, aggregates within the caller's scope, no personal data."""

from __future__ import annotations

import pytest

from padu.targeting import services
from tests.conftest import KEL_A1, KEL_B1
from tests.targeting.conftest import PERIOD


@pytest.fixture
def ran(town, analyst):
    services.run_targeting(period=PERIOD, actor=analyst)
    return town


def test_the_analyst_reads_runs_and_the_breakdown(ran, analyst, login):
    client = login(analyst)
    runs = client.get("/api/penargetan/").json()
    rows = runs["results"] if isinstance(runs, dict) else runs
    assert rows[0]["period"] == PERIOD and rows[0]["status"] == "done" and rows[0]["total"] > 0
    body = client.get(f"/api/penargetan/{PERIOD}/?by=kelurahan").json()
    keys = {r["key"] for r in body["rows"]}
    assert {KEL_A1, KEL_B1} <= keys and body["n"] == rows[0]["total"]
    assert "ALM. HASAN" not in str(body) and "WATI" not in str(body)


def test_a_kelurahan_operator_sees_only_their_region(ran, kel_operator_in, login):
    body = login(kel_operator_in).get(f"/api/penargetan/{PERIOD}/?by=kelurahan").json()
    assert {r["key"] for r in body["rows"]} == {KEL_A1}


def test_bad_requests(ran, viewer, login):
    client = login(viewer)
    assert client.get(f"/api/penargetan/{PERIOD}/?by=nama").status_code == 400
    assert client.get("/api/penargetan/1999-01/").status_code == 404
    body = client.get(f"/api/penargetan/{PERIOD}/?by=type").json()
    assert body["n"] > 0  # viewers read aggregates


def _rows(client, query: str = "") -> tuple[int, list[dict]]:
    response = client.get(f"/api/penargetan/{PERIOD}/temuan/{query}")
    if response.status_code != 200:
        return response.status_code, []
    body = response.json()
    return body["count"], body["results"]


def test_the_analyst_reads_finding_rows_audited(ran, analyst, login):
    from padu.core.models import AuditLog
    from padu.registry.models import Person
    from padu.targeting.models import Finding

    client = login(analyst)
    before = AuditLog.objects.filter(object_type="targeting.finding").count()
    count, rows = _rows(client)
    assert count == Finding.objects.filter(period=PERIOD).count() == len(rows) > 0
    years = [r["rupiah_year"] for r in rows]
    assert years == sorted(years, reverse=True)  # largest rupiah first
    log = AuditLog.objects.filter(object_type="targeting.finding").order_by("-id").first()
    assert AuditLog.objects.filter(object_type="targeting.finding").count() == before + 1
    assert log.detail["count"] == len(rows) and log.detail["api"] is True
    count, rows = _rows(client, "?type=inclusion_graduated")
    assert count == len(rows) >= 1 and {r["finding_type"] for r in rows} == {"inclusion_graduated"}
    budi = next(r for r in rows if r["name"] == "BUDI SANTOSO")
    assert budi["nik"] == Person.objects.get(name="BUDI SANTOSO").nik  # analysts see the full NIK
    assert budi["category"] == "inclusion" and budi["programme"] and budi["opd"] and budi["list_row"]
    assert budi["kelurahan"] == KEL_A1 and budi["rupiah_year"] > 0 and isinstance(budi["detail"], dict)
    count, rows = _rows(client, f"?kelurahan={KEL_B1}")
    assert rows and {r["kelurahan"] for r in rows} == {KEL_B1}


def test_finding_rows_mask_the_nik_for_roles_without_the_full_nik(ran, analyst, login, monkeypatch):
    from padu.accounts.models import User
    from padu.registry.models import Person

    nik = Person.objects.get(name="BUDI SANTOSO").nik
    monkeypatch.setattr(User, "may_see_full_nik", property(lambda self: False))
    _count, rows = _rows(login(analyst), "?type=inclusion_graduated")
    budi = next(r for r in rows if r["name"] == "BUDI SANTOSO")
    assert budi["nik"] != nik and budi["nik"][:4] == nik[:4]
    assert nik not in str(rows)


def test_finding_rows_are_scoped_by_region_and_opd(
    ran, kel_operator_in, kel_operator_out, opd_operator, opd_operator_other, login
):
    _n, rows = _rows(login(kel_operator_in))
    assert rows and {r["kelurahan"] for r in rows} == {KEL_A1}
    names = {r["name"] for r in rows}
    assert "BUDI SANTOSO" in names and "WATI" not in names
    _n, rows = _rows(login(kel_operator_out))
    assert "BUDI SANTOSO" not in {r["name"] for r in rows} and KEL_A1 not in {r["kelurahan"] for r in rows}
    _n, rows = _rows(login(opd_operator))  # Dinsos: BLT, not Dinkes' Lansia list
    assert rows and {r["opd"] for r in rows if r["programme"]} == {"dinsos"}
    assert "ALM. HASAN" not in {r["name"] for r in rows}
    _n, rows = _rows(login(opd_operator_other))
    assert "ALM. HASAN" in {r["name"] for r in rows} and "BUDI SANTOSO" not in {r["name"] for r in rows}


def test_finding_rows_refuse_viewers_and_bad_requests(ran, viewer, analyst, login):
    assert _rows(login(viewer))[0] == 403
    client = login(analyst)
    assert _rows(client, "?type=nama")[0] == 400
    assert _rows(client, "?category=semua")[0] == 400
    assert client.get("/api/penargetan/1999-01/temuan/").status_code == 404


def test_the_finding_rows_are_in_the_openapi_schema(analyst, login):
    schema = login(analyst).get("/api/schema/", {"format": "json"}).json()
    path = schema["paths"]["/api/penargetan/{period}/temuan/"]["get"]
    assert {p["name"] for p in path["parameters"]} >= {"period", "type", "category", "programme", "kelurahan"}
