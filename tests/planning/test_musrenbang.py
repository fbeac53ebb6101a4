"""Musrenbang proposals: entry scoped to the operator's kelurahan, classification with override, status by
Bappeda visible to the kelurahan, duplicates across kelurahan, Excel import."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from padu.core.models import AuditLog
from padu.planning.models import Proposal
from padu.planning.services import musrenbang as services
from tests.conftest import KEL_A1, KEL_A2, KEL_B1

pytestmark = pytest.mark.django_db


def _form(kel: str = KEL_A1, activity: str = "Pembangunan drainase Jl. Raya Ciwaru", **extra):
    data = {
        "year": 2027, "kelurahan": kel, "rt": "001", "rw": "002", "activity": activity, "description": "",
        "volume": "120", "unit": "m", "bidang": "lainnya", "cost": "150000000", "local_priority": "1",
        "contribution": "5000000", "strategy": "", "opd": "",
    }  # fmt: skip
    return data | extra


def _make(actor, kel=KEL_A1, activity="Pembangunan drainase Jl. Raya Ciwaru", **extra):
    values = {"year": 2027, "kelurahan_id": kel, "activity": activity, "cost": 100_000_000} | extra
    return services.proposal_create(actor=actor, values=values)


def test_it_lets_a_kelurahan_operator_propose_for_own_kelurahan(kel_operator_in, login):
    client = login(kel_operator_in)
    response = client.post("/perencanaan/usulan/baru/", _form())
    assert response.status_code == 302, response.content.decode()[:2000]
    p = Proposal.objects.get()
    assert (p.kelurahan_id, p.physical, p.strategy, p.bidang) == (KEL_A1, True, "kantong", "infrastruktur")
    assert p.classified_by == "aturan: drainase" and not p.manual_class
    assert AuditLog.objects.filter(object_type="planning.proposal", action="create").count() == 1
    # another kelurahan is not offered and is refused
    response = client.post("/perencanaan/usulan/baru/", _form(kel=KEL_B1))
    assert response.status_code == 200 and Proposal.objects.count() == 1


def test_it_keeps_a_manual_classification(kel_operator_in, login):
    client = login(kel_operator_in)
    data = _form(activity="Pembangunan jalan usaha tani", physical="on", strategy="pendapatan", override="on")
    client.post("/perencanaan/usulan/baru/", data)
    p = Proposal.objects.get()
    assert (p.physical, p.strategy, p.manual_class) == (True, "pendapatan", True)


def test_it_scopes_the_list_and_detail_by_kelurahan(kel_operator_in, kel_operator_out, analyst, login):
    mine = _make(analyst, KEL_A1)
    theirs = _make(analyst, KEL_B1, activity="Pelatihan menjahit")
    client = login(kel_operator_in)
    listing = client.get("/perencanaan/usulan/", {"year": 2027})
    assert list(listing.context["proposals"]) == [mine]
    assert client.get(f"/perencanaan/usulan/{theirs.pk}/").status_code == 404
    assert client.post(f"/perencanaan/usulan/{theirs.pk}/ubah/", _form(kel=KEL_B1)).status_code == 404
    assert list(login(kel_operator_out).get("/perencanaan/usulan/").context["proposals"]) == [theirs]


def test_it_shows_the_status_set_by_bappeda_to_the_kelurahan(kel_operator_in, analyst, login):
    p = _make(analyst)
    client = login(analyst)
    response = client.post(f"/perencanaan/usulan/{p.pk}/", {"status": "ditolak", "reason": ""})
    assert response.status_code == 200 and "Alasan penolakan wajib" in response.content.decode()
    client.post(
        f"/perencanaan/usulan/{p.pk}/", {"status": "ditolak", "reason": "Sudah dianggarkan APBD 2026"}
    )
    p.refresh_from_db()
    assert p.status == "ditolak"
    operator = login(kel_operator_in)
    page = operator.get("/perencanaan/usulan/", {"year": 2027}).content.decode()
    assert "Sudah dianggarkan APBD 2026" in page
    # the operator cannot set status nor edit a processed proposal
    assert operator.post(f"/perencanaan/usulan/{p.pk}/", {"status": "didanai"}).status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.proposal_update(actor=kel_operator_in, proposal=p, values={"activity": "x", "cost": 1})


def test_it_keeps_the_viewer_read_only(viewer, analyst, login):
    p = _make(analyst)
    client = login(viewer)
    assert client.get("/perencanaan/usulan/").status_code == 200
    assert client.get(f"/perencanaan/usulan/{p.pk}/").status_code == 200
    assert client.get("/perencanaan/usulan/baru/").status_code == 403
    assert client.post(f"/perencanaan/usulan/{p.pk}/", {"status": "didanai"}).status_code == 403
    assert client.post(f"/perencanaan/usulan/{p.pk}/ubah/", _form()).status_code == 404


def test_it_flags_duplicates_across_kelurahan(analyst, kel_operator_in, login):
    a = _make(analyst, KEL_A1, "Pembangunan drainase Jl. Raya Ciwaru")
    b = _make(analyst, KEL_A2, "Normalisasi drainase Jl Raya Ciwaru")
    _make(analyst, KEL_A2, "Pelatihan menjahit")
    _make(analyst, KEL_B1, "Pembangunan drainase Jl. Raya Ciwaru")  # other kecamatan: not flagged
    from padu.planning.selectors_musrenbang import duplicates

    assert duplicates(year=2027) == {a.pk: [b.pk], b.pk: [a.pk]}
    page = login(kel_operator_in).get(f"/perencanaan/usulan/{a.pk}/").content.decode()
    assert 'data-testid="dup-warning"' in page
    assert "Normalisasi drainase" not in page  # the neighbour's proposal itself stays out of scope


IMPORT = (
    "kode_kelurahan,rt,rw,jenis_kegiatan,volume,satuan,biaya,prioritas,swadaya,fisik\n"
    f'{KEL_A1},001,002,Pembangunan MCK komunal,1,unit,"120.000.000",1,0,\n'
    f"{KEL_A1},003,002,Pelatihan menjahit,20,orang,45000000,2,0,\n"
    f"{KEL_A1},004,002,Festival budaya,1,paket,30000000,3,0,non-fisik\n"
)


def _import(client, content: str):
    file = SimpleUploadedFile("rekap.csv", content.encode(), content_type="text/csv")
    return client.post("/perencanaan/usulan/impor/", {"file": file, "year": 2027})


def test_it_imports_a_musrenbang_recap(kel_operator_in, login):
    response = _import(login(kel_operator_in), IMPORT)
    assert response.status_code == 302
    got = {p.activity: (p.physical, p.strategy, p.cost) for p in Proposal.objects.all()}
    assert got["Pembangunan MCK komunal"] == (True, "kantong", 120_000_000)
    assert got["Pelatihan menjahit"][:2] == (False, "pendapatan")
    assert got["Festival budaya"][0] is False
    assert AuditLog.objects.filter(action="import", object_type="planning.proposal").count() == 1


def test_it_refuses_the_whole_import_on_any_bad_row(kel_operator_in, login):
    bad = (
        IMPORT
        + f"{KEL_B1},001,001,Jalan,1,m,1000,1,0,\n"
        + f"{KEL_A1},001,001,,1,m,1000,1,0,\n"
        + f"{KEL_A1},1,1,Jalan,1,m,abc,1,0,\n"
    )
    response = _import(login(kel_operator_in), bad)
    assert response.status_code == 200
    assert [line for line, _m in response.context["report"].errors] == [5, 6, 7]
    assert not Proposal.objects.exists()
