"""Shared synthetic instance for the planning-engine tests."""

from __future__ import annotations

import pytest

from padu.planning.engine.synthetic import PlanningData, synthetic_planning


@pytest.fixture(scope="session")
def planning300() -> PlanningData:
    return synthetic_planning(300, seed=7)
