"""Kelurahan indicators from a person-level table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from padu.planning.engine import indicators_from_persons, join_indicators, priority_index
from padu.planning.engine.synthetic import synthetic_persons


def persons() -> pd.DataFrame:
    return pd.DataFrame({
        "kelurahan_code": ["K1", "K1", "K1", "K1", "K2", "K2"],
        "family_id": [1, 1, 2, 3, 4, 4],
        "desil": [1, 3, 2, 5, None, 4],  # family 1 -> desil 1, family 4 -> desil 4
        "extreme_poor": [True, False, False, False, False, False],
        "uninhabitable_house": [False, True, False, False, True, True],
        "no_latrine": [False, False, False, False, False, False],
        "head_unemployed": [True, True, False, True, False, False],
    })


def test_it_counts_families_and_shares_per_kelurahan():
    t = indicators_from_persons(persons()).to_pydict()
    assert t["kelurahan_code"] == ["K1", "K2"]
    assert t["persons"] == [4, 2] and t["families"] == [3, 1]
    assert t["poor_families"] == [2, 0]  # desil <= 2: families 1 and 2
    assert t["poor_family_share"] == pytest.approx([2 / 3, 0])
    assert t["desil1_share"] == pytest.approx([1 / 3, 0])
    assert t["extreme_poor"] == [1, 0]
    assert t["uninhabitable_houses"] == [1, 1]  # per family, not per member
    assert t["no_latrine"] == [0, 0]
    assert t["unemployed_heads"] == [2, 0]
    assert t["no_safe_water"] == [None, None]  # column absent -> missing, not zero


def test_it_uses_a_configurable_poverty_line():
    t = indicators_from_persons(persons(), poor_max_desil=4).to_pydict()
    assert t["poor_families"] == [2, 1]


def test_it_joins_imported_indicators_and_feeds_the_index():
    base = indicators_from_persons(pa.Table.from_pandas(persons()))
    extra = pa.table({"kelurahan_code": ["K2"], "stunting_cases": [7]})
    joined = join_indicators(base, extra)
    assert joined.column("stunting_cases").to_pylist() == [None, 7]
    r = priority_index(joined, weights={"poor_family_share": 1, "stunting_cases": 1})
    assert np.isnan(r.standardised["stunting_cases"][0])  # K1 has no stunting figure
    assert list(r.rank) == [1, 2]


def test_it_aggregates_a_synthetic_registry_consistently():
    p = synthetic_persons(20_000, seed=1)
    t = indicators_from_persons(p)
    assert sum(t.column("persons").to_pylist()) == 20_000
    assert t.num_rows == 67
    assert t.column("kelurahan_code").to_pylist()[0] == "3673011001"


def test_it_requires_the_key_columns():
    with pytest.raises(KeyError):
        indicators_from_persons(pa.table({"kelurahan_code": ["a"], "desil": [1]}))
