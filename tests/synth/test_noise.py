"""``--noise hard``: the harder data-entry noise of issue 4's linkage benchmark, default files unchanged."""

from __future__ import annotations

import json
from collections import Counter

from django.core.management import call_command

from padu.synth import DEFAULT_RATES, HARD_RATES, NOISE_PROFILES, generate

from .conftest import read_csv

PERSONS, SEED = 3_000, 21


def test_it_offers_a_hard_profile_with_the_rates_of_the_issue():
    assert NOISE_PROFILES["default"] is DEFAULT_RATES
    assert (HARD_RATES.nik_missing, HARD_RATES.address_moved, HARD_RATES.name_typo) == (0.35, 0.25, 0.30)
    assert DEFAULT_RATES.address_moved == 0
    assert "address_moved" not in DEFAULT_RATES.as_dict()  # default manifests stay as they were


def test_hard_noise_moves_addresses_and_damages_names_and_niks_but_not_the_registry(tmp_path):
    generate(tmp_path / "default", PERSONS, SEED)
    generate(tmp_path / "hard", PERSONS, SEED, rates=HARD_RATES)
    reg = "registry/dtsen_registry.csv"
    assert (tmp_path / "default" / reg).read_bytes() == (tmp_path / "hard" / reg).read_bytes()
    default = json.loads((tmp_path / "default" / "manifest.json").read_text(encoding="utf-8"))
    hard = json.loads((tmp_path / "hard" / "manifest.json").read_text(encoding="utf-8"))
    assert "address_moved" not in default["fault_types"]
    assert "address_moved" in hard["fault_types"]
    assert hard["fault_rates"]["address_moved"] == 0.25

    rows = hard["counts"]["list_rows"]
    by_type = hard["counts"]["faults_by_type"]
    assert 0.20 < by_type["address_moved"] / rows < 0.30
    assert 0.25 < by_type["name_typo"] / rows < 0.35
    # NIK missing: 35 % of rows, except the one list whose own override keeps it at 12 %
    assert 0.25 < by_type["nik_missing"] / rows < 0.40
    assert by_type["nik_missing"] > 5 * default["counts"]["faults_by_type"]["nik_missing"]

    kelurahan = {r["id_art"]: r["nama_kelurahan"] for r in read_csv(tmp_path / "hard" / reg)}
    moved = [
        f
        for f in read_csv(tmp_path / "hard" / "truth" / "list_faults.csv")
        if f["fault_type"] == "address_moved"
    ]
    assert moved
    for fault in moved:
        old, new = (side.split(" RT ")[0] for side in fault["detail"].split(" -> "))
        assert old == kelurahan[fault["id_art"]] != new


def test_the_generate_command_takes_the_noise_profile(tmp_path):
    call_command("generate", persons=600, seed=4, out=tmp_path / "c", noise="hard", no_progress=True)
    faults = Counter(f["fault_type"] for f in read_csv(tmp_path / "c" / "truth" / "list_faults.csv"))
    assert faults["address_moved"] > 0
