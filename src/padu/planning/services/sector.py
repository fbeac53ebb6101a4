"""Sector indicator import with the registry intake's guarantees: every row and field checked with a
reason in Bahasa Indonesia and English; one transaction (the valid rows' values and the batch with
its rejected rows are saved together, or nothing is); rejected rows kept with their raw values and
reasons; a value already stored for the same kelurahan, period and indicator is left untouched, so
importing the same file again changes nothing (its rows count as ``unchanged``)."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from padu.core import audit
from padu.core.models import AuditAction
from padu.planning.models import SectorBatch, SectorIndicator, SectorRejectedRow
from padu.planning.sector_check import Checked, Kelurahan, check_rows, header_score
from padu.planning.services.priority import PERIOD_RE, _require_planner
from padu.wilayah.models import Level, Region


def _kelurahan() -> list[Kelurahan]:
    rows = (
        Region.objects.within(settings.REGION_CODE)
        .filter(level=Level.DESA)
        .select_related("parent")
        .order_by("code")
    )
    return [Kelurahan(r.code, r.code_plain, r.name, r.parent.name if r.parent else "") for r in rows]


def read_file(path: Path) -> tuple[list[str], list[tuple[int, dict[str, object]]]]:
    """Columns and rows of a CSV/XLSX file (the intake readers find the header row; ``IngestError``
    when the file cannot be read at all)."""
    from padu.ingest.engine import read_table

    with read_table(path, score=header_score) as table:
        return list(table.columns), [(r.line, dict(r.values)) for r in table.rows]


def check_file(path: Path, *, indicator: str = "") -> Checked:
    columns, rows = read_file(path)
    return check_rows(columns, rows, kelurahan=_kelurahan(), indicator=indicator)


@transaction.atomic
def import_indicators(
    *,
    actor: Any,
    path: Path,
    period: str,
    source: str,
    indicator: str = "",
    file_name: str = "",
) -> SectorBatch:
    """Check ``path`` and save its valid rows for ``period`` in one transaction; returns the batch
    (counts, file errors, rejected rows). A file that cannot be used at all (no kelurahan column, no
    value column) saves no value; its batch still records why."""
    _require_planner(actor)
    if not PERIOD_RE.match(period or ""):
        raise ValidationError(_("Periode harus YYYY atau YYYY-MM."))
    source = (source or "").strip()
    if not source:
        raise ValidationError(_("Sumber data wajib diisi."))
    checked = check_file(path, indicator=indicator)
    name = (file_name or path.name)[:200]
    user = actor if getattr(actor, "is_authenticated", False) else None
    batch = SectorBatch.objects.create(
        file_name=name,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        period=period,
        source=source[:120],
        indicator=indicator,
        keys=checked.keys,
        rows=checked.rows,
        rejected=len(checked.rejected),
        file_errors=[i.to_dict() for i in checked.file_errors],
        created_by=user,
    )
    SectorRejectedRow.objects.bulk_create(
        SectorRejectedRow(batch=batch, line=line, raw=raw, issues=[i.to_dict() for i in issues])
        for line, raw, issues in checked.rejected
    )
    if not checked.file_errors:
        _write(batch, checked, user)
    batch.save(update_fields=["accepted", "unchanged", "values_written"])
    audit.record(
        actor=actor,
        action=AuditAction.IMPORT,
        obj=batch,
        object_type="planning.sectorindicator",
        object_repr=f"{name} ({period})",
        detail={
            "period": period,
            "source": source,
            "indicators": checked.keys,
            "sha256": batch.sha256,
            "rows": batch.rows,
            "accepted": batch.accepted,
            "unchanged": batch.unchanged,
            "rejected": batch.rejected,
            "values_written": batch.values_written,
        },
    )
    return batch


def _write(batch: SectorBatch, checked: Checked, user: Any) -> None:
    codes = [code for _line, code, _values in checked.accepted]
    existing = {
        (s.kelurahan_id, s.key): s
        for s in SectorIndicator.objects.filter(
            period=batch.period, key__in=checked.keys, kelurahan_id__in=codes
        )
    }
    new: list[SectorIndicator] = []
    changed: list[SectorIndicator] = []
    for _line, code, values in checked.accepted:
        row_changed = False
        for key, value in values.items():
            old = existing.get((code, key))
            if old is None:
                new.append(
                    SectorIndicator(
                        kelurahan_id=code,
                        period=batch.period,
                        key=key,
                        value=value,
                        source=batch.source,
                        imported_from=batch.file_name,
                        imported_by=user,
                    )
                )
                row_changed = True
            elif old.value != value or old.source != batch.source:
                old.value, old.source, old.imported_from, old.imported_by = (
                    value,
                    batch.source,
                    batch.file_name,
                    user,
                )
                changed.append(old)
                row_changed = True
        if row_changed:
            batch.accepted += 1
        else:
            batch.unchanged += 1
    SectorIndicator.objects.bulk_create(new)
    for obj in changed:  # few rows (one per kelurahan); save() keeps imported_at current
        obj.save(update_fields=["value", "source", "imported_from", "imported_by", "imported_at"])
    batch.values_written = len(new) + len(changed)


def batch_report_xlsx(batch: SectorBatch) -> bytes:
    """The check report of a batch: counts, then one line per problem (file, row, field, value, reason
    in Bahasa Indonesia and in English)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Laporan"
    ws.append(["Laporan pemeriksaan berkas indikator sektor / Sector indicator file check report"])
    ws["A1"].font = Font(bold=True, size=12)
    for label, value in (
        ("Berkas / file", batch.file_name),
        ("Periode / period", batch.period),
        ("Sumber / source", batch.source),
        ("Indikator / indicators", ", ".join(batch.keys)),
        ("Baris dibaca / rows read", batch.rows),
        ("Diterima (baru/berubah) / accepted (new/changed)", batch.accepted),
        ("Tidak berubah / unchanged", batch.unchanged),
        ("Ditolak / rejected", batch.rejected),
    ):
        ws.append([label, value])
    ws.append([])
    header = ["Berkas / file", "Baris / row", "Kolom / field", "Nilai / value", "Alasan", "Reason"]
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for issue in batch.file_errors:
        ws.append(
            [batch.file_name, None, issue["field"] or None, issue["value"] or None, issue["id"], issue["en"]]
        )
    for row in batch.rejected_rows.all():
        for issue in row.issues:
            ws.append([batch.file_name, row.line, issue["field"], issue["value"], issue["id"], issue["en"]])
    for col, width in zip("ABCDEF", (30, 8, 22, 22, 70, 70), strict=True):
        ws.column_dimensions[col].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
