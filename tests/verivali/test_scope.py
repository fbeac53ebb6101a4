"""Who sees which batches: region scope, the verifying OPD only, nothing for viewers."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from padu.verivali import services
from padu.verivali.models import Batch, Decision


def test_it_hides_a_batch_from_another_kelurahan(submitted, login, kel_operator_out):
    client = login(kel_operator_out)
    assert f"/verivali/{submitted.id}/" not in client.get("/verivali/").content.decode()
    assert client.get(f"/verivali/{submitted.id}/").status_code == 404
    assert client.get(f"/verivali/{submitted.id}/berita-acara/").status_code == 404
    assert client.post(f"/verivali/{submitted.id}/tindakan/", {"action": "verify"}).status_code == 404
    assert client.get(f"/verivali/{submitted.id}/cari/", {"q": "Siti"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.return_batch(actor=kel_operator_out, batch=submitted, note="x")


def test_it_refuses_a_family_from_another_kelurahan(registry, login, kel_operator_out, kel_operator_in):
    own = services.create_batch(actor=kel_operator_out)
    client = login(kel_operator_out)
    data = {"family": registry["family"].id, "verdict": "tidak_layak", "reason": "mampu"}
    assert client.post(f"/verivali/{own.id}/keputusan/", data).status_code == 404
    found = client.get(f"/verivali/{own.id}/cari/", {"q": "Ahmad"}, headers={"HX-Request": "true"})
    assert "Suryadi" not in found.content.decode()  # (full names: a random CSRF token may hold "Ahmad")
    with pytest.raises(PermissionDenied):
        services.add_decision(
            actor=kel_operator_out,
            batch=own,
            family=registry["family"],
            verdict="tidak_layak",
            reason="mampu",
        )
    assert not Decision.objects.exists()
    other = services.create_batch(actor=kel_operator_in)
    with pytest.raises(PermissionDenied):  # and kelurahan A1's operator cannot use B1's family either
        services.add_decision(
            actor=kel_operator_in, batch=other, family=registry["other_family"], verdict="layak"
        )


def test_it_lets_the_kecamatan_read_but_not_act(submitted, login, kec_operator_in):
    client = login(kec_operator_in)
    assert f"/verivali/{submitted.id}/" in client.get("/verivali/").content.decode()
    page = client.get(f"/verivali/{submitted.id}/").content.decode()
    assert "Siti Aminah" in page and 'data-testid="actions"' not in page
    assert client.get(f"/verivali/{submitted.id}/berita-acara/").status_code == 200
    assert client.get("/verivali/baru/").status_code == 403
    client.post(f"/verivali/{submitted.id}/tindakan/", {"action": "verify"})
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    with pytest.raises(PermissionDenied):
        services.create_batch(actor=kec_operator_in, kelurahan_code=submitted.kelurahan_id)


def test_it_refuses_verification_by_another_opd(submitted, login, opd_operator_other):
    client = login(opd_operator_other)
    assert client.get(f"/verivali/{submitted.id}/").status_code == 404
    assert client.post(f"/verivali/{submitted.id}/tindakan/", {"action": "verify"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.verify_batch(actor=opd_operator_other, batch=submitted)
    assert Batch.objects.get().state == "submitted"


def test_it_shows_nothing_to_a_viewer(submitted, login, viewer):
    client = login(viewer)
    listing = client.get("/verivali/").content.decode()
    assert f"/verivali/{submitted.id}/" not in listing
    assert "Siti Rohmah" not in listing and "Siti Aminah" not in listing
    assert client.get(f"/verivali/{submitted.id}/").status_code == 404
    assert client.get(f"/verivali/{submitted.id}/berita-acara/").status_code == 404
    proposals = client.get("/verivali/usulan/").content.decode()
    assert "Siti Rohmah" not in proposals and "Siti Aminah" not in proposals
    assert client.get("/verivali/baru/").status_code == 403
    assert not Batch.objects.restrict(viewer).exists()
    assert not Decision.objects.restrict(viewer).exists()
