"""Canonical fields, column aliases, saved mappings, signatures and layout detection."""

from __future__ import annotations

import pytest

from padu.ingest.engine import CRITERIA_FIELDS, FIELDS, HOUSING_FIELDS, ColumnMapping, map_columns
from padu.ingest.engine.layouts import header_score
from padu.synth.generate import REGISTRY_COLUMNS

ALIASES = {
    "nik": ["NIK", "No. KTP", "NOMOR_NIK", "nik_penerima", "No NIK", "nik"],
    "kk": ["No. KK", "NOMOR_KK", "no_kk", "NO KK", "Nomor KK"],
    "name": ["NAMA", "Nama Lengkap", "nama_art", "NAMA ART", "nama"],
    "birth_date": ["TGL_LAHIR", "Tanggal Lahir", "tanggal_lahir", "TGL LAHIR", "Tgl. Lahir"],
    "sex": ["JNS_KEL", "Jenis Kelamin", "JK", "L/P"],
    "relationship": ["HUBUNGAN", "Hubungan Keluarga", "hub_kk", "SHDK"],
    "kelurahan_code": [
        "KELURAHAN",
        "DESA",
        "Desa/Kelurahan",
        "kode_kelurahan",
        "KODE_DESA",
        "nama_kelurahan",
    ],
    "family_id": ["ID Keluarga", "IDDTKS", "id_keluarga", "ID_KELUARGA_P3KE"],
    "person_id": ["id_art", "ID ART", "ID Individu"],
    "desil": ["DESIL", "Desil Kesejahteraan", "PERINGKAT_DESIL"],
    "extreme_poor": ["miskin_ekstrem", "Status Kemiskinan Ekstrem"],
}
# What the registry (Family, Person, Membership, WelfareRecord) needs from a DTSEN export.
REGISTRY_NEEDS = {
    "person_id", "family_id", "kk", "nik", "name", "sex", "birth_date", "birth_place", "relationship",
    "mother_name", "address", "rt", "rw", "kelurahan_code", "desil", "extreme_poor", "status", "status_date",
    "occupation", "disability", "pregnant", *CRITERIA_FIELDS, *HOUSING_FIELDS,
}  # fmt: skip


def test_it_defines_the_canonical_fields():
    assert set(FIELDS) >= REGISTRY_NEEDS
    assert [name for name, spec in FIELDS.items() if spec.required] == ["name"]
    assert len(CRITERIA_FIELDS) == 8 and len(HOUSING_FIELDS) == 7
    for spec in FIELDS.values():
        assert spec.label_id and spec.label_en and spec.level in {"person", "family"}
        assert " / " in spec.label


def test_it_uses_the_criteria_keys_of_kepmensos_262():
    from padu.registry.choices import KRITERIA_262

    assert list(CRITERIA_FIELDS) == [key for key, _label in KRITERIA_262]


@pytest.mark.parametrize(("field", "header"), [(f, h) for f, hs in ALIASES.items() for h in hs])
def test_it_maps_known_aliases(field, header):
    mapping = map_columns(["No", header, "Keterangan"])
    assert mapping.fields.get(field) == header
    assert "No" in mapping.unmapped_columns and "Keterangan" in mapping.unmapped_columns


def test_it_maps_every_column_of_the_synthetic_dtsen_export():
    columns = [name for name, _doc in REGISTRY_COLUMNS]
    mapping = map_columns(columns)
    assert mapping.layout == "dtsen"
    assert mapping.missing_required == []
    assert mapping.unmapped_columns == []
    assert set(mapping.fields) >= REGISTRY_NEEDS
    assert mapping.fields["kelurahan_code"] == "kode_kelurahan"
    assert mapping.fields["kelurahan_name"] == "nama_kelurahan"
    assert mapping.fields["k1_head_not_working"] == "k1_kepala_tidak_bekerja"
    assert mapping.fields["status"] == "status_art"


def test_it_uses_a_kelurahan_name_column_when_there_is_no_code():
    mapping = map_columns(["NIK", "NAMA", "nama_kelurahan"])
    assert mapping.fields["kelurahan_code"] == "nama_kelurahan"
    assert "kelurahan_name" not in mapping.fields


def test_it_ignores_case_spaces_and_punctuation():
    mapping = map_columns(["  n.i.k ", "NAMA-LENGKAP", "tgl lahir"])
    assert mapping.fields == {"nik": "  n.i.k ", "name": "NAMA-LENGKAP", "birth_date": "tgl lahir"}


def test_it_lets_a_saved_mapping_win_over_aliases():
    columns = ["NIK", "NIK Lama", "Nama Panggilan", "NAMA", "Kelurahan"]
    mapping = map_columns(
        columns, saved={"nik": "NIK Lama", "name": "nama panggilan", "kk": "Hilang", "sex": ""}
    )
    assert mapping.fields["nik"] == "NIK Lama"
    assert mapping.fields["name"] == "Nama Panggilan"  # matched case-insensitively
    assert "kk" not in mapping.fields  # a saved column the file lacks is ignored
    assert set(mapping.unmapped_columns) == {"NIK", "NAMA"}
    assert map_columns(["NIK", "JK", "NAMA"], saved={"sex": ""}).fields.get("sex") is None


def test_it_lists_missing_required_fields():
    assert map_columns(["Alamat"]).missing_required == ["name", "nik", "kelurahan_code"]
    assert map_columns(["NAMA", "No KK"]).missing_required == ["kelurahan_code"]
    assert map_columns(["NAMA", "NIK"], has_default_kelurahan=True).missing_required == []
    assert map_columns(["NAMA", "NIK", "DESA"]).ok


def test_it_signs_the_header_independently_of_order_and_case():
    one = map_columns(["NIK", "Nama", "Desa"])
    two = map_columns(["desa", "NIK", "NAMA"])
    assert one.signature() == two.signature()
    assert len(one.signature()) == 64
    assert one.signature() != map_columns(["NIK", "Nama", "Desa", "RT"]).signature()
    assert (
        ColumnMapping({"nik": "NIK"}, "unknown", ["X"], []).signature()
        == map_columns(["X", "NIK"]).signature()
    )
    assert one.to_dict()["signature"] == one.signature()


@pytest.mark.parametrize(
    ("columns", "source", "layout"),
    [
        (["IDDTKS", "NOMOR_KK", "NOMOR_NIK", "NAMA", "JNS_KEL", "KELURAHAN"], "auto", "dtks"),
        (["ID Keluarga P3KE", "Desil Kesejahteraan", "NIK", "Nama", "Desa/Kelurahan"], "auto", "p3ke"),
        ([name for name, _doc in REGISTRY_COLUMNS], "auto", "dtsen"),
        (["NIK", "NAMA", "DESA"], "auto", "unknown"),
        (["NIK", "NAMA", "DESA"], "p3ke", "p3ke"),
        (["IDDTKS", "NOMOR_NIK", "NAMA"], "other", "dtks"),
    ],
)
def test_it_detects_the_layout(columns, source, layout):
    assert map_columns(columns, source=source).layout == layout


def test_it_scores_header_rows_by_known_aliases():
    assert header_score(["DATA P3KE KOTA SERANG", None, None]) == 0
    assert header_score(["No", "NIK", "Nama", "Desa/Kelurahan", 1, None]) == 3
    assert header_score(["NIK", "nik"]) == 1  # the same alias twice counts once
