"""Reads of the intake. Every function starts from the user's scope (``restrict``)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from padu.ingest.corrections import pending_rejected
from padu.ingest.engine import RowResult
from padu.ingest.mapping import current_mapping, kind_of, open_table
from padu.ingest.models import BatchStatus, ImportBatch, ImportRow, RowStatus
from padu.ingest.progress import progress_path, read_progress
from padu.ingest.runner import validation_context

PREVIEW_ROWS = 20
STALE_AFTER = dt.timedelta(minutes=15)


def batch_list(*, user: Any) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.restrict(user).select_related("created_by", "opd")


def batch_get(*, user: Any, batch_id: int, action: str = "view") -> ImportBatch:
    batch = ImportBatch.objects.restrict(user, action).filter(pk=batch_id).first()
    if batch is None:
        raise Http404("Impor tidak ditemukan / import not found")
    return batch


def same_file(*, user: Any, batch: ImportBatch) -> list[ImportBatch]:
    """Other committed imports of the very same file (SHA-256) for the same period."""
    return list(
        batch_list(user=user)
        .filter(sha256=batch.sha256, period=batch.period, status=BatchStatus.COMMITTED)
        .exclude(pk=batch.pk)[:5]
    )


def preview(*, batch: ImportBatch, limit: int = PREVIEW_ROWS) -> tuple[list[str], list[RowResult]]:
    """The first ``limit`` rows as mapped: the canonical fields in use and the validated rows."""
    mapping = current_mapping(batch)
    kind = kind_of(batch)
    context = validation_context()
    context.check_duplicates = True
    results: list[RowResult] = []
    with open_table(batch) as table:
        for result in kind.validate(table.rows, mapping, context, batch):
            results.append(result)
            if len(results) >= limit:
                break
    fields = [name for name in kind.fields if name in mapping.fields]
    return fields, results


def issue_rows(*, batch: ImportBatch, status: str = "") -> QuerySet[ImportRow]:
    """Rows with findings, in file order; ``status`` narrows to accepted/rejected/unchanged."""
    rows = ImportRow.objects.filter(batch=batch).order_by("line", "id")
    if status in RowStatus.values:
        rows = rows.filter(status=status)
    return rows


def rejected_rows(*, batch: ImportBatch) -> QuerySet[ImportRow]:
    return pending_rejected(batch).order_by("line", "id")


def is_stale(*, batch: ImportBatch) -> bool:
    """A validation or commit whose process died (killed worker, power cut): no progress for
    ``STALE_AFTER``. Its transaction was rolled back; the step may be started again."""
    if not batch.is_running:
        return False
    path = progress_path(batch.pk)
    last = max(batch.updated_at.timestamp(), path.stat().st_mtime if path.exists() else 0.0)
    return time.time() - last > STALE_AFTER.total_seconds()


def progress(*, batch: ImportBatch) -> dict[str, Any]:
    data = read_progress(batch)
    total = data.get("total")
    done = data.get("done") or 0
    data["percent"] = min(100, round(100 * done / total)) if total else None
    return data
