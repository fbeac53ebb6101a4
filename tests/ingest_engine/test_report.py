"""write_report: the XLSX error report in Bahasa Indonesia, ready for correction and re-submission."""

from __future__ import annotations

import openpyxl

from padu.ingest.engine import (
    RawRow,
    ValidationContext,
    map_columns,
    read_table,
    validate_rows,
    write_report,
)
from tests.data.registry.make_fixtures import P3KE_EXPECTED, P3KE_WARNING_ONLY
from tests.ingest_engine.helpers import P3KE, TODAY


def _report(tmp_path, **kw):
    out = tmp_path / "laporan.xlsx"
    with read_table(P3KE) as table:
        mapping = map_columns(table.columns)
        results = validate_rows(table.rows, mapping, ValidationContext(today=TODAY))
        written = write_report(
            out, results, file_name=P3KE.name, columns=table.columns, mapping=mapping, **kw
        )
    return out, written, table.columns


def test_it_writes_the_three_sheets_with_indonesian_reasons(tmp_path):
    out, written, columns = _report(tmp_path, summary={"Keluarga baru": 7})
    expected_issues = sum(len(codes) for codes in P3KE_EXPECTED.values())
    assert written == expected_issues
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Ringkasan", "Baris bermasalah", "Data ditolak"]

    summary = {row[0]: row[1] for row in wb["Ringkasan"].iter_rows(values_only=True) if row and row[0]}
    data_lines = len(P3KE_EXPECTED)
    rejected = sum(1 for line, codes in P3KE_EXPECTED.items() if codes and line not in P3KE_WARNING_ONLY)
    assert summary["Berkas"] == "p3ke_messy.xlsx"
    assert summary["Jumlah baris data"] == data_lines
    assert summary["Baris ditolak (ada galat)"] == rejected
    assert summary["Baris diterima"] == data_lines - rejected
    assert summary["Baris diterima dengan peringatan"] == 2
    assert summary["Keluarga baru"] == 7
    assert summary["nik.duplicate_in_file"] == "galat"

    issues = list(wb["Baris bermasalah"].iter_rows(values_only=True))
    assert issues[0] == ("Baris", "Kolom", "Nilai", "Kode", "Tingkat", "Alasan", "Reason")
    assert len(issues) - 1 == expected_issues
    by_code: dict[str, tuple] = {}
    for row in issues[1:]:
        by_code.setdefault(row[3], row)
    line, column, value, _code, level, reason_id, reason_en = by_code["nik.excel_scientific"]
    assert (line, column, value, level) == (21, "NIK", "3,67301E+15", "galat")
    assert reason_id.startswith("Kolom 'NIK': NIK rusak oleh Excel: tertulis sebagai notasi ilmiah")
    assert reason_en.startswith("Column 'NIK': NIK damaged by Excel")
    assert by_code["nik.empty"][4] == "peringatan"
    assert by_code["birth_date.invalid"][5].startswith(
        "Kolom 'Tanggal Lahir': tanggal '31-02-1985' tidak ada"
    )
    assert by_code["nik.duplicate_in_file"][0] == 24 and "baris 15" in by_code["nik.duplicate_in_file"][5]

    rejected_rows = list(wb["Data ditolak"].iter_rows(values_only=True))
    assert list(rejected_rows[0]) == [*columns, "Alasan penolakan", "Baris asal"]
    assert len(rejected_rows) - 1 == rejected
    first = dict(zip(rejected_rows[0], rejected_rows[1], strict=True))
    assert first["Baris asal"] == 17 and first["Nama"] == "RIZKI HIDAYAT"
    assert "rusak oleh Excel" in first["Alasan penolakan"]
    no_name = next(dict(zip(rejected_rows[0], r, strict=True)) for r in rejected_rows if r[-1] == 25)
    assert no_name["Alasan penolakan"] == "Kolom 'Nama': nama kosong"
    assert no_name["NIK"] == "3673014202120211"
    nik_cell = next(c for c in wb["Data ditolak"]["K"] if c.row == 2)
    assert nik_cell.number_format == "@"  # NIK column stays text while being corrected


def test_it_makes_a_report_that_can_be_corrected_and_sent_again(tmp_path):
    out, _written, _columns = _report(tmp_path)
    wb = openpyxl.load_workbook(out)
    ws = wb["Data ditolak"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        cells = dict(zip(header, row, strict=True))
        if cells["Baris asal"].value == 25:
            cells["Nama"].value = "NUR AINI"
    wb.save(out)
    with read_table(out) as table:
        assert table.sheet == "Data ditolak" and table.header_line == 1
        mapping = map_columns(table.columns)
        assert mapping.layout == "p3ke"
        assert set(mapping.unmapped_columns) == {"No", "Provinsi", "Alasan penolakan", "Baris asal"}
        results = {
            r.raw["Baris asal"]: r for r in validate_rows(table.rows, mapping, ValidationContext(today=TODAY))
        }
    assert results[25].ok
    assert not results[17].ok


def test_it_writes_values_as_data_never_as_formulas(tmp_path):
    columns = ["NIK", "NAMA", "DESA"]
    rows = [RawRow(2, {"NIK": '=HYPERLINK("http://x")', "NAMA": "=1+1", "DESA": "Cipare\x07"})]
    results = validate_rows(rows, map_columns(columns), ValidationContext(today=TODAY))
    out = tmp_path / "r.xlsx"
    write_report(out, results, file_name="=jahat.csv", columns=columns)
    wb = openpyxl.load_workbook(out)
    values = [c.value for c in wb["Data ditolak"][2]]
    assert values[:3] == ['=HYPERLINK("http://x")', "=1+1", "Cipare"]
    assert all(c.data_type == "s" for c in wb["Data ditolak"][2][:2])
    assert wb["Ringkasan"]["B2"].data_type == "s"


def test_it_writes_an_empty_report(tmp_path):
    out = tmp_path / "kosong.xlsx"
    assert write_report(out, [], file_name="kosong.csv", columns=["NIK"]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb["Baris bermasalah"].max_row == 1 and wb["Data ditolak"].max_row == 1
