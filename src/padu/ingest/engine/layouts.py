"""Canonical fields, column aliases and layout detection for registry files. Django-free.

A registry file (DTSEN, P3KE, DTKS or a kelurahan's own sheet) has one row per person. Its column
headers are matched to the canonical :data:`FIELDS` through aliases, compared case-, space- and
punctuation-insensitively (``"No. KTP"`` = ``"no_ktp"`` = ``"NOKTP"``). When several columns match
one field, the alias listed first wins (``kode_kelurahan`` before ``nama_kelurahan``). A mapping an
operator saved earlier (``saved``) wins over the aliases.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from padu.ingest.engine.values import normalise_key

__all__ = [
    "CRITERIA_FIELDS",
    "FIELDS",
    "HOUSING_FIELDS",
    "LAYOUTS",
    "AliasIndex",
    "ColumnMapping",
    "FieldSpec",
    "column_signature",
    "detect_layout",
    "header_score",
    "is_known_header",
    "map_columns",
]

LAYOUTS = ("dtsen", "p3ke", "dtks")


@dataclass(frozen=True)
class FieldSpec:
    """A canonical target field.

    ``level`` says where the value lives in the registry: ``"person"`` (Person/Membership) or
    ``"family"`` (Family/WelfareRecord). ``required`` marks ``name``; the rule "NIK or KK" and
    "kelurahan unless a default is given" are checked by :func:`map_columns`.
    """

    name: str
    label_id: str
    label_en: str
    required: bool = False
    level: str = "person"
    group: str = "person"
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.label_id} / {self.label_en}"


def _f(
    name: str, label_id: str, label_en: str, *aliases: str, level: str = "person", group: str = "person"
) -> FieldSpec:
    return FieldSpec(name, label_id, label_en, name == "name", level, group, (name, *aliases))


_PERSON = (
    _f("person_id", "ID individu sumber", "Source person ID", "id_art", "ID ART", "ID Individu",
       "id_individu", "ID_ART_P3KE", "ID Anggota Keluarga", "id_anggota", "IDARTDTKS", "ID DTKS ART",
       group="identity"),
    _f("nik", "NIK", "NIK (national ID number)", "NIK", "No. KTP", "NOMOR_NIK", "nik_penerima", "No NIK",
       "Nomor NIK", "NIK ART", "nik_art", "Nomor Induk Kependudukan", "No KTP", "Nomor KTP", "NIK Anggota",
       group="identity"),
    _f("name", "Nama", "Name", "NAMA", "Nama Lengkap", "nama_art", "NAMA ART", "Nama Anggota Keluarga",
       "Nama Anggota", "nama_penerima", "Nama Individu", "Nama Penduduk", "NAMA_LENGKAP", group="identity"),
    _f("sex", "Jenis kelamin", "Sex", "JNS_KEL", "Jenis Kelamin", "jenis_kelamin", "JK", "L/P", "JENKEL",
       "Kelamin", "gender", "JNSKEL"),
    _f("birth_date", "Tanggal lahir", "Birth date", "TGL_LAHIR", "Tanggal Lahir", "tanggal_lahir",
       "TGL LAHIR", "Tgl. Lahir", "TANGGAL_LAHIR", "tgllahir", "DOB", "Tanggal Lahir (DD-MM-YYYY)"),
    _f("birth_place", "Tempat lahir", "Birth place", "TEMPAT_LAHIR", "Tempat Lahir", "tempat_lahir",
       "TMP_LAHIR", "TMPT_LAHIR", "Tmp. Lahir"),
    _f("relationship", "Hubungan keluarga", "Family relationship", "HUBUNGAN", "Hubungan Keluarga",
       "hubungan_keluarga", "hub_kk", "SHDK", "Hubungan dengan Kepala Keluarga", "HUB_KRT",
       "Hubungan dengan Kepala Rumah Tangga", "STATUS_HUBUNGAN", "Status Hubungan Dalam Keluarga",
       "HUBUNGAN_KELUARGA", "hub_keluarga"),
    _f("mother_name", "Nama ibu kandung", "Mother's name", "NAMA_IBU_KANDUNG", "Nama Ibu Kandung",
       "nama_ibu_kandung", "nama_ibu", "IBU_KANDUNG", "Nama Ibu"),
    _f("status", "Status individu", "Person status", "status_art", "STATUS", "Status Individu",
       "Status Anggota", "Keterangan Status", "status_individu", "STATUS_ART", "Keberadaan"),
    _f("status_date", "Tanggal status", "Status date", "tanggal_status", "TGL_STATUS", "Tanggal Meninggal",
       "tgl_meninggal", "Tanggal Status Berubah"),
    _f("occupation", "Pekerjaan", "Occupation", "pekerjaan", "PEKERJAAN", "Jenis Pekerjaan",
       "Pekerjaan Utama"),
    _f("disability", "Disabilitas", "Disability", "disabilitas", "jenis_disabilitas",
       "Penyandang Disabilitas", "Jenis Disabilitas", "difabel", "Jenis Cacat", "cacat"),
    _f("pregnant", "Hamil", "Pregnant", "hamil", "status_hamil", "Sedang Hamil", "ibu_hamil"),
    _f("marital_status", "Status perkawinan", "Marital status", "status_perkawinan", "STATUS_KAWIN",
       "Status Kawin", "Status Pernikahan"),
    _f("education", "Pendidikan", "Education", "pendidikan", "Pendidikan Terakhir", "Pendidikan Tertinggi",
       "Ijazah Tertinggi"),
    _f("school_status", "Status sekolah", "School status", "status_sekolah", "Partisipasi Sekolah"),
    _f("employment_status", "Status pekerjaan", "Employment status", "status_pekerjaan",
       "Status Kedudukan Dalam Pekerjaan"),
)  # fmt: skip

_FAMILY = (
    _f("family_id", "ID keluarga sumber", "Source family ID", "ID Keluarga", "IDDTKS", "id_keluarga",
       "ID_KELUARGA_P3KE", "ID Keluarga P3KE", "ID_DTKS", "ID BDT", "IDBDT", "ID Rumah Tangga", "id_ruta",
       level="family", group="identity"),
    _f("kk", "Nomor KK", "Family card (KK) number", "No. KK", "NOMOR_KK", "no_kk", "NO KK", "Nomor KK",
       "Nomor Kartu Keluarga", "No Kartu Keluarga", "nokk", "KK", level="family", group="identity"),
    _f("address", "Alamat", "Address", "ALAMAT", "Alamat Lengkap", "alamat_rumah", "Alamat Domisili",
       "Alamat KK", "JALAN", level="family", group="region"),
    _f("rt", "RT", "RT (neighbourhood)", "RT", "No RT", "NO_RT", level="family", group="region"),
    _f("rw", "RW", "RW (hamlet)", "RW", "No RW", "NO_RW", level="family", group="region"),
    _f("kelurahan_code", "Kelurahan/desa", "Kelurahan/village", "kode_kelurahan", "KODE_DESA", "kode_desa",
       "KODE_KEL", "KD_KEL", "KD_DESA", "Kode Desa/Kelurahan", "Kode Kelurahan/Desa", "kode_wilayah",
       "KELURAHAN", "DESA", "Desa/Kelurahan", "Kelurahan/Desa", "Desa Kelurahan", "nama_kelurahan",
       "nama_desa", "NAMA_KEL", level="family", group="region"),
    _f("kelurahan_name", "Nama kelurahan", "Kelurahan name", "nama_kelurahan", "nama_desa", "NAMA_KEL",
       "Nama Desa/Kelurahan", level="family", group="region"),
    _f("kecamatan_code", "Kode kecamatan", "Kecamatan code", "kode_kecamatan", "KODE_KEC", "KD_KEC",
       level="family", group="region"),
    _f("kecamatan_name", "Kecamatan", "Kecamatan (district)", "nama_kecamatan", "KECAMATAN", "KEC",
       "NAMA_KEC", level="family", group="region"),
    _f("kabkota_code", "Kode kab/kota", "Regency/city code", "kode_kabkota", "KODE_KAB", "kode_kab_kota",
       level="family", group="region"),
    _f("kabkota_name", "Kabupaten/kota", "Regency/city", "nama_kabkota", "Kabupaten/Kota", "KABUPATEN",
       "KOTA", "KAB_KOTA", "nama_kab", level="family", group="region"),
    _f("desil", "Desil", "Welfare decile", "DESIL", "Desil Kesejahteraan", "PERINGKAT_DESIL",
       "desil_nasional", "Desil Keluarga", "Peringkat Kesejahteraan", level="family", group="welfare"),
    _f("extreme_poor", "Miskin ekstrem", "Extreme poor", "miskin_ekstrem", "Status Kemiskinan Ekstrem",
       "KEMISKINAN_EKSTREM", "is_miskin_ekstrem", "Miskin Ekstrem", "Status Miskin Ekstrem",
       level="family", group="welfare"),
    _f("criteria_count", "Jumlah kriteria", "Criteria met", "jumlah_kriteria", level="family",
       group="welfare"),
)  # fmt: skip

_CRITERIA = (
    _f("k1_head_not_working", "K1 kepala keluarga tidak bekerja", "C1 head not working",
       "k1_kepala_tidak_bekerja", "K1", level="family", group="criteria"),
    _f("k2_food_insecure", "K2 khawatir/tidak makan", "C2 food insecure", "k2_khawatir_tidak_makan", "K2",
       level="family", group="criteria"),
    _f("k3_food_over_half", "K3 pangan > separuh pengeluaran", "C3 food over half of spending",
       "k3_pangan_lebih_separuh", "K3", level="family", group="criteria"),
    _f("k4_no_clothing", "K4 tidak membeli pakaian", "C4 no clothing bought", "k4_tidak_beli_pakaian", "K4",
       level="family", group="criteria"),
    _f("k5_earth_floor", "K5 lantai tanah/plester", "C5 earth floor", "k5_lantai_tanah_plester", "K5",
       level="family", group="criteria"),
    _f("k6_poor_wall", "K6 dinding tidak layak", "C6 poor wall", "k6_dinding_tidak_layak", "K6",
       level="family", group="criteria"),
    _f("k7_no_latrine", "K7 tanpa jamban sendiri", "C7 no own latrine", "k7_tanpa_jamban_sendiri", "K7",
       level="family", group="criteria"),
    _f("k8_low_electricity", "K8 listrik 450 VA/tanpa", "C8 450 VA or no electricity",
       "k8_listrik_450_atau_tanpa", "K8", level="family", group="criteria"),
)  # fmt: skip

_HOUSING = (
    _f("house_ownership", "Kepemilikan rumah", "House ownership", "status_kepemilikan_rumah",
       "Status Kepemilikan Bangunan", "kepemilikan_rumah", "Status Kepemilikan Bangunan Tempat Tinggal",
       level="family", group="housing"),
    _f("floor", "Jenis lantai", "Floor", "jenis_lantai", "Lantai", "Jenis Lantai Terluas", level="family",
       group="housing"),
    _f("wall", "Jenis dinding", "Wall", "jenis_dinding", "Dinding", "Jenis Dinding Terluas", level="family",
       group="housing"),
    _f("roof", "Jenis atap", "Roof", "jenis_atap", "Atap", "Jenis Atap Terluas", level="family",
       group="housing"),
    _f("latrine", "Fasilitas BAB", "Latrine", "fasilitas_bab", "Fasilitas Tempat BAB", "jamban",
       "kepemilikan_jamban", "Penggunaan Fasilitas BAB", level="family", group="housing"),
    _f("water_source", "Sumber air minum", "Drinking water", "sumber_air_minum", "Sumber Air Minum Utama",
       "air_minum", level="family", group="housing"),
    _f("electricity", "Daya listrik", "Electricity", "daya_listrik", "Daya Terpasang", "sumber_penerangan",
       "Sumber Penerangan Utama", "listrik", level="family", group="housing"),
)  # fmt: skip

#: Every canonical field by name, in the order a mapping screen should list them.
FIELDS: dict[str, FieldSpec] = {spec.name: spec for spec in (*_PERSON, *_FAMILY, *_CRITERIA, *_HOUSING)}
CRITERIA_FIELDS = tuple(spec.name for spec in _CRITERIA)
HOUSING_FIELDS = tuple(spec.name for spec in _HOUSING)


class AliasIndex:
    """Normalised column aliases of a set of canonical fields, for header detection and mapping.

    A key may serve two fields (``nama_kelurahan`` is the kelurahan when there is no code column, else
    only its name); fields listed in ``last`` lose such ties. Used by the registry (:data:`FIELDS`) and
    by other intake kinds with their own fields (beneficiary lists in ``padu.programs``).
    """

    def __init__(self, fields: Mapping[str, FieldSpec], *, last: Iterable[str] = ()) -> None:
        self.fields = fields
        late = frozenset(last)
        self.aliases: dict[str, list[tuple[str, int]]] = {}
        for spec in fields.values():
            for rank, alias in enumerate(spec.aliases):
                entry = self.aliases.setdefault(normalise_key(alias), [])
                if all(f != spec.name for f, _ in entry):
                    entry.append((spec.name, rank))
        for entry in self.aliases.values():
            entry.sort(key=lambda item: (item[0] in late, item[1]))

    def is_known(self, text: object) -> bool:
        return normalise_key(text) in self.aliases if text is not None else False

    def score(self, cells: Iterable[object]) -> int:
        """How many distinct cells of a row are known aliases (used to find the header row)."""
        seen: set[str] = set()
        for cell in cells:
            if cell is None or isinstance(cell, int | float):
                continue
            key = normalise_key(cell)
            if key in self.aliases:
                seen.add(key)
        return len(seen)

    def match(
        self, columns: list[str], saved: Mapping[str, str | None] | None = None
    ) -> tuple[dict[str, str], set[str], set[str]]:
        """``(field -> column, used columns, fields skipped on purpose)``: ``saved`` first, then aliases."""
        by_key: dict[str, str] = {}
        for column in columns:
            by_key.setdefault(normalise_key(column), column)
        fields: dict[str, str] = {}
        used: set[str] = set()
        skipped: set[str] = set()
        for field_name, wanted in (saved or {}).items():
            if field_name not in self.fields:
                continue
            if not wanted:
                skipped.add(field_name)
                continue
            actual = wanted if wanted in columns else by_key.get(normalise_key(wanted))
            if actual is not None and actual not in used:
                fields[field_name] = actual
                used.add(actual)
        candidates: list[tuple[int, int, str, str]] = []
        for position, column in enumerate(columns):
            for choice, (field_name, rank) in enumerate(self.aliases.get(normalise_key(column), ())):
                candidates.append((choice, rank * 1000 + position, field_name, column))
        for _choice, _order, field_name, column in sorted(candidates):
            if field_name in fields or field_name in skipped or column in used:
                continue
            fields[field_name] = column
            used.add(column)
        return fields, used, skipped


_INDEX = AliasIndex(FIELDS, last=("kelurahan_code",))
_ALIASES = _INDEX.aliases

# Columns typical of one layout (normalised), used by source="auto".
_SIGNATURES: dict[str, frozenset[str]] = {
    "dtsen": frozenset(
        map(normalise_key, ("id_art", "id_keluarga", "status_art", "kode_kelurahan", "jumlah_kriteria",
                            "miskin_ekstrem", "k1_kepala_tidak_bekerja", "tanggal_status"))
    ),
    "p3ke": frozenset(
        map(normalise_key, ("ID Keluarga P3KE", "ID_KELUARGA_P3KE", "Desil Kesejahteraan",
                            "Status Kemiskinan Ekstrem", "ID_ART_P3KE", "Padan Dukcapil", "Penerima P3KE"))
    ),
    "dtks": frozenset(
        map(normalise_key, ("IDDTKS", "NOMOR_NIK", "NOMOR_KK", "JNS_KEL", "ID DTKS", "ID_DTKS", "IDARTDTKS",
                            "TAHUN_DATA", "JENIS_PMKS"))
    ),
}  # fmt: skip


def is_known_header(text: object) -> bool:
    """Whether a header cell names a known field (any alias)."""
    return _INDEX.is_known(text)


def header_score(cells: Iterable[object]) -> int:
    """How many distinct cells of a row are known column aliases (used to find the header row)."""
    return _INDEX.score(cells)


def column_signature(columns: Iterable[str]) -> str:
    """sha256 (hex, 64 characters) of the sorted normalised header names; order-insensitive."""
    keys = sorted(normalise_key(c) for c in columns)
    return hashlib.sha256("\x1f".join(keys).encode("utf-8")).hexdigest()


@dataclass
class ColumnMapping:
    """Which column feeds which canonical field.

    ``missing_required`` lists ``"name"``; ``"nik"`` when neither a NIK nor a KK column exists (one
    of them identifies a person); ``"kelurahan_code"`` when no kelurahan column exists and no default
    kelurahan was announced (``map_columns(..., has_default_kelurahan=True)``).
    """

    fields: dict[str, str]
    layout: str
    unmapped_columns: list[str]
    missing_required: list[str]
    columns: list[str] = field(default_factory=list)  # every header, in file order

    def signature(self) -> str:
        """Stable hash of the sorted header names, for saving a manual mapping for next time."""
        return column_signature(self.columns or [*self.fields.values(), *self.unmapped_columns])

    @property
    def ok(self) -> bool:
        return not self.missing_required

    def column(self, field_name: str) -> str | None:
        return self.fields.get(field_name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "fields": dict(self.fields),
            "layout": self.layout,
            "unmapped_columns": list(self.unmapped_columns),
            "missing_required": list(self.missing_required),
            "columns": list(self.columns),
            "signature": self.signature(),
        }


def detect_layout(columns: Iterable[str]) -> str:
    """``"dtsen"``, ``"p3ke"``, ``"dtks"`` by their typical columns, else ``"unknown"``."""
    keys = {normalise_key(c) for c in columns}
    scores = sorted(((len(keys & sig), name) for name, sig in _SIGNATURES.items()), reverse=True)
    (best, name), (second, _other) = scores[0], scores[1]
    return name if best > 0 and best > second else "unknown"


def map_columns(
    columns: list[str],
    *,
    saved: Mapping[str, str | None] | None = None,
    source: str = "auto",
    has_default_kelurahan: bool = False,
) -> ColumnMapping:
    """Map file headers to canonical fields.

    ``saved`` (field -> column, from an earlier manual mapping) wins over the aliases; a field saved
    with an empty column stays unmapped on purpose. ``source`` ``"dtsen"``/``"p3ke"``/``"dtks"`` fixes
    the layout (it decides how numeric relationship codes are read); ``"auto"`` or any other value
    detects it from typical columns.
    """
    columns = list(columns)
    fields, used, skipped = _INDEX.match(columns, saved)
    if "kelurahan_code" not in fields and "kelurahan_code" not in skipped and "kelurahan_name" in fields:
        fields["kelurahan_code"] = fields.pop("kelurahan_name")

    ordered = {name: fields[name] for name in FIELDS if name in fields}
    missing: list[str] = []
    if "name" not in ordered:
        missing.append("name")
    if "nik" not in ordered and "kk" not in ordered:
        missing.append("nik")
    if "kelurahan_code" not in ordered and not has_default_kelurahan:
        missing.append("kelurahan_code")
    layout = source if source in LAYOUTS else detect_layout(columns)
    return ColumnMapping(
        fields=ordered,
        layout=layout,
        unmapped_columns=[c for c in columns if c not in used],
        missing_required=missing,
        columns=columns,
    )
