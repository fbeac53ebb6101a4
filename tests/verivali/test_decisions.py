"""Decisions (per family or member), ganda links, usulan baru."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from padu.registry.models import Family, Membership, Person, StatusChange
from padu.verivali import services
from padu.verivali.models import Proposal
from tests.verivali.conftest import NIK_HEAD, pdf

NEW_NIK = "3673014107850009"
NEW_KK = "3673010101260005"


def _approve(batch, kel, dinsos, admin):
    if not batch.berita_acara:
        services.attach_berita_acara(actor=kel, batch=batch, upload=pdf())
    services.submit_batch(actor=kel, batch=batch)
    services.verify_batch(actor=dinsos, batch=batch)
    services.approve_batch(actor=admin, batch=batch)


def test_it_links_ganda_and_keeps_the_record(registry, kel_operator_in, opd_operator, bappeda_admin):
    batch = services.create_batch(actor=kel_operator_in)
    services.add_decision(
        actor=kel_operator_in,
        batch=batch,
        family=registry["dup_family"],
        verdict="tidak_layak",
        reason="ganda",
        duplicate_of_family=registry["family"],
        note="KK lama",
    )
    _approve(batch, kel_operator_in, opd_operator, bappeda_admin)
    dup = Family.objects.get(pk=registry["dup_family"].pk)
    assert dup.status == "ganda"
    link = StatusChange.objects.get(family=dup, field="duplicate_of")
    assert link.new_value == str(registry["family"].pk) and link.source == f"verivali {batch.id}"
    dup_head = Person.objects.get(pk=registry["dup_head"].pk)  # kept, never deleted
    assert dup_head.status == "ganda" and dup_head.duplicate_of_id == registry["head"].pk
    assert Person.objects.get(pk=registry["head"].pk).status == "aktif"


def test_it_links_a_duplicate_member_to_the_person_kept(
    registry, kel_operator_in, opd_operator, bappeda_admin
):
    batch = services.create_batch(actor=kel_operator_in)
    services.add_decision(
        actor=kel_operator_in,
        batch=batch,
        family=registry["dup_family"],
        person=registry["dup_head"],
        verdict="tidak_layak",
        reason="ganda",
        duplicate_of_person=registry["head"],
    )
    _approve(batch, kel_operator_in, opd_operator, bappeda_admin)
    dup_head = Person.objects.get(pk=registry["dup_head"].pk)
    assert dup_head.status == "ganda" and dup_head.duplicate_of == registry["head"]
    assert StatusChange.objects.filter(person=dup_head, field="duplicate_of").exists()


def test_it_applies_family_decisions(registry, kel_operator_in, opd_operator, bappeda_admin):
    batch = services.create_batch(actor=kel_operator_in, musyawarah_date=dt.date(2026, 3, 5))
    services.add_decision(
        actor=kel_operator_in, batch=batch, family=registry["family"], verdict="tidak_layak", reason="pindah"
    )
    services.add_decision(
        actor=kel_operator_in,
        batch=batch,
        family=registry["dup_family"],
        verdict="tidak_layak",
        reason="lainnya",
        note="Menolak didata",
    )
    _approve(batch, kel_operator_in, opd_operator, bappeda_admin)
    assert Family.objects.get(pk=registry["family"].pk).status == "pindah"
    assert not Membership.objects.filter(family=registry["family"], valid_to__isnull=True).exists()
    assert set(Person.objects.filter(family=registry["family"]).values_list("status", flat=True)) == {
        "pindah"
    }
    assert Family.objects.get(pk=registry["dup_family"].pk).status == "aktif"  # lainnya: recorded only


def test_it_checks_decisions(registry, kel_operator_in):
    batch = services.create_batch(actor=kel_operator_in)
    family, wife = registry["family"], registry["wife"]
    with pytest.raises(ValidationError, match="tanggal meninggal"):
        services.add_decision(
            actor=kel_operator_in,
            batch=batch,
            family=family,
            person=wife,
            verdict="tidak_layak",
            reason="meninggal",
        )
    with pytest.raises(ValidationError, match="wajib dijelaskan"):
        services.add_decision(
            actor=kel_operator_in, batch=batch, family=family, verdict="tidak_layak", reason="lainnya"
        )
    with pytest.raises(ValidationError, match="yang dipertahankan"):
        services.add_decision(
            actor=kel_operator_in,
            batch=batch,
            family=family,
            verdict="tidak_layak",
            reason="ganda",
            duplicate_of_family=family,
        )
    services.add_decision(actor=kel_operator_in, batch=batch, family=family, verdict="layak")
    with pytest.raises(ValidationError, match="sudah punya keputusan"):
        services.add_decision(actor=kel_operator_in, batch=batch, family=family, verdict="layak")


def _proposal(**extra):
    data = {
        "head_name": "Dedi Kurniawan",
        "nik": NEW_NIK,
        "kk": NEW_KK,
        "address": "Jl. Melati 3",
        "rt": "4",
        "rw": "2",
        "member_count": 4,
        "reason": "Buruh harian, rumah tidak layak huni",
    }
    return {**data, **extra}


def test_it_lists_usulan_baru_for_dinsos(registry, login, kel_operator_in, opd_operator, kel_operator_out):
    batch = services.create_batch(actor=kel_operator_in)
    client = login(kel_operator_in)
    assert client.post(f"/verivali/{batch.id}/usulan/", _proposal()).status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.rt, proposal.rw) == ("004", "002")
    assert "Dedi Kurniawan" not in login(opd_operator).get("/verivali/usulan/").content.decode()  # draft
    services.attach_berita_acara(actor=kel_operator_in, batch=batch, upload=pdf())
    services.submit_batch(actor=kel_operator_in, batch=batch)  # an usulan alone is enough to submit
    page = login(opd_operator).get("/verivali/usulan/").content.decode()
    assert "Dedi Kurniawan" in page and NEW_NIK in page
    assert "Dedi Kurniawan" not in login(kel_operator_out).get("/verivali/usulan/").content.decode()


def test_it_checks_usulan_baru(registry, login, kel_operator_in):
    batch = services.create_batch(actor=kel_operator_in)
    response = login(kel_operator_in).post(f"/verivali/{batch.id}/usulan/", _proposal(nik="36730141078"))
    assert response.status_code == 400 and "NIK harus 16 digit" in response.content.decode()
    with pytest.raises(ValidationError, match="sudah terdaftar di registri"):
        services.add_proposal(actor=kel_operator_in, batch=batch, **_proposal(nik=NIK_HEAD))
    with pytest.raises(ValidationError, match="Jumlah anggota"):
        services.add_proposal(actor=kel_operator_in, batch=batch, **_proposal(member_count=0))
    assert not Proposal.objects.exists()
