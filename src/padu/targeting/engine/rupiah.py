"""Rupiah value of one unit's benefit per year and per month, from the programme's value and frequency.

``rupiah_year = benefit_value_rp x payments per year`` (``payments_per_year`` on the programme when set,
else the count for its frequency code below); ``rupiah_month = rupiah_year / 12`` rounded half up to
whole rupiah. A one-off benefit (``once``, e.g. RTLH Rp20 million) counts in full in the year it is
paid and as a twelfth per month. Integer arithmetic throughout, identical in SQLite and PostgreSQL.
"""

from __future__ import annotations

__all__ = ["PAYMENTS_PER_YEAR", "payments_sql", "rupiah", "rupiah_month_sql"]

PAYMENTS_PER_YEAR: dict[str, int] = {
    "daily": 365,
    "weekly": 52,
    "monthly": 12,
    "bimonthly": 6,
    "quarterly": 4,
    "semiannual": 2,
    "annual": 1,
    "once": 1,
}


def rupiah(value_rp: int, frequency: str, payments_per_year: int | None = None) -> tuple[int, int]:
    """``(rupiah_month, rupiah_year)`` for one unit; the Python twin of the SQL the engine runs."""
    per_year = payments_per_year if payments_per_year is not None else PAYMENTS_PER_YEAR[frequency]
    year = int(value_rp) * per_year
    return (year + 6) // 12, year


def payments_sql(frequency: str, override: str) -> str:
    """SQL for the number of payments a year (``override``: the payments_per_year column or NULL)."""
    whens = " ".join(f"WHEN '{code}' THEN {n}" for code, n in PAYMENTS_PER_YEAR.items())
    return f"COALESCE(CAST({override} AS BIGINT), CASE {frequency} {whens} END)"


def rupiah_month_sql(year_expr: str) -> str:
    return f"(({year_expr} + 6) / 12)"
