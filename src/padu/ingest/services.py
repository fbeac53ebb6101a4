"""Registry intake: upload → header and column mapping → validation → atomic commit → corrections.

The web pages, the background tasks and ``padu import registry`` all call these functions. Reading and
checking the file is the engine's job (``padu.ingest.engine``, Django-free); what a row changes in the
registry is decided and written by ``padu.ingest.commit``. Every function takes keyword arguments only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone

from padu.core import audit
from padu.core.models import AuditAction
from padu.ingest import kinds
from padu.ingest.commit import Outcome, bulk_insert, db_value
from padu.ingest.engine import (
    FIELDS,
    ColumnMapping,
    FieldIssue,
    FieldSpec,
    IngestError,
    RawRow,
    RowResult,
    Table,
    ValidationContext,
    read_table,
    write_report,
)
from padu.ingest.models import BatchSource, BatchStatus, ImportBatch, ImportRow, RowStatus, SavedMapping
from padu.ingest.registry_plan import SeenKeys
from padu.ingest.tuning import deferred_indexes, quiet_gc, tuned_connection
from padu.ingest.writer import ChunkWriter

log = logging.getLogger(__name__)

PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
CHUNK_ROWS = 5000
LAYOUT_SOURCES = {"dtsen", "p3ke", "dtks"}
IMPORT_ROW_COLUMNS = (
    "batch_id",
    "line",
    "status",
    "raw",
    "issues",
    "family_key",
    "person_key",
    "corrected_from_id",
    "created_at",
)
Progress = Callable[[int, int | None], None]


class MappingIncomplete(Exception):
    """Required fields have no column. ``str()`` is bilingual and names the fields, the file and the
    columns that are still free."""

    def __init__(
        self,
        file_name: str,
        missing: list[str],
        unmapped: list[str],
        fields: Mapping[str, FieldSpec] = FIELDS,
    ) -> None:
        self.missing = missing
        names = ", ".join(f"{name} ({fields[name].label_id})" if name in fields else name for name in missing)
        free = ", ".join(unmapped[:40]) or "-"
        super().__init__(
            f"Berkas '{file_name}': kolom wajib tidak ditemukan untuk {names}; kolom yang belum dipetakan: "
            f"{free}. Petakan dengan --mapping '{{\"{missing[0]}\": \"NAMA KOLOM\"}}' / File '{file_name}': "
            f"no column found for required field(s) {names}; unmapped columns: {free}. "
            "Map them with --mapping."
        )


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


def kind_of(batch: ImportBatch) -> kinds.IntakeKind:
    return kinds.get(batch.kind)


def open_table(batch: ImportBatch) -> Table:
    """The batch's file as a table, its header found with the aliases of the batch's kind."""
    return read_table(batch.file.path, sheet=batch.sheet or None, score=kind_of(batch).header_score)


def _saved_mapping(batch: ImportBatch, columns: list[str]) -> dict[str, str] | None:
    auto = kind_of(batch).map_columns(columns, source=batch.requested_source)
    saved = SavedMapping.objects.filter(kind=batch.kind, signature=auto.signature()).first()
    return dict(saved.mapping) if saved is not None else None


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
        columns, saved=_saved_mapping(batch, columns), source=batch.requested_source
    )
    batch.columns = columns
    _apply_mapping(batch, mapping)
    batch.save()
    return mapping


def _apply_mapping(batch: ImportBatch, mapping: ColumnMapping) -> None:
    batch.mapping = dict(mapping.fields)
    batch.layout = mapping.layout
    if batch.requested_source == BatchSource.AUTO:
        batch.source = mapping.layout if mapping.layout in LAYOUT_SOURCES else BatchSource.OTHER
    batch.status = BatchStatus.MAPPED if mapping.ok else BatchStatus.UPLOADED


def current_mapping(batch: ImportBatch) -> ColumnMapping:
    """The batch's mapping as the engine sees it (fields not chosen stay unmapped)."""
    kind = kind_of(batch)
    saved = {name: batch.mapping.get(name, "") for name in kind.fields}
    source = batch.source if batch.source in LAYOUT_SOURCES else "auto"
    return kind.map_columns(batch.columns, saved=saved, source=source)


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
    _apply_mapping(batch, mapping)
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


# -- streaming, validation and commit ----------------------------------------------------------------


def validation_context() -> ValidationContext:
    return ValidationContext(region_code=settings.REGION_CODE)


def _chunks(results: Iterable[RowResult], size: int | None = None) -> Iterator[list[RowResult]]:
    """Chunks of about ``size`` rows that end where a family ends (rows of a family stay together)."""
    size = size or CHUNK_ROWS
    chunk: list[RowResult] = []
    for result in results:
        if len(chunk) >= size and (result.family_key != chunk[-1].family_key or len(chunk) >= 4 * size):
            yield chunk
            chunk = []
        chunk.append(result)
    if chunk:
        yield chunk


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e17 else value
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _raw(values: dict[str, object]) -> dict[str, Any]:
    return {str(k): _jsonable(v) for k, v in values.items()}


def progress_path(batch_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / ".progress" / f"{batch_id}.json"


class _Tracker:
    """Progress of a running pass. Inside the commit's transaction the database cannot show it to
    other connections, so it also goes to a small JSON file beside the uploads."""

    def __init__(self, batch: ImportBatch, phase: str, total: int | None, callback: Progress | None) -> None:
        self.batch, self.phase, self.total, self.callback = batch, phase, total, callback
        self.done = 0
        self.last = 0.0
        self.path = progress_path(batch.id)
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def advance(self, n: int, counts: Counter[str], *, force: bool = False) -> None:
        self.done += n
        if self.callback is not None:
            self.callback(n, self.total)
        now = time.monotonic()
        if force or now - self.last >= 1.0:
            self.last = now
            data = {"phase": self.phase, "done": self.done, "total": self.total, **dict(counts)}
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            tmp.replace(self.path)


def read_progress(batch: ImportBatch) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if batch.is_running:
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(progress_path(batch.id).read_text(encoding="utf-8"))
    return {
        "phase": data.get("phase", batch.progress_phase),
        "done": data.get("done", batch.progress_done),
        "total": data.get("total", batch.progress_total),
    }


def estimate_rows(batch: ImportBatch) -> int | None:
    """Rows of a CSV (newlines after the header), for a progress bar; ``None`` for XLSX."""
    path = Path(batch.file.path)
    if batch.progress_total:
        return batch.progress_total
    if path.suffix.lower() != ".csv":
        return None
    lines = 0
    with path.open("rb") as fh:
        while block := fh.read(1 << 22):
            lines += block.count(b"\n")
    return max(lines - (batch.header_line or 1), 0)


def _issue_dicts(result: RowResult, outcome: Outcome) -> list[dict[str, Any]]:
    return [i.to_dict() for i in (*result.issues, *outcome.issues)]


def _run(
    *,
    batch: ImportBatch,
    results: Iterable[RowResult],
    write: bool,
    actor: Any,
    tracker: _Tracker,
    corrected_from: dict[int, ImportRow] | None = None,
    fresh: bool = False,
) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Decide every row (and with ``write`` apply it); store the rows with findings. Returns the row
    counts, the issue counts per code and the change statistics. A run over the whole file (not a
    correction) ends with the diff's ``finish()`` where it has one (a roll drops rows no longer sent)."""
    diff = kind_of(batch).make_diff(batch=batch, write=write, actor=actor, full=corrected_from is None)
    counts: Counter[str] = Counter()
    issue_counts: Counter[str] = Counter()
    # A whole-file commit of a kind that supports it writes each chunk on a second thread while the
    # next one is read and decided (same connection and transaction; padu.ingest.writer).
    threaded = write and corrected_from is None and hasattr(diff, "writer") and ChunkWriter.pays_off()
    writer = ChunkWriter() if threaded else None
    if writer is not None:
        diff.writer = writer  # type: ignore[attr-defined]
    if fresh and write and hasattr(diff, "seen"):
        diff.seen = SeenKeys()  # type: ignore[attr-defined]
    try:
        with quiet_gc():
            for chunk in _chunks(results):
                _apply_chunk(batch, diff, chunk, counts, issue_counts, corrected_from, write, writer)
                tracker.advance(len(chunk), counts)
            if writer is not None:
                writer.close()
            finish = getattr(diff, "finish", None)
            if finish is not None:
                finish()
    finally:
        if writer is not None:
            writer.close(check=False)  # on an error: stop the thread before the rollback
    return counts, issue_counts, diff.stats


def _apply_chunk(
    batch: ImportBatch,
    diff: kinds.Diff,
    chunk: list[RowResult],
    counts: Counter[str],
    issue_counts: Counter[str],
    corrected_from: dict[int, ImportRow] | None,
    write: bool,
    writer: ChunkWriter | None = None,
) -> None:
    outcomes = diff.apply(chunk)
    now = db_value(timezone.now(), connection.vendor)
    keep: list[tuple[Any, ...]] = []
    counts["rows"] += len(chunk)
    counts.update(Counter(o.status for o in outcomes))
    rejected = RowStatus.REJECTED
    for result, outcome in zip(chunk, outcomes, strict=True):
        origin = corrected_from.get(result.line) if corrected_from is not None else None
        if not (result.issues or outcome.issues or outcome.status == rejected or origin is not None):
            continue  # the common row: nothing to keep or count beyond its status
        issues = _issue_dicts(result, outcome)
        if issues:
            if outcome.status != RowStatus.REJECTED:
                counts["warnings"] += 1
            issue_counts.update(i["code"] for i in issues)
        if issues or outcome.status == RowStatus.REJECTED or origin is not None:
            keep.append(
                (
                    batch.pk,
                    result.line,
                    outcome.status,
                    json.dumps(_raw(result.raw), ensure_ascii=False),
                    json.dumps(issues, ensure_ascii=False),
                    (result.family_key or "")[:80],
                    (result.person_key or "")[:80],
                    origin.pk if origin is not None else None,
                    now,
                )
            )
    if writer is not None:
        if keep:
            writer.submit(lambda: bulk_insert(ImportRow, IMPORT_ROW_COLUMNS, keep))
    elif write:
        bulk_insert(ImportRow, IMPORT_ROW_COLUMNS, keep)
    else:
        with transaction.atomic():
            bulk_insert(ImportRow, IMPORT_ROW_COLUMNS, keep)


def _results(batch: ImportBatch, table: Any) -> Iterator[RowResult]:
    return kind_of(batch).validate(table.rows, current_mapping(batch), validation_context(), batch)


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
    tracker = _Tracker(batch, "validate", estimate_rows(batch), progress)
    try:
        ImportRow.objects.filter(batch=batch).delete()
        with tuned_connection(), open_table(batch) as table:
            counts, issues, stats = _run(
                batch=batch, results=_results(batch, table), write=False, actor=actor, tracker=tracker
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
    tracker = _Tracker(batch, "commit", estimate_rows(batch), progress)
    try:
        with tuned_connection(), transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.status != BatchStatus.COMMITTING:
                raise ValidationError(
                    "Impor sedang diproses di tempat lain / import is being processed elsewhere"
                )
            ImportRow.objects.filter(batch=batch).delete()
            tables = kind_of(batch).bulk_tables
            with deferred_indexes(tables, expected_rows=tracker.total) as dropped, open_table(batch) as table:
                # The kind's tables were all empty and this transaction now holds them (the dropped
                # indexes lock them on PostgreSQL, the write lock on SQLite): a first load.
                fresh = bool(tables) and set(tables) <= set(dropped.empty)
                counts, issues, stats = _run(
                    batch=batch,
                    results=_results(batch, table),
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
                detail={"stage": "committed", "counts": _counts_dict(batch), "stats": batch.stats},
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


def _counts_dict(batch: ImportBatch) -> dict[str, int]:
    return {
        "rows": batch.rows,
        "accepted": batch.accepted,
        "rejected": batch.rejected,
        "unchanged": batch.unchanged,
        "warnings": batch.warnings,
    }


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


# -- corrections of rejected rows ----------------------------------------------------------------------


def pending_rejected(batch: ImportBatch) -> Any:
    """Rejected rows not yet corrected: a row whose latest correction was rejected again shows that one."""
    return ImportRow.objects.filter(batch=batch, status=RowStatus.REJECTED, corrections__isnull=True)


def resubmit_rows(
    *, actor: Any, batch: ImportBatch, corrections: list[tuple[ImportRow, dict[str, Any]]]
) -> Counter[str]:
    """Validate corrected raw values of rejected rows and commit those that pass into the same period."""
    if batch.status != BatchStatus.COMMITTED:
        raise ValidationError(
            "Koreksi hanya untuk impor yang sudah disimpan / corrections need a committed import"
        )
    origins = {row.line: row for row, _values in corrections}
    raws = [RawRow(row.line, {c: values.get(c) for c in batch.columns}) for row, values in corrections]
    tracker = _Tracker(batch, "correct", len(raws), None)
    with transaction.atomic():
        results = kind_of(batch).validate(iter(raws), current_mapping(batch), validation_context(), batch)
        counts, _issues, stats = _run(
            batch=batch, results=results, write=True, actor=actor, tracker=tracker, corrected_from=origins
        )
        fixed = counts[RowStatus.ACCEPTED] + counts[RowStatus.UNCHANGED]
        batch.rejected -= fixed
        batch.accepted += counts[RowStatus.ACCEPTED]
        batch.unchanged += counts[RowStatus.UNCHANGED]
        batch.stats = dict(Counter(batch.stats) + stats)
        batch.save()
        audit.record(
            actor=actor,
            action=AuditAction.IMPORT,
            obj=batch,
            detail={
                "stage": "correction",
                "rows": counts["rows"],
                "fixed": fixed,
                "counts": _counts_dict(batch),
            },
        )
    progress_path(batch.pk).unlink(missing_ok=True)
    return counts


LINE_COLUMNS = ("baris", "baris asal", "line", "no baris", "nomor baris", "baris_asal")


def resubmit_file(*, actor: Any, batch: ImportBatch, file: IO[bytes], name: str) -> Counter[str]:
    """A corrected file of the rejected rows: linked to them by a 'Baris' column (as in the report's
    rejected-data sheet) or, without one, by order when it has exactly as many rows."""
    pending = list(pending_rejected(batch).order_by("line"))
    folder = Path(settings.MEDIA_ROOT) / "imports" / "koreksi" / str(batch.pk)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    target = folder / f"{stamp}_{Path(name).name}"
    with target.open("wb") as out:
        shutil.copyfileobj(file, out)
    sheet = None
    score = kind_of(batch).header_score
    with contextlib.suppress(IngestError), read_table(target, score=score) as probe:
        if "Data ditolak" in (probe.sheets or []):
            sheet = "Data ditolak"
    with read_table(target, sheet=sheet, score=score) as table:
        rows = list(table.rows)
        columns = list(table.columns)
    line_column = next((c for c in columns if c.strip().casefold() in LINE_COLUMNS), None)
    by_line = {row.line: row for row in pending}
    pairs: list[tuple[ImportRow, dict[str, Any]]] = []
    if line_column is not None:
        for raw in rows:
            value = raw.values.get(line_column)
            origin = by_line.get(int(float(str(value)))) if _is_number(value) else None
            if origin is not None:
                pairs.append((origin, _raw(raw.values)))
    elif len(rows) == len(pending):
        pairs = [(origin, _raw(raw.values)) for origin, raw in zip(pending, rows, strict=True)]
    if not pairs:
        raise ValidationError(
            f"Berkas '{name}': baris koreksi tidak dapat dicocokkan dengan baris yang ditolak (perlu kolom "
            f"'Baris' atau jumlah baris yang sama, {len(pending)}) / File '{name}': corrected rows cannot be "
            f"matched to the rejected rows (needs a 'Baris' column or the same number of rows, "
            f"{len(pending)})"
        )
    return resubmit_rows(actor=actor, batch=batch, corrections=pairs)


def _is_number(value: object) -> bool:
    try:
        float(str(value))
    except (TypeError, ValueError):
        return False
    return True


# -- report ------------------------------------------------------------------------------------------


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
