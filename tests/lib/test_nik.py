"""NIK rules (padu.lib.nik): examples for every code with Kota Serang NIKs, and properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from padu.lib.messages import Issue
from padu.lib.nik import (
    NikResult,
    compose_nik,
    is_valid_nik,
    mask_nik,
    normalise_nik,
    parse_nik,
)
from padu.lib.regions import RegionIndex, kecamatan_codes

TODAY = dt.date(2026, 1, 15)
# Kec. Serang (36.73.01), a woman born 1 July 1985, serial 0001.
SITI = "3673014107850001"
# Kec. Kasemen (36.73.02), a man born 17 August 2004, serial 0123.
BUDI = "3673021708040123"

SERANG_KECAMATAN = ["367301", "367302", "367303", "367304", "367305", "367306"]


def codes(result: NikResult) -> list[str]:
    return [issue.code for issue in result.errors + result.warnings]


# ---------------------------------------------------------------------------------------- examples


def test_it_decodes_a_valid_nik():
    result = parse_nik(SITI, today=TODAY)
    assert result.valid
    assert result.nik == SITI
    assert result.errors == () and result.warnings == ()
    assert result.sex == "P"
    assert result.birth_date == dt.date(1985, 7, 1)
    assert result.region_code == "36.73.01"
    assert result.region_name == "Serang"


def test_it_decodes_a_man_born_this_century():
    result = parse_nik(BUDI, today=TODAY)
    assert result.valid
    assert (result.sex, result.birth_date, result.region_name) == (
        "L",
        dt.date(2004, 8, 17),
        "Kasemen",
    )


def test_it_puts_a_future_20xx_date_in_the_last_century():
    result = parse_nik("3673030101300001", today=TODAY)  # 01-01-30: 2030 is in the future
    assert result.birth_date == dt.date(1930, 1, 1)
    assert parse_nik("3673030101250001", today=TODAY).birth_date == dt.date(2025, 1, 1)


def test_it_uses_the_records_century_when_the_birth_dates_agree():
    result = parse_nik("3673030101200001", record_birth_date=dt.date(1920, 1, 1), today=TODAY)
    assert result.valid and result.warnings == ()
    assert result.birth_date == dt.date(1920, 1, 1)


def test_it_accepts_a_leap_day_only_in_a_leap_year():
    assert parse_nik("3673042902000001", today=TODAY).birth_date == dt.date(2000, 2, 29)
    assert parse_nik("3673042902960001", today=TODAY).birth_date == dt.date(1996, 2, 29)
    assert codes(parse_nik("3673042902970001", today=TODAY)) == ["nik.invalid_date"]


@pytest.mark.parametrize(
    "value",
    [
        "'3673014107850001",
        " 3673014107850001 ",
        '"3673014107850001"',
        "3673 0141 0785 0001",
        "3673.01.410785.0001",
        "36.73.01-410785-0001",
        "3673-0141-0785-0001",
        "\u00a03673014107850001\u00a0",
        "3673\u00a00141\u00a00785\u00a00001",
        "\ufeff3673014107850001\r\n",
        "\u20183673014107850001\u2019",
        3673014107850001,  # an int that kept all 16 digits (e.g. a database column)
    ],
)
def test_it_normalises_the_usual_formatting(value):
    result = parse_nik(value, today=TODAY)
    assert result.valid, codes(result)
    assert result.nik == SITI
    assert result.input == value


def test_it_rejects_an_empty_value():
    for value in (None, "", "   ", "-", "\u00a0", float("nan"), "NaN", "NULL", "#N/A"):
        result = parse_nik(value)
        assert codes(result) == ["nik.empty"]
        assert not result.valid and result.nik is None


def test_it_rejects_the_wrong_length():
    result = parse_nik("367301410785001")
    assert codes(result) == ["nik.length"]
    assert "16 digit" in result.errors[0].message_id
    assert "15" in result.errors[0].message_en
    assert codes(parse_nik("36730141078500011")) == ["nik.length"]


def test_it_rejects_letters():
    result = parse_nik("36730141O7850001")  # letter O typed for zero
    assert codes(result) == ["nik.not_digits"]
    assert "'O'" in result.errors[0].message_en
    assert codes(parse_nik("NIK 3673014107850001")) == ["nik.not_digits"]
    assert codes(parse_nik("٣٦٧٣٠١٤١٠٧٨٥٠٠٠١")) == ["nik.not_digits"]
    assert codes(parse_nik(True)) == ["nik.not_digits"]


@pytest.mark.parametrize(
    "value",
    ["3,67301E+15", "3.67301E+15", "3,67301E15", "3.67301e+15", " 3,67301E+15 ", "3.673014E+15"],
)
def test_it_says_plainly_that_excel_scientific_notation_destroyed_the_nik(value):
    result = parse_nik(value)
    assert codes(result) == ["nik.excel_scientific"]
    issue = result.errors[0]
    assert issue.message_id.startswith("NIK rusak oleh Excel")
    assert "Teks" in issue.message_id
    assert "damaged by Excel" in issue.message_en
    assert "Text" in issue.message_en


@pytest.mark.parametrize(
    "value", [3673014107850001.0, 3.67301e15, "3673014107850001.0", "3673014107850000,0"]
)
def test_it_rejects_a_number_read_as_a_decimal_by_excel(value):
    result = parse_nik(value)
    assert codes(result) == ["nik.excel_float"]
    assert result.errors[0].message_id.startswith("NIK rusak oleh Excel")


@pytest.mark.parametrize(
    "value", [3673014107850000, "3.673.014.107.850.000", "3,673,014,107,850,000"]
)
def test_it_rejects_a_number_whose_16th_digit_excel_turned_into_zero(value):
    result = parse_nik(value)
    assert codes(result) == ["nik.excel_trailing_zero"]
    assert "Teks" in result.errors[0].message_id


@pytest.mark.parametrize(
    ("nik", "fragment"),
    [
        ("3673013102850001", "31 Februari"),  # 31 Feb
        ("3673010007850001", "hari 00"),  # day 00
        ("3673017207850001", "hari 72"),  # day 72 (a woman's day is 41–71)
        ("3673013507850001", "hari 35"),  # day 35 is neither a man's nor a woman's day
        ("3673010113850001", "bulan 13"),  # month 13
        ("3673010100850001", "bulan 00"),  # month 00
        ("3673057102850001", "31 Februari"),  # a woman's 31 Feb (71 - 40)
    ],
)
def test_it_rejects_an_impossible_birth_date(nik, fragment):
    result = parse_nik(nik, today=TODAY)
    assert codes(result) == ["nik.invalid_date"]
    assert fragment in result.errors[0].message_id
    assert result.birth_date is None
    assert result.nik == nik  # still normalised, so it can be shown and corrected


def test_it_rejects_serial_0000():
    result = parse_nik("3673014107850000", today=TODAY)
    assert codes(result) == ["nik.serial_zero"]
    assert result.birth_date == dt.date(1985, 7, 1)  # decoded parts are still there


def test_it_reports_every_error_it_finds():
    assert codes(parse_nik("3673013102850000", today=TODAY)) == [
        "nik.invalid_date",
        "nik.serial_zero",
    ]


def test_it_only_warns_about_an_unknown_kecamatan_of_a_known_kota():
    result = parse_nik("3673994107850001", today=TODAY)
    assert result.valid
    assert codes(result) == ["nik.unknown_kecamatan"]
    assert result.warnings[0].severity == "warning"
    assert "Kota Serang" in result.warnings[0].message_id
    assert result.region_code == "36.73.99"
    assert result.region_name is None


def test_it_only_warns_about_an_unknown_region():
    result = parse_nik("3699014107850001", today=TODAY)  # Banten exists, 36.99 does not
    assert result.valid
    assert codes(result) == ["nik.unknown_region"]
    assert "Banten" in result.warnings[0].message_id
    result = parse_nik("9901014107850001", today=TODAY)  # no province 99
    assert result.valid and codes(result) == ["nik.unknown_region"]


def test_it_accepts_historical_codes_from_a_given_region_index():
    old = RegionIndex.from_codes(["36.73.99"], names={"367399": "Kecamatan Lama"})
    result = parse_nik("3673994107850001", today=TODAY, regions=old)
    assert result.warnings == ()
    assert result.region_name == "Kecamatan Lama"


def test_it_warns_when_the_birth_date_disagrees_with_the_record():
    result = parse_nik(SITI, record_birth_date=dt.date(1985, 7, 2), today=TODAY)
    assert result.valid
    assert codes(result) == ["nik.birth_date_mismatch"]
    assert "01-07-1985" in result.warnings[0].message_id
    assert "02-07-1985" in result.warnings[0].message_id
    assert result.birth_date == dt.date(1985, 7, 1)


def test_it_accepts_a_datetime_as_the_records_birth_date():
    result = parse_nik(SITI, record_birth_date=dt.datetime(1985, 7, 1, 8, 30), today=TODAY)
    assert result.warnings == ()
    assert result.birth_date == dt.date(1985, 7, 1)


def test_it_warns_when_the_sex_disagrees_with_the_record():
    result = parse_nik(SITI, record_sex="L", today=TODAY)
    assert result.valid
    assert codes(result) == ["nik.sex_mismatch"]
    assert parse_nik(SITI, record_sex="P", today=TODAY).warnings == ()
    assert parse_nik(SITI, record_sex="perempuan", today=TODAY).warnings == ()
    assert parse_nik(SITI, record_sex="", today=TODAY).warnings == ()


def test_it_gives_issues_in_both_languages():
    issue = parse_nik("123").errors[0]
    assert isinstance(issue, Issue)
    assert issue.message == f"{issue.message_id} / {issue.message_en}"
    assert issue.to_dict() == {
        "code": "nik.length",
        "severity": "error",
        "message": issue.message,
        "message_id": "NIK harus 16 digit, bukan 3 digit.",
        "message_en": "NIK must be 16 digits, not 3.",
    }


def test_it_serialises_a_result_for_json():
    data = parse_nik(SITI, record_sex="L", today=TODAY).to_dict()
    assert data["input"] == SITI
    assert data["nik"] == SITI
    assert data["valid"] is True
    assert data["sex"] == "P"
    assert data["birth_date"] == "1985-07-01"
    assert data["region_code"] == "36.73.01"
    assert data["region_name"] == "Serang"
    assert data["errors"] == []
    assert [w["code"] for w in data["warnings"]] == ["nik.sex_mismatch"]


def test_it_is_frozen():
    result = parse_nik(SITI, today=TODAY)
    with pytest.raises(AttributeError):
        result.nik = "x"  # type: ignore[misc]
    assert result == parse_nik(SITI, today=TODAY)
    assert hash(result) == hash(parse_nik(SITI, today=TODAY))


def test_it_masks_niks_and_other_numbers():
    assert mask_nik(SITI) == "3673********0001"
    assert mask_nik("'3673 0141 0785 0001") == "3673********0001"
    assert mask_nik("3673010101200001") == "3673********0001"  # a KK number
    assert mask_nik(None) == "—"
    assert mask_nik("123") == "****"
    assert "3673" not in mask_nik(3673014107850001.0)


def test_it_normalises_without_parsing():
    assert normalise_nik("3673 0141 0785 0001") == SITI
    assert normalise_nik(3673014107850000.0) is None


def test_it_has_a_fast_validity_check():
    assert is_valid_nik(SITI)
    assert is_valid_nik("'3673 0141 0785 0001")
    assert not is_valid_nik("3673013102850001")
    assert not is_valid_nik("3673014107850000")
    assert not is_valid_nik(3673014107850000)
    assert is_valid_nik("3673994107850001")  # unknown kecamatan is only a warning


# -------------------------------------------------------------------------------------- properties

kecamatan = st.sampled_from(sorted(kecamatan_codes()))
serang_kecamatan = st.sampled_from(SERANG_KECAMATAN)
sexes = st.sampled_from(["L", "P"])
serials = st.integers(min_value=1, max_value=9999)
# Without a record birth date only the last 100 years are unambiguous.
recent_dates = st.dates(min_value=dt.date(TODAY.year - 99, 1, 1), max_value=TODAY)
any_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)


@given(kecamatan, recent_dates, sexes, serials)
def test_it_parses_any_composed_nik_back_to_its_parts(kec, born, sex, serial):
    nik = compose_nik(kec, born, sex, serial)
    result = parse_nik(nik, today=TODAY)
    assert result.valid
    assert result.warnings == ()
    assert result.nik == nik
    assert result.birth_date == born
    assert result.sex == sex
    assert result.region_code == f"{kec[:2]}.{kec[2:4]}.{kec[4:]}"
    assert result.region_name
    assert is_valid_nik(nik)


@given(serang_kecamatan, any_dates, sexes, serials)
def test_it_round_trips_any_century_given_the_records_birth_date(kec, born, sex, serial):
    result = parse_nik(
        compose_nik(kec, born, sex, serial), record_birth_date=born, record_sex=sex, today=TODAY
    )
    assert result.valid and result.warnings == ()
    assert result.birth_date == born


@given(serang_kecamatan, recent_dates, serials)
def test_it_round_trips_the_female_day_encoding(kec, born, serial):
    nik = compose_nik(kec, born, "P", serial)
    assert 41 <= int(nik[6:8]) <= 71
    result = parse_nik(nik, today=TODAY)
    assert result.sex == "P"
    assert result.birth_date == born


@given(st.text(alphabet="0123456789", max_size=40).filter(lambda s: len(s) != 16))
def test_it_rejects_any_digit_string_that_is_not_16_long(digits):
    result = parse_nik(digits)
    assert not result.valid
    assert codes(result) == (["nik.length"] if digits else ["nik.empty"])
    assert not is_valid_nik(digits)


@st.composite
def noisy(draw: st.DrawFn, nik: str) -> str:
    """``nik`` as people type it: spaces/dashes anywhere, dots between the parts, quotes around."""
    out = []
    for i, ch in enumerate(nik):
        if i:
            seps = [" ", "-", "\u00a0", ""]
            if i in (2, 4, 6, 8, 10, 12):
                seps.append(".")
            out.append(draw(st.sampled_from(seps)))
        out.append(ch)
    text = "".join(out)
    before = draw(st.sampled_from(["", " ", "'", "\u00a0", '"', "\t"]))
    after = draw(st.sampled_from(["", " ", "\u00a0", '"', "\n", "\r\n"]))
    return before + text + after


@given(st.data(), kecamatan, any_dates, sexes, serials)
def test_it_ignores_formatting_noise(data, kec, born, sex, serial):
    nik = compose_nik(kec, born, sex, serial)
    value = data.draw(noisy(nik))
    clean = parse_nik(nik, today=TODAY).to_dict()
    messy = parse_nik(value, today=TODAY).to_dict()
    assert messy.pop("input") == value
    clean.pop("input")
    assert messy == clean


class _NumpyLikeInt:
    """Stands in for numpy.int64: int-like through __index__, not an int subclass."""

    def __init__(self, number: int) -> None:
        self.number = number

    def __index__(self) -> int:
        return self.number


def test_it_treats_int_like_numbers_as_ints():
    assert parse_nik(_NumpyLikeInt(3673014107850001)).nik == SITI
    assert codes(parse_nik(_NumpyLikeInt(3673014107850000))) == ["nik.excel_trailing_zero"]


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_it_always_flags_a_float_as_excel_damage(number):
    assert codes(parse_nik(number)) == ["nik.excel_float"]


@given(
    st.integers(min_value=1, max_value=9),
    st.text(alphabet="0123456789", min_size=1, max_size=14),
    st.sampled_from([".", ","]),
    st.sampled_from(["E+", "E", "e+", "e"]),
    st.integers(min_value=13, max_value=17),
)
def test_it_always_flags_scientific_notation_as_excel_damage(lead, rest, sep, e, exponent):
    value = f"{lead}{sep}{rest}{e}{exponent}"
    result = parse_nik(value)
    assert codes(result) == ["nik.excel_scientific"]
    assert "Excel" in result.errors[0].message_id


@given(st.integers(min_value=10**14, max_value=10**16))
def test_it_always_flags_an_int_whose_16th_digit_became_zero(number):
    number *= 10  # ≥ 16 digits, ending in 0
    assert codes(parse_nik(number)) == ["nik.excel_trailing_zero"]


@given(st.one_of(st.text(max_size=24), st.text(alphabet="0123456789", min_size=16, max_size=16)))
def test_it_agrees_with_the_fast_validity_check(value):
    assert is_valid_nik(value) == parse_nik(value).valid


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_it_masks_the_middle_eight_digits(nik):
    masked = mask_nik(nik)
    assert masked == nik[:4] + "*" * 8 + nik[-4:]
