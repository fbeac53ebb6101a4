"""The Berita Acara: checked on upload, stored under MEDIA_ROOT/verivali/, served only in scope."""

from __future__ import annotations

import pytest
from django.conf import settings

from padu.core.models import AuditLog
from padu.verivali import services
from padu.verivali.uploads import MAX_BYTES
from tests.verivali.conftest import PDF, pdf

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf("ba.pdf", EXE), "Isi berkas bukan PDF, JPG atau PNG yang sah"),
        (pdf("ba.exe", EXE, "application/x-msdownload"), "harus berupa PDF, JPG atau PNG"),
        (pdf("ba.pdf", PDF, "text/html"), "tidak sesuai dengan ekstensinya"),
        (pdf("ba.png", PDF, "image/png"), "Isi berkas bukan PDF, JPG atau PNG yang sah"),
        (pdf("ba.pdf", b"%PDF-" + b"0" * MAX_BYTES), "Berkas terlalu besar"),
    ],
    ids=["exe-renamed-pdf", "exe", "wrong-type", "pdf-renamed-png", "too-big"],
)
def test_it_refuses_a_bad_upload(registry, login, kel_operator_in, upload, message):
    batch = services.create_batch(actor=kel_operator_in)
    response = login(kel_operator_in).post(
        f"/verivali/{batch.id}/berita-acara/unggah/", {"berita_acara": upload}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    batch.refresh_from_db()
    assert not batch.berita_acara


def test_it_stores_the_file_privately_and_serves_it_in_scope(batch, login, kel_operator_in, kel_operator_out):
    path = batch.berita_acara.path
    assert path.startswith(str(settings.MEDIA_ROOT / "verivali" / batch.kelurahan_id))
    assert "berita_acara.pdf" not in path  # a random name, never the uploaded one
    response = login(kel_operator_in).get(f"/verivali/{batch.id}/berita-acara/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    assert AuditLog.objects.filter(object_type="verivali.batch", action="view").exists()
    assert login(kel_operator_out).get(f"/verivali/{batch.id}/berita-acara/").status_code == 404


def test_it_accepts_a_png_photo(registry, kel_operator_in):
    batch = services.create_batch(actor=kel_operator_in)
    batch = services.attach_berita_acara(
        actor=kel_operator_in, batch=batch, upload=pdf("foto.PNG", PNG, "image/png")
    )
    assert batch.berita_acara_type == "image/png" and batch.berita_acara.name.endswith(".png")
    assert batch.berita_acara_size == len(PNG) and len(batch.berita_acara_sha256) == 64
