"""The engine against the generator's truth on a small generated city (5,000 persons), both backends.

Floors are well above what a broken rule reaches (a missing rule scores recall 0; a rule that flags
every row scores a precision near the fault rate, a few per cent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from padu.targeting.engine import TRUTH_MAPPING, TargetingSchema, evaluate, fetch_findings, run_targeting
from padu.targeting.engine.synthload import load_synth

pytestmark = pytest.mark.slow

FLOOR = 0.95


def test_it_finds_the_injected_faults_of_a_generated_city(conn: Any, small_city: Path) -> None:
    loaded = load_synth(conn, small_city)
    assert loaded.unread_rows == 0
    assert loaded.counts["persons"] == 5_000
    result = run_targeting(conn, TargetingSchema(), loaded.period)
    scores = evaluate(fetch_findings(conn, TargetingSchema(), loaded.period), small_city / "truth")
    assert set(scores) == set(TRUTH_MAPPING)
    for fault, score in scores.items():
        assert score["truth"] > 0, fault
        assert score["recall"] >= FLOOR, (fault, score)
        assert score["precision"] >= FLOOR, (fault, score)
    assert result.counts["exclusion_programme"] == scores["exclusion"]["found"]


def test_it_scores_a_broken_engine_below_the_floors(small_city: Path) -> None:
    from padu.targeting.engine import Finding

    everything = [Finding("inclusion_graduated", "pbi_jk", "person", n, None, None) for n in range(1, 2_000)]
    scores = evaluate(everything, small_city / "truth")
    assert scores["graduated"]["precision"] < FLOOR
    assert scores["died"]["recall"] == 0.0
