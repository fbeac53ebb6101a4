"""Registry intake: upload → header and column mapping → validation → atomic commit → corrections.

The web pages, the background tasks and ``padu import registry`` all call these functions. Reading and
checking the file is the engine's job (``padu.ingest.engine``, Django-free); what a row changes in the
registry is decided and written by ``padu.ingest.commit``. Every function takes keyword arguments only.
The helpers live beside it: the batch's kind, table and mapping (``padu.ingest.mapping``), one pass over
the rows (``padu.ingest.runner``), progress (``padu.ingest.progress``); corrections of rejected rows are
``padu.ingest.corrections``, the XLSX report ``padu.ingest.reports``.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from padu.core import audit
from padu.core.models import AuditAction
from padu.ingest import kinds
from padu.ingest.engine import ColumnMapping, IngestError
from padu.ingest.mapping import (
    LAYOUT_SOURCES,
    MappingIncomplete,
    apply_mapping,
    current_mapping,
    kind_of,
    open_table,
    saved_mapping,
)
from padu.ingest.models import BatchStatus, ImportBatch, ImportRow, RowStatus, SavedMapping
from padu.ingest.progress import Progress, Tracker, estimate_rows, progress_path
from padu.ingest.runner import counts_dict, open_results, run_rows
from padu.ingest.tuning import deferred_indexes, tuned_connection

log = logging.getLogger(__name__)

PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def check_period(period: str) -> str:
    if not PERIOD_RE.match(period or ""):
        raise ValidationError(
            f"Periode '{period}' tidak sah: gunakan format YYYY-MM, mis. 2026-09 / "
            f"invalid period '{period}': use YYYY-MM, e.g. 2026-09"
        )
    return period


def check_source(source: str) -> str:
    if source not in {"auto", *LAYOUT_SOURCES}:
        raise ValidationError(
            f"Sumber '{source}' tidak dikenal: dtsen, p3ke, dtks atau auto / "
            f"unknown source '{source}': dtsen, p3ke, dtks or auto"
        )
    return source


# -- upload and mapping ------------------------------------------------------------------------------


def _store(batch: ImportBatch, stream: IO[bytes], name: str) -> None:
    """Save the uploaded bytes under MEDIA_ROOT/imports/ keeping the original name; hash while copying."""
    digest = hashlib.sha256()
    size = 0

    class _Hashing(File):  # type: ignore[type-arg]
        def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
            nonlocal size
            assert self.file is not None
            self.file.seek(0)
            while block := self.file.read(chunk_size or 1 << 20):
                digest.update(block)
                size += len(block)
                yield block

    batch.file.save(Path(name).name, _Hashing(stream, name=Path(name).name), save=False)
    batch.sha256 = digest.hexdigest()
    batch.size = size


def create_batch(
    *,
    actor: Any,
    file: IO[bytes] | Path,
    original_name: str = "",
    source: str = "auto",
    period: str,
    kind: str = "registry",
    target: dict[str, Any] | None = None,
    opd: Any = None,
) -> ImportBatch:
    """Store the file, find its header and map its columns (aliases, or a mapping saved earlier).

    A file that cannot be read at all leaves a ``failed`` batch with the reason and raises
    ``IngestError``."""
    batch = store_batch(
        actor=actor,
        file=file,
        original_name=original_name,
        source=source,
        period=period,
        kind=kind,
        target=target,
        opd=opd,
    )
    detect_columns(batch=batch)
    return batch


def store_batch(
    *,
    actor: Any,
    file: IO[bytes] | Path,
    original_name: str = "",
    source: str = "auto",
    period: str,
    kind: str = "registry",
    target: dict[str, Any] | None = None,
    opd: Any = None,
) -> ImportBatch:
    """Save the uploaded file (original name, SHA-256, size) as a new ``uploaded`` batch.

    ``target`` says where a kind other than the registry writes (a roll: its programme); ``opd`` owns
    the batch (default: the uploading OPD operator's OPD)."""
    check_period(period)
    check_source(source)
    kinds.get(kind)
    if opd is None:
        opd = getattr(actor, "opd", None) if getattr(actor, "role", "") == "opd_operator" else None
    batch = ImportBatch(
        kind=kind,
        target=dict(target or {}),
        period=period,
        requested_source=source,
        source=source,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        opd=opd,
    )
    if isinstance(file, Path):
        batch.original_name = original_name or file.name
        with file.open("rb") as fh:
            _store(batch, fh, batch.original_name)
    else:
        batch.original_name = original_name or Path(getattr(file, "name", "berkas")).name
        _store(batch, file, batch.original_name)
    batch.save()
    return batch


def detect_columns(*, batch: ImportBatch) -> ColumnMapping | None:
    try:
        with open_table(batch) as table:
            columns = list(table.columns)
            batch.header_line = table.header_line
            batch.sheet = table.sheet or ""
    except IngestError as exc:
        _fail(batch, str(exc))
        raise
    mapping = kind_of(batch).map_columns(
        columns, saved=saved_mapping(batch, columns), source=batch.requested_source
    )
    batch.columns = columns
    apply_mapping(batch, mapping)
    batch.save()
    return mapping


def set_mapping(
    *, actor: Any, batch: ImportBatch, fields: dict[str, str], remember: bool = True
) -> ColumnMapping:
    """Use ``fields`` (canonical field -> column) for this batch; remember it for the same header."""
    kind = kind_of(batch)
    unknown = sorted(set(fields) - set(kind.fields))
    bad_columns = sorted({c for c in fields.values() if c and c not in batch.columns})
    if unknown or bad_columns:
        raise ValidationError(
            f"Pemetaan tidak sah: kolom sasaran {unknown or '-'}, kolom berkas {bad_columns or '-'} tidak "
            f"dikenal / invalid mapping: unknown fields {unknown or '-'}, "
            f"unknown columns {bad_columns or '-'}"
        )
    saved = {name: fields.get(name, "") for name in kind.fields}
    source = batch.requested_source if batch.requested_source in LAYOUT_SOURCES else "auto"
    mapping = kind.map_columns(batch.columns, saved=saved, source=source)
    apply_mapping(batch, mapping)
    batch.save()
    if remember and mapping.ok:
        SavedMapping.objects.update_or_create(
            kind=batch.kind,
            signature=kind.map_columns(batch.columns, source=batch.requested_source).signature(),
            defaults={
                "source": batch.source,
                "columns": batch.columns,
                "mapping": mapping.fields,
                "created_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
    return mapping


def cancel_batch(*, actor: Any, batch: ImportBatch) -> None:
    if batch.status in {BatchStatus.COMMITTED, BatchStatus.COMMITTING}:
        raise ValidationError(
            "Impor yang sudah disimpan tidak bisa dibatalkan / a committed import cannot be cancelled"
        )
    batch.status = BatchStatus.CANCELLED
    batch.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action=AuditAction.IMPORT, obj=batch, detail={"stage": "cancelled"})


def _ready(batch: ImportBatch, allowed: set[BatchStatus]) -> ColumnMapping:
    if batch.status not in allowed:
        raise ValidationError(
            f"Impor #{batch.pk} berstatus '{batch.get_status_display()}'; "
            "langkah ini tidak bisa dijalankan / "
            f"import #{batch.pk} is '{batch.status}'; this step cannot run now"
        )
    mapping = current_mapping(batch)
    if mapping.missing_required:
        raise MappingIncomplete(
            batch.original_name, mapping.missing_required, mapping.unmapped_columns, kind_of(batch).fields
        )
    return mapping


def _fail(batch: ImportBatch, message: str) -> None:
    batch.status = BatchStatus.FAILED
    batch.error = message[:4000]
    batch.save()


def _finish_counts(
    batch: ImportBatch, counts: Counter[str], issues: Counter[str], stats: Counter[str]
) -> None:
    batch.rows = counts["rows"]
    batch.accepted = counts[RowStatus.ACCEPTED]
    batch.rejected = counts[RowStatus.REJECTED]
    batch.unchanged = counts[RowStatus.UNCHANGED]
    batch.warnings = counts["warnings"]
    batch.issue_counts = dict(issues.most_common())
    batch.stats = dict(stats)
    batch.progress_done = counts["rows"]
    batch.progress_total = counts["rows"]
    batch.error = ""


def validate_batch(*, actor: Any, batch: ImportBatch, progress: Progress | None = None) -> ImportBatch:
    """Dry run: read and check every row, compare with the registry, keep the rows with findings and
    count what a commit would do. Writes nothing to the registry."""
    _ready(batch, {BatchStatus.MAPPED, BatchStatus.VALIDATED, BatchStatus.VALIDATING, BatchStatus.FAILED})
    batch.status = BatchStatus.VALIDATING
    batch.progress_phase = "validate"
    batch.progress_done = 0
    batch.save()
    tracker = Tracker(batch, "validate", estimate_rows(batch), progress)
    try:
        ImportRow.objects.filter(batch=batch).delete()
        with tuned_connection(), open_results(batch, expected_rows=tracker.total) as results:
            counts, issues, stats = run_rows(
                batch=batch, results=results, write=False, actor=actor, tracker=tracker
            )
    except Exception as exc:
        _fail(batch, str(exc))
        raise
    finally:
        progress_path(batch.pk).unlink(missing_ok=True)
    _finish_counts(batch, counts, issues, stats)
    batch.status = BatchStatus.VALIDATED
    batch.validated_at = timezone.now()
    batch.save()
    return batch


def commit_batch(
    *, actor: Any, batch: ImportBatch, progress: Progress | None = None, retry: bool = False
) -> ImportBatch:
    """Write the file into the registry in one transaction: all of it or, on any error, none of it
    (the batch is then ``failed`` with the reason). Rows with findings are kept as ``ImportRow``."""
    allowed = {BatchStatus.MAPPED, BatchStatus.VALIDATED}
    if retry:
        allowed |= {BatchStatus.FAILED, BatchStatus.COMMITTING}
    _ready(batch, allowed)
    batch.status = BatchStatus.COMMITTING
    batch.progress_phase = "commit"
    batch.progress_done = 0
    batch.save()
    tracker = Tracker(batch, "commit", estimate_rows(batch), progress)
    try:
        with tuned_connection(), transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.status != BatchStatus.COMMITTING:
                raise ValidationError(
                    "Impor sedang diproses di tempat lain / import is being processed elsewhere"
                )
            ImportRow.objects.filter(batch=batch).delete()
            tables = kind_of(batch).bulk_tables
            with (
                deferred_indexes(tables, expected_rows=tracker.total) as dropped,
                open_results(batch, expected_rows=tracker.total) as results,
            ):
                # The kind's tables were all empty and this transaction now holds them (the dropped
                # indexes lock them on PostgreSQL, the write lock on SQLite): a first load.
                fresh = bool(tables) and set(tables) <= set(dropped.empty)
                counts, issues, stats = run_rows(
                    batch=batch,
                    results=results,
                    write=True,
                    actor=actor,
                    tracker=tracker,
                    fresh=fresh,
                )
            _finish_counts(batch, counts, issues, stats)
            batch.status = BatchStatus.COMMITTED
            batch.committed_at = timezone.now()
            batch.save()
            audit.record(
                actor=actor,
                action=AuditAction.IMPORT,
                obj=batch,
                detail={"stage": "committed", "counts": counts_dict(batch), "stats": batch.stats},
            )
    except Exception as exc:
        batch.refresh_from_db()
        if batch.status == BatchStatus.COMMITTED:
            raise
        _fail(batch, str(exc))
        audit.record(
            actor=actor,
            action=AuditAction.IMPORT,
            obj=batch,
            detail={"stage": "failed", "error": str(exc)[:500]},
        )
        raise
    finally:
        progress_path(batch.pk).unlink(missing_ok=True)
    return batch


def import_file(
    *,
    actor: Any,
    path: Path,
    source: str = "auto",
    period: str,
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
    before_commit: Callable[[ImportBatch], None] | None = None,
    kind: str = "registry",
    target: dict[str, Any] | None = None,
    opd: Any = None,
) -> ImportBatch:
    """The whole pipeline in one call (``padu import``, the demo): store, map, commit."""
    batch = create_batch(
        actor=actor, file=path, source=source, period=period, kind=kind, target=target, opd=opd
    )
    if mapping:
        set_mapping(actor=actor, batch=batch, fields={**batch.mapping, **mapping})
    cols = current_mapping(batch)
    if cols.missing_required:
        error = MappingIncomplete(
            batch.original_name, cols.missing_required, cols.unmapped_columns, kind_of(batch).fields
        )
        _fail(batch, str(error))
        raise error
    if before_commit is not None:
        before_commit(batch)
    return commit_batch(actor=actor, batch=batch, progress=progress)
