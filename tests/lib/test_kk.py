"""Nomor KK rules (padu.lib.kk)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from padu.lib.kk import is_valid_kk, mask_kk, parse_kk

TODAY = dt.date(2026, 1, 15)
# Kec. Serang, registered 1 January 2020, family serial 0001.
KK = "3673010101200001"


def codes(result) -> list[str]:
    return [issue.code for issue in result.errors + result.warnings]


def test_it_decodes_a_valid_kk():
    result = parse_kk(KK, today=TODAY)
    assert result.valid
    assert result.kk == KK
    assert codes(result) == []
    assert result.registration_date == dt.date(2020, 1, 1)
    assert result.region_code == "36.73.01"
    assert result.region_name == "Serang"
    assert result.to_dict()["registration_date"] == "2020-01-01"


def test_it_normalises_like_a_nik():
    assert parse_kk("'3673 0101 0120 0001").kk == KK
    assert parse_kk(" 3673.01.010120.0001 ").kk == KK


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "kk.empty"),
        ("", "kk.empty"),
        ("367301010120001", "kk.length"),
        ("3673O10101200001", "kk.not_digits"),
        ("3,67301E+15", "kk.excel_scientific"),
        (3673010101200001.0, "kk.excel_float"),
        ("3673010101200001.0", "kk.excel_float"),
        (3673010101200000, "kk.excel_trailing_zero"),
        ("3673010101200000", "kk.serial_zero"),
    ],
)
def test_it_rejects_broken_numbers(value, code):
    result = parse_kk(value, today=TODAY)
    assert not result.valid
    assert codes(result) == [code]
    assert not is_valid_kk(value)


def test_it_says_excel_damaged_the_kk_number():
    issue = parse_kk("3,67301E+15").errors[0]
    assert issue.message_id.startswith("Nomor KK rusak oleh Excel")
    assert "Simpan kolom Nomor KK sebagai Teks" in issue.message_id


def test_it_only_warns_about_an_impossible_registration_date():
    result = parse_kk("3673013102200001", today=TODAY)
    assert result.valid
    assert codes(result) == ["kk.invalid_date"]
    assert result.warnings[0].severity == "warning"
    assert result.registration_date is None


def test_it_only_warns_about_an_unknown_region():
    assert codes(parse_kk("3673990101200001", today=TODAY)) == ["kk.unknown_kecamatan"]
    assert codes(parse_kk("9901010101200001", today=TODAY)) == ["kk.unknown_region"]
    assert parse_kk("9901010101200001", today=TODAY).valid


def test_it_masks_like_a_nik():
    assert mask_kk(KK) == "3673********0001"


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_it_agrees_with_the_fast_validity_check(number):
    assert is_valid_kk(number) == parse_kk(number).valid == (not number.endswith("0000"))
