"""Value parsers: dates in every form people type, sex, relationship, yes/no, desil, RT/RW, kelurahan."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from padu.ingest.engine import KelurahanResolver, ValueProblem, parse_date
from padu.ingest.engine.values import (
    RELATIONSHIPS,
    SPOUSE,
    STATUSES,
    clean_text,
    parse_bool,
    parse_desil,
    parse_disability,
    parse_relationship,
    parse_rt,
    parse_sex,
    parse_status,
)
from padu.lib.nik import MONTHS_ID

AUG17 = dt.date(1985, 8, 17)
TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    "text",
    [
        "17-08-1985", "17/08/1985", "17.08.1985", "17 08 1985", "1985-08-17", "1985/08/17",
        "1985-08-17 00:00:00", "1985-08-17T00:00:00", "17-8-1985", " 17/08/1985 ", "17/08/85",
        "17 Agustus 1985", "17 agustus 1985", "17 AGUSTUS 1985", "17 Agt 1985", "17 Ags 1985",
        "17 Agu 1985", "17 Aug 1985", "17 August 1985", "17-Aug-1985", "17-Agu-85", "17 Agustus, 1985",
        "Sabtu, 17 Agustus 1985", "August 17, 1985", "17081985", "19850817",
    ],
)  # fmt: skip
def test_it_reads_dates_in_every_listed_form(text):
    assert parse_date(text, today=TODAY) == AUG17


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(1985, 8, 17, 13, 5), AUG17),
        (AUG17, AUG17),
        (31276, AUG17),  # Excel serial of 17-08-1985
        (31276.5, AUG17),  # with a time of day
        ("31276", AUG17),  # a serial that went through CSV
        (1, dt.date(1900, 1, 1)),
        (59, dt.date(1900, 2, 28)),
        (61, dt.date(1900, 3, 1)),
        (45658, dt.date(2025, 1, 1)),
        (17081985, AUG17),  # DDMMYYYY typed into a number cell
        (7081985, dt.date(1985, 8, 7)),  # ... which lost its leading zero
        (None, None),
        ("", None),
        ("  ", None),
        ("-", None),
        (float("nan"), None),
    ],
)
def test_it_reads_excel_serials_and_date_objects(value, expected):
    assert parse_date(value, today=TODAY) == expected


def test_it_reads_two_digit_years_as_the_latest_year_not_in_the_future():
    assert parse_date("17/08/85", today=TODAY) == dt.date(1985, 8, 17)
    assert parse_date("17/08/25", today=TODAY) == dt.date(2025, 8, 17)
    assert parse_date("01/06/26", today=TODAY) == dt.date(2026, 6, 1)
    assert parse_date("02/06/26", today=TODAY) == dt.date(1926, 6, 2)  # tomorrow -> a century ago
    assert parse_date("17 Agt 05", today=TODAY) == dt.date(2005, 8, 17)
    assert parse_date("29/02/24", today=TODAY) == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("text", "kind", "words_id", "words_en"),
    [
        ("31-02-1985", "invalid", "tanggal '31-02-1985' tidak ada", "date '31-02-1985' does not exist"),
        ("29-02-1985", "invalid", "bukan tahun kabisat", "not a leap year"),
        ("12/25/1990", "invalid", "bulan 25 tidak ada", "no month 25"),
        ("00-01-1990", "invalid", "hari 00", "no day 00"),
        ("31/04/85", "invalid", "tidak ada tanggal 31 April", "there is no 31 April"),
        ("17-08-0985", "invalid", "tahun 985", "year 985"),
        ("kemarin", "unreadable", "'kemarin' bukan tanggal", "'kemarin' is not a recognised date"),
        ("17 Agustusan 1985", "unreadable", "nama bulan 'Agustusan'", "month name 'Agustusan'"),
        ("1985", "year_only", "hanya tahun", "only a year"),
        (1985, "year_only", "hanya tahun", "only a year"),
        (2001.0, "year_only", "hanya tahun", "only a year"),
        ("17-08", "unreadable", "bukan tanggal", "not a recognised date"),
        (60, "invalid", "29 Februari 1900", "29 February 1900"),
        (0, "unreadable", "1–80000", "1–80000"),
        (123456, "unreadable", "1–80000", "1–80000"),
        (True, "unreadable", "bukan tanggal", "not a recognised date"),
    ],
)
def test_it_explains_unreadable_and_impossible_dates_in_both_languages(text, kind, words_id, words_en):
    with pytest.raises(ValueError) as caught:
        parse_date(text, today=TODAY)
    problem = caught.value
    assert isinstance(problem, ValueProblem)
    assert problem.kind == kind
    assert words_id in problem.message_id
    assert words_en in problem.message_en
    assert str(problem) == f"{problem.message_id} / {problem.message_en}"


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@given(dates)
def test_it_round_trips_dd_mm_yyyy_dd_slash_mm_slash_yyyy_and_indonesian_month_names(date):
    assert parse_date(date.strftime("%d-%m-%Y")) == date
    assert parse_date(date.strftime("%d/%m/%Y")) == date
    assert parse_date(f"{date.day} {MONTHS_ID[date.month - 1]} {date.year}") == date
    assert parse_date(f"{date.day:02d} {MONTHS_ID[date.month - 1].upper()} {date.year}") == date


@given(st.dates(min_value=dt.date(1907, 1, 1), max_value=dt.date(2100, 12, 31)))  # 1800–2199: years
def test_it_round_trips_excel_serials(date):
    serial = (date - dt.date(1899, 12, 30)).days
    assert parse_date(serial) == date


@pytest.mark.parametrize(
    ("value", "expected"),
    [("L", "L"), ("l", "L"), ("Laki-laki", "L"), ("LAKI - LAKI", "L"), ("Pria", "L"), ("1", "L"), (1, "L"),
     (1.0, "L"), ("P", "P"), ("Perempuan", "P"), ("WANITA", "P"), ("2", "P"), (2, "P"), ("", None),
     (None, None)],
)  # fmt: skip
def test_it_reads_sex_codes(value, expected):
    assert parse_sex(value) == expected


def test_it_warns_about_an_unknown_sex():
    with pytest.raises(ValueProblem) as caught:
        parse_sex("X")
    assert (caught.value.kind, caught.value.severity) == ("unknown", "warning")


@pytest.mark.parametrize(
    ("value", "layout", "expected"),
    [
        ("Kepala Keluarga", "unknown", "kepala"),
        ("KEPALA RUMAH TANGGA", "dtks", "kepala"),
        ("Istri", "unknown", "istri"),
        ("ISTERI", "unknown", "istri"),
        ("Suami", "unknown", "suami"),
        ("ISTRI/SUAMI", "dtks", SPOUSE),
        ("Anak Kandung", "unknown", "anak"),
        ("Famili Lain", "unknown", "famili"),
        ("Orang Tua", "unknown", "orang_tua"),
        ("Pembantu", "unknown", "lainnya"),
        ("01", "unknown", "kepala"),  # SHDK codes of the Dukcapil KK
        (3, "p3ke", "istri"),
        (2, "dtks", SPOUSE),  # BDT codes
        (3, "dtks", "anak"),
        ("", "unknown", None),
    ],
)
def test_it_reads_family_relationships(value, layout, expected):
    assert parse_relationship(value, layout=layout) == expected


def test_it_records_an_unknown_relationship_as_lainnya_with_a_warning():
    with pytest.raises(ValueProblem) as caught:
        parse_relationship("Tetangga")
    assert (caught.value.severity, caught.value.value) == ("warning", "lainnya")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), (1, True), ("Ya", True), ("y", True), ("TRUE", True), ("Miskin Ekstrem", True), ("✓", True),
     ("0", False), (0.0, False), ("Tidak", False), ("T", False), ("Bukan Miskin Ekstrem", False),
     (False, False), ("", None), (None, None)],
)  # fmt: skip
def test_it_reads_yes_and_no(value, expected):
    assert parse_bool(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3, 3), (3.0, 3), ("3", 3), ("Desil 3", 3), ("D10", 10), (" 1 ", 1), ("", None), (None, None)],
)
def test_it_reads_desil(value, expected):
    assert parse_desil(value) == expected


@pytest.mark.parametrize(
    ("value", "kind"), [(0, "range"), ("11", "range"), ("2.5", "not_number"), ("x", "not_number")]
)
def test_it_rejects_desil_outside_1_to_10(value, kind):
    with pytest.raises(ValueProblem) as caught:
        parse_desil(value)
    assert (caught.value.kind, caught.value.severity) == (kind, "error")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, "001"), ("01", "001"), ("RT 4", "004"), ("012", "012"), ("0", None), ("", None)],
)
def test_it_pads_rt_and_rw(value, expected):
    assert parse_rt(value) == expected


def test_it_reads_status_disability_and_text():
    assert parse_status("Meninggal Dunia") == "meninggal"
    assert parse_status("Hidup") == "aktif"
    assert parse_status("Pindah Domisili") == "pindah"
    assert parse_status("Tidak Ditemukan") == "tidak_ditemukan"
    assert parse_disability("Tuna Netra") == (True, "Tuna Netra")
    assert parse_disability("Tidak") == (False, None)
    assert parse_disability("") == (False, None)
    assert clean_text("  KP.   PASIR \n KUPA ") == "KP. PASIR KUPA"
    assert clean_text(12.0) == "12"
    assert clean_text("nan") is None


def test_it_keeps_choice_values_in_sync_with_the_registry():
    from padu.registry.choices import Relationship, Status

    assert set(RELATIONSHIPS) == set(Relationship.values)
    assert set(STATUSES) == set(Status.values)


def test_it_resolves_kelurahan_by_code_and_name():
    resolver = KelurahanResolver("36.73")
    assert resolver.resolve("36.73.01.1003") == "36.73.01.1003"
    assert resolver.resolve("3673011003") == "36.73.01.1003"
    assert resolver.resolve(3673011003) == "36.73.01.1003"
    assert resolver.resolve("36.73.1.1003") == "36.73.01.1003"
    assert resolver.resolve("SUMUR PECUNG") == "36.73.01.1003"
    assert resolver.resolve("Kel. Sumur Pecung") == "36.73.01.1003"
    assert resolver.resolve("sumurpecung") == "36.73.01.1003"
    assert resolver.resolve("Sukawana", "SERANG") == "36.73.01.1008"
    assert resolver.resolve("Sukawana", "Kec. Curug") == "36.73.04.1007"
    assert resolver.resolve("Sukawana", "36.73.04") == "36.73.04.1007"


@pytest.mark.parametrize(
    ("value", "kind", "words"),
    [
        ("Sukawana", "ambiguous", "36.73.04.1007 (Kec. Curug)"),
        ("Antah Berantah", "unknown", "'Antah Berantah' tidak dikenal di Kota Serang (36.73)"),
        ("36.73.09.1001", "unknown", "'36.73.09.1001' tidak ada"),
        ("36.04.05.2001", "outside_region", "Kramatwatu, Kramatwatu, Kabupaten Serang, Banten"),
        ("Kramatwatu", "unknown", "tidak dikenal di Kota Serang"),
    ],
)
def test_it_rejects_unknown_ambiguous_and_outside_kelurahan(value, kind, words):
    with pytest.raises(ValueProblem) as caught:
        KelurahanResolver("36.73").resolve(value)
    assert caught.value.kind == kind
    assert words in caught.value.message_id


def test_it_uses_a_given_kelurahan_index():
    resolver = KelurahanResolver("36.73", index={"Kampung Baru": "36.73.01.1001"})
    assert resolver.resolve("KAMPUNG BARU") == "36.73.01.1001"
    with pytest.raises(ValueProblem):
        resolver.resolve("Cipare")  # the index replaces the packaged names
    assert resolver.resolve("36.73.01.1002") == "36.73.01.1002"  # codes still work
