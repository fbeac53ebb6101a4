"""Verivali fixtures: a small registry (two families in kelurahan A1, one in B1), a clock frozen on
10 March 2026 (before the 17th cut-off), uploads under a temporary MEDIA_ROOT, and helpers that drive a
batch through the workflow."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from padu.registry.models import Family, Person
from padu.registry.services import FamilyRecord, MemberRecord, load_families
from padu.verivali import services
from tests.conftest import KEL_A1, KEL_B1

JAKARTA = ZoneInfo("Asia/Jakarta")
KK_A = "3673010101200001"
KK_A_DUP = "3673010101200002"
KK_B = "3673020101200003"
NIK_HEAD = "3673010107850001"
NIK_WIFE = "3673014203880002"
NIK_CHILD = "3673011505100003"
NIK_HEAD_DUP = "3673010107850004"
NIK_B = "3673020505800005"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=JAKARTA)


def pdf(name: str = "berita_acara.pdf", content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(at(2026, 3, 10), tick=False)
    return time_machine


def _member(name: str, relationship: str, nik: str, born: dt.date, sex: str) -> MemberRecord:
    return MemberRecord(name=name, relationship=relationship, nik=nik, sex=sex, birth_date=born)


@pytest.fixture
def registry(db):
    load_families(
        records=[
            FamilyRecord(
                kk=KK_A,
                kelurahan_code=KEL_A1,
                desil=1,
                address="Jl. Kenari 1",
                rt="001",
                rw="002",
                members=[
                    _member("Ahmad Suryadi", "kepala", NIK_HEAD, dt.date(1985, 7, 1), "L"),
                    _member("Siti Aminah", "istri", NIK_WIFE, dt.date(1988, 3, 2), "P"),
                    _member("Rizki Suryadi", "anak", NIK_CHILD, dt.date(2010, 5, 15), "L"),
                ],
            ),
            FamilyRecord(
                kk=KK_A_DUP,
                kelurahan_code=KEL_A1,
                desil=2,
                address="Jl. Kenari 1",
                members=[_member("Ahmad  Suryadi", "kepala", NIK_HEAD_DUP, dt.date(1985, 7, 1), "L")],
            ),
            FamilyRecord(
                kk=KK_B,
                kelurahan_code=KEL_B1,
                desil=3,
                members=[_member("Siti Rohmah", "kepala", NIK_B, dt.date(1980, 5, 5), "P")],
            ),
        ],
        period="2026-01",
        source="dtsen",
        file_name="uji.csv",
    )
    return {
        "family": Family.objects.get(kk=KK_A),
        "dup_family": Family.objects.get(kk=KK_A_DUP),
        "other_family": Family.objects.get(kk=KK_B),
        "head": Person.objects.get(nik=NIK_HEAD),
        "wife": Person.objects.get(nik=NIK_WIFE),
        "child": Person.objects.get(nik=NIK_CHILD),
        "dup_head": Person.objects.get(nik=NIK_HEAD_DUP),
    }


@pytest.fixture
def batch(registry, kel_operator_in):
    """A draft batch of kelurahan A1 with one decision (the wife died) and its Berita Acara."""
    b = services.create_batch(actor=kel_operator_in, musyawarah_date=dt.date(2026, 3, 5))
    services.add_decision(
        actor=kel_operator_in,
        batch=b,
        family=registry["family"],
        person=registry["wife"],
        verdict="tidak_layak",
        reason="meninggal",
        event_date=dt.date(2026, 2, 20),
    )
    return services.attach_berita_acara(actor=kel_operator_in, batch=b, upload=pdf())


@pytest.fixture
def submitted(batch, kel_operator_in):
    return services.submit_batch(actor=kel_operator_in, batch=batch)


@pytest.fixture
def verified(submitted, opd_operator):
    return services.verify_batch(actor=opd_operator, batch=submitted, note="Sesuai data lapangan")
