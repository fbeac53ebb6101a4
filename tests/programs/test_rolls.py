"""A roll's rows are personal data: scope per persona, audit of views and exports, web upload."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from padu.core.models import AuditLog
from padu.ingest.models import BatchStatus, ImportBatch
from padu.programs import services
from padu.programs.models import RollEntry
from tests.programs.conftest import clean_rows, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def roll(lansia, tmp_path):
    services.roll_import(
        actor=None, programme=lansia, period="2026-03", path=write_csv(tmp_path / "l.csv", clean_rows())
    )
    return lansia.rolls.get()


def _names(client, roll) -> str:
    return client.get(reverse("programs:roll", args=[roll.programme.code, roll.period])).content.decode()


def test_it_shows_a_kelurahan_operator_only_the_rows_of_their_kelurahan(login, kel_operator_in, roll):
    page = _names(login(kel_operator_in), roll)
    assert "SITI AMINAH" in page and "MARNI" in page and "ENAH" not in page


def test_it_shows_an_out_of_region_operator_none_of_the_rows_in_region(login, kel_operator_out, roll):
    page = _names(login(kel_operator_out), roll)
    assert "SITI AMINAH" not in page and "UJANG" not in page and "ENAH" in page
    assert RollEntry.objects.restrict(kel_operator_out).count() == 1


def test_it_shows_rows_to_the_owning_opd_only(login, opd_operator, opd_operator_other, viewer, roll):
    assert "SITI AMINAH" in _names(login(opd_operator), roll)
    assert "SITI AMINAH" not in _names(login(opd_operator_other), roll)
    page = _names(login(viewer), roll)
    assert "SITI AMINAH" not in page and 'data-testid="no-entries"' in page
    assert RollEntry.objects.restrict(viewer, "aggregate").count() == 4


def test_it_audits_every_view_and_export_of_rows(login, analyst, roll):
    client = login(analyst)
    _names(client, roll)
    assert AuditLog.objects.filter(action="view", object_type="programs.rollentry").count() == 1
    response = client.get(reverse("programs:roll_export", args=["lansia", "2026-03"]))
    body = b"".join(response.streaming_content).decode()
    assert "3673014507550001" in body and body.count("\n") == 5
    export = AuditLog.objects.get(action="export", object_type="programs.rollentry")
    assert export.detail["count"] == 4


def test_it_refuses_exports_to_a_viewer(login, viewer, roll):
    response = login(viewer).get(reverse("programs:roll_export", args=["lansia", "2026-03"]))
    assert response.status_code == 403
    assert not AuditLog.objects.filter(action="export").exists()


def test_it_uploads_a_list_through_the_intake_pages(login, opd_operator, lansia, tmp_path):
    client = login(opd_operator)
    data = write_csv(tmp_path / "l.csv", clean_rows()).read_bytes()
    response = client.post(
        reverse("programs:upload", args=["lansia"]),
        {"file": SimpleUploadedFile("lansia_2026.csv", data, "text/csv"), "period": "2026-04"},
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("ingest:preview", args=[batch.pk])
    assert client.get(response.url).status_code == 200
    client.post(reverse("ingest:validate", args=[batch.pk]))
    client.post(reverse("ingest:commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED and batch.counts_line.startswith("rows=4 accepted=4")
    detail = client.get(reverse("ingest:detail", args=[batch.pk])).content.decode()
    assert reverse("programs:roll", args=["lansia", "2026-04"]) in detail
    assert lansia.rolls.get(period="2026-04").entries_count == 4


def test_it_refuses_an_upload_to_another_opds_programme(login, opd_operator_other, lansia, tmp_path):
    client = login(opd_operator_other)
    data = write_csv(tmp_path / "l.csv", clean_rows()).read_bytes()
    response = client.post(
        reverse("programs:upload", args=["lansia"]),
        {"file": SimpleUploadedFile("l.csv", data, "text/csv"), "period": "2026-04"},
    )
    assert response.status_code == 404 and not ImportBatch.objects.exists()
    roll_batch = services.roll_upload(
        actor=None, programme=lansia, period="2026-05", file=write_csv(tmp_path / "m.csv", clean_rows())
    )
    assert client.get(reverse("ingest:detail", args=[roll_batch.pk])).status_code == 404


def test_it_serves_rows_through_the_api_masked_for_nobody_outside_scope(login, kel_operator_out, roll):
    data = login(kel_operator_out).get("/api/program/lansia/daftar/2026-03/").json()
    assert [r["name"] for r in data["results"]] == ["ENAH"]
    assert AuditLog.objects.filter(action="view", object_type="programs.rollentry").exists()
