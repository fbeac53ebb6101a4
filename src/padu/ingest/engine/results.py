"""What validation returns: :class:`RowResult` with its :class:`FieldIssue` list, the
:class:`ValidationContext` it runs in, severities, and the issue builders that name the column.
Django-free.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from padu.ingest.engine.errors import ValueProblem
from padu.ingest.engine.values import show
from padu.lib.messages import Issue

__all__ = ["ERROR", "EXCEL_DAMAGE", "WARNING", "FieldIssue", "RowResult", "ValidationContext", "summarise"]

ERROR = "error"
WARNING = "warning"
#: Codes of padu.lib whose digits a spreadsheet already destroyed: errors, not warnings.
EXCEL_DAMAGE = frozenset(
    f"{prefix}.{name}"
    for prefix in ("nik", "kk")
    for name in ("excel_scientific", "excel_float", "excel_trailing_zero")
)


@dataclass(frozen=True, slots=True)
class FieldIssue:
    """One problem in one cell (``column``) or in the row as a whole (``column`` is ``None``)."""

    field: str
    column: str | None
    code: str
    severity: str  # "error" | "warning"
    message_id: str
    message_en: str
    value: str | None = None  # the offending cell as text (for reports)

    @property
    def message(self) -> str:
        return f"{self.message_id} / {self.message_en}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "message_id": self.message_id,
            "message_en": self.message_en,
            "value": self.value,
        }


@dataclass(slots=True)
class RowResult:
    """A validated row: canonical values, issues and the keys that group rows into families.

    ``values`` holds every mapped field, normalised, plus ``nik``/``nik_valid``/``nik_issues``/
    ``nik_digits``, ``kk``/``kk_valid``/``kk_issues``/``kk_digits``, ``kelurahan_code`` and, where
    they apply, ``death_date`` (status meninggal) and ``disability_type``.
    """

    line: int
    raw: dict[str, object]
    values: dict[str, object]
    issues: list[FieldIssue]
    ok: bool  # no error-severity issue
    family_key: str  # "id:<family_id>", else "kk:<KK>", else "row:<line>"
    person_key: str  # NIK if valid, else source person_id, else "<family_key>:<NAME>:<birth date>"


@dataclass
class ValidationContext:
    region_code: str = "36.73"  # installation kab/kota; a kelurahan must lie inside it
    default_kelurahan: str | None = None  # code or name, for files of one kelurahan without the column
    today: dt.date | None = None
    kelurahan_index: dict[str, str] | None = None  # normalised name -> code; default: packaged codes
    check_duplicates: bool = True  # flag a valid NIK seen earlier in the same file


def _issue(field: str, column: str | None, problem: ValueProblem, raw: object) -> FieldIssue:
    if column is None:
        return FieldIssue(field, None, f"{field}.{problem.kind}", problem.severity,
                          problem.message_id[:1].upper() + problem.message_id[1:],
                          problem.message_en[:1].upper() + problem.message_en[1:], show(raw))  # fmt: skip
    return FieldIssue(
        field,
        column,
        f"{field}.{problem.kind}",
        problem.severity,
        f"Kolom '{column}': {problem.message_id}",
        f"Column '{column}': {problem.message_en}",
        show(raw),
    )


def _lib_issue(field: str, column: str, issue: Issue, severity: str, raw: object) -> FieldIssue:
    return FieldIssue(
        field,
        column,
        issue.code,
        severity,
        f"Kolom '{column}': {issue.message_id}",
        f"Column '{column}': {issue.message_en}",
        show(raw),
    )


def summarise(results: Iterable[RowResult]) -> dict[str, int]:
    """Counts of rows and issues: ``rows``, ``ok``, ``rejected``, ``errors``, ``warnings``."""
    counts = {"rows": 0, "ok": 0, "rejected": 0, "errors": 0, "warnings": 0}
    for result in results:
        counts["rows"] += 1
        counts["ok" if result.ok else "rejected"] += 1
        for issue in result.issues:
            counts["errors" if issue.severity == ERROR else "warnings"] += 1
    return counts
