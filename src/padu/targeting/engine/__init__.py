"""Targeting engine: inclusion, exclusion and double-receipt findings for one period, valued in rupiah.

Django-free. Set-based SQL (``INSERT ... SELECT``) over a DB-API connection, SQLite (:mod:`sqlite3`) or
PostgreSQL (psycopg 3), against the logical tables named by a :class:`TargetingSchema`::

    result = run_targeting(conn, TargetingSchema(), "2025-06", "tg_finding")
    result.counts                                   # {finding_type: n}
    aggregate(conn, TargetingSchema(), "2025-06", by="kelurahan")
    package_matrix(conn, TargetingSchema(), "2025-06")
    evaluate(fetch_findings(conn, TargetingSchema(), "2025-06"), "var/synth/truth")

See ``docs/targeting.md`` for every rule, severity, rupiah value and the truth mapping.
"""

from padu.targeting.engine.aggregate import AGGREGATIONS, aggregate, package_matrix
from padu.targeting.engine.evaluate import TRUTH_MAPPING, Finding, evaluate, fetch_findings
from padu.targeting.engine.rules import FINDING_COLUMNS, FINDING_TYPES, FindingType
from padu.targeting.engine.run import (
    DEFAULT_RESULTS_TABLE,
    RunResult,
    discard_findings,
    reference_date_for,
    run_targeting,
    write_findings,
)
from padu.targeting.engine.rupiah import PAYMENTS_PER_YEAR, rupiah
from padu.targeting.engine.schema import (
    AsnTable,
    ExclusionsTable,
    FamiliesTable,
    MembershipsTable,
    PersonsTable,
    ProgrammesTable,
    RollEntriesTable,
    TargetingSchema,
)
from padu.targeting.engine.staging import CATEGORIES

__all__ = [
    "AGGREGATIONS",
    "CATEGORIES",
    "DEFAULT_RESULTS_TABLE",
    "FINDING_COLUMNS",
    "FINDING_TYPES",
    "PAYMENTS_PER_YEAR",
    "TRUTH_MAPPING",
    "AsnTable",
    "ExclusionsTable",
    "FamiliesTable",
    "Finding",
    "FindingType",
    "MembershipsTable",
    "PersonsTable",
    "ProgrammesTable",
    "RollEntriesTable",
    "RunResult",
    "TargetingSchema",
    "aggregate",
    "discard_findings",
    "evaluate",
    "fetch_findings",
    "package_matrix",
    "reference_date_for",
    "run_targeting",
    "rupiah",
    "write_findings",
]
