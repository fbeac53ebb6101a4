"""RAT activities (per OPD, consistency warnings, dependencies) and the RPKD document (five chapters,
editable narrative, DOCX/PDF export, CLI)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from padu.accounts.models import Opd
from padu.core.models import AuditLog
from padu.planning.models import LokasiPrioritas, OpdCeiling, PriorityAnalysis, RatActivity
from padu.planning.rpkd import assemble
from padu.planning.selectors_rat import warnings
from padu.planning.services import rat as services
from tests.conftest import KEL_A1, KEL_B1

pytestmark = pytest.mark.django_db
JT = 1_000_000


def _values(opd, **extra):
    return {
        "year": 2027,
        "opd_id": opd.pk,
        "name": "Bedah rumah RTLH",
        "strategy": "kantong",
        "output_indicator": "Rumah direhabilitasi",
        "target": 20,
        "unit": "unit",
        "kelurahan_id": KEL_A1,
        "budget": 300 * JT,
        "funding_source": "apbd",
    } | extra


def test_it_lets_an_opd_operator_write_only_its_own_rat(opd_operator, opd_dinkes, login):
    own = services.rat_save(actor=opd_operator, values=_values(opd_operator.opd))
    assert own.pk and AuditLog.objects.filter(object_type="planning.ratactivity").count() == 1
    with pytest.raises(PermissionDenied):
        services.rat_save(actor=opd_operator, values=_values(opd_dinkes))
    client = login(opd_operator)
    page = client.get("/perencanaan/rat/", {"year": 2027})
    assert page.status_code == 200 and "Bedah rumah RTLH" in page.content.decode()
    other = services.rat_save(actor=None, values=_values(opd_dinkes, name="Posyandu"))
    assert client.get(f"/perencanaan/rat/{other.pk}/ubah/").status_code == 404


def test_it_keeps_viewers_read_only_on_the_rat(viewer, opd_dinsos, login):
    services.rat_save(actor=None, values=_values(opd_dinsos))
    client = login(viewer)
    assert "Bedah rumah RTLH" in client.get("/perencanaan/rat/", {"year": 2027}).content.decode()
    assert client.get("/perencanaan/rat/baru/").status_code == 403


def test_it_warns_about_inconsistencies(opd_dinsos, analyst):
    OpdCeiling.objects.create(year=2027, opd=opd_dinsos, amount=100 * JT)
    analysis = PriorityAnalysis.objects.create(year=2027, registry_period="2026-09", weights={}, result=[])
    LokasiPrioritas.objects.create(year=2027, kelurahan_id=KEL_B1, analysis=analysis)
    a = services.rat_save(actor=analyst, values=_values(opd_dinsos, output_indicator="", sipd_code="x.1"))
    services.rat_save(
        actor=analyst,
        values=_values(opd_dinsos, name="Pelatihan", strategy="pendapatan", budget=0),
        depends_on=[a.pk],
    )
    texts = " | ".join(w.text for w in warnings(year=2027))
    assert "indikator keluaran" in texts
    assert "kode SIPD" in texts
    assert "di luar lokasi prioritas" in texts
    assert "anggaran nol" in texts
    assert "melebihi plafonnya" in texts
    assert "belum mendapat kegiatan RAT" in texts


def test_it_refuses_circular_or_cross_year_dependencies(opd_dinsos, analyst):
    a = services.rat_save(actor=analyst, values=_values(opd_dinsos, name="A"))
    b = services.rat_save(actor=analyst, values=_values(opd_dinsos, name="B"), depends_on=[a.pk])
    with pytest.raises(ValidationError):
        services.rat_save(actor=analyst, values={}, depends_on=[b.pk], activity=a)
    c = services.rat_save(actor=analyst, values=_values(opd_dinsos, name="C", year=2028))
    with pytest.raises(ValidationError):
        services.rat_save(actor=analyst, values={}, depends_on=[c.pk], activity=b)
    assert list(a.depends_on.all()) == []


def test_it_assembles_five_chapters_from_padu_data(opd_dinsos, analyst):
    services.rat_save(actor=analyst, values=_values(opd_dinsos))
    services.rpkd_save(
        actor=analyst, year=2027, title="", narrative={"pendahuluan": "Paragraf satu.\n\nParagraf dua."}
    )
    doc = assemble(2027)
    assert [c.title.split()[1] for c in doc.chapters] == ["I", "II", "III", "IV", "V"]
    assert doc.chapters[0].paragraphs == ["Paragraf satu.", "Paragraf dua."]
    prioritas = doc.chapters[3]
    assert any("Bedah rumah RTLH" in row for t in prioritas.tables for row in t.rows)


def test_it_exports_docx_and_pdf(opd_dinsos, analyst, login):
    services.rat_save(actor=analyst, values=_values(opd_dinsos))
    client = login(analyst)
    docx = client.get("/perencanaan/rpkd/unduh.docx", {"year": 2027})
    assert docx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(docx.content)) as z:
        body = z.read("word/document.xml").decode()
    assert "BAB I PENDAHULUAN" in body and "BAB V LOKASI PRIORITAS" in body and "Bedah rumah RTLH" in body
    pdf = client.get("/perencanaan/rpkd/unduh.pdf", {"year": 2027})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditLog.objects.filter(object_type="planning.rpkd", action="export").count() == 2


def test_it_lets_only_bappeda_edit_the_narrative(viewer, kel_operator_in, analyst, login):
    assert login(viewer).post("/perencanaan/rpkd/", {"year": 2027, "pendahuluan": "x"}).status_code == 403
    assert login(kel_operator_in).get("/perencanaan/rpkd/").status_code == 403
    response = login(analyst).post(
        "/perencanaan/rpkd/", {"year": 2027, "title": "RPKD Kota Serang", "pendahuluan": "Teks."}
    )
    assert response.status_code == 302
    assert assemble(2027).title == "RPKD Kota Serang"


def test_it_exports_the_rpkd_from_the_cli(opd_dinsos, tmp_path):
    out = tmp_path / "rpkd.docx"
    text = io.StringIO()
    call_command("plan", "export", "rpkd", "--year", "2027", "--out", str(out), stdout=text)
    assert out.read_bytes().startswith(b"PK") and "written to" in text.getvalue()
    call_command("plan", "export", "rpkd", "--year", "2027", "--out", str(tmp_path / "rpkd.pdf"), stdout=text)
    assert (tmp_path / "rpkd.pdf").read_bytes().startswith(b"%PDF")


def test_it_reads_rat_for_every_role_but_opd_keeps_write_scope(opd_operator, opd_dinkes):
    RatActivity.objects.create(year=2027, opd=opd_dinkes, name="Posyandu", strategy="beban", budget=1)
    assert RatActivity.objects.restrict(opd_operator, "view").count() == 1
    assert RatActivity.objects.restrict(opd_operator, "change").count() == 0
    assert Opd.objects.count() >= 2
