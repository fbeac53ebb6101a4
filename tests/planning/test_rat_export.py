"""RAT export: XLSX (activities per OPD with subtotals, dependencies, summaries, warnings) and PDF,
from the page (scoped like the RAT page, audited) and from ``padu plan export rat``."""

from __future__ import annotations

import io
import re
import zlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from padu.core.models import AuditLog
from padu.planning import rpkd_export
from padu.planning.models import LokasiPrioritas, OpdCeiling, PriorityAnalysis
from padu.planning.services import rat as services
from tests.conftest import KEL_A1, KEL_B1

pytestmark = pytest.mark.django_db
JT = 1_000_000
TITLE = "Rencana Aksi Tahunan Penanggulangan Kemiskinan Kota Serang Tahun 2027"


def _values(opd, **extra):
    return {
        "year": 2027,
        "opd_id": opd.pk,
        "name": "Bedah rumah RTLH",
        "strategy": "kantong",
        "sipd_code": "1.04.02.2.01",
        "sipd_name": "Rehabilitasi rumah tidak layak huni",
        "output_indicator": "Rumah direhabilitasi",
        "target": 20,
        "unit": "unit",
        "kelurahan_id": KEL_A1,
        "budget": 300 * JT,
        "funding_source": "apbd",
    } | extra


@pytest.fixture
def rat(opd_dinsos, opd_dinkes, analyst):
    """Three activities of two OPD; the training depends on the house repair; Dinkes has no target
    (one warning) and Dinsos is over its ceiling (a warning about the plan as a whole)."""
    OpdCeiling.objects.create(year=2027, opd=opd_dinsos, amount=400 * JT)
    analysis = PriorityAnalysis.objects.create(year=2027, registry_period="2026-09", weights={}, result=[])
    LokasiPrioritas.objects.create(year=2027, kelurahan_id=KEL_A1, analysis=analysis)
    house = services.rat_save(actor=analyst, values=_values(opd_dinsos))
    training = services.rat_save(
        actor=analyst,
        values=_values(
            opd_dinsos, name="Pelatihan keterampilan", strategy="pendapatan", budget=150 * JT, sipd_code=""
        ),
        depends_on=[house.pk],
    )
    gizi = services.rat_save(
        actor=analyst,
        values=_values(
            opd_dinkes,
            name="PMT balita stunting",
            strategy="beban",
            output_indicator="",
            target=None,
            kelurahan_id=KEL_B1,
            budget=75 * JT,
            funding_source="apbn",
        ),
    )
    return house, training, gizi


def _rows(ws):
    return [[c for c in row] for row in ws.iter_rows(values_only=True)]


def _find(rows, text):
    return next(r for r in rows if text in r)


def test_it_exports_the_rat_as_a_workbook_a_bappeda_recognises(rat, analyst, login):
    response = login(analyst).get("/perencanaan/rat/unduh.xlsx", {"year": 2027})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert 'filename="RAT-2027.xlsx"' in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["RAT", "Keterkaitan", "Ringkasan", "Peringatan"]
    ws = wb["RAT"]
    rows = _rows(ws)
    assert rows[0][0] == "RENCANA AKSI TAHUNAN (RAT) PENANGGULANGAN KEMISKINAN"
    assert rows[1][0] == "KOTA SERANG TAHUN 2027"
    assert TITLE in rows[3][0]
    header = _find(rows, "Anggaran (Rp)")
    budget = header.index("Anggaran (Rp)")
    activities = [r for r in rows if isinstance(r[0], int)]
    assert sorted(r[1] for r in activities) == sorted(a.name for a in rat)
    by_name = {r[1]: r for r in activities}
    house = by_name["Bedah rumah RTLH"]
    assert house[header.index("Kode SIPD")] == "1.04.02.2.01"
    assert house[header.index("Target")] == 20 and house[header.index("Satuan")] == "unit"
    assert house[header.index("Kelurahan")] == "Serang" and house[budget] == 300 * JT
    assert house[header.index("Sumber dana")] == "APBD Kota"
    training = by_name["Pelatihan keterampilan"]
    assert training[header.index("Prasyarat (bergantung pada)")] == "Bedah rumah RTLH"
    # each OPD's subtotal is the sum of its activities; the grand total the sum of all
    dinsos = _find(rows, "Jumlah Dinsos")[budget]
    dinkes = _find(rows, "Jumlah Dinkes")[budget]
    assert dinsos == house[budget] + training[budget] == 450 * JT
    assert dinkes == by_name["PMT balita stunting"][budget] == 75 * JT
    assert _find(rows, "JUMLAH SELURUH OPD")[budget] == sum(r[budget] for r in activities) == 525 * JT
    # activities are grouped: the OPD heading comes before its activities
    names = [r[0] for r in rows]
    heading = next(i for i, v in enumerate(names) if isinstance(v, str) and v.endswith("(Dinkes)"))
    assert rows[heading + 1][1] == "PMT balita stunting"

    links = _rows(wb["Keterkaitan"])
    link = _find(links, "Pelatihan keterampilan")
    assert "Bedah rumah RTLH" in link and 300 * JT in link

    summary = _rows(wb["Ringkasan"])
    assert _find(summary, "Peningkatan pendapatan")[1:3] == (1, 150 * JT) or _find(
        summary, "Peningkatan pendapatan"
    )[1:3] == [1, 150 * JT]
    totals = [r for r in summary if r[0] == "Jumlah"]
    assert totals[0][1:3] in ([3, 525 * JT], (3, 525 * JT))  # per strategy
    dinsos_row = next(r for r in summary if r[0] and "(Dinsos)" in str(r[0]))
    assert dinsos_row[2:5] in ([450 * JT, 400 * JT, -50 * JT], (450 * JT, 400 * JT, -50 * JT))
    kel_a1 = next(r for r in summary if r[0] == "Serang" and r[1] == "Serang")
    assert kel_a1[2] == "ya" and kel_a1[4] == 450 * JT  # both Dinsos activities, in a lokasi prioritas
    assert next(r for r in summary if r[0] == "Kasemen")[2] is None

    warnings = _rows(wb["Peringatan"])
    gizi = _find(warnings, "PMT balita stunting")
    assert "indikator keluaran" in gizi[3] and gizi[2] == "Dinkes"
    assert any(r[1] == "(keseluruhan RAT)" and "melebihi plafonnya" in str(r[3]) for r in warnings)
    log = AuditLog.objects.get(object_type="planning.rat", action="export")
    assert log.detail["activities"] == 3 and log.detail["total"] == 525 * JT


def _pdf_text(data: bytes) -> str:
    """Text of the page streams of an fpdf2 PDF written with a core font (literal strings)."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            continue
    return "".join(out).replace("\\(", "(").replace("\\)", ")")


def test_it_exports_the_rat_as_pdf(rat, analyst, login, monkeypatch):
    client = login(analyst)
    response = client.get("/perencanaan/rat/unduh.pdf", {"year": 2027})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    # with the core font the page text is literal and can be read back
    monkeypatch.setattr(rpkd_export, "_font_dir", lambda: None)
    text = _pdf_text(client.get("/perencanaan/rat/unduh.pdf", {"year": 2027}).content)
    assert "RENCANA AKSI TAHUNAN (RAT) PENANGGULANGAN KEMISKINAN" in text
    assert "KOTA SERANG TAHUN 2027" in text and TITLE in text
    for name in ("Bedah rumah RTLH", "Pelatihan keterampilan", "PMT balita stunting", "Jumlah Dinsos"):
        assert name in text
    assert "450.000.000" in text and "525.000.000" in text
    assert "melebihi plafonnya" in text
    assert AuditLog.objects.filter(object_type="planning.rat", action="export").count() == 2


def test_it_exports_one_opd_and_every_role_that_reads_the_rat(rat, viewer, opd_operator, login):
    response = login(viewer).get("/perencanaan/rat/unduh.xlsx", {"year": 2027, "opd": "dinkes"})
    assert response.status_code == 200
    rows = _rows(load_workbook(io.BytesIO(response.content))["RAT"])
    assert [r[1] for r in rows if isinstance(r[0], int)] == ["PMT balita stunting"]
    assert login(opd_operator).get("/perencanaan/rat/unduh.pdf", {"year": 2027}).status_code == 200
    assert login(viewer).get("/perencanaan/rat/unduh.docx", {"year": 2027}).status_code == 404
    page = login(viewer).get("/perencanaan/rat/", {"year": 2027}).content.decode()
    assert "/perencanaan/rat/unduh.xlsx?year=2027" in page and "/perencanaan/rat/unduh.pdf" in page


def test_it_says_so_when_a_year_has_no_rat(analyst, login):
    response = login(analyst).get("/perencanaan/rat/unduh.xlsx", {"year": 2031}, follow=True)
    assert "Belum ada kegiatan RAT untuk tahun 2031" in response.content.decode()
    assert not AuditLog.objects.filter(object_type="planning.rat").exists()
    assert "unduh.xlsx" not in login(analyst).get("/perencanaan/rat/", {"year": 2031}).content.decode()


def test_it_exports_the_rat_from_the_cli(rat, tmp_path):
    out = tmp_path / "rat.xlsx"
    text = io.StringIO()
    call_command("plan", "export", "rat", "--year", "2027", "--out", str(out), stdout=text)
    assert "written to" in text.getvalue()
    rows = _rows(load_workbook(out)["RAT"])
    assert len([r for r in rows if isinstance(r[0], int)]) == 3
    pdf = tmp_path / "rat.out"
    call_command("plan", "export", "rat", "--year", "2027", "--format", "pdf", "--out", str(pdf), stdout=text)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert AuditLog.objects.filter(object_type="planning.rat", action="export").count() == 2
    with pytest.raises(CommandError, match="Belum ada kegiatan RAT untuk tahun 2030"):
        call_command("plan", "export", "rat", "--year", "2030", "--out", str(tmp_path / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()
    with pytest.raises(CommandError, match="xlsx atau pdf"):
        call_command("plan", "export", "rat", "--year", "2027", "--out", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="OPD 'nope' tidak ada"):
        call_command("plan", "export", "rat", "--year", "2027", "--opd", "nope", "--out", str(out))


def test_the_cli_exits_non_zero_with_a_clear_message(rat, tmp_path, capsys):
    from padu.cli import main

    assert main(["plan", "export", "rat", "--year", "2027", "--out", str(tmp_path / "r.pdf")]) == 0
    assert main(["plan", "export", "rat", "--year", "2030", "--out", str(tmp_path / "r.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "Belum ada kegiatan RAT untuk tahun 2030" in err and "No RAT activities for 2030" in err
    assert main(["plan", "export", "rat", "--year", "2027", "--format", "csv", "--out", "x"]) == 2
