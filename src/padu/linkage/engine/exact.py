"""Stage 1: deterministic links on a valid NIK (and on KK + the same name, for family lists).

A pair sharing a valid NIK is a link unless the name *and* the birth date both contradict it; then
the NIK was typed onto the wrong person: a ``nik_conflict`` finding, and the left row goes on to
stage 2 without its NIK. A NIK held by several registry persons is a ``nik_duplicate`` finding; the
most consistent of them is linked.
"""

from __future__ import annotations

from typing import Any

# SQL predicates over the columns of l (left) and r (right) prepared by .prepare.
NAME_OK = """(l.name_ph IS NULL OR r.name_ph IS NULL OR l.name_sorted = r.name_sorted
    OR jaro_winkler_similarity(l.name_ph, r.name_ph) >= 0.85
    OR jaro_winkler_similarity(l.name_sorted, r.name_sorted) >= 0.85
    OR len(list_intersect(l.name_tokens, r.name_tokens)) > 0)"""
NAME_STRONG = """(l.name_sorted = r.name_sorted OR jaro_winkler_similarity(l.name_ph, r.name_ph) >= 0.92)"""
DOB_OK = """(NOT l.dob_given OR r.dob IS NULL OR l.dob = r.dob OR l.dob_swap = r.dob
    OR levenshtein(l.dob, r.dob) <= 1 OR abs(date_diff('day', CAST(l.dob AS DATE), CAST(r.dob AS DATE))) <= 31
    OR (substr(l.dob, 6, 5) = substr(r.dob, 6, 5)
        AND abs(CAST(substr(l.dob, 1, 4) AS INTEGER) - CAST(substr(r.dob, 1, 4) AS INTEGER)) = 1))"""
DOB_EXACT = "(l.dob_given AND l.dob = r.dob)"


def run_exact(con: Any, left: str = "l", right: str = "r") -> dict[str, int]:
    """Write ``s1_links(left_id, right_id, stage, score)`` and ``s1_findings(left_id, right_id, kind)``.

    Also writes ``s1_conflict(left_id)``: left rows whose NIK belongs to someone else."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE s1_pairs AS
        SELECT l.record_id AS left_id, r.record_id AS right_id,
               {NAME_OK} AS name_ok, {NAME_STRONG} AS name_strong, {DOB_OK} AS dob_ok,
               {DOB_EXACT} AS dob_exact, coalesce(l.sex = r.sex, TRUE) AS sex_ok,
               coalesce(jaro_winkler_similarity(l.name_ph, r.name_ph), 0) AS jw,
               count(*) OVER (PARTITION BY l.record_id) AS n_same_nik
        FROM {left} l JOIN {right} r ON l.nik = r.nik
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE s1_scored AS
        SELECT *, (name_ok AND dob_ok) OR (name_strong AND sex_ok) OR (dob_exact AND sex_ok) AS accept
        FROM s1_pairs
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE s1_nik AS
        SELECT left_id, right_id, 'nik' AS stage,
               CAST(name_strong AS INTEGER) + CAST(dob_exact AS INTEGER) + jw AS score
        FROM s1_scored WHERE accept
        QUALIFY row_number() OVER (PARTITION BY left_id ORDER BY score DESC, right_id) = 1
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE s1_findings AS
        SELECT left_id, right_id, 'nik_conflict' AS kind FROM s1_scored
        WHERE NOT accept AND left_id NOT IN (SELECT left_id FROM s1_nik)
        UNION ALL
        SELECT DISTINCT left_id, NULL AS right_id, 'nik_duplicate' AS kind FROM s1_scored
        WHERE n_same_nik > 1
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE s1_conflict AS
        SELECT DISTINCT left_id FROM s1_findings WHERE kind = 'nik_conflict'
    """)
    # KK + same name (family lists): the recipient is the member of that KK with the same name.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE s1_kk AS
        SELECT l.record_id AS left_id, r.record_id AS right_id, 'kk' AS stage, 1.0 AS score
        FROM {left} l JOIN {right} r ON l.kk = r.kk AND l.name_sorted = r.name_sorted
        WHERE l.record_id NOT IN (SELECT left_id FROM s1_nik)
          AND l.record_id NOT IN (SELECT left_id FROM s1_conflict) AND {DOB_OK}
        QUALIFY count(*) OVER (PARTITION BY l.record_id) = 1
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE s1_links AS
        SELECT * FROM s1_nik UNION ALL SELECT * FROM s1_kk
    """)
    counts = con.execute("""
        SELECT (SELECT count(*) FROM s1_pairs), (SELECT count(*) FROM s1_nik),
               (SELECT count(*) FROM s1_kk), (SELECT count(*) FROM s1_conflict)
    """).fetchall()[0]
    return {"nik_pairs": counts[0], "nik_links": counts[1], "kk_links": counts[2], "nik_conflicts": counts[3]}
