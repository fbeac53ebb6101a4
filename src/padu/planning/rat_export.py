"""Writers for the RAT document (:mod:`padu.planning.rat_report`): XLSX (openpyxl; sheets RAT,
Keterkaitan, Ringkasan, Peringatan) and PDF (fpdf2, landscape A4, the RPKD's font setup). Amounts
are written as numbers (whole rupiah) so that the workbook can be summed and filtered; subtotals are
values, not formulas, so that they read the same in every program."""

from __future__ import annotations

import io
from typing import Any

from openpyxl.utils import get_column_letter

from padu.planning.rat_report import RatDocument, Summary
from padu.planning.rpkd_export import new_pdf

RP = "#,##0"
HEADER = [
    "No",
    "Kegiatan",
    "Strategi",
    "Kode SIPD",
    "Nomenklatur SIPD (program/kegiatan/sub-kegiatan)",
    "Indikator keluaran",
    "Target",
    "Satuan",
    "Kelurahan",
    "Kecamatan",
    "Anggaran (Rp)",
    "Sumber dana",
    "Prasyarat (bergantung pada)",
]
WIDTHS = [5, 34, 26, 14, 34, 28, 9, 10, 18, 16, 16, 14, 30]
BUDGET_COL = HEADER.index("Anggaran (Rp)") + 1


def _fmt_target(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,}".replace(",", "_").replace(".", ",").replace("_", ".")


def _rp(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _note(doc: RatDocument) -> str:
    note = f"{doc.title}. Disusun dari Padu, {doc.generated:%d-%m-%Y %H:%M}"
    return note + (f"; OPD: {doc.opd_filter}" if doc.opd_filter else "")


# -- XLSX ------------------------------------------------------------------------------------------


def _title_block(ws: Any, doc: RatDocument, subtitle: str, width: int) -> int:
    """Title rows at the top of a sheet; returns the next free row."""
    from openpyxl.styles import Alignment, Font

    lines = [
        ("RENCANA AKSI TAHUNAN (RAT) PENANGGULANGAN KEMISKINAN", 14),
        (f"{doc.region.upper()} TAHUN {doc.year}", 13),
        (subtitle, 11),
        (_note(doc), 9),
    ]
    for i, (text, size) in enumerate(lines, start=1):
        ws.cell(row=i, column=1, value=text).font = Font(bold=size > 9, size=size)
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
        ws.cell(row=i, column=1).alignment = Alignment(horizontal="center")
    return len(lines) + 2


def _header(ws: Any, row: int, labels: list[str]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin")
    for col, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)


def _activities_sheet(ws: Any, doc: RatDocument) -> None:
    from openpyxl.styles import Alignment, Font

    ws.title = "RAT"
    row = _title_block(ws, doc, "Kegiatan per Perangkat Daerah", len(HEADER))
    _header(ws, row, HEADER)
    ws.freeze_panes = ws.cell(row=row + 1, column=3)
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for group in doc.groups:
        row += 1
        ws.cell(row=row, column=1, value=f"{group.name} ({group.short_name})").font = Font(bold=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADER))
        for r in group.rows:
            row += 1
            values = [
                r.no,
                r.name,
                r.strategy,
                r.sipd_code or None,
                r.sipd_name or None,
                r.output_indicator or None,
                r.target,
                r.unit or None,
                r.kelurahan,
                r.kecamatan or None,
                r.budget,
                r.funding_source,
                "; ".join(r.depends_on) or None,
            ]
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=col, value=value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.cell(row=row, column=BUDGET_COL).number_format = RP
        row += 1
        ws.cell(row=row, column=2, value=f"Jumlah {group.short_name}").font = Font(bold=True)
        total = ws.cell(row=row, column=BUDGET_COL, value=group.subtotal)
        total.font, total.number_format = Font(bold=True), RP
    row += 2
    ws.cell(row=row, column=2, value="JUMLAH SELURUH OPD").font = Font(bold=True)
    total = ws.cell(row=row, column=BUDGET_COL, value=doc.total)
    total.font, total.number_format = Font(bold=True), RP


def _links_sheet(ws: Any, doc: RatDocument) -> None:
    ws.title = "Keterkaitan"
    labels = [
        "No",
        "Kegiatan",
        "OPD",
        "Lokasi",
        "Bergantung pada (prasyarat)",
        "OPD prasyarat",
        "Lokasi prasyarat",
        "Anggaran prasyarat (Rp)",
    ]
    row = _title_block(ws, doc, "Keterkaitan antarkegiatan", len(labels))
    _header(ws, row, labels)
    for col, width in enumerate([5, 34, 12, 18, 34, 12, 18, 18], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    if not doc.links:
        ws.cell(row=row + 1, column=2, value="Tidak ada kegiatan yang saling bergantung.")
    for i, link in enumerate(doc.links, start=1):
        values = [
            i,
            link.activity,
            link.opd,
            link.kelurahan,
            link.depends_on,
            link.depends_opd,
            link.depends_kelurahan,
            link.depends_budget,
        ]
        for col, value in enumerate(values, start=1):
            ws.cell(row=row + i, column=col, value=value)
        ws.cell(row=row + i, column=8).number_format = RP


def _summary_table(ws: Any, row: int, caption: str, labels: list[str], rows: list[list[Any]]) -> int:
    from openpyxl.styles import Font

    ws.cell(row=row, column=1, value=caption).font = Font(bold=True, size=11)
    _header(ws, row + 1, labels)
    row += 1
    for values in rows:
        row += 1
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            if isinstance(value, int) and labels[col - 1].endswith("(Rp)"):
                cell.number_format = RP
            if values[0] == "Jumlah":
                cell.font = Font(bold=True)
    return row + 2


def _with_total(rows: list[list[Any]], items: list[Summary], width: int, budget_at: int) -> list[list[Any]]:
    total: list[Any] = ["Jumlah"] + [None] * (width - 1)
    total[budget_at - 1] = sum(s.count for s in items)
    total[budget_at] = sum(s.budget for s in items)
    return [*rows, total]


def _summary_sheet(ws: Any, doc: RatDocument) -> None:
    ws.title = "Ringkasan"
    row = _title_block(ws, doc, "Ringkasan per strategi, OPD dan kelurahan", 6)
    for col, width in enumerate([40, 18, 14, 18, 18, 18], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    total = doc.total or 1
    strat = [[s.label, s.count, s.budget, round(100 * s.budget / total, 1)] for s in doc.by_strategy]
    row = _summary_table(
        ws,
        row,
        "Per strategi (Inpres 4/2022)",
        ["Strategi", "Jumlah kegiatan", "Anggaran (Rp)", "Porsi (%)"],
        _with_total(strat, doc.by_strategy, 4, 2),
    )
    opd = [
        [s.label, s.count, s.budget, s.ceiling, (s.ceiling - s.budget) if s.ceiling is not None else None]
        for s in doc.by_opd
    ]
    row = _summary_table(
        ws,
        row,
        "Per perangkat daerah (terhadap plafon)",
        ["OPD", "Jumlah kegiatan", "Anggaran (Rp)", "Plafon (Rp)", "Sisa plafon (Rp)"],
        _with_total(opd, doc.by_opd, 5, 2),
    )
    kel = [
        [s.label, s.kecamatan or "—", "ya" if s.code in doc.lokasi else "", s.count, s.budget]
        for s in doc.by_kelurahan
    ]
    kel_total: list[Any] = ["Jumlah", None, None, sum(s.count for s in doc.by_kelurahan)]
    kel_total.append(sum(s.budget for s in doc.by_kelurahan))
    _summary_table(
        ws,
        row,
        "Per kelurahan (lokasi)",
        ["Kelurahan", "Kecamatan", "Lokasi prioritas", "Jumlah kegiatan", "Anggaran (Rp)"],
        [*kel, kel_total],
    )


def _warnings_sheet(ws: Any, doc: RatDocument) -> None:
    ws.title = "Peringatan"
    labels = ["No", "Kegiatan", "OPD", "Peringatan konsistensi"]
    row = _title_block(ws, doc, "Peringatan konsistensi (perlu diperbaiki)", len(labels))
    _header(ws, row, labels)
    for col, width in enumerate([5, 34, 12, 90], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    if not doc.warnings:
        ws.cell(row=row + 1, column=4, value="Tidak ada peringatan.")
    for i, w in enumerate(doc.warnings, start=1):
        for col, value in enumerate([i, w.activity or "(keseluruhan RAT)", w.opd or None, w.text], start=1):
            ws.cell(row=row + i, column=col, value=value)


def to_xlsx(doc: RatDocument) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.title = doc.title
    wb.properties.creator = "Padu"
    _activities_sheet(wb.active, doc)
    _links_sheet(wb.create_sheet(), doc)
    _summary_sheet(wb.create_sheet(), doc)
    _warnings_sheet(wb.create_sheet(), doc)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# -- PDF -------------------------------------------------------------------------------------------

PDF_HEADER = [
    "No",
    "Kegiatan",
    "Strategi",
    "SIPD",
    "Indikator keluaran / target",
    "Lokasi",
    "Anggaran (Rp)",
    "Sumber dana",
    "Prasyarat",
]
PDF_WIDTHS = (9, 48, 30, 38, 40, 28, 26, 20, 38)


def _table(
    pdf: Any,
    t: Any,
    header: list[str],
    rows: list[list[str]],
    widths: tuple[int, ...],
    bold_last: bool = False,
) -> None:
    from fpdf.fonts import FontFace

    bold = FontFace(emphasis="BOLD")
    with pdf.table(
        col_widths=widths, text_align="LEFT", first_row_as_headings=True, width=sum(widths)
    ) as grid:
        for i, values in enumerate([header, *rows]):
            line = grid.row(style=bold if bold_last and i == len(rows) else None)
            for value in values:
                line.cell(t(value))


def _heading(pdf: Any, family: str, t: Any, text: str, size: int = 12) -> None:
    pdf.ln(3)
    pdf.set_font(family, "B", size)
    pdf.multi_cell(0, 6, t(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 8)


def to_pdf(doc: RatDocument) -> bytes:
    pdf, family, t = new_pdf(doc.title, orientation="L")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font(family, "B", 14)
    pdf.multi_cell(
        0,
        7,
        t("RENCANA AKSI TAHUNAN (RAT) PENANGGULANGAN KEMISKINAN"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.multi_cell(
        0, 7, t(f"{doc.region.upper()} TAHUN {doc.year}"), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font(family, "", 9)
    pdf.multi_cell(0, 5, t(_note(doc)), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_subject(t(doc.title))
    for group in doc.groups:
        _heading(pdf, family, t, f"{group.name} ({group.short_name})", 11)
        rows = [
            [
                str(r.no),
                r.name,
                r.strategy,
                " ".join(x for x in (r.sipd_code, r.sipd_name) if x) or "—",
                f"{r.output_indicator or '—'}: {_fmt_target(r.target)} {r.unit}".strip(),
                r.kelurahan + (f" (Kec. {r.kecamatan})" if r.kecamatan else ""),
                _rp(r.budget),
                r.funding_source,
                "; ".join(r.depends_on) or "—",
            ]
            for r in group.rows
        ]
        rows.append(["", f"Jumlah {group.short_name}", "", "", "", "", _rp(group.subtotal), "", ""])
        _table(pdf, t, PDF_HEADER, rows, PDF_WIDTHS, bold_last=True)
    _heading(pdf, family, t, f"Jumlah seluruh OPD: Rp {_rp(doc.total)} ({len(doc.rows)} kegiatan)", 11)
    _heading(pdf, family, t, "Ringkasan per strategi")
    strat = [[s.label, str(s.count), _rp(s.budget)] for s in doc.by_strategy]
    strat.append(["Jumlah", str(len(doc.rows)), _rp(doc.total)])
    _table(pdf, t, ["Strategi", "Kegiatan", "Anggaran (Rp)"], strat, (90, 30, 40), bold_last=True)
    _heading(pdf, family, t, "Ringkasan per OPD (terhadap plafon)")
    opd = [
        [s.label, str(s.count), _rp(s.budget), "—" if s.ceiling is None else _rp(s.ceiling)]
        for s in doc.by_opd
    ]
    _table(pdf, t, ["OPD", "Kegiatan", "Anggaran (Rp)", "Plafon (Rp)"], opd, (110, 25, 40, 40))
    _heading(pdf, family, t, "Ringkasan per kelurahan")
    kel = [
        [s.label, s.kecamatan or "—", "ya" if s.code in doc.lokasi else "", str(s.count), _rp(s.budget)]
        for s in doc.by_kelurahan
    ]
    _table(
        pdf,
        t,
        ["Kelurahan", "Kecamatan", "Lokasi prioritas", "Kegiatan", "Anggaran (Rp)"],
        kel,
        (60, 50, 30, 25, 40),
    )
    _heading(pdf, family, t, "Keterkaitan antarkegiatan")
    if doc.links:
        links = [
            [x.activity, x.opd, x.kelurahan, x.depends_on, x.depends_opd, x.depends_kelurahan]
            for x in doc.links
        ]
        _table(
            pdf,
            t,
            ["Kegiatan", "OPD", "Lokasi", "Bergantung pada", "OPD", "Lokasi"],
            links,
            (60, 25, 35, 60, 25, 35),
        )
    else:
        pdf.multi_cell(0, 5, t("Tidak ada kegiatan yang saling bergantung."), new_x="LMARGIN", new_y="NEXT")
    _heading(pdf, family, t, "Peringatan konsistensi")
    if doc.warnings:
        warn = [
            [str(i), w.activity or "(keseluruhan RAT)", w.opd or "—", w.text]
            for i, w in enumerate(doc.warnings, start=1)
        ]
        _table(pdf, t, ["No", "Kegiatan", "OPD", "Peringatan"], warn, (10, 60, 25, 180))
    else:
        pdf.multi_cell(0, 5, t("Tidak ada peringatan."), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
