"""Rule-based classification of Musrenbang proposals (Bahasa Indonesia keywords)."""

from __future__ import annotations

import pytest

from padu.planning.classify import classify, duplicate_key, similar


@pytest.mark.parametrize(
    ("text", "physical", "strategy"),
    [
        ("Pembangunan jalan lingkungan RT 02", True, "kantong"),
        ("Normalisasi DRAINASE Kp. Ciwaru", True, "kantong"),
        ("Pembuatan saluran air hujan", True, "kantong"),
        ("Pembangunan MCK komunal", True, "kantong"),
        ("Rutilahu 5 unit", True, "beban"),
        ("Pemasangan PJU / penerangan jalan umum", True, "kantong"),
        ("Pelatihan menjahit bagi ibu rumah tangga", False, "pendapatan"),
        ("Pemberdayaan UMKM kuliner", False, "pendapatan"),
        ("Bantuan modal usaha warung", False, "pendapatan"),
        ("Penyuluhan gizi dan pencegahan stunting", False, "beban"),
        ("Pendampingan keluarga miskin", False, "beban"),
    ],
)
def test_it_classifies_by_keywords(text, physical, strategy):
    found = classify(text)
    assert (found.physical, found.strategy) == (physical, strategy)


def test_it_says_when_no_rule_matches():
    found = classify("Festival budaya tahunan")
    assert not found.matched and found.physical is None


def test_it_matches_whole_words_only():
    # "jalan" inside "perjalanan" is not a road
    assert classify("Perjalanan dinas").physical is None


def test_it_spots_similar_proposals():
    a = duplicate_key("Pembangunan drainase Jl. Raya Ciwaru RT 01")
    b = duplicate_key("Normalisasi drainase jalan raya Ciwaru")
    c = duplicate_key("Pelatihan menjahit")
    assert similar(a, duplicate_key("Pembangunan drainase Jl Raya Ciwaru"))
    assert not similar(a, c)
    assert not similar(c, duplicate_key("Pelatihan menjahit lanjutan ibu"))  # one shared word is not enough
    assert isinstance(b, frozenset)
