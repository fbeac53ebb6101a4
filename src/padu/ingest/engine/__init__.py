"""Intake engine for social-registry files (DTSEN, P3KE, DTKS exports as CSV or XLSX). Django-free.

Pipeline::

    table = read_table(path)                       # header found, rows streamed
    mapping = map_columns(table.columns)           # aliases -> canonical FIELDS, layout detected
    results = validate_rows(table.rows, mapping, ValidationContext(region_code="36.73"))
    write_report(out, results, file_name=path.name, columns=table.columns)

The Django side (models, commit to the registry, CLI, upload, tasks) consumes :class:`RowResult`.
"""

from padu.ingest.engine.dates import parse_date
from padu.ingest.engine.errors import IngestError, ValueProblem
from padu.ingest.engine.kelurahan import KelurahanResolver
from padu.ingest.engine.layouts import (
    CRITERIA_FIELDS,
    FIELDS,
    HOUSING_FIELDS,
    LAYOUTS,
    ColumnMapping,
    FieldSpec,
    column_signature,
    detect_layout,
    map_columns,
)
from padu.ingest.engine.readers import RawRow, Table, read_table
from padu.ingest.engine.report import write_report
from padu.ingest.engine.results import EXCEL_DAMAGE, FieldIssue, RowResult, ValidationContext, summarise
from padu.ingest.engine.validate import validate_rows

__all__ = [
    "CRITERIA_FIELDS",
    "EXCEL_DAMAGE",
    "FIELDS",
    "HOUSING_FIELDS",
    "LAYOUTS",
    "ColumnMapping",
    "FieldIssue",
    "FieldSpec",
    "IngestError",
    "KelurahanResolver",
    "RawRow",
    "RowResult",
    "Table",
    "ValidationContext",
    "ValueProblem",
    "column_signature",
    "detect_layout",
    "map_columns",
    "parse_date",
    "read_table",
    "summarise",
    "validate_rows",
    "write_report",
]
