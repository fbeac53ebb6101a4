"""padu.synth.names: Indonesian names and the ways OPD lists write them differently."""

from __future__ import annotations

import random

from padu.synth import names


def test_it_makes_upper_case_names_that_fit_the_cohort():
    rng = random.Random(1)
    old = [names.given_name(rng, "L", 1950) for _ in range(300)]
    young = [names.given_name(rng, "P", 2015) for _ in range(300)]
    assert all(n == n.upper() and n.strip() for n in old + young)
    one_word = lambda ns: sum(len(n.split()) == 1 for n in ns) / len(ns)  # noqa: E731
    assert one_word(old) > one_word(young)


def test_it_uses_known_nicknames():
    rng = random.Random(2)
    outs = {names.nickname(rng, "DEDI HERMAWAN", "L") for _ in range(60)}
    assert any(o and "WAWAN" in o for o in outs)
    assert any(o and o.startswith(("UJANG", "ASEP", "JANG", "KANG")) for o in outs)
    assert all(o != "DEDI HERMAWAN" for o in outs)


def test_it_writes_muhammad_differently():
    rng = random.Random(3)
    assert names.has_muhammad("MUHAMMAD RIZKI") and names.has_muhammad("Moh. Rizki")
    assert not names.has_muhammad("AHMAD FAUZI")
    outs = {names.muhammad_variant(rng, "MUHAMMAD RIZKI") for _ in range(80)}
    assert {"MOH. RIZKI", "M. RIZKI"} <= outs and "MUHAMMAD RIZKI" not in outs
    assert names.muhammad_variant(rng, "AHMAD FAUZI") is None


def test_it_adds_titles_only_to_adults():
    rng = random.Random(4)
    assert names.with_title(rng, "SITI AMINAH", "P", 12) is None
    titled = {names.with_title(rng, "SITI AMINAH", "P", 50) for _ in range(60)}
    assert any(t and t.startswith("Hj. ") for t in titled)
    assert any(t and t.endswith(("S.Pd.", "S.E.", "S.Kep.", "A.Md.Keb.", "S.Pd.I", "S.Sos.")) for t in titled)
    assert all(
        t and not t.startswith(("H. ", "Hj. ", "Ust"))
        for t in (names.with_title(rng, "RIZKI", "L", 24) for _ in range(30))
    )


def test_it_swaps_name_parts_and_mistypes_letters():
    rng = random.Random(5)
    assert names.swapped(rng, "RAHMAT HIDAYAT") == "HIDAYAT RAHMAT"
    assert names.swapped(rng, "SARMIN") is None
    for name in ("ASEP SAEPUDIN", "SITI", "Zaenal Fauzi"):
        for _ in range(50):
            out = names.typo(rng, name)
            assert out != name and out.strip()


def test_it_writes_names_in_the_list_style():
    assert names.list_case("AHMAD FAUZI", "title") == "Ahmad Fauzi"
    assert names.list_case("AHMAD FAUZI", "upper") == "AHMAD FAUZI"
