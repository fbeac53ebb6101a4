"""``link(left, right)``: the two-stage linkage of a beneficiary list (left) to a registry (right).

1. Both tables are cleaned in DuckDB (:mod:`.prepare`).
2. Stage 1 (:mod:`.exact`): valid NIK (or KK + same name) links, ``nik_conflict`` findings.
3. Stage 2: Splink (DuckDB, or Spark with ``engine="spark"``) scores the blocked candidate pairs of
   the left rows stage 1 did not link, with a saved model whose m are first calibrated on this
   list's own stage-1 NIK links (:func:`.posterior.calibrate_m`; ``calibrate=False`` to skip).
4. Best link: each left row keeps its highest-weight candidate, with the record-level posterior that
   it is the row's partner (:func:`.posterior.record_posteriors`); ``auto`` when that posterior is
   at or above ``thresholds.upper`` and no second candidate is nearly as strong (within
   ``thresholds.margin`` match weight: two members of one household), ``review`` otherwise,
   unmatched when no candidate is likely enough (below ``thresholds.lower``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from padu.linkage.engine.cache import PreparedTable, load_prepared, prepare_cached
from padu.linkage.engine.evidence import ORDER, STAGE_TEXT, evidence_text
from padu.linkage.engine.exact import run_exact
from padu.linkage.engine.levels import gammas
from padu.linkage.engine.model import Model, prior_model
from padu.linkage.engine.posterior import calibrate_m, record_posteriors
from padu.linkage.engine.prepare import connect, prepare

LINK_COLUMNS = ["left_id", "right_id", "probability", "match_weight", "stage", "decision",
                "evidence_text", "evidence"]  # fmt: skip


def weight(probability: float) -> float:
    """Match weight (log2 odds) of a probability."""
    p = min(max(probability, 1e-12), 1 - 1e-12)
    return math.log2(p / (1 - p))


@dataclass(frozen=True)
class Thresholds:
    """When a stage-2 link is auto-accepted, sent to review, or left unmatched.

    * ``upper`` applies to the **record-level posterior** (:mod:`.posterior`): the probability that
      the row's best candidate is its partner, given that the row is at most one registry person,
      the other candidates it has, and the share of stage-2 rows with a partner (estimated from the
      run without labels). At or above ``upper``: auto; below: review.
    * ``lower`` applies to the probability that *one of* the row's candidates is its partner (the
      same posterior summed over them): below it the row is unmatched, listed as a recipient not
      found in the registry; at or above it, a row whose best candidate is not sure enough goes
      to review (e.g. two household members equally close: each at most 0.5, together near 1).
    * ``margin``: a best candidate whose runner-up for the same row is within this many match-weight
      bits goes to review (two members of one household); the posterior of such a row is at most
      ``1 / (1 + 2 ** -margin)`` anyway.

    The defaults are fixed without labels: ``upper`` = 0.99 is a probability of the model's own (at
    most one wrong auto link in a hundred at the threshold, far fewer on average: the expected
    number, ``sum(1 - posterior)``, is reported per run as ``calibration["expected_false_auto"]``);
    ``lower`` = 0.5 (as likely in the registry as not). Version 1 of this engine put ``upper`` =
    0.999 and ``lower`` = 0.5 on Splink's pairwise probability (prior ``0.9 / N``); see
    docs/linkage.md for both, measured.
    """

    lower: float = 0.5
    upper: float = 0.99
    margin: float = 3.0

    def __post_init__(self) -> None:
        if not 0.0 < self.lower <= self.upper < 1.0:
            raise ValueError("0 < lower <= upper < 1 wajib / required")


@dataclass
class LinkResult:
    """What :func:`link` found. ``links``: one row per linked left row (columns ``LINK_COLUMNS``)."""

    links: pd.DataFrame
    unmatched: list[str]
    findings: pd.DataFrame  # left_id, right_id, kind
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    thresholds: Thresholds = field(default_factory=Thresholds)
    candidates: pd.DataFrame | None = None  # left_id, right_id, match_weight (keep_candidates=True)
    # label-free calibration of the run: m counted on the NIK links, pi, expected false auto links
    calibration: dict[str, Any] = field(default_factory=dict)

    @property
    def accepted(self) -> pd.DataFrame:
        return self.links[self.links["decision"] == "auto"]

    @property
    def review(self) -> pd.DataFrame:
        return self.links[self.links["decision"] == "review"]


_S1_NAME = """CASE WHEN l.name_ph IS NULL OR r.name_ph IS NULL THEN 'null'
    WHEN l.name_std = r.name_std THEN 'exact' WHEN l.name_sorted = r.name_sorted THEN 'sorted'
    WHEN jaro_winkler_similarity(l.name_ph, r.name_ph) >= 0.95 THEN 'jw95'
    WHEN jaro_winkler_similarity(l.name_ph, r.name_ph) >= 0.88 THEN 'jw88'
    WHEN len(list_intersect(l.name_tokens, r.name_tokens)) > 0 THEN 'token'
    WHEN jaro_winkler_similarity(l.name_ph, r.name_ph) >= 0.75 THEN 'jw75' ELSE 'else' END"""
_S1_DOB = """CASE WHEN NOT l.dob_given OR r.dob IS NULL THEN 'null' WHEN l.dob = r.dob THEN 'exact'
    WHEN l.dob_swap = r.dob THEN 'swap' WHEN levenshtein(l.dob, r.dob) <= 1 THEN 'edit1' ELSE 'else' END"""


def _stage1_links(con: Any) -> pd.DataFrame:
    rows = con.execute(f"""
        SELECT s.left_id, s.right_id, s.stage, {_S1_NAME} AS name, {_S1_DOB} AS birth_date,
               CASE WHEN s.stage = 'nik' THEN 'exact' ELSE 'null' END AS nik,
               CASE WHEN s.stage = 'kk' THEN 'exact' ELSE 'null' END AS kk
        FROM s1_links s JOIN l ON l.record_id = s.left_id JOIN r ON r.record_id = s.right_id
    """).fetchall()
    out = []
    for left_id, right_id, stage, name, dob, nik, kk in rows:
        evidence = {"nik": nik, "name": name, "birth_date": dob, "kk": kk}
        text = evidence_text(evidence) or STAGE_TEXT[stage]
        out.append((left_id, right_id, 1.0, math.inf, stage, "auto", text, evidence))
    return pd.DataFrame(out, columns=LINK_COLUMNS)


def _best_links(
    con: Any, table: str, model: Model, thresholds: Thresholds, settings: dict[str, Any], n_rows: int
) -> tuple[pd.DataFrame, dict[str, float]]:
    """The best candidate per stage-2 row with its record posterior and decision; returns the links
    and ``{"pi": ..., "expected_false_auto": ...}`` (label-free, from the posteriors)."""
    labels = model.level_labels()
    gamma_cols = [f"gamma_{name}" for name in labels]
    record, pi = record_posteriors(con, table, settings, n_rows)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE s2_best AS
        SELECT left_id, right_id, posterior, match_weight, second FROM {record}
        WHERE p_partner >= {float(thresholds.lower)}
    """)
    gammas(con, model.splink, "s2_best", "l2", "r", "s2_gammas")
    rows = con.execute(f"""
        SELECT b.left_id, b.right_id, b.posterior, b.match_weight, b.second, {", ".join(gamma_cols)}
        FROM s2_best b JOIN s2_gammas g USING (left_id, right_id)
    """).fetchall()
    names = list(labels)
    out = []
    expected_false = 0.0
    for row in rows:
        left_id, right_id, prob, mw, second = row[:5]
        evidence = {name: labels[name].get(int(g), str(g)) for name, g in zip(names, row[5:], strict=True)}
        evidence = {k: evidence[k] for k in ORDER if k in evidence}
        ambiguous = second is not None and mw - second < thresholds.margin
        decision = "auto" if prob >= thresholds.upper and not ambiguous else "review"
        text = evidence_text(evidence)
        if ambiguous:
            text += "; ada calon lain yang hampir sama kuat"
        elif second is None:
            text += "; satu-satunya calon"
        if decision == "auto":
            expected_false += 1.0 - float(prob)
        out.append((left_id, right_id, float(prob), float(mw), "probabilistic", decision, text, evidence))
    info = {"pi": round(pi, 4), "expected_false_auto": round(expected_false, 1)}
    return pd.DataFrame(out, columns=LINK_COLUMNS), info


def _reachable_right(con: Any, settings: dict[str, Any]) -> int:
    """``r2``: the registry rows some blocking rule pairs with a stage-2 left row (a semi-join per rule).

    Splink copies its inputs into one concatenated table before blocking; handing it the few
    registry rows that can be paired at all, instead of the whole registry, gives the same candidate
    pairs (a pair needs a rule that holds) at a fraction of the cost."""
    rules = [
        rule["blocking_rule"] if isinstance(rule, dict) else str(rule)
        for rule in settings["blocking_rules_to_generate_predictions"]
    ]
    # one semi-join per rule, keeping only the ids: a single filter with the rules' EXISTS ORed made
    # DuckDB hold 1.0-1.5 GB above the data for a million registry rows, this under 0.2 GB
    reach = " UNION ".join(
        f"SELECT r.record_id FROM r AS r WHERE EXISTS (SELECT 1 FROM l2 AS l WHERE {rule})" for rule in rules
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE r2_ids AS {reach}")
    con.execute("CREATE OR REPLACE TEMP TABLE r2 AS SELECT * FROM r WHERE record_id IN (FROM r2_ids)")
    con.execute("DROP TABLE r2_ids")
    return int(con.execute("SELECT count(*) FROM r2").fetchall()[0][0])


def tf_columns(settings: dict[str, Any]) -> list[str]:
    """Columns whose exact-match level is adjusted by term frequency in ``settings``."""
    out = []
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            column = level.get("tf_adjustment_column")
            if column and column not in out:
                out.append(column)
    return out


def term_frequencies(con: Any, column: str) -> str:
    """Term frequencies of ``column`` over the whole registry ``r`` (not the blocked subset ``r2``,
    whose frequencies are skewed towards the names on the list); returns the table name."""
    table = f"tf_{column}"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT "{column}", count(*)::DOUBLE / sum(count(*)) OVER () AS "tf_{column}"
        FROM r WHERE "{column}" IS NOT NULL GROUP BY 1
    """)
    return table


def _predict_duckdb(con: Any, settings: dict[str, Any]) -> tuple[str, int]:
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI(connection=con)
    linker = Linker(
        [
            db_api.register("l2", dataset_display_name="left"),
            db_api.register("r2", dataset_display_name="right"),
        ],
        settings,
        log_level=None,  # leave Splink's logging to the caller: no INFO lines on the CLI
    )
    for column in tf_columns(settings):
        table = term_frequencies(con, column)
        linker.table_management.register_term_frequency_lookup(db_api.register(table), column)
    pred = linker.inference.predict()
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE s2_pairs AS
        SELECT record_id_l AS left_id, record_id_r AS right_id, * EXCLUDE (record_id_l, record_id_r)
        FROM {pred.physical_name}
    """)
    pred.drop_table_from_database_and_remove_from_cache()
    return "s2_pairs", int(con.execute("SELECT count(*) FROM s2_pairs").fetchall()[0][0])


def link(
    left: Any,
    right: Any,
    *,
    model: Model | None = None,
    thresholds: Thresholds | None = None,
    engine: str = "duckdb",
    threads: int | None = None,
    keep_candidates: bool = False,
    spark_session: Any = None,
    cache_dir: str | Path | None = None,
    right_key: str | None = None,
    calibrate: bool = True,
) -> LinkResult:
    """Link ``left`` (a list) to ``right`` (a registry); both pandas DataFrames or pyarrow Tables
    with canonical columns (see :mod:`.prepare`). ``model``: a trained :class:`Model` (default: the
    untrained priors). ``engine``: ``"duckdb"`` or ``"spark"`` (Splink's Spark backend in local mode
    for stage 2; ``spark_session`` to reuse one).

    Routine runs: with ``cache_dir`` the cleaned registry is kept there (:mod:`.cache`, keyed by its
    content or by ``right_key``, a version string the caller has) and later runs clean only ``left``;
    ``right`` may also be a :class:`.cache.PreparedTable` from :func:`.cache.prepare_registry`.

    ``calibrate``: count the m of name, birth date, sex, KK, address and mother's name on this
    list's stage-1 NIK links before scoring (label-free; see :mod:`.posterior`). ``probability`` of
    a stage-2 link is the record-level posterior; ``match_weight`` stays Splink's pairwise weight."""
    if engine not in {"duckdb", "spark"}:
        raise ValueError(f"engine must be 'duckdb' or 'spark', not {engine!r}")
    thresholds = thresholds or Thresholds()
    model = model or prior_model()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    con = connect(threads)
    n_left = prepare(con, left, "l")
    timings["prepare_left"] = time.perf_counter() - t0
    t = time.perf_counter()
    cache_hit = False
    if isinstance(right, PreparedTable):
        n_right, cache_hit = load_prepared(con, right, "r"), True
    elif cache_dir is not None:
        n_right, cache_hit = prepare_cached(con, right, "r", cache_dir, right_key)
    else:
        n_right = prepare(con, right, "r")
    timings["prepare_right"] = time.perf_counter() - t
    timings["prepare"] = time.perf_counter() - t0

    t = time.perf_counter()
    counts: dict[str, int] = {"left": n_left, "right": n_right, "right_cached": int(cache_hit)}
    counts.update(run_exact(con))
    con.execute("""
        CREATE OR REPLACE TEMP TABLE l2 AS
        SELECT * REPLACE (
            CASE WHEN c.left_id IS NULL THEN nik END AS nik,
            CASE WHEN c.left_id IS NULL THEN nik_cmp END AS nik_cmp,
            CASE WHEN c.left_id IS NULL THEN nik15 END AS nik15)
        FROM l LEFT JOIN s1_conflict c ON c.left_id = l.record_id
        WHERE l.record_id NOT IN (SELECT left_id FROM s1_links)
    """)
    # Splink does not accept extra columns named like its own; drop the join helper.
    con.execute("ALTER TABLE l2 DROP COLUMN left_id")
    counts["stage2_left"] = int(con.execute("SELECT count(*) FROM l2").fetchall()[0][0])
    timings["exact"] = time.perf_counter() - t

    t = time.perf_counter()
    settings = model.settings_for(n_right)
    calibration: dict[str, Any] = {}
    if calibrate and counts["stage2_left"]:
        calibration = calibrate_m(con, settings)
    if counts["stage2_left"] == 0:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE s2_pairs AS SELECT NULL::VARCHAR AS left_id, "
            "NULL::VARCHAR AS right_id, 0.0 AS match_weight, 0.0 AS match_probability LIMIT 0"
        )
        n_pairs, table = 0, "s2_pairs"
        stage2 = pd.DataFrame(columns=LINK_COLUMNS)
    else:
        counts["stage2_right"] = _reachable_right(con, settings)
        if engine == "spark":
            from padu.linkage.engine.spark import predict_spark

            table, n_pairs = predict_spark(con, settings, spark_session)
        else:
            table, n_pairs = _predict_duckdb(con, settings)
        stage2, info = _best_links(con, table, model, thresholds, settings, counts["stage2_left"])
        calibration.update(info)
    counts["pairs_compared"] = n_pairs + counts["nik_pairs"]
    timings["probabilistic"] = time.perf_counter() - t

    t = time.perf_counter()
    stage1 = _stage1_links(con)
    parts = [df for df in (stage1, stage2) if len(df)]
    links = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=LINK_COLUMNS)
    linked = set(links["left_id"])
    all_left = [row[0] for row in con.execute("SELECT record_id FROM l").fetchall()]
    unmatched = [rid for rid in all_left if rid not in linked]
    findings = con.execute("SELECT left_id, right_id, kind FROM s1_findings").df()
    candidates = None
    if keep_candidates:
        candidates = con.execute(f"""
            SELECT left_id, right_id, match_weight FROM {table}
            UNION ALL SELECT left_id, right_id, 1e9 FROM s1_pairs
        """).df()
    con.close()
    counts.update(
        links=len(links),
        auto=int((links["decision"] == "auto").sum()),
        review=int((links["decision"] == "review").sum()),
        unmatched=len(unmatched),
    )
    timings["finish"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    return LinkResult(links, unmatched, findings, timings, counts, thresholds, candidates, calibration)
