"""The XLSX validation report of a stored batch (Ringkasan / Baris bermasalah / Data ditolak).

The rows with findings are rebuilt from ``ImportRow`` as engine results and written by the engine's
report writer (``padu.ingest.engine.write_report``), with the kind's summary and title.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from padu.ingest.engine import FieldIssue, RowResult, write_report
from padu.ingest.mapping import current_mapping, kind_of
from padu.ingest.models import ImportBatch, ImportRow, RowStatus


def stored_results(batch: ImportBatch) -> Iterator[RowResult]:
    """The batch's rows rebuilt as engine results for the XLSX report: the rows with findings (for a
    corrected row, its latest correction), then one plain result standing for every row without
    findings, so the report's totals are those of the whole file."""
    rows = ImportRow.objects.filter(batch=batch, corrections__isnull=True).order_by("line", "id")
    seen = 0
    for row in rows.iterator(chunk_size=2000):
        seen += 1
        issues = [
            FieldIssue(
                i.get("field", ""),
                i.get("column"),
                i.get("code", ""),
                i.get("severity", "error"),
                i.get("message_id", ""),
                i.get("message_en", ""),
                i.get("value"),
            )
            for i in row.issues
        ]
        yield RowResult(
            row.line,
            dict(row.raw),
            {},
            issues,
            row.status != RowStatus.REJECTED,
            row.family_key,
            row.person_key,
        )
    plain = RowResult(0, {}, {}, [], True, "", "")
    for _ in range(max(batch.rows - seen, 0)):
        yield plain


def write_batch_report(*, batch: ImportBatch, path: Path) -> int:
    """Write the XLSX validation report (Ringkasan / Baris bermasalah / Data ditolak) of ``batch``."""
    kind = kind_of(batch)
    summary = kind.summary(batch) if kind.summary is not None else None
    return write_report(
        path,
        stored_results(batch),
        file_name=batch.original_name,
        columns=batch.columns,
        summary=summary,
        mapping=current_mapping(batch),
        title=kind.report_title,
    )
