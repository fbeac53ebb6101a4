"""The error report of a registry intake, as an XLSX workbook in Bahasa Indonesia. Django-free.

Sheets:

* ``Ringkasan`` — the file, counts of rows and issues, counts per issue code.
* ``Baris bermasalah`` — one line per issue: baris, kolom, nilai, kode, tingkat (galat/peringatan),
  alasan (Bahasa Indonesia), reason (English).
* ``Data ditolak`` — the rejected rows with their original columns plus ``Alasan penolakan`` and
  ``Baris asal``: correct them in place and send this sheet again (the two extra columns are
  ignored on import).

The workbook is written with openpyxl's write-only mode while the results stream in, so memory stays
flat for a million rows. A sheet that would pass Excel's 1,048,576-row limit continues in a sheet
named ``... (2)``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from padu.ingest.engine.layouts import ColumnMapping
from padu.ingest.engine.results import ERROR, RowResult

__all__ = ["REJECTED_EXTRA_COLUMNS", "SHEET_ISSUES", "SHEET_REJECTED", "SHEET_SUMMARY", "write_report"]

SHEET_SUMMARY = "Ringkasan"
SHEET_ISSUES = "Baris bermasalah"
SHEET_REJECTED = "Data ditolak"
ISSUE_HEADER = ("Baris", "Kolom", "Nilai", "Kode", "Tingkat", "Alasan", "Reason")
REJECTED_EXTRA_COLUMNS = ("Alasan penolakan", "Baris asal")
SEVERITY_ID = {"error": "galat", "warning": "peringatan"}
_MAX_ROWS = 1_048_576
# Registry identifiers: written as text so Excel keeps all 16 digits when they are corrected.
_TEXT_FIELDS = ("nik", "kk", "person_id", "family_id", "kelurahan_code", "rt", "rw")


class _Sheet:
    """A write-only sheet that continues in "<title> (2)" when Excel's row limit is reached."""

    def __init__(self, wb: Any, title: str, header: list[str], widths: list[float]) -> None:
        self.wb, self.title, self.header, self.widths = wb, title, header, widths
        self.part = 0
        self.ws: Any = None
        self.rows = 0
        self._open()

    def _open(self) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        self.part += 1
        title = self.title if self.part == 1 else f"{self.title} ({self.part})"
        self.ws = self.wb.create_sheet(title)
        for index, width in enumerate(self.widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.ws.freeze_panes = "A2"
        bold = Font(bold=True)
        cells = []
        for text in self.header:
            cell = WriteOnlyCell(self.ws, value=_safe(text))
            cell.font = bold
            cells.append(cell)
        self.ws.append(cells)
        self.rows = 1

    def append(self, values: list[Any]) -> None:
        if self.rows >= _MAX_ROWS:
            self._open()
        self.ws.append(values)
        self.rows += 1


def _safe(value: Any) -> Any:
    """A cell value openpyxl writes as data: no formulas, no XML-illegal characters, no timezones."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        if ILLEGAL_CHARACTERS_RE.search(value):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return value[:32_767]
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if value is None or isinstance(value, int | float | dt.date | dt.time | dt.timedelta):
        return value
    return str(value)


def _text_cell(ws: Any, value: Any, *, force_text: bool = False) -> Any:
    """A cell whose string never turns into a formula; ``force_text`` also sets Excel's Text format."""
    value = _safe(value)
    if not force_text and not (isinstance(value, str) and value.startswith("=")):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if force_text:
        cell.number_format = "@"
    return cell


def write_report(
    path: str | Path,
    results: Iterable[RowResult],
    *,
    file_name: str,
    columns: list[str],
    summary: Mapping[str, int] | None = None,
    mapping: ColumnMapping | None = None,
    title: str = "Laporan pemeriksaan berkas registri",
    text_fields: tuple[str, ...] = _TEXT_FIELDS,
) -> int:
    """Write the report and return the number of issues written.

    ``columns`` are the file's headers (for ``Data ditolak``); ``summary`` adds counts of the caller
    (e.g. families created) to ``Ringkasan``; ``mapping`` marks NIK/KK/ID columns as Excel text.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    summary_ws = wb.create_sheet(SHEET_SUMMARY)
    summary_ws.column_dimensions["A"].width = 42
    summary_ws.column_dimensions["B"].width = 16
    summary_ws.column_dimensions["C"].width = 16
    summary_ws.column_dimensions["D"].width = 90
    issues_sheet = _Sheet(wb, SHEET_ISSUES, list(ISSUE_HEADER), [8, 24, 24, 28, 12, 80, 80])
    rejected_header = [*columns, *REJECTED_EXTRA_COLUMNS]
    rejected_sheet = _Sheet(wb, SHEET_REJECTED, rejected_header, [18.0] * len(columns) + [80, 10])
    text_columns: set[str] = set()
    if mapping is not None:
        text_columns = {mapping.fields[f] for f in text_fields if f in mapping.fields}

    rows = ok = warned = errors = warnings = 0
    codes: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    issues_ws_append = issues_sheet.append
    for result in results:
        rows += 1
        if result.ok:
            ok += 1
            if not result.issues:
                continue
            warned += 1
        for issue in result.issues:
            if issue.severity == ERROR:
                errors += 1
            else:
                warnings += 1
            key = (issue.code, issue.severity)
            codes[key] += 1
            if key not in examples:
                examples[key] = issue.message_id
            issues_ws_append(
                [
                    result.line,
                    _text_cell(issues_sheet.ws, issue.column or ""),
                    _text_cell(issues_sheet.ws, issue.value if issue.value is not None else ""),
                    issue.code,
                    SEVERITY_ID.get(issue.severity, issue.severity),
                    _text_cell(issues_sheet.ws, issue.message_id),
                    _text_cell(issues_sheet.ws, issue.message_en),
                ]
            )
        if not result.ok:
            raw = result.raw
            ws = rejected_sheet.ws
            reasons = "; ".join(i.message_id for i in result.issues if i.severity == ERROR)
            rejected_sheet.append(
                [
                    *(_text_cell(ws, raw.get(c), force_text=c in text_columns) for c in columns),
                    _text_cell(ws, reasons),
                    result.line,
                ]
            )

    bold = Font(bold=True)

    def heading(text: str) -> list[Any]:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(summary_ws, value=text)
        cell.font = bold
        return [cell]

    summary_ws.append(heading(title))
    summary_ws.append(["Berkas", _text_cell(summary_ws, file_name)])
    summary_ws.append(["Dibuat", dt.datetime.now().strftime("%d-%m-%Y %H:%M")])
    summary_ws.append([])
    summary_ws.append(["Jumlah baris data", rows])
    summary_ws.append(["Baris diterima", ok])
    summary_ws.append(["Baris ditolak (ada galat)", rows - ok])
    summary_ws.append(["Baris diterima dengan peringatan", warned])
    summary_ws.append(["Jumlah galat", errors])
    summary_ws.append(["Jumlah peringatan", warnings])
    if summary:
        summary_ws.append([])
        summary_ws.append(heading("Hasil impor"))
        for label, value in summary.items():
            summary_ws.append([_text_cell(summary_ws, label), value])
    summary_ws.append([])
    summary_ws.append([*heading("Kode"), "Tingkat", "Jumlah", "Contoh alasan"])
    for (code, severity), count in sorted(codes.items(), key=lambda item: (-item[1], item[0])):
        summary_ws.append(
            [
                code,
                SEVERITY_ID.get(severity, severity),
                count,
                _text_cell(summary_ws, examples[(code, severity)]),
            ]
        )
    summary_ws.append([])
    summary_ws.append(
        [
            "Perbaiki baris di lembar 'Data ditolak' lalu kirim ulang lembar itu; kolom 'Alasan penolakan' "
            "dan 'Baris asal' diabaikan saat impor. Baris dengan peringatan sudah diterima."
        ]
    )
    wb.save(str(path))
    return errors + warnings
