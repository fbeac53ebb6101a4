"""Programmes: who may create and change them, the rule, the audit trail, the pages and the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from padu.core.models import AuditLog
from padu.programs import services
from padu.programs.engine.eligibility import from_conditions, render_rule
from padu.programs.models import Programme

pytestmark = pytest.mark.django_db


def test_it_renders_the_eligibility_rule_in_bahasa_indonesia():
    rule = from_conditions(
        [{"field": "status", "op": "==", "value": "aktif"}, {"field": "desil", "op": "<=", "value": 4},
         {"field": "age_months", "op": "between", "value": [6, 59]},
         {"field": "house_owned", "op": "==", "value": True}]
    )  # fmt: skip
    assert rule == {
        "desil_max": 4, "active_only": True, "age_min": 6, "age_max": 59, "age_unit": "bulan",
        "extra": [{"field": "house_owned", "op": "==", "value": True}],
    }  # fmt: skip
    assert render_rule(rule) == "desil ≤ 4; status aktif; umur 6–59 bulan; rumah milik sendiri = ya"


def test_it_lets_an_opd_operator_change_only_their_own_programmes(opd_operator, lansia, pmt):
    services.programme_update(actor=opd_operator, programme=lansia, quota=500)
    assert Programme.objects.get(pk=lansia.pk).quota == 500
    with pytest.raises(PermissionDenied):
        services.programme_update(actor=opd_operator, programme=pmt, quota=1)
    with pytest.raises(PermissionDenied):
        services.programme_update(actor=opd_operator, programme=lansia, opd=pmt.opd)
    with pytest.raises(PermissionDenied):
        make_programme_as(opd_operator, pmt.opd, "baru")
    assert Programme.objects.get(pk=pmt.pk).quota is None
    entry = AuditLog.objects.filter(action="update", object_id=str(lansia.pk)).get()
    assert entry.before == {"quota": None} and entry.after == {"quota": 500}


def make_programme_as(actor, opd, code):
    return services.programme_create(
        actor=actor, opd=opd, code=code, name="x", funding_source="apbn", strategy="kurangi_beban"
    )


def test_it_refuses_the_edit_page_of_another_opds_programme(login, opd_operator, lansia, pmt):
    client = login(opd_operator)
    assert client.get(reverse("programs:edit", args=[lansia.code])).status_code == 200
    assert client.get(reverse("programs:edit", args=[pmt.code])).status_code == 404
    response = client.post(reverse("programs:edit", args=[pmt.code]), {"name": "Diambil alih"})
    assert response.status_code == 404
    assert Programme.objects.get(pk=pmt.pk).name == "Program pmt_balita"
    # everybody reads the catalogue
    assert client.get(reverse("programs:detail", args=[pmt.code])).status_code == 200


def test_it_creates_a_programme_through_the_form(login, bappeda_admin, opd_dinsos, lansia):
    client = login(bappeda_admin)
    response = client.post(
        reverse("programs:create"),
        {
            "opd": opd_dinsos.pk, "code": "blt", "name": "BLT Kelurahan", "funding_source": "apbd_kota",
            "strategy": "kurangi_beban", "group": "bansos", "unit": "family", "benefit_value_rp": "300000",
            "benefit_frequency": "bulanan", "exclusive_of": [lansia.pk], "desil_max": "2",
            "active_only": "on", "age_unit": "tahun", "categories": ["lansia", "disabilitas"],
            "is_active": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    blt = Programme.objects.get(code="blt")
    assert blt.eligibility == {"desil_max": 2, "active_only": True, "categories": ["lansia", "disabilitas"]}
    assert list(lansia.exclusive_of.all()) == [blt]  # symmetrical
    assert AuditLog.objects.filter(action="create", object_id=str(blt.pk)).exists()
    page = client.get(reverse("programs:detail", args=["blt"])).content.decode()
    assert "desil ≤ 2; status aktif; salah satu kategori: lanjut usia, penyandang disabilitas" in page


def test_it_filters_the_catalogue_with_htmx(login, viewer, lansia, pmt):
    client = login(viewer)
    page = client.get(reverse("programs:list"), {"opd": "dinkes"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Program pmt_balita" in page and "Program lansia" not in page
    assert "<html" not in page
    assert "programme-create" not in client.get(reverse("programs:list")).content.decode()


def test_it_serves_the_catalogue_api_and_documents_it(login, opd_operator, lansia, pmt):
    client = login(opd_operator)
    data = client.get("/api/program/", {"strategy": "kurangi_beban"}).json()
    assert {p["code"] for p in data["results"]} == {"lansia", "pmt_balita"}
    assert (
        client.patch(f"/api/program/{pmt.code}/", {"quota": 3}, content_type="application/json").status_code
        == 404
    )
    response = client.patch(f"/api/program/{lansia.code}/", {"quota": 3}, content_type="application/json")
    assert response.status_code == 200 and response.json()["quota"] == 3
    response = client.post(
        "/api/program/",
        {"opd": "dinkes", "code": "x1", "name": "X", "funding_source": "apbn", "strategy": "kurangi_beban"},
        content_type="application/json",
    )
    assert response.status_code == 403
    schema = client.get("/api/schema/").content.decode()
    assert "/api/program/{code}/daftar/{period}/" in schema
