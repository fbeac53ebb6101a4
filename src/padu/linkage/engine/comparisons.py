"""Splink comparisons and blocking rules of Padu's linkage model (columns from :mod:`.prepare`).

Each level's ``label_for_charts`` is a machine key (``"nik:one_digit"``) that :mod:`.evidence` renders
as Bahasa Indonesia. Levels use Splink's dialect-aware library (DuckDB and Spark); the few custom
levels are plain SQL both dialects share. The m probabilities below are priors (starting values for
EM, and the values used when a model is trained without a sample list).
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import block_on

# field -> [(level key, m prior)], strongest first; the null level has no key here.
LEVELS: dict[str, list[tuple[str, float]]] = {
    "name": [("exact", 0.78), ("sorted", 0.03), ("jw95", 0.07), ("jw88", 0.05), ("token", 0.04),
             ("jw75", 0.02), ("else", 0.01)],
    "birth_date": [("exact", 0.95), ("swap", 0.008), ("edit1", 0.02), ("year1", 0.005),
                   ("days31", 0.007), ("else", 0.01)],
    "sex": [("exact", 0.985), ("else", 0.015)],
    "nik": [("exact", 0.92), ("one_digit", 0.03), ("transposed", 0.008), ("nik15", 0.01),
            ("two_digits", 0.01), ("else", 0.022)],
    "kk": [("exact", 0.85), ("one_digit", 0.03), ("else", 0.12)],
    "region": [("exact", 0.80), ("kecamatan", 0.05), ("else", 0.15)],
    "rt_rw": [("exact", 0.88), ("rw", 0.05), ("else", 0.07)],
    "address": [("jw92", 0.85), ("jw80", 0.08), ("else", 0.07)],
    "mother": [("jw92", 0.9), ("token", 0.04), ("else", 0.06)],
}  # fmt: skip
# Columns whose null level is decided by one input column.
NULL_COLUMN = {"name": "name_ph", "birth_date": "dob", "sex": "sex", "nik": "nik15", "kk": "kk",
               "region": "kec", "rt_rw": "rw", "address": "address", "mother": "mother_ph"}  # fmt: skip


def _cfg(level: Any, field: str, key: str) -> Any:
    m = dict(LEVELS[field])[key]
    return level.configure(m_probability=m, label_for_charts=f"{field}:{key}")


def comparisons() -> list[Any]:
    """The nine comparisons, in the order of :data:`LEVELS`."""

    def null(field: str) -> Any:
        return cll.NullLevel(NULL_COLUMN[field]).configure(label_for_charts=f"{field}:null")

    def null_or_moved(field: str) -> Any:
        # RT/RW and street only mean something inside one kelurahan: across kelurahan (a family that
        # moved, a stale list) they carry no evidence, so a move is counted once (by ``region``), not
        # three times as if region, RT/RW and street were independent.
        return cll.Or(cll.NullLevel(NULL_COLUMN[field]), custom("region_l <> region_r")).configure(
            is_null_level=True, label_for_charts=f"{field}:null"
        )

    def custom(sql: str) -> Any:
        return cll.CustomLevel(sql, base_dialect_str="duckdb")

    name = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            null("name"),
            # a rare name agreeing says more than a common one: weight adjusted by the name's frequency
            # in the registry (``link`` registers the frequencies of the whole registry)
            _cfg(cll.ExactMatchLevel("name_std", term_frequency_adjustments=True), "name", "exact"),
            _cfg(cll.ExactMatchLevel("name_sorted"), "name", "sorted"),
            _cfg(cll.JaroWinklerLevel("name_ph", 0.95), "name", "jw95"),
            _cfg(
                cll.Or(cll.JaroWinklerLevel("name_ph", 0.88), cll.JaroWinklerLevel("name_sorted", 0.9)),
                "name",
                "jw88",
            ),
            _cfg(cll.ArrayIntersectLevel("name_tokens", 1), "name", "token"),
            _cfg(cll.JaroWinklerLevel("name_ph", 0.75), "name", "jw75"),
            _cfg(cll.ElseLevel(), "name", "else"),
        ],
    )
    dob = cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            null("birth_date"),
            _cfg(cll.ExactMatchLevel("dob"), "birth_date", "exact"),
            _cfg(custom("dob_swap_l = dob_r OR dob_l = dob_swap_r"), "birth_date", "swap"),
            _cfg(cll.LevenshteinLevel("dob", 1), "birth_date", "edit1"),
            _cfg(
                custom(
                    "substr(dob_l, 6, 5) = substr(dob_r, 6, 5) AND "
                    "abs(CAST(substr(dob_l, 1, 4) AS INTEGER) - CAST(substr(dob_r, 1, 4) AS INTEGER)) = 1"
                ),
                "birth_date",
                "year1",
            ),
            _cfg(
                cll.AbsoluteDateDifferenceLevel("dob", input_is_string=True, threshold=31, metric="day"),
                "birth_date",
                "days31",
            ),
            _cfg(cll.ElseLevel(), "birth_date", "else"),
        ],
    )
    sex = cl.CustomComparison(
        output_column_name="sex",
        comparison_levels=[
            null("sex"),
            _cfg(cll.ExactMatchLevel("sex"), "sex", "exact"),
            _cfg(cll.ElseLevel(), "sex", "else"),
        ],
    )
    nik = cl.CustomComparison(
        output_column_name="nik",
        comparison_levels=[
            null("nik"),
            _cfg(cll.ExactMatchLevel("nik_cmp"), "nik", "exact"),
            _cfg(cll.LevenshteinLevel("nik_cmp", 1), "nik", "one_digit"),
            _cfg(cll.DamerauLevenshteinLevel("nik_cmp", 1), "nik", "transposed"),
            _cfg(cll.ExactMatchLevel("nik15"), "nik", "nik15"),
            _cfg(cll.DamerauLevenshteinLevel("nik15", 2), "nik", "two_digits"),
            _cfg(cll.ElseLevel(), "nik", "else"),
        ],
    )
    kk = cl.CustomComparison(
        output_column_name="kk",
        comparison_levels=[
            null("kk"),
            _cfg(cll.ExactMatchLevel("kk"), "kk", "exact"),
            _cfg(cll.DamerauLevenshteinLevel("kk", 1), "kk", "one_digit"),
            _cfg(cll.ElseLevel(), "kk", "else"),
        ],
    )
    region = cl.CustomComparison(
        output_column_name="region",
        comparison_levels=[
            null("region"),
            _cfg(cll.ExactMatchLevel("region"), "region", "exact"),
            _cfg(cll.ExactMatchLevel("kec"), "region", "kecamatan"),
            _cfg(cll.ElseLevel(), "region", "else"),
        ],
    )
    rt_rw = cl.CustomComparison(
        output_column_name="rt_rw",
        comparison_levels=[
            null_or_moved("rt_rw"),
            _cfg(cll.And(cll.ExactMatchLevel("rw"), cll.ExactMatchLevel("rt")), "rt_rw", "exact"),
            _cfg(cll.ExactMatchLevel("rw"), "rt_rw", "rw"),
            _cfg(cll.ElseLevel(), "rt_rw", "else"),
        ],
    )
    address = cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            null_or_moved("address"),
            _cfg(cll.JaroWinklerLevel("address", 0.92), "address", "jw92"),
            _cfg(cll.JaroWinklerLevel("address", 0.8), "address", "jw80"),
            _cfg(cll.ElseLevel(), "address", "else"),
        ],
    )
    mother = cl.CustomComparison(
        output_column_name="mother",
        comparison_levels=[
            null("mother"),
            _cfg(cll.JaroWinklerLevel("mother_ph", 0.92), "mother", "jw92"),
            _cfg(cll.ExactMatchLevel("mother_first"), "mother", "token"),
            _cfg(cll.ElseLevel(), "mother", "else"),
        ],
    )
    return [name, dob, sex, nik, kk, region, rt_rw, address, mother]


def blocking_rules() -> list[Any]:
    """Candidate pairs: any rule that holds. Chosen so each single fault of a list row (a missing,
    damaged or mistyped NIK; a misspelt, swapped or nicknamed name; a wrong birth date; a move) leaves
    at least one rule standing, with about a dozen candidates per row against a million persons."""
    return [
        block_on("nik_cmp"),
        block_on("nik15"),
        block_on("substr(nik_cmp, 1, 12)"),
        block_on("kk", "name_first"),
        block_on("kk", "dob"),
        block_on("dob", "region"),
        block_on("dob", "name_first"),
        block_on("dob", "name_last"),
        block_on("dob", "mother_first"),
        # no NIK, moved and a typo in a one-word name ("NEBENG" for NENENG): birth date + initial
        block_on("dob", "substr(name_ph, 1, 1)"),
        block_on("dob_nik", "name_first"),
        block_on("name_sorted", "kec"),
        block_on("name_sorted", "substr(dob, 1, 4)"),
        block_on("name_first", "region", "rw", "rt"),
    ]


def settings(probability_two_random_records_match: float = 1e-6, dialect: str = "duckdb") -> dict[str, Any]:
    """Splink settings (``link_only``; ``record_id`` is the unique id) in ``dialect``'s SQL."""
    from splink import SettingsCreator

    creator = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="record_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=blocking_rules(),
        probability_two_random_records_match=probability_two_random_records_match,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=[],
    )
    return creator.get_settings(dialect).as_dict()


def translate(trained: dict[str, Any], dialect: str) -> dict[str, Any]:
    """``trained`` (DuckDB SQL) with its levels' SQL rebuilt for ``dialect``, parameters kept.

    Splink does not transpile every DuckDB function (``list_intersect``), so the levels are created
    again from the library for the other dialect and the trained m/u copied level by level."""
    out = settings(float(trained.get("probability_two_random_records_match", 1e-6)), dialect)
    for target, source in zip(out["comparisons"], trained["comparisons"], strict=True):
        for t_level, s_level in zip(target["comparison_levels"], source["comparison_levels"], strict=True):
            for key in ("m_probability", "u_probability"):
                if key in s_level:
                    t_level[key] = s_level[key]
    for key in ("link_type", "retain_intermediate_calculation_columns", "unique_id_column_name"):
        if key in trained:
            out[key] = trained[key]
    out["sql_dialect"] = dialect
    return out
