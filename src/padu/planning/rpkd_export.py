"""Writers for the assembled RPKD: DOCX (python-docx) and PDF (fpdf2, DejaVu Sans when installed,
else the PDF core font with text reduced to Latin-1)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from padu.planning.rpkd import Document

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


def to_docx(document: Document) -> bytes:
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    out = Docx()
    out.core_properties.title = document.title
    heading = out.add_heading(document.title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    out.add_paragraph(f"{document.region} · Tahun {document.year}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for chapter in document.chapters:
        out.add_heading(chapter.title, level=1)
        for text in chapter.paragraphs:
            out.add_paragraph(text)
        for table in chapter.tables:
            out.add_paragraph(table.caption).runs[0].bold = True
            grid = out.add_table(rows=1, cols=len(table.header))
            grid.style = "Table Grid"
            for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
                cell.text = text
                cell.paragraphs[0].runs[0].bold = True
            for row in table.rows:
                cells = grid.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = str(text)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _font_dir() -> Path | None:
    return next(
        (d for d in FONT_DIRS if (d / "DejaVuSans.ttf").exists() and (d / "DejaVuSans-Bold.ttf").exists()),
        None,
    )


def new_pdf(title: str, orientation: str = "P") -> tuple[Any, str, Callable[[str], str]]:
    """An A4 ``FPDF`` with DejaVu Sans when installed (else Helvetica): ``(pdf, font family, t)``,
    where ``t`` makes a text printable in that font. Offline: only fonts already on the machine."""
    from fpdf import FPDF

    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    pdf.set_title(title)
    fonts = _font_dir()
    if fonts is not None:
        pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
        return pdf, "DejaVu", str

    def latin1(text: str) -> str:
        return (
            text.replace("–", "-")
            .replace("—", "-")
            .replace("·", "-")
            .replace("⚠", "!")
            .encode("latin-1", "replace")
            .decode("latin-1")
        )

    return pdf, "Helvetica", latin1


def to_pdf(document: Document) -> bytes:
    pdf, family, t = new_pdf(document.title)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(0, 8, t(document.title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 11)
    pdf.cell(0, 8, t(f"{document.region} · Tahun {document.year}"), align="C", new_x="LMARGIN", new_y="NEXT")
    for chapter in document.chapters:
        pdf.ln(4)
        pdf.set_font(family, "B", 13)
        pdf.multi_cell(0, 7, t(chapter.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 10)
        for text in chapter.paragraphs:
            pdf.multi_cell(0, 5, t(text), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        for table in chapter.tables:
            pdf.set_font(family, "B", 10)
            pdf.multi_cell(0, 6, t(table.caption), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(family, "", 8)
            with pdf.table(text_align="LEFT", first_row_as_headings=True) as grid:
                for row in [table.header, *table.rows]:
                    line = grid.row()
                    for cell in row:
                        line.cell(t(str(cell)))
            pdf.ln(2)
    return bytes(pdf.output())
