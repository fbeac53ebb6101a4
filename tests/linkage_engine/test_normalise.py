"""Normalisation of Indonesian names, NIKs and dates (DuckDB macros through the Python helpers)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from padu.linkage.engine import (
    nik15,
    normalise_name,
    normalise_nik,
    phonetic_key,
    phonetic_token,
    sorted_key,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hj. Siti Aminah, S.Pd.", "SITI AMINAH"),
        ("H. AHMAD FAUZI, S.Pd.", "AHMAD FAUZI"),
        ("Drs. Djoko Soetjipto", "DJOKO SOETJIPTO"),
        ("dr. Chairul Anwar", "CHAIRUL ANWAR"),
        ("Prof. Dr. Ir. H. Abdul Muis, M.Si.", "ABDUL MUIS"),
        ("A.Md.Keb. Nurhayati", "NURHAYATI"),
        ("ahmad s.kom.", "AHMAD"),
        ("Moh. Rizki", "MUHAMMAD RIZKI"),
        ("M. RIZKI", "MUHAMMAD RIZKI"),
        ("M.RIZKI RAMADHAN", "MUHAMMAD RIZKI RAMADHAN"),
        ("Mochamad Fajar", "MUHAMMAD FAJAR"),
        ("Mhd. Yusuf", "MUHAMMAD YUSUF"),
        ("Tb. Hasan", "TUBAGUS HASAN"),
        ("Ma'ruf  Amin", "MARUF AMIN"),
        ("  ", None),
        (None, None),
    ],
)
def test_it_normalises_names(raw: str | None, expected: str | None) -> None:
    assert normalise_name(raw) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("DJOKO SOETJIPTO", "JOKO SUCIPTO"),
        ("CHAIRUL", "KHAIRUL"),
        ("SYAIFUL", "SAIPUL"),
        ("YUSUF", "YUSUP"),
        ("ZAENAL", "JAENAL"),
        ("ABDULLAH", "ABDULAH"),
        ("FATIMAH", "FATIMA"),
        ("Muhammad Rizki", "Moch. Rizki"),
    ],
)
def test_it_gives_spelling_variants_one_phonetic_key(a: str, b: str) -> None:
    assert phonetic_key(a) == phonetic_key(b)


def test_it_sorts_tokens_so_swapped_names_agree() -> None:
    assert sorted_key("RAHMAT HIDAYAT") == sorted_key("Hidayat, Rahmat".replace(",", ""))
    assert phonetic_key("RAHMAT HIDAYAT") != phonetic_key("HIDAYAT RAHMAT")


@pytest.mark.parametrize(
    ("raw", "nik", "partial"),
    [
        ("3673014107850001", "3673014107850001", None),
        ("3673 0141 0785 0001", "3673014107850001", None),
        ("'3673.01.410785.0001", "3673014107850001", None),
        ("3.67301E+15", None, None),
        ("3673014107850000.0", None, "367301410785000"),
        ("3673014107850000", None, "367301410785000"),  # serial 0000: the last digit was lost
        ("367301410785000", None, "367301410785000"),
        ("3673019907850001", None, None),  # month 07 ok, day 99 impossible
        ("-", None, None),
        ("", None, None),
    ],
)
def test_it_normalises_nik_and_flags_excel_damage(raw: str, nik: str | None, partial: str | None) -> None:
    assert normalise_nik(raw) == nik
    assert nik15(raw) == partial


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ABCDEFGHIJKLMNOPRSTUWYZ .,'", max_size=30))
def test_it_is_idempotent_on_any_text(text: str) -> None:
    once = normalise_name(text)
    assert normalise_name(once) == once
    if once is not None:
        assert once == once.upper()
        assert all(ch.isalnum() or ch == " " for ch in once)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(["SITI", "NUR", "AMINAH", "RAHMAT", "HIDAYAT", "DEWI", "SUHERMAN"]),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from(["", "H. ", "Hj. ", "Drs. ", "Dr. "]),
    st.sampled_from(["", ", S.Pd.", ", S.E.", ", A.Md."]),
)
def test_it_strips_titles_around_any_name(parts: list[str], front: str, back: str) -> None:
    name = " ".join(parts)
    assert normalise_name(front + name + back) == name


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="ABDEGHIJKLMNOPRSTUWY", min_size=1, max_size=12))
def test_it_keeps_phonetic_keys_stable(token: str) -> None:
    key = phonetic_token(token)
    assert phonetic_token(key) == phonetic_token(key)  # deterministic
    assert key and key.isalpha()
