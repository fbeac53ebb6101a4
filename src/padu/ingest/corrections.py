"""Corrections of rejected rows of a committed batch: typed in on the page, or a corrected file.

Corrected values are validated and committed into the same period as the batch (one transaction);
each corrected row is kept as a new ``ImportRow`` pointing at the row it corrects.
"""

from __future__ import annotations

import contextlib
import shutil
from collections import Counter
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from padu.core import audit
from padu.core.models import AuditAction
from padu.ingest.engine import IngestError, RawRow, read_table
from padu.ingest.mapping import current_mapping, kind_of
from padu.ingest.models import BatchStatus, ImportBatch, ImportRow, RowStatus
from padu.ingest.progress import Tracker, progress_path
from padu.ingest.runner import counts_dict, raw_json, run_rows, validation_context


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
    tracker = Tracker(batch, "correct", len(raws), None)
    with transaction.atomic():
        results = kind_of(batch).validate(iter(raws), current_mapping(batch), validation_context(), batch)
        counts, _issues, stats = run_rows(
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
                "counts": counts_dict(batch),
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
                pairs.append((origin, raw_json(raw.values)))
    elif len(rows) == len(pending):
        pairs = [(origin, raw_json(raw.values)) for origin, raw in zip(pending, rows, strict=True)]
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
