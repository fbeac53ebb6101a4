"""Web pages of the intake: upload → mapping → preview → validation → commit, progress, report, scope."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from padu.core.models import AuditLog
from padu.ingest import corrections, services
from padu.ingest.models import BatchStatus, ImportBatch, SavedMapping
from padu.ingest.progress import progress_path
from padu.registry.models import Person
from tests.ingest.conftest import DTSEN, write_rows

pytestmark = pytest.mark.django_db


def _upload(client, path, period="2026-03"):
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
    return client.post("/impor/", {"file": upload, "source": "auto", "period": period})


@pytest.fixture
def odd_header(tmp_path, rows):
    for row in rows:
        row["NAMA_WARGA"] = row.pop("nama")
    return write_rows(tmp_path / "registri_kelurahan.csv", rows)


def test_it_walks_from_upload_to_commit(login, bappeda_admin, odd_header):
    client = login(bappeda_admin)
    response = _upload(client, odd_header)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == f"/impor/{batch.pk}/pemetaan/"
    assert batch.status == BatchStatus.UPLOADED and batch.created_by == bappeda_admin

    page = client.get(f"/impor/{batch.pk}/pemetaan/").content.decode()
    assert "NAMA_WARGA" in page and 'data-testid="missing"' in page
    by_column = {column: name for name, column in batch.mapping.items()}
    form = {f"col_{i}": by_column.get(column, "") for i, column in enumerate(batch.columns)}
    form[f"col_{batch.columns.index('NAMA_WARGA')}"] = "name"
    response = client.post(f"/impor/{batch.pk}/pemetaan/", form)
    assert response.status_code == 302 and response.url == f"/impor/{batch.pk}/pratinjau/"
    assert SavedMapping.objects.get().mapping["name"] == "NAMA_WARGA"

    preview = client.get(f"/impor/{batch.pk}/pratinjau/").content.decode()
    assert "IWAN RAHMAT" in preview
    assert preview.count("<tr") == 21  # header + 20 rows

    response = client.post(f"/impor/{batch.pk}/validasi/")
    assert response.url == f"/impor/{batch.pk}/proses/"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VALIDATED and batch.rows == 40
    assert Person.objects.count() == 0  # validation writes nothing to the registry
    progress = client.get(response.url).content.decode()
    assert "every 2s" not in progress and 'data-testid="counts"' in progress
    assert client.get(f"/impor/{batch.pk}/laporan/").status_code == 200

    response = client.post(f"/impor/{batch.pk}/simpan/")
    assert response.url == f"/impor/{batch.pk}/proses/"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED
    assert (batch.rows, batch.accepted, batch.rejected, batch.unchanged) == (40, 40, 0, 0)
    assert Person.objects.count() == 40
    assert batch.task_id
    detail = client.get(f"/impor/{batch.pk}/").content.decode()
    assert "tersimpan di registri" in detail

    # The same header next time: the saved mapping is used, straight to the preview.
    response = _upload(client, odd_header, period="2026-06")
    again = ImportBatch.objects.exclude(pk=batch.pk).get()
    assert again.status == BatchStatus.MAPPED
    assert response.url == f"/impor/{again.pk}/pratinjau/"


def test_it_polls_the_progress_while_the_commit_runs(login, bappeda_admin, settings):
    batch = services.create_batch(actor=bappeda_admin, file=DTSEN, period="2026-03")
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.COMMITTING)
    path = progress_path(batch.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"phase": "commit", "done": 12, "total": 40}))
    body = login(bappeda_admin).get(f"/impor/{batch.pk}/proses/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert "12 dari 40" in body
    assert "<html" not in body


def test_it_shows_the_report_and_audits_its_download(login, bappeda_admin, tmp_path, rows):
    rows[3]["tanggal_lahir"] = "31-02-1985"
    batch = services.import_file(actor=None, path=write_rows(tmp_path / "salah.csv", rows), period="2026-03")
    client = login(bappeda_admin)
    page = client.get(f"/impor/{batch.pk}/laporan/").content.decode()
    assert "birth_date.invalid" in page or "birth_date" in page
    assert "31-02-1985" in page
    response = client.get(f"/impor/{batch.pk}/laporan.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    content = b"".join(response.streaming_content)
    assert content[:2] == b"PK"
    export = AuditLog.objects.get(action="export")
    assert export.object_type == "ingest.importrow"
    assert export.detail["count"] == 1 and export.actor == bappeda_admin


def test_it_corrects_a_rejected_row_from_the_page(login, bappeda_admin, tmp_path, rows):
    rows[3]["tanggal_lahir"] = "31-02-1985"
    batch = services.import_file(actor=None, path=write_rows(tmp_path / "salah.csv", rows), period="2026-03")
    client = login(bappeda_admin)
    page = client.get(f"/impor/{batch.pk}/ditolak/").content.decode()
    assert page.count('data-testid="rejected-row"') == 1
    row = corrections.pending_rejected(batch).get()
    form = {f"r{row.pk}-c{i}": row.raw.get(c) or "" for i, c in enumerate(batch.columns)}
    form[f"r{row.pk}-c{batch.columns.index('tanggal_lahir')}"] = "28-02-2020"
    response = client.post(f"/impor/{batch.pk}/ditolak/{row.pk}/", form)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.rejected, batch.accepted) == (0, 40)
    assert Person.objects.count() == 40


@pytest.mark.parametrize("persona", ["kel_operator_in", "kec_operator_in", "viewer", "opd_operator_other"])
def test_it_refuses_people_who_do_not_import(request, login, persona, bappeda_admin):
    batch = services.create_batch(actor=bappeda_admin, file=DTSEN, period="2026-03")
    client = login(request.getfixturevalue(persona))
    assert client.get("/impor/").status_code == 403
    assert client.get(f"/impor/{batch.pk}/").status_code == 403
    assert client.get(f"/impor/{batch.pk}/laporan.xlsx").status_code == 403
    assert client.post(f"/impor/{batch.pk}/simpan/").status_code == 403
    assert _upload(client, DTSEN).status_code == 403
    assert ImportBatch.objects.count() == 1


def test_it_shows_a_dinsos_operator_only_the_imports_of_dinsos(login, opd_operator, bappeda_admin):
    theirs = services.create_batch(actor=bappeda_admin, file=DTSEN, period="2026-03")
    client = login(opd_operator)
    response = _upload(client, DTSEN)
    own = ImportBatch.objects.exclude(pk=theirs.pk).get()
    assert response.status_code == 302 and own.opd == opd_operator.opd
    listing = client.get("/impor/").content.decode()
    assert f"/impor/{own.pk}/" in listing and f"/impor/{theirs.pk}/" not in listing
    assert client.get(f"/impor/{theirs.pk}/").status_code == 404
    assert client.post(f"/impor/{theirs.pk}/validasi/").status_code == 404
    assert client.get(f"/impor/{own.pk}/").status_code == 200


def test_it_lets_an_analyst_import(login, analyst):
    response = _upload(login(analyst), DTSEN)
    assert response.status_code == 302
    assert ImportBatch.objects.get().status == BatchStatus.MAPPED


def test_it_shows_why_a_file_cannot_be_read(login, bappeda_admin, tmp_path):
    bad = tmp_path / "rusak.csv"
    bad.write_bytes(b"\x00\xff\x00\xfe" * 100)
    client = login(bappeda_admin)
    response = _upload(client, bad)
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.FAILED and "rusak.csv" in batch.error
    assert response.url == f"/impor/{batch.pk}/"
    assert "rusak.csv" in client.get(response.url).content.decode()


def test_it_links_imports_in_the_menu_only_for_importers(login, bappeda_admin, kel_operator_in, opd_operator):
    assert 'href="/impor/"' in login(bappeda_admin).get("/").content.decode()
    assert 'href="/impor/"' in login(opd_operator).get("/").content.decode()
    assert 'href="/impor/"' not in login(kel_operator_in).get("/").content.decode()


def test_it_says_when_the_same_file_was_already_committed(login, bappeda_admin):
    first = services.import_file(actor=None, path=DTSEN, period="2026-03")
    second = services.create_batch(actor=bappeda_admin, file=DTSEN, period="2026-03")
    page = login(bappeda_admin).get(f"/impor/{second.pk}/").content.decode()
    assert 'data-testid="same-file"' in page and f"#{first.pk}" in page


def test_it_offers_to_rerun_a_commit_whose_worker_died(login, bappeda_admin):
    batch = services.create_batch(actor=bappeda_admin, file=DTSEN, period="2026-03")
    services.validate_batch(actor=bappeda_admin, batch=batch)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.COMMITTING, updated_at=long_ago)
    client = login(bappeda_admin)
    assert 'data-testid="stale"' in client.get(f"/impor/{batch.pk}/").content.decode()
    client.post(f"/impor/{batch.pk}/simpan/")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED and Person.objects.count() == 40
