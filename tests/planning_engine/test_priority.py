"""Priority index: formula on small tables, missing and constant indicators, and properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from padu.planning.engine import priority_index
from padu.planning.engine.priority import competition_rank

CODES = ["A", "B", "C"]


def test_it_standardises_with_z_scores():
    r = priority_index({"kelurahan_code": CODES, "poor_families": [1, 2, 3]}, weights={"poor_families": 1})
    z = math.sqrt(1.5)  # population std of 1,2,3 is sqrt(2/3)
    assert r.standardised["poor_families"] == pytest.approx([-z, 0, z])
    assert r.composite == pytest.approx([-z, 0, z])
    assert list(r.rank) == [3, 2, 1]
    assert r.top(1) == ["C"]


def test_it_standardises_with_min_max():
    r = priority_index({"kelurahan_code": CODES, "poor_families": [10, 20, 30]},
                       weights={"poor_families": 1}, method="minmax")
    assert r.composite == pytest.approx([0, 0.5, 1])
    assert "min-max" in r.explanation.en and "min-maks" in r.explanation.id


def test_it_flips_indicators_where_higher_is_better():
    table = {"kelurahan_code": CODES, "school_participation": [0.9, 0.8, 0.7], "x": [1, 2, 3]}
    r = priority_index(table, weights={"school_participation": 1})  # polarity -1 by default
    assert list(r.rank) == [3, 2, 1]
    r2 = priority_index(table, weights={"x": 1}, polarity={"x": -1}, method="minmax")
    assert r2.composite == pytest.approx([1, 0.5, 0])


def test_it_combines_weighted_indicators():
    table = {"kelurahan_code": CODES, "a": [0, 1, 2], "b": [2, 1, 0]}
    r = priority_index(table, weights={"a": 3, "b": 1}, method="minmax")
    assert r.composite == pytest.approx([0.25, 0.5, 0.75])
    assert r.weights == {"a": 0.75, "b": 0.25}
    assert r.drivers("C", 1) == [("a", 0.75)]


def test_it_skips_missing_values_and_renormalises_weights():
    table = pa.table({"kelurahan_code": CODES, "a": [0.0, 1.0, 2.0], "b": pa.array([0.0, None, 4.0])})
    r = priority_index(table, weights={"a": 1, "b": 1}, method="minmax")
    assert r.composite == pytest.approx([0, 0.5, 1])  # B uses a only
    assert list(r.missing) == [0, 1, 0]
    assert any("dinormalkan ulang" in n.id for n in r.notes)


def test_it_leaves_out_constant_and_empty_indicators_with_a_note():
    table = {"kelurahan_code": CODES, "a": [1, 2, 3], "const": [5, 5, 5], "empty": [np.nan] * 3}
    r = priority_index(table, weights={"a": 1, "const": 1, "empty": 1})
    alone = priority_index(table, weights={"a": 1})
    assert r.composite == pytest.approx(alone.composite)
    assert list(r.standardised["const"]) == [0, 0, 0]
    assert set(r.weights) == {"a"}
    texts = " ".join(n.en for n in r.notes)
    assert "same value in every kelurahan" in texts and "no data" in texts


def test_it_reports_when_nothing_discriminates():
    r = priority_index({"kelurahan_code": CODES, "a": [1, 1, 1]}, weights={"a": 1})
    assert np.isnan(r.composite).all() and list(r.rank) == [1, 1, 1]


def test_it_accepts_pandas_and_rejects_bad_input():
    df = pd.DataFrame({"kelurahan_code": CODES, "a": [3, 2, 1]})
    assert list(priority_index(df, weights={"a": 1}).rank) == [1, 2, 3]
    with pytest.raises(KeyError):
        priority_index(df, weights={"zzz": 1})
    with pytest.raises(ValueError):
        priority_index(df, weights={"a": -1})
    with pytest.raises(ValueError):
        priority_index(df, weights={"a": 1}, method="rank")  # type: ignore[arg-type]


def test_it_ranks_ties_together():
    assert list(competition_rank(np.array([3.0, 5.0, 5.0, 1.0, np.nan]))) == [3, 1, 1, 4, 5]


def test_it_maps_the_composite_to_location_weights():
    r = priority_index({"kelurahan_code": CODES, "a": [1, 2, 3]}, weights={"a": 1})
    assert r.location_weights(1.0, 2.0) == pytest.approx({"A": 1.0, "B": 1.5, "C": 2.0})
    assert r.to_table().column_names == ["kelurahan_code", "s_a", "composite", "rank", "missing"]


values = st.lists(st.floats(0, 1000, allow_nan=False), min_size=3, max_size=12)


@settings(max_examples=60, deadline=None)
@given(a=values, b_seed=st.integers(0, 10_000), row=st.integers(0, 11), bump=st.floats(0.01, 500),
       method=st.sampled_from(["zscore", "minmax"]))
def test_it_is_monotone_in_each_positive_indicator(a, b_seed, row, bump, method):
    n = len(a)
    row %= n
    b = np.random.default_rng(b_seed).uniform(0, 100, n)
    codes = [f"k{i}" for i in range(n)]
    before = priority_index({"kelurahan_code": codes, "a": a, "b": b}, weights={"a": 2, "b": 1},
                            method=method)
    raised = list(a)
    raised[row] += bump
    after = priority_index({"kelurahan_code": codes, "a": raised, "b": b}, weights={"a": 2, "b": 1},
                           method=method)
    if not np.isnan(before.composite[row]) and not np.isnan(after.composite[row]):
        assert after.composite[row] >= before.composite[row] - 1e-9


@settings(max_examples=60, deadline=None)
@given(a=values, scale=st.floats(0.001, 1000), w=st.floats(0.1, 10),
       method=st.sampled_from(["zscore", "minmax"]))
def test_it_is_invariant_to_scaling_all_weights(a, scale, w, method):
    n = len(a)
    codes = [f"k{i}" for i in range(n)]
    table = {"kelurahan_code": codes, "a": a, "b": list(range(n))}
    one = priority_index(table, weights={"a": w, "b": 1.0}, method=method)
    two = priority_index(table, weights={"a": w * scale, "b": scale}, method=method)
    assert np.allclose(one.composite, two.composite, equal_nan=True)
    assert list(one.rank) == list(two.rank)


@settings(max_examples=40, deadline=None)
@given(a=values, method=st.sampled_from(["zscore", "minmax"]))
def test_it_gives_identical_kelurahan_the_same_rank(a, method):
    table = {"kelurahan_code": [f"k{i}" for i in range(len(a) + 1)], "a": [*a, a[0]],
             "b": [*range(len(a)), 0]}
    r = priority_index(table, weights={"a": 1, "b": 1}, method=method)
    assert r.rank[0] == r.rank[-1]
    assert sorted(r.rank)[0] == 1
