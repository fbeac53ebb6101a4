"""The twelve programmes whose beneficiary lists the synthetic city's OPD send, described as data.

Each :class:`Programme` says who runs and pays for it, who is eligible (a list of conditions a targeting
module can read from ``manifest.json``), how much of the eligible population it reaches, and how the OPD
writes its list: file name, CSV or XLSX, delimiter, title rows above the header, column names, date format,
whether names are in capitals and whether NIK sits in numeric Excel cells.

Benefit values are the commonly reported amounts (PBI Rp42,000/person/month per Perpres 64/2020, Program
Sembako Rp200,000/month, BLT Rp300,000/month, PIP by school level, BSPS-style Rp20 million per house);
the city programmes' values are invented for the synthetic city. Treat them as illustrative.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Fields a condition may test, and what they mean (also written to the manifest).
FIELDS: dict[str, str] = {
    "status": "status_art of the person (family programmes: of the recipient): aktif, meninggal, pindah",
    "desil": "family welfare decile 1-10 (registry column desil)",
    "extreme_poor": "family flagged miskin ekstrem",
    "pkh_component": "family has a PKH component: child < 6, pupil <= 21, pregnant woman, person >= 70 "
    "or a person with a disability",
    "house_owned": "status_kepemilikan_rumah is Milik sendiri",
    "house_unfit": "earth floor, or wall of bamboo/board/zinc/tarp, or roof of zinc/bamboo/thatch/shingle",
    "n_criteria": "number of the 8 Kepmensos 262/HUK/2022 criteria met (jumlah_kriteria)",
    "age": "age in whole years at the reference date",
    "age_months": "age in whole months at the reference date",
    "in_school": "status_sekolah is Masih sekolah",
    "occupation": "pekerjaan",
    "employment": "status_pekerjaan",
    "disability": "has any disabilitas",
    "relationship": "hubungan_keluarga",
}

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
    "in": lambda a, b: a in b,
    "not_in": lambda a, b: a not in b,
    "between": lambda a, b: b[0] <= a <= b[1],
}

# Conditions on these fields are what a "graduated" (now mampu) family fails.
WELFARE_FIELDS = frozenset({"desil", "extreme_poor"})


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Any

    def test(self, ctx: Mapping[str, Any]) -> bool:
        return _OPS[self.op](ctx[self.field], self.value)

    def as_dict(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple | frozenset) else self.value
        return {"field": self.field, "op": self.op, "value": value}


def C(field: str, op: str, value: Any) -> Condition:
    if field not in FIELDS or op not in _OPS:
        raise ValueError(f"unknown field/op in rule: {field} {op}")
    return Condition(field, op, value)


AKTIF = C("status", "==", "aktif")


@dataclass(frozen=True)
class Programme:
    code: str
    name: str
    opd_code: str
    opd: str
    unit: str  # "family" (one row per family: the recipient/pengurus) or "person"
    funding: str  # APBN, APBD Kota, APBD Provinsi, Dana Kelurahan
    strategy: str  # Inpres 4/2022 strategy: pengurangan_beban, peningkatan_pendapatan, kantong_kemiskinan
    benefit_value_rp: int
    benefit_unit: str
    benefit_frequency: str
    eligibility: tuple[Condition, ...]
    targeting: str  # "entitlement" (every eligible unit should get it) or "quota"
    coverage: float  # chance an eligible unit is on the list (scaled by desil)
    file_name: str
    format: str  # "csv" or "xlsx"
    columns: tuple[tuple[str, str], ...]  # (header in the file, canonical field)
    recipient: str = "person"  # family programmes: "mother" (ibu/pengurus perempuan) or "head"
    exclusive_of: tuple[str, ...] = ()
    delimiter: str = ","
    encoding: str = "utf-8"
    sheet_name: str = "Sheet1"
    title_rows: tuple[str, ...] = ()
    date_format: str = "%d-%m-%Y"  # strftime pattern, "id_long" (17 Agustus 1985) or "excel" (date cells)
    name_case: str = "upper"  # "upper" or "title"
    sex_style: str = "L/P"  # "L/P" or "long" (LAKI-LAKI / PEREMPUAN)
    nik_numeric: bool = False  # NIK typed into numeric Excel cells: 15 significant digits survive
    fault_overrides: Mapping[str, float] = field(default_factory=dict)
    description: str = ""

    def metadata(self, fmt: str) -> dict[str, Any]:
        """The programme as written to manifest.json (``fmt``: the format actually written)."""
        header_row = len(self.title_rows) + (1 if self.title_rows else 0) + 1 if fmt == "xlsx" else 1
        mapping: dict[str, str] = {}
        for header, fld in self.columns:
            mapping.setdefault(fld, header)
        return {
            "code": self.code,
            "name": self.name,
            "opd_code": self.opd_code,
            "opd": self.opd,
            "unit": self.unit,
            "recipient": self.recipient if self.unit == "family" else "person",
            "funding_source": self.funding,
            "strategy": self.strategy,
            "benefit_value_rp": self.benefit_value_rp,
            "benefit_unit": self.benefit_unit,
            "benefit_frequency": self.benefit_frequency,
            "eligibility": [c.as_dict() for c in self.eligibility],
            "exclusive_of": list(self.exclusive_of),
            "targeting": self.targeting,
            "coverage": self.coverage,
            "file": f"lists/{self.file_name}.{fmt}",
            "format": fmt,
            "declared_format": self.format,
            "delimiter": self.delimiter if fmt == "csv" else None,
            "encoding": self.encoding if fmt == "csv" else None,
            "sheet_name": self.sheet_name if fmt == "xlsx" else None,
            "title_rows": list(self.title_rows) if fmt == "xlsx" else [],
            "header_row": header_row,
            "date_format": ("%Y-%m-%d" if fmt == "csv" and self.date_format == "excel" else self.date_format),
            "name_case": self.name_case,
            "sex_style": self.sex_style,
            "nik_numeric": self.nik_numeric,
            "columns": [h for h, _ in self.columns],
            "column_mapping": mapping,
            "description": self.description,
        }


SCHOOL_BENEFIT = {"SD/sederajat": 450_000, "SMP/sederajat": 750_000, "SMA/sederajat": 1_800_000}

PROGRAMMES: tuple[Programme, ...] = (
    Programme(
        code="pkh",
        name="Program Keluarga Harapan (PKH)",
        opd_code="dinsos",
        opd="Dinas Sosial",
        unit="family",
        recipient="mother",
        funding="APBN",
        strategy="pengurangan_beban",
        benefit_value_rp=2_400_000,
        benefit_unit="keluarga",
        benefit_frequency="per tahun, 4 tahap (per komponen)",
        eligibility=(AKTIF, C("desil", "<=", 3), C("pkh_component", "==", True)),
        targeting="entitlement",
        coverage=0.70,
        file_name="PKH_TAHAP_II_2025_KOTA_SERANG",
        format="xlsx",
        sheet_name="KPM PKH",
        title_rows=("DAFTAR KELUARGA PENERIMA MANFAAT (KPM) PKH", "KOTA SERANG - TAHAP II TAHUN 2025"),
        date_format="excel",
        name_case="upper",
        columns=(
            ("NO", "no"),
            ("NAMA PENGURUS", "name"),
            ("NIK", "nik"),
            ("NO KK", "kk"),
            ("TGL LAHIR", "birth_date"),
            ("ALAMAT", "address"),
            ("RT", "rt"),
            ("RW", "rw"),
            ("KELURAHAN", "kelurahan"),
            ("KECAMATAN", "kecamatan"),
            ("KOMPONEN", "component"),
            ("NOMINAL", "nominal"),
        ),
        description="Bantuan tunai bersyarat; pengurus = ibu/perempuan dewasa keluarga.",
    ),
    Programme(
        code="bpnt",
        name="Program Sembako / BPNT",
        opd_code="dinsos",
        opd="Dinas Sosial",
        unit="family",
        recipient="head",
        funding="APBN",
        strategy="pengurangan_beban",
        benefit_value_rp=200_000,
        benefit_unit="keluarga",
        benefit_frequency="bulanan",
        eligibility=(AKTIF, C("desil", "<=", 4)),
        targeting="entitlement",
        coverage=0.70,
        file_name="data_kpm_sembako_juni_2025",
        format="csv",
        delimiter=";",
        date_format="%d/%m/%y",
        name_case="upper",
        columns=(
            ("No", "no"),
            ("Nama KPM", "name"),
            ("NIK KPM", "nik"),
            ("No KK", "kk"),
            ("Tgl Lahir", "birth_date"),
            ("Alamat", "address_rt_rw"),
            ("Desa/Kelurahan", "kelurahan"),
            ("Kecamatan", "kecamatan"),
        ),
        description="Bantuan pangan non-tunai per keluarga (ekspor SIKS-NG, pemisah titik koma).",
    ),
    Programme(
        code="pbi_jk",
        name="PBI Jaminan Kesehatan (APBN)",
        opd_code="dinsos",
        opd="Dinas Sosial",
        unit="person",
        funding="APBN",
        strategy="pengurangan_beban",
        benefit_value_rp=42_000,
        benefit_unit="jiwa",
        benefit_frequency="bulanan (iuran JKN)",
        eligibility=(AKTIF, C("desil", "<=", 4)),
        targeting="entitlement",
        coverage=0.80,
        file_name="PBI_JK_APBN_KOTA_SERANG_2025",
        format="csv",
        date_format="%d-%m-%Y",
        name_case="upper",
        columns=(
            ("NOKA", "noka"),
            ("NIK", "nik"),
            ("NAMA", "name"),
            ("TGL_LAHIR", "birth_date"),
            ("JENIS_KELAMIN", "sex"),
            ("KD_KEL", "kelurahan_code"),
            ("NAMA_KEL", "kelurahan"),
            ("ALAMAT", "address"),
        ),
        description="Peserta PBI-JK yang iurannya dibayar APBN (data BPJS Kesehatan).",
    ),
    Programme(
        code="pbi_apbd",
        name="PBI APBD Kota Serang (Jamkesda)",
        opd_code="dinkes",
        opd="Dinas Kesehatan",
        unit="person",
        funding="APBD Kota",
        strategy="pengurangan_beban",
        benefit_value_rp=42_000,
        benefit_unit="jiwa",
        benefit_frequency="bulanan (iuran JKN)",
        eligibility=(AKTIF, C("desil", "<=", 5)),
        exclusive_of=("pbi_jk",),
        targeting="entitlement",
        coverage=0.50,
        file_name="Peserta_PBI_APBD_Kota_Serang_2025",
        format="xlsx",
        sheet_name="Peserta",
        date_format="%d/%m/%Y",
        name_case="title",
        nik_numeric=True,
        sex_style="long",
        columns=(
            ("No", "no"),
            ("No. KTP", "nik"),
            ("Nama Peserta", "name"),
            ("Jenis Kelamin", "sex"),
            ("Tanggal Lahir", "birth_date"),
            ("Alamat", "address_rt_rw"),
            ("Kelurahan", "kelurahan"),
            ("Kecamatan", "kecamatan"),
            ("Faskes Tingkat I", "faskes"),
        ),
        description="Iuran JKN dibayar APBD bagi warga miskin/rentan yang bukan PBI APBN. NIK diketik "
        "di sel angka Excel (hanya 15 digit bermakna yang tersisa).",
    ),
    Programme(
        code="pip",
        name="Program Indonesia Pintar (PIP)",
        opd_code="dindikbud",
        opd="Dinas Pendidikan dan Kebudayaan",
        unit="person",
        funding="APBN",
        strategy="pengurangan_beban",
        benefit_value_rp=450_000,
        benefit_unit="siswa",
        benefit_frequency="per tahun (SD 450.000, SMP 750.000, SMA/SMK 1.800.000)",
        eligibility=(AKTIF, C("desil", "<=", 4), C("age", "between", (6, 21)), C("in_school", "==", True)),
        targeting="entitlement",
        coverage=0.60,
        file_name="pip_penerima_2025",
        format="xlsx",
        sheet_name="Penerima PIP",
        date_format="id_long",
        name_case="upper",
        columns=(
            ("NISN", "nisn"),
            ("Nama Siswa", "name"),
            ("NIK", "nik"),
            ("Jenis Kelamin", "sex"),
            ("Tempat Lahir", "birth_place"),
            ("Tanggal Lahir", "birth_date"),
            ("Nama Ibu Kandung", "mother_name"),
            ("Nama Sekolah", "school"),
            ("Jenjang", "level"),
            ("Kelas", "grade"),
            ("Nominal", "nominal"),
        ),
        description="Bantuan tunai pendidikan bagi siswa 6-21 tahun dari keluarga miskin/rentan.",
    ),
    Programme(
        code="rtlh",
        name="Bantuan Rumah Tidak Layak Huni (Bedah Rumah)",
        opd_code="perkim",
        opd="Dinas Perumahan dan Kawasan Permukiman",
        unit="family",
        recipient="head",
        funding="APBD Kota",
        strategy="kantong_kemiskinan",
        benefit_value_rp=20_000_000,
        benefit_unit="rumah",
        benefit_frequency="sekali",
        eligibility=(
            AKTIF,
            C("desil", "<=", 4),
            C("house_owned", "==", True),
            C("house_unfit", "==", True),
        ),
        targeting="quota",
        coverage=0.06,
        file_name="RTLH_2025_Perkim",
        format="xlsx",
        sheet_name="RTLH 2025",
        title_rows=(
            "DAFTAR PENERIMA BANTUAN PENINGKATAN KUALITAS RUMAH TIDAK LAYAK HUNI",
            "DINAS PERUMAHAN DAN KAWASAN PERMUKIMAN KOTA SERANG",
            "TAHUN ANGGARAN 2025",
        ),
        name_case="upper",
        columns=(
            ("No", "no"),
            ("Nama Penerima", "name"),
            ("NIK", "nik"),
            ("Alamat Lengkap", "address_rt_rw"),
            ("Kelurahan", "kelurahan"),
            ("Kecamatan", "kecamatan"),
            ("Kondisi Rumah", "house_condition"),
            ("Nilai Bantuan (Rp)", "nominal"),
        ),
        description="Perbaikan rumah tidak layak huni milik sendiri; daftar tanpa tanggal lahir.",
    ),
    Programme(
        code="beasiswa_kota",
        name="Beasiswa Kota Serang",
        opd_code="dindikbud",
        opd="Dinas Pendidikan dan Kebudayaan",
        unit="person",
        funding="APBD Kota",
        strategy="pengurangan_beban",
        benefit_value_rp=3_000_000,
        benefit_unit="siswa/mahasiswa",
        benefit_frequency="per tahun",
        eligibility=(AKTIF, C("desil", "<=", 5), C("age", "between", (15, 23)), C("in_school", "==", True)),
        targeting="quota",
        coverage=0.10,
        file_name="beasiswa_kota_serang_2025",
        format="csv",
        date_format="%Y-%m-%d",
        name_case="title",
        columns=(
            ("no", "no"),
            ("nama_penerima", "name"),
            ("nik_penerima", "nik"),
            ("tgl_lahir", "birth_date"),
            ("jenis_kelamin", "sex"),
            ("sekolah_kampus", "school"),
            ("alamat", "address_rt_rw"),
            ("kelurahan", "kelurahan"),
        ),
        description="Beasiswa daerah bagi pelajar SMA/SMK dan mahasiswa dari keluarga kurang mampu.",
    ),
    Programme(
        code="wirausaha",
        name="Pelatihan Wirausaha",
        opd_code="disnaker",
        opd="Dinas Tenaga Kerja",
        unit="person",
        funding="APBD Kota",
        strategy="peningkatan_pendapatan",
        benefit_value_rp=2_500_000,
        benefit_unit="peserta",
        benefit_frequency="sekali (pelatihan + starter kit)",
        eligibility=(
            AKTIF,
            C("desil", "<=", 6),
            C("age", "between", (18, 55)),
            C("employment", "in", ("Tidak bekerja", "Pekerja bebas")),
            C("occupation", "not_in", ("Pelajar/Mahasiswa", "Mengurus Rumah Tangga")),
        ),
        targeting="quota",
        coverage=0.03,
        file_name="peserta_pelatihan_wirausaha_2025",
        format="xlsx",
        sheet_name="Peserta",
        title_rows=("DAFTAR PESERTA PELATIHAN KEWIRAUSAHAAN", "DINAS TENAGA KERJA KOTA SERANG 2025"),
        date_format="%d-%m-%Y",
        name_case="title",
        columns=(
            ("No", "no"),
            ("Nama Lengkap", "name"),
            ("NIK", "nik"),
            ("Tempat, Tgl Lahir", "ttl"),
            ("L/P", "sex"),
            ("Alamat", "address_rt_rw"),
            ("Kelurahan", "kelurahan"),
            ("Kecamatan", "kecamatan"),
            ("No. HP", "phone"),
            ("Jenis Pelatihan", "training"),
        ),
        description="Pelatihan keterampilan usaha bagi penganggur dan pekerja bebas.",
    ),
    Programme(
        code="umkm",
        name="Bantuan Modal Usaha Mikro (UMKM)",
        opd_code="disperindagkop",
        opd="Dinas Koperasi, UKM, Perindustrian dan Perdagangan",
        unit="person",
        funding="APBD Kota",
        strategy="peningkatan_pendapatan",
        benefit_value_rp=1_200_000,
        benefit_unit="pelaku usaha",
        benefit_frequency="sekali",
        eligibility=(
            AKTIF,
            C("desil", "<=", 6),
            C("age", "between", (18, 65)),
            C("occupation", "in", ("Pedagang", "Wiraswasta")),
        ),
        targeting="quota",
        coverage=0.06,
        file_name="bantuan_modal_umkm_2025",
        format="csv",
        date_format="%d-%m-%Y",
        name_case="upper",
        columns=(
            ("No", "no"),
            ("Nama Pemilik Usaha", "name"),
            ("No. KTP", "nik"),
            ("Tgl Lahir", "birth_date"),
            ("Jenis Usaha", "business"),
            ("Alamat Usaha", "address_rt_rw"),
            ("Kelurahan", "kelurahan"),
            ("Kecamatan", "kecamatan"),
            ("No HP", "phone"),
        ),
        description="Hibah modal usaha bagi pedagang dan wiraswasta mikro.",
    ),
    Programme(
        code="blt",
        name="BLT Kelurahan",
        opd_code="dinsos",
        opd="Dinas Sosial (melalui kelurahan)",
        unit="family",
        recipient="head",
        funding="Dana Kelurahan",
        strategy="pengurangan_beban",
        benefit_value_rp=300_000,
        benefit_unit="keluarga",
        benefit_frequency="bulanan",
        eligibility=(AKTIF, C("desil", "<=", 2)),
        exclusive_of=("pkh", "bpnt"),
        targeting="entitlement",
        coverage=0.75,
        file_name="BLT_Kelurahan_2025",
        format="xlsx",
        sheet_name="BLT",
        title_rows=("REKAPITULASI PENERIMA BLT DANA KELURAHAN TAHUN 2025",),
        date_format="excel",
        name_case="upper",
        columns=(
            ("No", "no"),
            ("Nama KPM", "name"),
            ("NIK", "nik"),
            ("Tgl Lahir", "birth_date"),
            ("Alamat", "address"),
            ("RT", "rt"),
            ("RW", "rw"),
            ("Kelurahan", "kelurahan"),
            ("Keterangan", "note"),
        ),
        description="Bantuan langsung tunai bagi keluarga miskin yang tidak menerima PKH/Sembako.",
    ),
    Programme(
        code="pmt_balita",
        name="PMT Balita (Pemberian Makanan Tambahan)",
        opd_code="dinkes",
        opd="Dinas Kesehatan",
        unit="person",
        funding="APBD Kota",
        strategy="pengurangan_beban",
        benefit_value_rp=15_000,
        benefit_unit="balita",
        benefit_frequency="harian selama 90 hari",
        eligibility=(AKTIF, C("desil", "<=", 4), C("age_months", "between", (6, 59))),
        targeting="entitlement",
        coverage=0.50,
        file_name="pmt_balita_2025",
        format="xlsx",
        sheet_name="Sasaran PMT",
        date_format="%d/%m/%Y",
        name_case="upper",
        fault_overrides={"nik_missing": 0.12},
        columns=(
            ("No", "no"),
            ("Nama Balita", "name"),
            ("NIK Balita", "nik"),
            ("Tgl Lahir", "birth_date"),
            ("JK", "sex"),
            ("Nama Ibu", "mother_name"),
            ("Posyandu", "posyandu"),
            ("Kelurahan", "kelurahan"),
            ("BB (kg)", "weight"),
            ("TB (cm)", "height"),
        ),
        description="Makanan tambahan bagi balita 6-59 bulan keluarga miskin (data posyandu; NIK balita "
        "sering kosong).",
    ),
    Programme(
        code="lansia",
        name="Bantuan Sosial Lanjut Usia",
        opd_code="dinsos",
        opd="Dinas Sosial",
        unit="person",
        funding="APBD Kota",
        strategy="pengurangan_beban",
        benefit_value_rp=300_000,
        benefit_unit="jiwa",
        benefit_frequency="bulanan",
        eligibility=(AKTIF, C("desil", "<=", 3), C("age", ">=", 60)),
        targeting="entitlement",
        coverage=0.40,
        file_name="bansos_lansia_2025",
        format="csv",
        encoding="utf-8-sig",
        date_format="id_long_upper",
        name_case="upper",
        columns=(
            ("NO", "no"),
            ("NAMA LANSIA", "name"),
            ("NIK", "nik"),
            ("TEMPAT/TGL LAHIR", "ttl"),
            ("UMUR", "age"),
            ("ALAMAT", "address_rt_rw"),
            ("KELURAHAN", "kelurahan"),
            ("KECAMATAN", "kecamatan"),
        ),
        description="Bantuan bulanan bagi lansia >= 60 tahun dari keluarga miskin (CSV dari Excel, BOM).",
    ),
)

BY_CODE: dict[str, Programme] = {p.code: p for p in PROGRAMMES}


def classify(programme: Programme, ctx: Mapping[str, Any]) -> str | None:
    """``eligible``; or why a unit that is not would still plausibly sit on a stale list:
    ``graduated`` (fails only the welfare conditions, desil >= 5), ``died`` / ``moved`` (fails only
    the status condition); ``None`` otherwise."""
    return _compiled(programme)(ctx)


_CLASSIFIERS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {}


def _compiled(programme: Programme) -> Callable[[Mapping[str, Any]], str | None]:
    fn = _CLASSIFIERS.get(programme.code)
    if fn is None:
        fn = _CLASSIFIERS[programme.code] = compile_classifier(programme.eligibility)
    return fn


def compile_classifier(conditions: tuple[Condition, ...]) -> Callable[[Mapping[str, Any]], str | None]:
    """A fast :func:`classify` for these conditions: the conditions that no stale-list fault can explain
    are tested first and end the test at the first failure."""
    hard = tuple(
        (c.field, _OPS[c.op], c.value)
        for c in conditions
        if c.field != "status" and c.field not in WELFARE_FIELDS
    )
    welfare = tuple((c.field, _OPS[c.op], c.value) for c in conditions if c.field in WELFARE_FIELDS)
    status = tuple((c.field, _OPS[c.op], c.value) for c in conditions if c.field == "status")

    def run(ctx: Mapping[str, Any]) -> str | None:
        for f, op, v in hard:
            if not op(ctx[f], v):
                return None
        welfare_ok = True
        for f, op, v in welfare:
            if not op(ctx[f], v):
                welfare_ok = False
                break
        status_ok = True
        for f, op, v in status:
            if not op(ctx[f], v):
                status_ok = False
                break
        if welfare_ok:
            if status_ok:
                return "eligible"
            return "died" if ctx["status"] == "meninggal" else "moved"
        if status_ok and ctx["desil"] >= 5 and ctx["status"] == "aktif":
            return "graduated"
        return None

    return run
