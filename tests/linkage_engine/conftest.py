"""Fixtures of the linkage-engine tests: one small synthetic city per session, a model trained on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from padu.linkage.engine import Model, SynthData, load_synth, train
from padu.synth import generate


@pytest.fixture(scope="session")
def city(tmp_path_factory: pytest.TempPathFactory) -> SynthData:
    out = Path(tmp_path_factory.mktemp("linkage_city"))
    generate(out, persons=4000, seed=7)
    return load_synth(out, programmes={"pbi_jk", "bpnt", "pkh", "pmt_balita", "pip", "lansia"})


@pytest.fixture(scope="session")
def model(city: SynthData) -> Model:
    return train(city.registry, u_pairs=50_000, seed=3)
