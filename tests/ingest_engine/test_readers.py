"""read_table: formats, encodings, delimiters, header detection, unreadable files."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from padu.ingest.engine import IngestError, RawRow, read_table
from tests.ingest_engine.helpers import DTKS, DTSEN, P3KE


def test_it_finds_the_header_on_row_13_of_the_messy_p3ke_sheet():
    with read_table(P3KE) as table:
        assert table.format == "xlsx"
        assert table.sheet == "P3KE"
        assert table.header_line == 13
        assert table.columns[:3] == ["No", "ID Keluarga P3KE", "Provinsi"]
        rows = list(table.rows)
    lines = [r.line for r in rows]
    # 14 is the "(1) (2) (3)" numbering row, 30 is blank, the formatted empty rows after 32 end it.
    assert lines == [*range(15, 30), 31, 32]
    assert all(isinstance(r, RawRow) and set(r.values) == set(table.columns) for r in rows)


def test_it_keeps_cell_types_of_xlsx_cells():
    with read_table(P3KE) as table:
        rows = {r.line: r.values for r in table.rows}
    assert isinstance(rows[15]["NIK"], str)
    assert isinstance(rows[17]["NIK"], float)  # Excel's 3.6730117081002E+15
    assert isinstance(rows[18]["No. KK"], int)
    assert rows[18]["Tanggal Lahir"] == 29000  # a serial in a General cell
    assert rows[19]["Tanggal Lahir"] == dt.datetime(1982, 1, 9)  # a real date cell
    assert rows[15]["Desil Kesejahteraan"] == 1


def test_it_reads_the_dtks_cp1252_semicolon_file():
    with read_table(DTKS) as table:
        assert (table.encoding, table.delimiter, table.header_line) == ("cp1252", ";", 1)
        assert table.columns[:3] == ["IDDTKS", "NOMOR_KK", "NOMOR_NIK"]
        rows = list(table.rows)
    assert len(rows) == 10
    assert rows[1].values["NAMA"] == "NUR’AINI"
    assert rows[0].values["ALAMAT"] == "JL. KH. ABDUL HADI – GG. MASJID"
    assert rows[5].values["NAMA"] == "RENÉ HIDAYAT"
    assert rows[0].line == 2


def test_it_reads_the_clean_dtsen_csv():
    with read_table(DTSEN) as table:
        assert (table.encoding, table.delimiter, table.header_line) == ("utf-8", ",", 1)
        assert sum(1 for _ in table.rows) == 40


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_it_sniffs_the_delimiter(tmp_path, delimiter):
    path = tmp_path / "data.csv"
    lines = [
        ["NIK", "Nama", "No. KK", "Desa"],
        ["3673011708850201", "BUDI SANTOSO", "3673011205160021", "Cipare"],
    ]
    path.write_text("\n".join(delimiter.join(line) for line in lines), encoding="utf-8")
    with read_table(path) as table:
        assert table.delimiter == delimiter
        assert table.columns == ["NIK", "Nama", "No. KK", "Desa"]
        assert next(table.rows).values["Nama"] == "BUDI SANTOSO"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-8", "cp1252"])
def test_it_detects_text_encodings(tmp_path, encoding):
    path = tmp_path / "data.csv"
    path.write_bytes("NIK;NAMA;DESA\n3673011708850201;SITI ’AISYAH;Cipare\n".encode(encoding))
    with read_table(path) as table:
        assert table.columns == ["NIK", "NAMA", "DESA"]
        assert next(table.rows).values["NAMA"] == "SITI ’AISYAH"


def test_it_survives_stray_cp1252_bytes_in_a_utf8_file(tmp_path):
    path = tmp_path / "mixed.csv"
    body = "NIK,NAMA\n" + "".join(f"36730117088502{i:02d},ORANG {i}\n" for i in range(1, 99))
    path.write_bytes(body.encode() * 200 + "3673011708850299,NUR’AINI\n".encode("cp1252"))
    with read_table(path) as table:
        assert table.encoding == "utf-8"
        rows = list(table.rows)
    assert rows[-1].values["NAMA"] == "NUR’AINI"


def test_it_skips_blank_rows_pads_short_rows_and_numbers_lines_as_excel(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text(
        "Laporan P3KE Kelurahan Cipare\n\nNIK,NAMA,DESA,DESIL\n"
        "3673011708850201,BUDI,Cipare,1\n,,,\n\n3673014503880202,SITI\n",
        encoding="utf-8",
    )
    with read_table(path) as table:
        assert table.header_line == 3
        rows = list(table.rows)
    assert [r.line for r in rows] == [4, 7]
    assert rows[1].values == {"NIK": "3673014503880202", "NAMA": "SITI", "DESA": None, "DESIL": None}


def test_it_names_blank_and_repeated_headers(tmp_path):
    path = tmp_path / "dupes.csv"
    path.write_text("NIK,NAMA,,NAMA\n1,a,b,c\n", encoding="utf-8")
    with read_table(path) as table:
        assert table.columns == ["NIK", "NAMA", "Kolom 3", "NAMA (2)"]


def test_it_picks_the_sheet_with_the_registry_table(tmp_path):
    path = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Petunjuk"
    wb.active.append(["Isi lembar Data"])
    data = wb.create_sheet("Data")
    data.append(["NIK", "Nama", "No KK", "Kelurahan"])
    data.append(["3673011708850201", "BUDI", "3673011205160021", "Cipare"])
    wb.save(path)
    with read_table(path) as table:
        assert (table.sheet, table.sheets, table.header_line) == ("Data", ["Petunjuk", "Data"], 1)
    with read_table(path, sheet="Petunjuk") as table:
        assert table.columns == ["Isi lembar Data"]
    with pytest.raises(IngestError) as caught:
        read_table(path, sheet="Tidak Ada")
    assert caught.value.code == "file.sheet_not_found"
    assert "book.xlsx" in str(caught.value) and "Petunjuk" in str(caught.value)


def _bad_files(tmp_path):
    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    blank = tmp_path / "spasi.csv"
    blank.write_bytes(b"\r\n \n\n")
    xls = tmp_path / "lama.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    xls_renamed = tmp_path / "lama_diganti_nama.xlsx"
    xls_renamed.write_bytes(xls.read_bytes())
    garbage = tmp_path / "sampah.xlsx"
    garbage.write_bytes(b"this is not a spreadsheet at all")
    corrupt = tmp_path / "rusak.xlsx"
    with zipfile.ZipFile(corrupt, "w") as archive:
        archive.writestr("hello.txt", "no workbook here")
    truncated = tmp_path / "terpotong.xlsx"
    openpyxl.Workbook().save(truncated)
    truncated.write_bytes(truncated.read_bytes()[:300])
    binary = tmp_path / "gambar.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    pdf = tmp_path / "surat.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x01\x02")
    return [
        (empty, "file.empty"),
        (blank, "file.empty"),
        (xls, "file.unsupported_xls"),
        (xls_renamed, "file.unsupported_xls"),
        (garbage, "file.corrupt"),
        (corrupt, "file.corrupt"),
        (truncated, "file.corrupt"),
        (binary, "file.unsupported_format"),
        (pdf, "file.unsupported_format"),
        (tmp_path / "tidak_ada.csv", "file.not_found"),
    ]


def test_it_rejects_unreadable_files_with_a_bilingual_message_naming_the_file(tmp_path):
    for path, code in _bad_files(tmp_path):
        with pytest.raises(IngestError) as caught:
            read_table(path)
        error = caught.value
        assert error.code == code, (path.name, error)
        text = str(error)
        assert f"Berkas '{path.name}'" in text and f"File '{path.name}'" in text
        assert " / " in text
        assert error.to_dict()["file"] == path.name


def test_it_reports_an_empty_sheet(tmp_path):
    path = tmp_path / "kosong.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(IngestError) as caught:
        read_table(path)
    assert caught.value.code == "file.empty"


def test_it_reads_a_header_only_file_as_no_rows(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("NIK,NAMA\n", encoding="utf-8")
    with read_table(path) as table:
        assert table.columns == ["NIK", "NAMA"]
        assert list(table.rows) == []


def test_it_streams_rows_lazily_and_closes(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("NIK,NAMA\n" + "3673011708850201,A\n" * 1000, encoding="utf-8")
    table = read_table(path)
    first = next(table.rows)
    assert first.line == 2
    table.close()
    table.close()  # idempotent


def test_it_skips_the_header_repeated_on_every_printed_page(tmp_path):
    path = tmp_path / "pages.csv"
    page = "NIK;NAMA;DESA\n3673011708850201;BUDI;Cipare\n"
    path.write_text(page * 3, encoding="utf-8")
    with read_table(path) as table:
        assert [r.line for r in table.rows] == [2, 4, 6]
    book = tmp_path / "pages.xlsx"
    wb = openpyxl.Workbook()
    for _ in range(2):
        wb.active.append(["NIK", "NAMA", "DESA"])
        wb.active.append(["3673011708850201", "BUDI", "Cipare"])
    wb.save(book)
    with read_table(book) as table:
        assert [r.line for r in table.rows] == [2, 4]
