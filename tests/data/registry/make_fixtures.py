"""Make the small registry files the intake-engine tests read.

Run: ``.venv/bin/python tests/data/registry/make_fixtures.py`` (commit the outputs).

All people are invented; NIK and KK numbers are composed from real Kota Serang kecamatan codes
(36.73.0x) and the invented birth dates, so they are well-formed but belong to nobody. The output is
byte-for-byte the same on every run (fixed seed, fixed XLSX timestamps).

* ``dtsen_clean.csv`` — DTSEN-style export (the columns of ``padu.synth.generate.REGISTRY_COLUMNS``),
  UTF-8, 40 persons in 10 families, no faults.
* ``p3ke_messy.xlsx`` — P3KE-style sheet: 12 title/blank rows, the header on row 13, a row of column
  numbers on row 14, data from row 15. NIK/KK as text in most rows and as numeric cells (digits lost)
  in others, dates in every common form, kelurahan by name and by code; the faults are listed in
  ``P3KE_EXPECTED`` below (line -> codes).
* ``dtks_old.csv`` — older DTKS-style export: ``;`` delimiter, cp1252, CRLF, JNS_KEL 1/2.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import zipfile
from pathlib import Path

from padu.lib.nik import compose_nik
from padu.synth.generate import REGISTRY_COLUMNS

HERE = Path(__file__).resolve().parent
CRITERIA = [c for c, _doc in REGISTRY_COLUMNS if c[:1] == "k" and c[1:2].isdigit()]
FIXED = dt.datetime(2026, 1, 2, 3, 4, 5)

# Real Kota Serang kelurahan: code -> (name, kecamatan name).
KELURAHAN = {
    "36.73.01.1001": ("Serang", "Serang"),
    "36.73.01.1002": ("Cipare", "Serang"),
    "36.73.01.1003": ("Sumur Pecung", "Serang"),
    "36.73.01.1005": ("Lopang", "Serang"),
    "36.73.01.1006": ("Cimuncang", "Serang"),
    "36.73.01.1008": ("Sukawana", "Serang"),
    "36.73.01.1010": ("Kaligandu", "Serang"),
    "36.73.02.1001": ("Kasemen", "Kasemen"),
    "36.73.03.1002": ("Cigoong", "Walantaka"),
    "36.73.04.1003": ("Kemanisan", "Curug"),
    "36.73.05.1002": ("Karundang", "Cipocok Jaya"),
    "36.73.06.1002": ("Sayar", "Taktakan"),
}
MEN = ["AHMAD", "BUDI", "DEDI", "ENDANG", "HERMAN", "IWAN", "JAJANG", "MUHAMAD", "RUDI", "SUKMA", "UJANG"]
WOMEN = ["AAT", "CUCU", "DEWI", "ELI", "ENOK", "IIS", "NENG", "RATNA", "SITI", "YAYAH", "ROHAYATI"]
SURNAMES = ["SUPRIATNA", "HIDAYAT", "SAEPUDIN", "MULYANA", "NURHASANAH", "KURNIAWAN", "RAHMAT", "JUHAENI"]


def _kk(kec_plain: str, registered: dt.date, serial: int) -> str:
    return f"{kec_plain}{registered:%d%m%y}{serial:04d}"


def _person(rng: random.Random, sex: str, born: dt.date, kec_plain: str, serial: int) -> tuple[str, str]:
    first = rng.choice(MEN if sex == "L" else WOMEN)
    return f"{first} {rng.choice(SURNAMES)}", compose_nik(kec_plain, born, sex, serial)


def make_dtsen(path: Path) -> None:
    rng = random.Random("padu-fixtures/dtsen")
    columns = [name for name, _doc in REGISTRY_COLUMNS]
    lines = [",".join(columns)]
    person_no = family_no = 0
    serial = 100
    codes = list(KELURAHAN)
    while person_no < 40:
        family_no += 1
        code = codes[family_no % len(codes)]
        kel_name, kec_name = KELURAHAN[code]
        kec_plain = code.replace(".", "")[:6]
        head_born = dt.date(rng.randint(1950, 1995), rng.randint(1, 12), rng.randint(1, 28))
        kk = _kk(kec_plain, dt.date(2015, rng.randint(1, 12), rng.randint(1, 28)), family_no)
        size = min(rng.randint(2, 5), 40 - person_no)
        desil = rng.randint(1, 6)
        criteria = [rng.randint(0, 1) for _ in range(8)]
        for member in range(size):
            person_no += 1
            serial += 1
            if member == 0:
                sex, relation, born = "L", "Kepala Keluarga", head_born
            elif member == 1:
                sex, relation = "P", "Istri"
                born = head_born + dt.timedelta(days=rng.randint(300, 2500))
            else:
                sex, relation = rng.choice("LP"), "Anak"
                born = head_born + dt.timedelta(days=rng.randint(7000, 11000))
            born = min(born, dt.date(2024, 12, 31))
            name, nik = _person(rng, sex, born, kec_plain, serial)
            status = "meninggal" if person_no == 7 else "aktif"
            row = {
                "id_art": f"P{person_no:08d}",
                "id_keluarga": f"F{family_no:08d}",
                "no_kk": kk,
                "nik": nik,
                "nama": name,
                "jenis_kelamin": sex,
                "tempat_lahir": "SERANG",
                "tanggal_lahir": born.isoformat(),
                "hubungan_keluarga": relation,
                "status_perkawinan": "Kawin" if member < 2 else "Belum Kawin",
                "nama_ibu_kandung": rng.choice(WOMEN) + " " + rng.choice(SURNAMES),
                "pendidikan": "SD/sederajat",
                "status_sekolah": "Tidak sekolah lagi",
                "pekerjaan": "Buruh Harian Lepas" if member == 0 else "Mengurus Rumah Tangga",
                "status_pekerjaan": "Pekerja bebas" if member == 0 else "Tidak bekerja",
                "disabilitas": "",
                "hamil": "0",
                "alamat": f"Kp. Pasir {family_no}",
                "rt": f"{rng.randint(1, 9):03d}",
                "rw": f"{rng.randint(1, 5):03d}",
                "kode_kelurahan": code,
                "nama_kelurahan": kel_name,
                "kode_kecamatan": code[:8],
                "nama_kecamatan": kec_name,
                "kode_kabkota": "36.73",
                "nama_kabkota": "Kota Serang",
                "desil": str(desil),
                "miskin_ekstrem": "1" if desil == 1 else "0",
                "status_kepemilikan_rumah": "Milik sendiri",
                "jenis_lantai": "Semen/bata merah",
                "jenis_dinding": "Tembok diplester",
                "jenis_atap": "Genteng",
                "fasilitas_bab": "Sendiri",
                "sumber_air_minum": "Sumur bor/pompa",
                "daya_listrik": "PLN 450 VA",
                **{name: str(value) for name, value in zip(CRITERIA, criteria, strict=True)},
                "jumlah_kriteria": str(sum(criteria)),
                "status_art": status,
                "tanggal_status": "2025-03-14" if status == "meninggal" else "",
            }
            lines.append(",".join(row[c] for c in columns))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------------------------------
# P3KE (messy XLSX)
# --------------------------------------------------------------------------------------------------

P3KE_HEADER = [
    "No", "ID Keluarga P3KE", "Provinsi", "Kabupaten/Kota", "Kecamatan", "Desa/Kelurahan", "Alamat",
    "Desil Kesejahteraan", "Status Kemiskinan Ekstrem", "No. KK", "NIK", "Nama", "Jenis Kelamin",
    "Tanggal Lahir", "Hubungan Keluarga", "Pekerjaan", "Status Individu",
]  # fmt: skip
HEADER_LINE = 13
# Line 17's NIK after Excel kept 15 significant digits.
_LOST_NIK = float(compose_nik("367301", dt.date(2010, 8, 17), "L", 203)[:15] + "0")
#: Expected issue codes by sheet line (errors and the warnings that matter); every other data line
#: is clean. Line 14 is the "(1) (2) ..." numbering row and line 30 is blank: neither is data.
P3KE_EXPECTED: dict[int, set[str]] = {
    15: set(),
    16: set(),
    17: {"nik.excel_float"},  # stored as 3.6730117081002E+15
    18: {"kk.excel_trailing_zero"},
    19: {"kk.excel_trailing_zero"},
    20: {"nik.length"},  # warning only: the row is kept
    21: {"nik.excel_scientific"},
    22: set(),  # meninggal
    23: set(),
    24: {"nik.duplicate_in_file"},  # same NIK as line 15
    25: {"name.missing"},
    26: {"nik.empty"},  # warning only
    27: set(),  # Sukawana, told apart by the kecamatan
    28: {"kelurahan_code.unknown"},
    29: {"kelurahan_code.outside_region"},
    31: {"birth_date.invalid"},
    32: {"birth_date.invalid"},
}
P3KE_WARNING_ONLY = {20, 26}


def _p3ke_rows() -> list[list[object]]:
    """The data rows (from sheet line 15), with the faults of ``P3KE_EXPECTED``."""

    def nik(kec: str, born: dt.date, sex: str, serial: int) -> str:
        return compose_nik(kec, born, sex, serial)

    kk_a = _kk("367301", dt.date(2016, 5, 12), 21)
    kk_b = _kk("367301", dt.date(2017, 6, 13), 22)
    kk_c = _kk("367301", dt.date(2018, 7, 14), 23)
    kk_d = _kk("367301", dt.date(2019, 8, 15), 24)
    kk_e = _kk("367301", dt.date(2020, 9, 16), 25)
    kk_f = _kk("367302", dt.date(2021, 10, 17), 26)
    kk_g = _kk("367303", dt.date(2022, 11, 18), 27)
    kk_h = _kk("367305", dt.date(2023, 12, 19), 28)
    head_a = nik("367301", dt.date(1985, 8, 17), "L", 201)
    lost = _LOST_NIK
    kk_b_lost = int(kk_b[:15] + "0")
    rows: list[list[object]] = [
        # line 15-17: family A, kelurahan by name, dates as text in three forms
        ["1", "P3KE-367301-0001", "BANTEN", "KOTA SERANG", "SERANG", "SUMUR PECUNG", "KP. KALODRAN RT 01/02",
         1, "Ya", kk_a, head_a, "JAJANG SUPRIATNA", "Laki-laki", "17-08-1985", "Kepala Keluarga",
         "BURUH HARIAN LEPAS", "Hidup"],
        ["2", "P3KE-367301-0001", "BANTEN", "KOTA SERANG", "SERANG", "SUMUR PECUNG", "KP. KALODRAN RT 01/02",
         1, "Ya", kk_a, nik("367301", dt.date(1988, 3, 5), "P", 202), "ENOK NURHASANAH", "Perempuan",
         "05/03/88", "Istri", "MENGURUS RUMAH TANGGA", "Hidup"],
        ["3", "P3KE-367301-0001", "BANTEN", "KOTA SERANG", "SERANG", "SUMUR PECUNG", "KP. KALODRAN RT 01/02",
         1, "Ya", kk_a, lost, "RIZKI HIDAYAT", "Laki-laki", "17 Agustus 2010", "Anak", "PELAJAR", "Hidup"],
        # line 18-19: family B, kelurahan by code, KK typed as a number, Excel serial and real date cells
        ["4", "P3KE-367301-0002", "BANTEN", "KOTA SERANG", "SERANG", "36.73.01.1002", "LINK. CIPARE",
         2, "Tidak", kk_b_lost, nik("367301", dt.date(1979, 5, 25), "L", 204), "DEDI MULYANA", "L",
         29000, "Kepala Keluarga", "PEDAGANG", "Hidup"],
        ["5", "P3KE-367301-0002", "BANTEN", "KOTA SERANG", "SERANG", "36.73.01.1002", "LINK. CIPARE",
         2, "Tidak", kk_b_lost, nik("367301", dt.date(1982, 1, 9), "P", 205), "SITI JUHAENI", "P",
         dt.datetime(1982, 1, 9), "Istri", "MENGURUS RUMAH TANGGA", "Hidup"],
        # line 20-22: family C, plain code; a 15-digit NIK, a NIK in scientific notation, a dead person
        ["6", "P3KE-367301-0003", "BANTEN", "KOTA SERANG", "SERANG", "3673011005", "KP. LOPANG GEDE",
         1, "Ya", kk_c, nik("367301", dt.date(1985, 8, 17), "L", 206)[:15], "HERMAN KURNIAWAN", "Laki-laki",
         "1985-08-17", "Kepala Keluarga", "TIDAK BEKERJA", "Hidup"],
        ["7", "P3KE-367301-0003", "BANTEN", "KOTA SERANG", "SERANG", "3673011005", "KP. LOPANG GEDE",
         1, "Ya", kk_c, "3,67301E+15", "NENG RATNA", "Perempuan", "17 Agt 1990", "Anak", "-", "Hidup"],
        ["8", "P3KE-367301-0003", "BANTEN", "KOTA SERANG", "SERANG", "3673011005", "KP. LOPANG GEDE",
         1, "Ya", kk_c, nik("367301", dt.date(1950, 8, 17), "P", 208), "UMI KALSUM", "Perempuan",
         "17 Ags 1950", "Orang Tua", "-", "Meninggal"],
        # line 23-26: family D, kelurahan name with a prefix; duplicate NIK, no name, no NIK
        ["9", "P3KE-367301-0004", "BANTEN", "KOTA SERANG", "SERANG", "Kel. Kaligandu", "KP. KALIGANDU",
         3, "Tidak", kk_d, nik("367301", dt.date(1975, 8, 17), "L", 209), "UJANG SAEPUDIN", "Laki-laki",
         "17.08.1975", "Kepala Keluarga", "PETANI", "Hidup"],
        ["10", "P3KE-367301-0004", "BANTEN", "KOTA SERANG", "SERANG", "Kel. Kaligandu", "KP. KALIGANDU",
         3, "Tidak", kk_d, head_a, "JAJANG SUPRIATNA", "Laki-laki", "17-08-1985", "Famili Lain",
         "BURUH HARIAN LEPAS", "Hidup"],
        ["11", "P3KE-367301-0004", "BANTEN", "KOTA SERANG", "SERANG", "Kel. Kaligandu", "KP. KALIGANDU",
         3, "Tidak", kk_d, nik("367301", dt.date(2012, 2, 2), "P", 211), None, "Perempuan",
         "02-02-2012", "Anak", "PELAJAR", "Hidup"],
        ["12", "P3KE-367301-0004", "BANTEN", "KOTA SERANG", "SERANG", "Kel. Kaligandu", "KP. KALIGANDU",
         3, "Tidak", kk_d, None, "AAT RAHMAT", "Perempuan", "03-03-2014", "Anak", "PELAJAR", "Hidup"],
        # line 27: Sukawana exists in Kec. Serang and Kec. Curug: the kecamatan decides
        ["13", "P3KE-367301-0005", "BANTEN", "KOTA SERANG", "SERANG", "SUKAWANA", "KP. SUKAWANA",
         2, "Tidak", kk_e, nik("367301", dt.date(1980, 8, 17), "L", 212), "BUDI RAHMAT", "Laki-laki",
         "17 August 1980", "Kepala Keluarga", "OJEK", "Hidup"],
        # line 28: unknown kelurahan; line 29: a kelurahan of Kabupaten Serang (outside Kota Serang)
        ["14", "P3KE-367302-0006", "BANTEN", "KOTA SERANG", "KASEMEN", "ANTAH BERANTAH", "KP. ENTAH",
         1, "Ya", kk_f, nik("367302", dt.date(1970, 1, 1), "L", 213), "IWAN HIDAYAT", "Laki-laki",
         "01-01-1970", "Kepala Keluarga", "NELAYAN", "Hidup"],
        ["15", "P3KE-367303-0007", "BANTEN", "KOTA SERANG", "WALANTAKA", "36.04.05.2001", "KP. LUAR",
         2, "Tidak", kk_g, nik("367303", dt.date(1972, 2, 2), "L", 214), "RUDI MULYANA", "Laki-laki",
         "02-02-1972", "Kepala Keluarga", "SOPIR", "Hidup"],
        # line 30: blank; line 31-32: impossible dates
        [None] * len(P3KE_HEADER),
        ["16", "P3KE-367305-0008", "BANTEN", "KOTA SERANG", "CIPOCOK JAYA", "KARUNDANG", "KP. KARUNDANG",
         4, "Tidak", kk_h, nik("367305", dt.date(1985, 2, 28), "L", 215), "SUKMA HIDAYAT", "Laki-laki",
         "31-02-1985", "Kepala Keluarga", "WIRASWASTA", "Hidup"],
        ["17", "P3KE-367305-0008", "BANTEN", "KOTA SERANG", "CIPOCOK JAYA", "KARUNDANG", "KP. KARUNDANG",
         4, "Tidak", kk_h, nik("367305", dt.date(1990, 12, 25), "P", 216), "DEWI RATNA", "Perempuan",
         "12/25/1990", "Istri", "MENGURUS RUMAH TANGGA", "Hidup"],
    ]  # fmt: skip
    return rows


def make_p3ke(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "P3KE"
    ws["A1"] = "DATA PENSASARAN PERCEPATAN PENGHAPUSAN KEMISKINAN EKSTREM (P3KE)"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "KEMENTERIAN KOORDINATOR BIDANG PEMBANGUNAN MANUSIA DAN KEBUDAYAAN"
    ws["A4"], ws["C4"] = "Provinsi", ": BANTEN"
    ws["A5"], ws["C5"] = "Kabupaten/Kota", ": KOTA SERANG"
    ws["A6"], ws["C6"] = "Kecamatan", ": SERANG, KASEMEN, WALANTAKA, CIPOCOK JAYA"
    ws["A7"], ws["C7"] = "Sumber", ": Kemenko PMK (contoh rekaan untuk pengujian)"
    ws["A8"], ws["C8"] = "Tanggal unduh", dt.datetime(2025, 11, 3, 9, 30)
    ws["A10"] = "RAHASIA - data pribadi (UU 27/2022 tentang Pelindungan Data Pribadi)"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, title in enumerate(P3KE_HEADER, start=1):
        cell = ws.cell(row=HEADER_LINE, column=col, value=title)
        cell.font = Font(bold=True)
        cell.border = border
        ws.cell(row=HEADER_LINE + 1, column=col, value=f"({col})").border = border
    for offset, values in enumerate(_p3ke_rows()):
        line = HEADER_LINE + 2 + offset
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=line, column=col, value=value)
            cell.border = border
            if isinstance(value, str) and P3KE_HEADER[col - 1] in ("NIK", "No. KK"):
                cell.number_format = "@"
            if isinstance(value, dt.datetime):
                cell.number_format = "DD/MM/YYYY"
    last = HEADER_LINE + 2 + len(_p3ke_rows())
    for line in range(last, last + 5):  # formatted but empty rows after the table
        for col in range(1, len(P3KE_HEADER) + 1):
            ws.cell(row=line, column=col).border = border
    wb.properties.creator = "padu fixtures"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    buffer = io.BytesIO()
    wb.save(buffer)
    # Excel writes a big number in scientific form; openpyxl writes the integer. Make line 17 read
    # like a real Excel file: a float whose 16th digit is gone.
    lost = f"{_LOST_NIK:.13E}"
    sheet = {f"<v>{int(_LOST_NIK)}</v>".encode(): f"<v>{lost}</v>".encode()}
    path.write_bytes(_deterministic_zip(buffer.getvalue(), {"xl/worksheets/sheet1.xml": sheet}))


def _deterministic_zip(data: bytes, patches: dict[str, dict[bytes, bytes]]) -> bytes:
    """The same archive with fixed member timestamps (openpyxl stamps the current time), patched."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            for old, new in patches.get(info.filename, {}).items():
                assert old in body, old
                body = body.replace(old, new)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time
                stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, body)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, body)
    return out.getvalue()


# --------------------------------------------------------------------------------------------------
# DTKS (old CSV, ; and cp1252)
# --------------------------------------------------------------------------------------------------

DTKS_HEADER = [
    "IDDTKS", "NOMOR_KK", "NOMOR_NIK", "NAMA", "TEMPAT_LAHIR", "TGL_LAHIR", "JNS_KEL", "NAMA_IBU_KANDUNG",
    "HUBUNGAN_KELUARGA", "ALAMAT", "RT", "RW", "KELURAHAN", "KECAMATAN", "TAHUN_DATA",
]  # fmt: skip


def make_dtks(path: Path) -> None:
    rows: list[list[str]] = []
    families = [
        ("3673010000001", "367301", "CIMUNCANG", "SERANG", "JL. KH. ABDUL HADI – GG. MASJID", "1", "3"),
        ("3673020000002", "367302", "KASEMEN", "KASEMEN", "KP. BANTEN LAMA “PESISIR”", "4", "2"),
        ("3673060000003", "367306", "SAYAR", "TAKTAKAN", "LINK. SAYAR GIRANG", "02", "01"),
    ]
    people = [
        # (family index, name, sex 1/2, born, relationship, mother)
        (0, "AHMAD SAEPUDIN", "1", dt.date(1971, 4, 12), "KEPALA RUMAH TANGGA", "SITI AMINAH"),
        (0, "NUR’AINI", "2", dt.date(1975, 9, 30), "ISTRI/SUAMI", "ROHAYATI"),
        (0, "MUHAMAD FA’IZ", "1", dt.date(2001, 1, 15), "ANAK", "NUR’AINI"),
        (1, "ENDANG SUPRIATNA", "1", dt.date(1966, 6, 1), "KEPALA RUMAH TANGGA", "ENOK"),
        (1, "YAYAH JUHAENI", "2", dt.date(1968, 12, 24), "ISTRI/SUAMI", "IIS"),
        (1, "RENÉ HIDAYAT", "1", dt.date(1995, 7, 7), "ANAK", "YAYAH JUHAENI"),
        (1, "CUCU ROHAYATI", "2", dt.date(2019, 3, 3), "CUCU", "DEWI"),
        (2, "SUKMA MULYANA", "1", dt.date(1980, 10, 10), "KEPALA RUMAH TANGGA", "ELI"),
        (2, "DEWI NURHASANAH", "2", dt.date(1984, 2, 29), "ISTRI/SUAMI", "AAT"),
        (2, "ELI RATNA", "2", dt.date(2010, 11, 11), "ANAK", "DEWI NURHASANAH"),
    ]
    for serial, (fam, name, sex, born, relation, mother) in enumerate(people, start=301):
        iddtks, kec, kel, kecamatan, address, rt, rw = families[fam]
        kk = _kk(kec, dt.date(2014, 1 + fam, 10), 40 + fam)
        nik = compose_nik(kec, born, "L" if sex == "1" else "P", serial)
        rows.append(
            [iddtks, kk, nik, name, "SERANG", born.strftime("%d/%m/%Y"), sex, mother, relation, address,
             rt, rw, kel, kecamatan, "2021"]
        )  # fmt: skip
    text = "\r\n".join(";".join(r) for r in [DTKS_HEADER, *rows]) + "\r\n"
    path.write_bytes(text.encode("cp1252"))


def main() -> None:
    make_dtsen(HERE / "dtsen_clean.csv")
    make_p3ke(HERE / "p3ke_messy.xlsx")
    make_dtks(HERE / "dtks_old.csv")


if __name__ == "__main__":
    main()
