"""The cleaned registry is cached so routine runs clean only the list; a cached run links exactly as an
uncached one, a changed registry or changed cleaning code never reads a stale cache."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from padu.linkage.engine import Model, SynthData, link
from padu.linkage.engine import cache as cache_module
from padu.linkage.engine.cache import PreparedTable, prepare_registry


def _links(result) -> pd.DataFrame:
    cols = ["left_id", "right_id", "decision", "stage", "evidence_text"]
    return result.links[cols].sort_values("left_id").reset_index(drop=True)


def test_a_cached_run_links_exactly_as_an_uncached_one(city: SynthData, model: Model, tmp_path: Path) -> None:
    left = city.lists.drop(columns=["programme"]).head(1500)
    plain = link(left, city.registry, model=model)
    cold = link(left, city.registry, model=model, cache_dir=tmp_path)
    warm = link(left, city.registry, model=model, cache_dir=tmp_path)
    assert (cold.counts["right_cached"], warm.counts["right_cached"]) == (0, 1)
    assert list(tmp_path.glob("prepared-*.parquet")) and not list(tmp_path.glob(".*tmp"))
    pd.testing.assert_frame_equal(_links(cold), _links(plain))
    pd.testing.assert_frame_equal(_links(warm), _links(plain))
    assert warm.counts == {**plain.counts, "right_cached": 1}


def test_a_prepared_registry_replaces_the_raw_one(city: SynthData, model: Model, tmp_path: Path) -> None:
    left = city.lists.drop(columns=["programme"]).head(800)
    prepared = prepare_registry(city.registry, tmp_path)
    assert isinstance(prepared, PreparedTable) and prepared.rows == len(city.registry)
    assert prepared.path.exists()
    result = link(left, prepared, model=model)
    pd.testing.assert_frame_equal(_links(result), _links(link(left, city.registry, model=model)))


def test_a_changed_registry_gets_a_new_cache_entry(city: SynthData, model: Model, tmp_path: Path) -> None:
    left = city.lists.drop(columns=["programme"]).head(300)
    link(left, city.registry, model=model, cache_dir=tmp_path)
    changed = city.registry.copy()
    changed.loc[changed.index[0], "name"] = "NAMA YANG BERUBAH"
    again = link(left, changed, model=model, cache_dir=tmp_path)
    assert again.counts["right_cached"] == 0
    assert len(list(tmp_path.glob("prepared-*.parquet"))) == 2
    # a key the caller gives (e.g. the registry's version) skips the content digest
    keyed = link(left, changed, model=model, cache_dir=tmp_path, right_key="v7")
    assert keyed.counts["right_cached"] == 0
    assert link(left, changed, model=model, cache_dir=tmp_path, right_key="v7").counts["right_cached"] == 1
    assert len(list(tmp_path.glob("prepared-*.parquet"))) == cache_module.KEEP


def test_changed_cleaning_code_never_reads_an_old_cache(
    city: SynthData, model: Model, tmp_path: Path, monkeypatch
) -> None:
    left = city.lists.drop(columns=["programme"]).head(300)
    link(left, city.registry, model=model, cache_dir=tmp_path)
    monkeypatch.setattr(cache_module, "preparation_digest", lambda: "othercode000")
    assert link(left, city.registry, model=model, cache_dir=tmp_path).counts["right_cached"] == 0


def test_a_damaged_cache_file_is_rebuilt(city: SynthData, model: Model, tmp_path: Path) -> None:
    left = city.lists.drop(columns=["programme"]).head(300)
    first = link(left, city.registry, model=model, cache_dir=tmp_path)
    (path,) = tmp_path.glob("prepared-*.parquet")
    path.write_bytes(b"not parquet")
    again = link(left, city.registry, model=model, cache_dir=tmp_path)
    assert again.counts["right_cached"] == 0
    pd.testing.assert_frame_equal(_links(again), _links(first))
