"""Paths and helpers shared by the intake-engine tests (Django-free; no database)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from padu.ingest.engine import RowResult, ValidationContext, map_columns, read_table, validate_rows

DATA = Path(__file__).resolve().parent.parent / "data" / "registry"
DTSEN = DATA / "dtsen_clean.csv"
P3KE = DATA / "p3ke_messy.xlsx"
DTKS = DATA / "dtks_old.csv"
TODAY = dt.date(2026, 6, 1)


def run(path: Path, context: ValidationContext | None = None, **mapping: object) -> list[RowResult]:
    """Read, map and validate a whole file."""
    with read_table(path) as table:
        columns = map_columns(table.columns, **mapping)  # type: ignore[arg-type]
        return list(validate_rows(table.rows, columns, context or ValidationContext(today=TODAY)))


def by_line(results: list[RowResult]) -> dict[int, RowResult]:
    return {r.line: r for r in results}
