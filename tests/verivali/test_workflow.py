"""The verivali workflow through the pages: kelurahan → Dinsos → Bappeda → registry history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from padu.core.models import AuditLog
from padu.registry.models import Membership, Person, StatusChange
from padu.verivali import services
from padu.verivali.models import Batch, Transition
from tests.conftest import KEL_A1
from tests.verivali.conftest import NIK_WIFE, pdf


def _act(client, batch_id, action, note=""):
    return client.post(f"/verivali/{batch_id}/tindakan/", {"action": action, "note": note}, follow=True)


def test_it_runs_the_happy_path_from_kelurahan_to_registry(
    registry, login, kel_operator_in, opd_operator, bappeda_admin
):
    client = login(kel_operator_in)
    response = client.post("/verivali/baru/", {"musyawarah_date": "2026-03-05", "note": "Muskel Maret"})
    batch = Batch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/verivali/{batch.id}/"
    assert batch.kelurahan_id == KEL_A1 and batch.state == "draft" and batch.period == "2026-03"

    found = client.get(f"/verivali/{batch.id}/cari/", {"q": NIK_WIFE}, headers={"HX-Request": "true"})
    assert "Siti Aminah" in found.content.decode() and "<html" not in found.content.decode()
    wife = registry["wife"]
    response = client.post(
        f"/verivali/{batch.id}/keputusan/",
        {
            "family": registry["family"].id,
            "person": wife.id,
            "verdict": "tidak_layak",
            "reason": "meninggal",
            "event_date": "2026-02-20",
        },
    )
    assert response.status_code == 302 and batch.decisions.count() == 1
    assert (
        client.post(f"/verivali/{batch.id}/berita-acara/unggah/", {"berita_acara": pdf()}).status_code == 302
    )
    page = _act(client, batch.id, "submit").content.decode()
    assert "Batch diajukan ke Dinas Sosial." in page

    page = _act(login(opd_operator), batch.id, "verify", "Cocok").content.decode()
    assert "Batch diverifikasi" in page
    page = _act(login(bappeda_admin), batch.id, "approve").content.decode()
    assert "keputusan diterapkan ke registri" in page

    batch.refresh_from_db()
    assert batch.state == "approved" and batch.applied_at is not None
    wife.refresh_from_db()
    assert wife.status == "meninggal" and wife.death_date == dt.date(2026, 2, 20)
    change = StatusChange.objects.get(person=wife, field="status")
    assert (change.old_value, change.new_value) == ("aktif", "meninggal")
    assert change.source == f"verivali {batch.id}" and change.author == bappeda_admin
    assert change.effective_date == dt.date(2026, 2, 20)
    membership = Membership.objects.get(person=wife)
    assert membership.valid_to == dt.date(2026, 2, 20)
    assert Membership.objects.filter(family=registry["family"], valid_to__isnull=True).count() == 2
    entry = AuditLog.objects.get(object_type="registry.person", object_id=str(wife.id), action="update")
    assert entry.before["status"] == "aktif" and entry.after["status"] == "meninggal"
    assert entry.detail["source"] == f"verivali {batch.id}" and entry.actor_username == bappeda_admin.username
    states = list(Transition.objects.filter(batch=batch).values_list("action", "from_state", "to_state"))
    assert states == [
        ("create", "", "draft"),
        ("submit", "draft", "submitted"),
        ("verify", "submitted", "verified"),
        ("approve", "verified", "approved"),
    ]
    assert AuditLog.objects.filter(object_type="verivali.batch", action="update").count() >= 4

    timeline = client.get(f"/verivali/{batch.id}/").content.decode()
    assert "Cocok" in timeline and opd_operator.get_full_name() in timeline
    profile = client.get(f"/registri/keluarga/{registry['family'].id}/").content.decode()
    assert "Keputusan verivali" in profile and f"#{batch.id}" in profile


def test_it_returns_a_batch_with_notes_to_draft(
    submitted, login, kel_operator_in, opd_operator, bappeda_admin
):
    dinsos = login(opd_operator)
    page = _act(dinsos, submitted.id, "return").content.decode()
    assert "Tuliskan catatan" in page
    _act(dinsos, submitted.id, "return", "Foto Berita Acara tidak terbaca")
    submitted.refresh_from_db()
    assert submitted.state == "draft" and submitted.submitted_at is None
    page = login(kel_operator_in).get(f"/verivali/{submitted.id}/").content.decode()
    assert "Foto Berita Acara tidak terbaca" in page and 'data-testid="return-note"' in page
    row = Transition.objects.filter(batch=submitted).last()
    assert (row.action, row.from_state, row.to_state, row.actor) == (
        "return",
        "submitted",
        "draft",
        opd_operator,
    )

    services.submit_batch(actor=kel_operator_in, batch=submitted)
    services.verify_batch(actor=opd_operator, batch=submitted)
    services.return_batch(actor=bappeda_admin, batch=submitted, note="Tanggal meninggal dicek ulang")
    submitted.refresh_from_db()
    assert submitted.state == "draft"
    assert Person.objects.get(nik=NIK_WIFE).status == "aktif"  # nothing applied


def test_it_lets_each_party_act_only_at_its_turn(
    batch, kel_operator_in, opd_operator, bappeda_admin, analyst
):
    with pytest.raises(ValidationError):
        services.verify_batch(actor=opd_operator, batch=batch)  # still a draft
    with pytest.raises(PermissionDenied):
        services.submit_batch(actor=bappeda_admin, batch=batch)
    services.submit_batch(actor=kel_operator_in, batch=batch)
    with pytest.raises(PermissionDenied):
        services.verify_batch(actor=bappeda_admin, batch=batch)
    with pytest.raises(PermissionDenied):
        services.return_batch(actor=bappeda_admin, batch=batch, note="x")
    with pytest.raises(ValidationError):
        services.approve_batch(actor=bappeda_admin, batch=batch)
    with pytest.raises(ValidationError):  # a submitted batch is frozen for the kelurahan
        services.attach_berita_acara(actor=kel_operator_in, batch=batch, upload=pdf())
    services.verify_batch(actor=opd_operator, batch=batch)
    for actor in (opd_operator, analyst, kel_operator_in):
        with pytest.raises(PermissionDenied):
            services.approve_batch(actor=actor, batch=batch)


def test_it_refuses_submit_without_berita_acara(registry, login, kel_operator_in):
    b = services.create_batch(actor=kel_operator_in)
    client = login(kel_operator_in)
    page = _act(client, b.id, "submit").content.decode()
    assert "Berita Acara musyawarah kelurahan belum diunggah." in page
    assert "Batch belum berisi keputusan atau usulan baru." in page
    b.refresh_from_db()
    assert b.state == "draft"


def test_it_shows_action_buttons_by_role(submitted, login, kel_operator_in, opd_operator, bappeda_admin):
    assert 'value="verify"' in login(opd_operator).get(f"/verivali/{submitted.id}/").content.decode()
    admin_page = login(bappeda_admin).get(f"/verivali/{submitted.id}/").content.decode()
    assert 'value="verify"' not in admin_page and 'value="approve"' not in admin_page
    assert 'value="submit"' not in login(kel_operator_in).get(f"/verivali/{submitted.id}/").content.decode()


def test_it_renders_the_pages_for_each_party(
    batch, login, kel_operator_in, opd_operator, bappeda_admin, analyst
):
    client = login(kel_operator_in)
    create = client.get("/verivali/baru/").content.decode()
    assert "Buat batch verivali" in create and "36.73.01.1001" in create
    page = client.get(f"/verivali/{batch.id}/cari/", {"q": "Suryadi"}).content.decode()  # without HTMX
    assert "<html" in page and "Rizki Suryadi" in page and 'value="submit"' in page
    assert 'href="/verivali/"' in page  # the menu link
    for user in (opd_operator, bappeda_admin, analyst):
        listing = login(user).get("/verivali/").content.decode()
        assert f'href="/verivali/{batch.id}/"' in listing
        assert "Siti Aminah" in login(user).get(f"/verivali/{batch.id}/").content.decode()
    assert 'value="approve"' not in login(analyst).get(f"/verivali/{batch.id}/").content.decode()


def test_it_marks_the_head_dead_for_a_family_decision(registry, kel_operator_in, opd_operator, bappeda_admin):
    b = services.create_batch(actor=kel_operator_in)
    services.add_decision(
        actor=kel_operator_in,
        batch=b,
        family=registry["dup_family"],
        verdict="tidak_layak",
        reason="meninggal",
        event_date=dt.date(2026, 1, 9),
    )
    services.attach_berita_acara(actor=kel_operator_in, batch=b, upload=pdf())
    services.submit_batch(actor=kel_operator_in, batch=b)
    services.verify_batch(actor=opd_operator, batch=b)
    services.approve_batch(actor=bappeda_admin, batch=b)
    head = Person.objects.get(pk=registry["dup_head"].pk)
    assert head.status == "meninggal" and head.death_date == dt.date(2026, 1, 9)
    assert registry["dup_family"].__class__.objects.get(pk=registry["dup_family"].pk).status == "meninggal"
    assert b.decisions.get().applied_at is not None
