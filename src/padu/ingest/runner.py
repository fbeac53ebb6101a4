"""One pass over a batch's validated rows: validation (dry run), commit, or a correction.

The rows come in chunks that end where a family ends; the kind's diff decides each chunk (and, when
writing, applies it), and the rows with findings, rejected rows and corrections are kept as
``ImportRow``. A whole-file commit of a kind that supports it writes each chunk on a second thread
(``padu.ingest.writer``); a first load into empty tables skips lookups of keys not yet sent
(``SeenKeys``). A large file of a kind with a Django-free validator is read and validated in a second
process while this one decides and writes (``open_results``; ``padu.ingest.engine.parallel``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import pickle
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from padu.ingest import kinds
from padu.ingest.commit import Outcome, bulk_insert, db_value
from padu.ingest.engine import RowResult, ValidationContext, parallel
from padu.ingest.engine.parallel import ReadJob, parallel_results
from padu.ingest.mapping import current_mapping, kind_of, open_table
from padu.ingest.models import ImportBatch, ImportRow, RowStatus
from padu.ingest.progress import Tracker
from padu.ingest.registry_plan import SeenKeys
from padu.ingest.tuning import quiet_gc
from padu.ingest.writer import ChunkWriter

log = logging.getLogger(__name__)

CHUNK_ROWS = 5000
# A file of at least ``settings.IMPORT_WORKER_MIN_ROWS`` rows (PADU_IMPORT_WORKER_MIN_ROWS, 20,000; a huge
# number: never) is read and validated in a second process. An XLSX file's rows are guessed from its
# size (compressed XML: roughly 100 bytes a row or more).
XLSX_BYTES_PER_ROW = 100
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


def raw_json(values: dict[str, object]) -> dict[str, Any]:
    return {str(k): _jsonable(v) for k, v in values.items()}


def _issue_dicts(result: RowResult, outcome: Outcome) -> list[dict[str, Any]]:
    return [i.to_dict() for i in (*result.issues, *outcome.issues)]


def run_rows(
    *,
    batch: ImportBatch,
    results: Iterable[RowResult],
    write: bool,
    actor: Any,
    tracker: Tracker,
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
                    json.dumps(raw_json(result.raw), ensure_ascii=False),
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


def row_results(batch: ImportBatch, table: Any) -> Iterator[RowResult]:
    return kind_of(batch).validate(table.rows, current_mapping(batch), validation_context(), batch)


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def reader_job(batch: ImportBatch, *, expected_rows: int | None) -> ReadJob | None:
    """The job for a reading process, or ``None`` where this process reads the file itself: a small
    file, a kind without a Django-free validator, one CPU, or no Python executable to start."""
    validate = kind_of(batch).engine_validate
    if validate is None or _cpus() < 2 or not sys.executable:
        return None
    if expected_rows is None:  # an XLSX file: rows not counted beforehand, guessed from its size
        expected_rows = (batch.size or 0) // XLSX_BYTES_PER_ROW
    if expected_rows < int(settings.IMPORT_WORKER_MIN_ROWS):
        return None
    job = ReadJob(
        path=str(Path(batch.file.path)),
        sheet=batch.sheet or None,
        score=kind_of(batch).header_score,
        mapping=current_mapping(batch),
        context=validation_context(),
        validate=validate,
        batch_rows=parallel.BATCH_ROWS,
        learn_pairs=parallel.LEARN_PAIRS,
    )
    try:
        pickle.dumps(job)
    except Exception:
        log.warning("impor #%s: dibaca di proses ini / read in this process (job does not pickle)", batch.pk)
        return None
    return job


@contextlib.contextmanager
def open_results(batch: ImportBatch, *, expected_rows: int | None) -> Iterator[Iterator[RowResult]]:
    """The batch's validated rows, in file order: from a second process for a large file
    (``reader_job``), else read and validated here."""
    job = reader_job(batch, expected_rows=expected_rows)
    if job is None:
        with open_table(batch) as table:
            yield row_results(batch, table)
        return
    with parallel_results(job) as results:
        yield results


def counts_dict(batch: ImportBatch) -> dict[str, int]:
    return {
        "rows": batch.rows,
        "accepted": batch.accepted,
        "rejected": batch.rejected,
        "unchanged": batch.unchanged,
        "warnings": batch.warnings,
    }
