"""Routing of findings: the per-OPD correction list (XLSX: stop / check / add) and the per-kelurahan
field-check list. Both hold personal data: the service that hands them out audits each."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from padu.registry.models import Membership
from padu.targeting.choices import ACTION_ADD, ACTION_CHECK, ACTION_STOP, ACTIONS, FindingType, Severity
from padu.targeting.models import Finding

__all__ = ["HEADERS", "SHEETS", "correction_workbook", "with_head"]

SHEETS = {
    ACTION_STOP: "Hentikan",
    ACTION_CHECK: "Periksa",
    ACTION_ADD: "Tambahkan",
}
HEADERS = (
    "No",
    "Jenis temuan",
    "Tingkat",
    "Kode program",
    "Program",
    "Baris daftar",
    "NIK",
    "Nama",
    "Kode kelurahan",
    "Kelurahan",
    "Desil",
    "Nilai per bulan (Rp)",
    "Nilai per tahun (Rp)",
    "Keterangan",
)
NOTES = {
    ACTION_STOP: "Hentikan penyaluran setelah dipastikan",
    ACTION_CHECK: "Periksa data penerima (lapangan/Dukcapil) sebelum penyaluran berikutnya",
    ACTION_ADD: "Layak menurut registri: pertimbangkan untuk ditambahkan ke daftar",
}


def with_head(findings: QuerySet[Finding]) -> QuerySet[Finding]:
    """``head_name``/``head_nik``: the family head (current membership ``kepala``), for findings about a
    family without a person (family programmes' exclusions, priority families)."""
    head = Membership.objects.filter(
        family=OuterRef("family_id"), relationship="kepala", valid_to__isnull=True
    )
    return findings.annotate(
        head_name=Subquery(head.values("person__name")[:1]), head_nik=Subquery(head.values("person__nik")[:1])
    )


def _row(n: int, f: Any) -> list[Any]:
    entry, person = f.roll_entry, f.person
    name = person.name if person else (entry.name if entry else (f.head_name or ""))
    nik = person.nik if person else (entry.nik if entry else (f.head_nik or ""))
    return [
        n,
        str(FindingType(f.finding_type).label) if f.finding_type in FindingType.values else f.finding_type,
        str(Severity(f.severity).label) if f.severity in Severity.values else f.severity,
        f.programme.code if f.programme else "",
        f.programme.name if f.programme else "",
        entry.row_number if entry else "",
        nik,
        name,
        f.kelurahan_id or "",
        f.kelurahan.name if f.kelurahan else "",
        f.desil if f.desil is not None else "",
        f.rupiah_month,
        f.rupiah_year,
        NOTES[ACTIONS.get(f.finding_type, ACTION_CHECK)],
    ]


def correction_workbook(findings: Iterable[Any], *, title: str) -> tuple[bytes, dict[str, int]]:
    """An XLSX with a summary sheet and one sheet per action (stop, check, add); NIK as text. Returns
    the file and the rows per action."""
    wb = Workbook()
    summary = wb.active
    summary.title = "Ringkasan"
    sheets = {}
    for key, name in SHEETS.items():
        ws = wb.create_sheet(name)
        ws.append(list(HEADERS))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        ws.column_dimensions["G"].width = 19
        ws.column_dimensions["H"].width = 28
        sheets[key] = ws
    counts = dict.fromkeys(SHEETS, 0)
    rupiah = dict.fromkeys(SHEETS, 0)
    for f in findings:
        action = ACTIONS.get(f.finding_type, "")
        if not action:
            continue
        counts[action] += 1
        rupiah[action] += f.rupiah_year
        sheets[action].append(_row(counts[action], f))
        sheets[action].cell(row=counts[action] + 1, column=7).number_format = "@"
    summary.append([title])
    summary["A1"].font = Font(bold=True)
    summary.append(["Dibuat", timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    summary.append([])
    summary.append(["Tindakan", "Jumlah baris", "Nilai per tahun (Rp)"])
    for key, name in SHEETS.items():
        summary.append([name, counts[key], rupiah[key]])
    summary.append([])
    summary.append(["Data pribadi: gunakan hanya untuk perbaikan daftar penerima (UU PDP)."])
    summary.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), counts
