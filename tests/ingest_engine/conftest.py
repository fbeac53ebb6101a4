"""Fixtures of the intake-engine tests."""

from __future__ import annotations

import pytest

from padu.ingest.engine import RowResult
from tests.ingest_engine.helpers import P3KE, by_line, run


@pytest.fixture(scope="session")
def p3ke_results() -> dict[int, RowResult]:
    return by_line(run(P3KE))
