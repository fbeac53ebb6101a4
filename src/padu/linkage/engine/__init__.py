"""Padu's record-linkage engine (Django-free): beneficiary lists against the social registry.

Public API::

    link(left, right, *, model=None, thresholds=Thresholds(), engine="duckdb",
         cache_dir=None, right_key=None) -> LinkResult
    prepare_registry(right, cache_dir, key=None) -> PreparedTable   (clean once; pass as ``right``)
    lookup(cache_dir, key) -> PreparedTable | None
    train(registry, *, sample_left=None, u_pairs=3e5, seed=1) -> Model
    Model.save(path) / Model.load(path)
    evaluate(links, truth_pairs, *, n_left=None, candidates=None) -> dict
    normalise_name(text), phonetic_key(text), sorted_key(text), normalise_nik(value)
    read_records(path, mapping=None) -> DataFrame            (CSV/XLSX -> canonical columns)

Inputs are pandas DataFrames or pyarrow Tables with the canonical columns ``record_id`` (required),
``name``, ``id_number``, ``kk``, ``birth_date``, ``sex``, ``address``, ``rt``, ``rw``, ``region_code``,
``mother_name``. See docs/linkage.md.
"""

from padu.linkage.engine.cache import PreparedTable, lookup, prepare_registry
from padu.linkage.engine.evaluate import evaluate
from padu.linkage.engine.evidence import evidence_text
from padu.linkage.engine.io import read_records
from padu.linkage.engine.link import LINK_COLUMNS, LinkResult, Thresholds, link
from padu.linkage.engine.model import Model, prior_model, train
from padu.linkage.engine.normalise import (
    name_tokens,
    nik15,
    normalise_name,
    normalise_nik,
    phonetic_key,
    phonetic_token,
    sorted_key,
)
from padu.linkage.engine.synthdata import SynthData, load_synth

__all__ = [
    "LINK_COLUMNS",
    "LinkResult",
    "Model",
    "PreparedTable",
    "SynthData",
    "Thresholds",
    "evaluate",
    "evidence_text",
    "link",
    "load_synth",
    "lookup",
    "name_tokens",
    "nik15",
    "normalise_name",
    "normalise_nik",
    "phonetic_key",
    "phonetic_token",
    "prepare_registry",
    "prior_model",
    "read_records",
    "sorted_key",
    "train",
]
