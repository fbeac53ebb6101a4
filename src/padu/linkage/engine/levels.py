"""Comparison levels of a model evaluated directly in DuckDB: u estimation and per-pair evidence.

Splink builds one ``CASE WHEN ... END AS gamma_<field>`` per comparison; we take those statements
from Splink's own settings object (so the levels are exactly the model's) and run them over
``<column>_l`` / ``<column>_r`` pairs we assemble ourselves:

* :func:`estimate_u`: one pass over ``n_pairs`` random pairs of registry rows (two random
  permutations joined by position) instead of Splink's per-comparison, chunked random sampling,
  which on rare levels never stops early (see /work/shared/notes/splink5.md: 75-100 s for 1e7 pairs).
* :func:`gammas`: the level of every field for chosen pairs (the best links), whichever backend
  scored them.
"""

from __future__ import annotations

from typing import Any

from padu.linkage.engine.prepare import CLEAN_COLUMNS


def _settings_obj(settings: dict[str, Any]) -> Any:
    from splink.internals.settings_creator import SettingsCreator

    clean = {k: v for k, v in settings.items() if k != "sql_dialect"}
    return SettingsCreator.from_path_or_dict(clean).get_settings("duckdb")


def case_statements(settings: dict[str, Any]) -> list[str]:
    """``CASE ... END as gamma_<name>`` for each comparison, DuckDB dialect."""
    return [c._case_statement for c in _settings_obj(settings).comparisons]


def _pair_columns() -> str:
    return ", ".join(f'a."{c}" AS "{c}_l", b."{c}" AS "{c}_r"' for c in CLEAN_COLUMNS)


def gammas(con: Any, settings: dict[str, Any], pairs: str, left: str, right: str, out: str) -> None:
    """Table ``out``: ``left_id``, ``right_id`` and ``gamma_<name>`` for the pairs in table ``pairs``."""
    cases = ",\n".join(case_statements(settings))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {out} AS
        SELECT left_id, right_id, {cases}
        FROM (SELECT p.left_id, p.right_id, {_pair_columns()}
              FROM {pairs} p JOIN {left} a ON a.record_id = p.left_id
              JOIN {right} b ON b.record_id = p.right_id)
    """)


def estimate_u(con: Any, settings: dict[str, Any], table: str, n_pairs: int, seed: int = 1) -> dict[str, Any]:
    """Set ``u_probability`` of every non-null level in ``settings`` (in place) from ``n_pairs``
    random pairs of distinct rows of ``table``. Returns ``{field: {level label: count}}``."""
    n = int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
    rounds = max(1, -(-n_pairs // max(n, 1)))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE u_perm AS
        SELECT k, record_id, row_number() OVER (PARTITION BY k ORDER BY hash(record_id, k, {seed})) AS pos,
               row_number() OVER (PARTITION BY k ORDER BY hash(record_id, k, {seed + 7919})) AS pos2
        FROM {table}, range({rounds}) t(k)
    """)
    cases = ",\n".join(case_statements(settings))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE u_gammas AS
        SELECT {cases}
        FROM (SELECT {_pair_columns()}
              FROM u_perm p JOIN u_perm q ON p.k = q.k AND p.pos = q.pos2
              JOIN {table} a ON a.record_id = p.record_id JOIN {table} b ON b.record_id = q.record_id
              WHERE p.record_id <> q.record_id
              LIMIT {int(n_pairs)})
    """)
    counts: dict[str, Any] = {}
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        rows = dict(con.execute(f"SELECT gamma_{name}, count(*) FROM u_gammas GROUP BY 1").fetchall())
        total = sum(c for g, c in rows.items() if g != -1)
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        counts[name] = {}
        for i, level in enumerate(levels):
            gamma = len(levels) - 1 - i
            count = int(rows.get(gamma, 0))
            counts[name][level.get("label_for_charts", str(gamma))] = count
            # unseen levels: half an observation (an upper bound; identifiers are refined later)
            level["u_probability"] = max(count, 0.5) / max(total, 1)
    con.execute("DROP TABLE u_perm; DROP TABLE u_gammas")
    return counts
