"""Kelurahan indicators from a person-level table (vectorised, pyarrow). Django-free.

In production the aggregation runs in SQL; this is the same computation for files, tests and the
benchmark. Input: one row per person (a pyarrow Table or pandas DataFrame) with

* ``kelurahan_code``, ``family_id`` (any type);
* ``desil`` (1–10, null = not ranked);
* ``extreme_poor`` (bool, person level);
* family flags, repeated on every member (a family counts when any member row has the flag):
  ``uninhabitable_house``, ``no_latrine``, ``no_safe_water``, ``no_electricity``, ``head_unemployed``.

Missing flag columns give a null indicator (missing, not zero). Definitions:

* a family's desil is the lowest desil among its members; a *poor family* has desil <= ``poor_max_desil``
  (default 2: desil 1 sangat miskin/ekstrem + desil 2 miskin);
* ``poor_family_share`` and ``desil1_share`` are shares of all families in the kelurahan (0–1);
* ``extreme_poor`` counts persons; the housing/head indicators count families.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

FAMILY_FLAGS: dict[str, str] = {
    "uninhabitable_house": "uninhabitable_houses",
    "no_latrine": "no_latrine",
    "no_safe_water": "no_safe_water",
    "no_electricity": "no_electricity",
    "head_unemployed": "unemployed_heads",
}


def indicators_from_persons(
    persons: Any,
    *,
    key: str = "kelurahan_code",
    family: str = "family_id",
    poor_max_desil: int = 2,
) -> pa.Table:
    """One row per kelurahan: ``persons, families, poor_families, poor_family_share, desil1_share,
    extreme_poor`` and the family-flag counts of :data:`FAMILY_FLAGS`; sorted by ``key``."""
    table = persons if isinstance(persons, pa.Table) else pa.Table.from_pandas(persons, preserve_index=False)
    names = set(table.column_names)
    for required in (key, family, "desil"):
        if required not in names:
            raise KeyError(f"kolom '{required}' tidak ada / column '{required}' missing")
    cols: dict[str, Any] = {
        "k": table.column(key),
        "f": table.column(family),
        "desil": table.column("desil").cast(pa.int16()),
    }
    flags = [src for src in FAMILY_FLAGS if src in names]
    for src in flags:
        cols[src] = table.column(src).cast(pa.int8())
    has_extreme = "extreme_poor" in names
    if has_extreme:
        cols["xp"] = table.column("extreme_poor").cast(pa.int8())
    slim = pa.table(cols)
    fam_aggs: list[tuple[str, str]] = [("desil", "min"), ("f", "count")]
    fam_aggs += [(src, "max") for src in flags]
    if has_extreme:
        fam_aggs.append(("xp", "sum"))
    fam = slim.group_by(["k", "f"], use_threads=True).aggregate(fam_aggs)
    d = fam.column("desil_min")
    fam = fam.append_column("poor", pc.cast(pc.fill_null(pc.less_equal(d, poor_max_desil), False), pa.int8()))
    fam = fam.append_column("d1", pc.cast(pc.fill_null(pc.equal(d, 1), False), pa.int8()))
    kel_aggs: list[tuple[str, str]] = [("f_count", "sum"), ("f", "count"), ("poor", "sum"), ("d1", "sum")]
    kel_aggs += [(f"{src}_max", "sum") for src in flags]
    if has_extreme:
        kel_aggs.append(("xp_sum", "sum"))
    kel = fam.group_by("k", use_threads=True).aggregate(kel_aggs)
    k_col = kel.column("k")
    if pa.types.is_dictionary(k_col.type):  # decode the (small) per-kelurahan key before sorting
        kel = kel.set_column(kel.column_names.index("k"), "k", k_col.cast(k_col.type.value_type))
    kel = kel.sort_by("k")
    families = kel.column("f_count")
    out: dict[str, Any] = {
        key: kel.column("k"),
        "persons": kel.column("f_count_sum"),
        "families": families,
        "poor_families": kel.column("poor_sum"),
        "poor_family_share": pc.divide(pc.cast(kel.column("poor_sum"), pa.float64()), families),
        "desil1_share": pc.divide(pc.cast(kel.column("d1_sum"), pa.float64()), families),
    }
    n = kel.num_rows
    out["extreme_poor"] = kel.column("xp_sum_sum") if has_extreme else pa.nulls(n, pa.int64())
    for src, dst in FAMILY_FLAGS.items():
        out[dst] = kel.column(f"{src}_max_sum") if src in flags else pa.nulls(n, pa.int64())
    return pa.table(out)


def join_indicators(base: pa.Table, extra: pa.Table, *, key: str = "kelurahan_code") -> pa.Table:
    """Add imported indicators (e.g. ``stunting_cases`` from e-PPGBM) by kelurahan; absent = null."""
    want = base.schema.field(key).type
    if extra.schema.field(key).type != want:  # e.g. large_string from pandas vs string
        extra = extra.set_column(extra.column_names.index(key), key, extra.column(key).cast(want))
    return base.join(extra, keys=key, join_type="left outer").sort_by(key)
