"""Label-free calibration of one run: m from the list's own NIK links, and a record-level posterior.

Splink scores each candidate pair on its own, with the prior "one random registry person in N is
this row" (``lambda = 0.9 / N``). Two things the pairwise score does not use, both estimated from
the run itself without labels:

* **m from this list's NIK links** (:func:`calibrate_m`). Stage 1 links rows whose valid NIK agrees
  (and whose name and birth date do not both contradict it). Those pairs are the same person with
  near certainty and were not selected by name, birth date, address, KK or mother's name, so the
  share of them at each level of those comparisons is a direct count of m for *this* list: how many
  of its recipients moved, how often its names carry typos. Each m is the count smoothed towards the
  saved model's m (``prior_pairs`` pseudo-pairs), so a small list keeps the model's values.
* **Record-level posterior** (:func:`record_posteriors`). A list row is at most one registry person.
  With ``pi`` the share of stage-2 rows that have a partner in the registry and ``q_k = BF_k / N``
  (Bayes factor of candidate k over the registry size), the probability that the best candidate is
  the row's partner is ``pi q_best / ((1 - pi) + pi sum_k q_k)``: it rises when the row has no
  other plausible candidate and falls when a second person is nearly as close (two members of one
  household, two people of the same name and birth date). Likewise ``pi sum_k q_k / ((1 - pi) +
  pi sum_k q_k)`` is the probability that *some* candidate is the partner (the row is in the
  registry, whoever it is). ``pi`` is the fixed point of
  ``pi = mean_i P(row i has a partner)`` over the stage-2 rows (EM for a two-class mixture), so it
  is estimated from the scores themselves, not from labels; as if ``PI_PRIOR_ROWS`` more rows, half
  of them with a partner, had been seen (a list of a few rows keeps ``pi`` near 0.5, the odds the
  pairwise prior ``0.9 / N`` implies), and clamped to ``[PI_MIN, PI_MAX]``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from padu.linkage.engine.levels import gammas

# Comparisons whose m is counted on the NIK links (the NIK comparison itself selected them).
CALIBRATED = ("name", "birth_date", "sex", "kk", "region", "rt_rw", "address", "mother")
PI_MIN, PI_MAX = 0.05, 0.98
PI_PRIOR_ROWS = 10.0
# A calibrated m is kept at or above the model's m divided by this: the list's own NIK links may be
# cleaner than its rows without a NIK, so no level becomes a veto it was not in the model.
M_FLOOR_FACTOR = 4.0


def calibrate_m(con: Any, settings: dict[str, Any], *, prior_pairs: float = 200.0) -> dict[str, Any]:
    """Set m of the :data:`CALIBRATED` comparisons in ``settings`` (in place) from the stage-1 NIK
    links in ``s1_links`` (tables ``l``/``r``). Returns ``{"pairs": n, "m": {level label: m}}``."""
    con.execute("CREATE OR REPLACE TEMP TABLE s1_nik_pairs AS SELECT left_id, right_id FROM s1_links "
                "WHERE stage = 'nik'")  # fmt: skip
    n_pairs = int(con.execute("SELECT count(*) FROM s1_nik_pairs").fetchall()[0][0])
    report: dict[str, Any] = {"pairs": n_pairs, "m": {}}
    if n_pairs == 0:
        return report
    gammas(con, settings, "s1_nik_pairs", "l", "r", "s1_gammas")
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        if name not in CALIBRATED:
            continue
        rows = dict(con.execute(f"SELECT gamma_{name}, count(*) FROM s1_gammas GROUP BY 1").fetchall())
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        total = sum(c for g, c in rows.items() if g != -1)
        new = []
        for i, level in enumerate(levels):
            count = rows.get(len(levels) - 1 - i, 0)
            prior = float(level.get("m_probability") or 0.0)
            new.append(max((count + prior_pairs * prior) / (total + prior_pairs), prior / M_FLOOR_FACTOR))
        for i, (level, m) in enumerate(zip(levels, new, strict=True)):
            level["m_probability"] = m / sum(new)
            report["m"][level.get("label_for_charts", f"{name}:{i}")] = round(level["m_probability"], 5)
    con.execute("DROP TABLE s1_gammas; DROP TABLE s1_nik_pairs")
    return report


def estimate_pi(sums: np.ndarray, n_rows: int, *, iterations: int = 200) -> float:
    """Share of the ``n_rows`` stage-2 rows with a registry partner, from ``sums`` (per row with
    candidates, ``sum_k q_k``); rows without candidates count as having none. EM fixed point."""
    if n_rows <= 0:
        return PI_MIN
    pi = 0.5
    for _ in range(iterations):
        post = pi * sums / ((1.0 - pi) + pi * sums)
        new = (float(post.sum()) + PI_PRIOR_ROWS / 2) / (n_rows + PI_PRIOR_ROWS)
        new = min(max(new, PI_MIN), PI_MAX)
        if abs(new - pi) < 1e-7:
            return new
        pi = new
    return pi


def record_posteriors(con: Any, table: str, settings: dict[str, Any], n_rows: int) -> tuple[str, float]:
    """Table ``s2_record``: per left row of ``table`` (scored pairs) its best candidate
    (``right_id``, ``match_weight``, ``match_probability``), the runner-up's weight ``second``,
    ``posterior``, the record-level probability that the best candidate is the row's partner, and
    ``p_partner``, the probability that one of the row's candidates is (``posterior`` <= ``p_partner``).
    Returns the table name and the estimated ``pi``."""
    lam = float(settings["probability_two_random_records_match"])
    # q = BF / N with BF = 2 ** (match_weight - log2(lam / (1 - lam))) and N = 0.9 / lam
    log2_scale = -math.log2(lam / (1.0 - lam)) + math.log2(lam / 0.9)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE s2_record AS
        SELECT left_id, any_value(right_id) FILTER (rn = 1) AS right_id,
               max(match_weight) AS match_weight,
               any_value(match_probability) FILTER (rn = 1) AS match_probability,
               max(match_weight) FILTER (rn = 2) AS second,
               sum(pow(2.0, least(match_weight, 1000) + {log2_scale})) AS q_sum,
               pow(2.0, max(match_weight) + {log2_scale}) AS q_best
        FROM (SELECT *, row_number() OVER (PARTITION BY left_id ORDER BY match_weight DESC, right_id) AS rn
              FROM {table})
        GROUP BY left_id
    """)
    sums = np.array([r[0] for r in con.execute("SELECT q_sum FROM s2_record").fetchall()], dtype=float)
    pi = estimate_pi(sums, n_rows)
    con.execute(f"""
        ALTER TABLE s2_record ADD COLUMN posterior DOUBLE;
        ALTER TABLE s2_record ADD COLUMN p_partner DOUBLE;
        UPDATE s2_record SET posterior = {pi} * q_best / ((1 - {pi}) + {pi} * q_sum),
                             p_partner = {pi} * q_sum / ((1 - {pi}) + {pi} * q_sum);
    """)
    return "s2_record", pi
