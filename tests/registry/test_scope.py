"""Persona tests: no registry row outside a user's scope is visible through pages, API, exports or counts."""

from __future__ import annotations

import datetime as dt

import pytest

from padu.core.models import AuditLog
from padu.registry.services import FamilyRecord, MemberRecord, load_families
from tests.conftest import KEL_A1, KEL_A2, KEL_B1

NIK_A1 = "3673014107850001"
NIK_A2 = "3673021203900002"
NIK_B1 = "3673020505800003"


def _family(kk: str, kel: str, nik: str, name: str, desil: int) -> FamilyRecord:
    return FamilyRecord(
        kk=kk,
        kelurahan_code=kel,
        desil=desil,
        extreme_poor=desil == 1,
        members=[
            MemberRecord(name=name, relationship="kepala", nik=nik, sex="L", birth_date=dt.date(1985, 7, 1))
        ],
    )


@pytest.fixture
def registry(db):
    load_families(
        records=[
            _family("3673010101200001", KEL_A1, NIK_A1, "Siti Aminah", 1),
            _family("3673010101200002", KEL_A2, NIK_A2, "Ujang Suherman", 2),
            _family("3673020101200003", KEL_B1, NIK_B1, "Siti Rohmah", 3),
        ],
        period="2026-10",
        source="dtsen",
        file_name="uji.csv",
    )


def _search(client, q):
    return client.get("/registri/", {"q": q})


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("bappeda_admin", {"Siti Aminah", "Siti Rohmah"}),
        ("analyst", {"Siti Aminah", "Siti Rohmah"}),
        ("kel_operator_in", {"Siti Aminah"}),
        ("kec_operator_in", {"Siti Aminah"}),
        ("kel_operator_out", {"Siti Rohmah"}),
        ("viewer", set()),
        ("opd_operator", set()),
    ],
)
def test_it_scopes_name_search_by_persona(request, registry, login, persona, visible):
    client = login(request.getfixturevalue(persona))
    body = _search(client, "Siti").content.decode()
    assert {n for n in ("Siti Aminah", "Siti Rohmah") if n in body} == visible


def test_it_refuses_browse_all_without_a_query(registry, login, bappeda_admin):
    # Full names: a random CSRF token once contained "Siti".
    body = login(bappeda_admin).get("/registri/").content.decode()
    assert "Siti Aminah" not in body and "Siti Rohmah" not in body
    body = _search(login(bappeda_admin), "Si").content.decode()
    assert "Siti Aminah" not in body and "Siti Rohmah" not in body


def test_it_finds_by_nik_only_in_scope(registry, login, kel_operator_in):
    client = login(kel_operator_in)
    assert "Siti Aminah" in _search(client, "3673 0141 0785 0001").content.decode()
    assert "Siti Rohmah" not in _search(client, NIK_B1).content.decode()


def test_it_hides_family_pages_and_api_outside_scope(registry, login, kel_operator_in):
    from padu.registry.models import Family

    own = Family.objects.get(kelurahan_id=KEL_A1)
    other = Family.objects.get(kelurahan_id=KEL_B1)
    client = login(kel_operator_in)
    assert client.get(f"/registri/keluarga/{own.id}/").status_code == 200
    assert client.get(f"/registri/keluarga/{other.id}/").status_code == 404
    assert client.get(f"/api/registri/keluarga/{own.id}/").status_code == 200
    assert client.get(f"/api/registri/keluarga/{other.id}/").status_code == 404
    api = client.get("/api/registri/keluarga/", {"q": "Siti"}).json()
    assert api["count"] == 1


def test_it_counts_only_in_scope(registry, login, kel_operator_in, viewer):
    own = login(kel_operator_in).get("/api/registri/statistik/").json()
    assert own["totals"]["families"] == 1
    assert set(own["kelurahan"]) == {KEL_A1}
    everyone = login(viewer).get("/api/registri/statistik/").json()
    assert everyone["totals"]["families"] == 3


def test_it_exports_only_in_scope_and_audits(registry, login, kec_operator_in):
    response = login(kec_operator_in).get("/registri/ekspor/individu.csv")
    body = b"".join(response.streaming_content).decode()
    assert NIK_A1 in body and NIK_A2 in body and NIK_B1 not in body
    entry = AuditLog.objects.filter(action="export").get()
    assert entry.detail["count"] == 2
    assert entry.actor_username == kec_operator_in.username


def test_it_refuses_export_to_viewer_and_opd(registry, login, viewer, opd_operator):
    assert login(viewer).get("/registri/ekspor/individu.csv").status_code == 403
    assert login(opd_operator).get("/registri/ekspor/individu.csv").status_code == 403


def test_it_masks_nik_for_roles_without_need(registry, login, kel_operator_in, bappeda_admin):
    from padu.registry.models import Family

    fam = Family.objects.get(kelurahan_id=KEL_A1)
    admin_page = login(bappeda_admin).get(f"/registri/keluarga/{fam.id}/").content.decode()
    assert NIK_A1 in admin_page


def test_it_keeps_desil_history_per_period(registry):
    from padu.registry.models import WelfareRecord

    assert WelfareRecord.objects.filter(period="2026-10").count() == 3
