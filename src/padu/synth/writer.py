"""Streaming table writers: CSV, and XLSX built with openpyxl's write-only workbook.

XLSX: openpyxl (write-only mode) builds the package: workbook, styles, content types, the title rows and
the header. Data rows are serialised by :class:`XlsxTable` itself, straight to a temporary file, as plain
SpreadsheetML rows (inline strings, numbers, date serials with an openpyxl-registered date style) and
spliced into openpyxl's worksheet when the archive is written. That is about twenty times faster than
openpyxl's per-cell writer without lxml and keeps memory flat whatever the number of rows.

Archives are reproducible: workbook properties and every zip entry carry a fixed timestamp.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

FIXED_ZIP_TIME = (2025, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = dt.datetime(2025, 1, 1)
_EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()
MAX_XLSX_ROWS = 1_048_576


class Table(Protocol):
    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None: ...

    def close(self) -> None: ...


class CsvTable:
    def __init__(
        self,
        path: Path,
        header: Sequence[str],
        *,
        delimiter: str = ",",
        encoding: str = "utf-8",
        lineterminator: str = "\n",
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._f = open(path, "w", newline="", encoding=encoding)  # noqa: SIM115 - closed in close()
        self._w = csv.writer(self._f, delimiter=delimiter, lineterminator=lineterminator)
        self._w.writerow(header)

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        self._w.writerows(rows)

    def write_row(self, row: Sequence[Any]) -> None:
        self._w.writerow(row)

    def write_raw(self, text: str) -> None:
        """Append pre-formatted lines (the caller guarantees they need no quoting)."""
        self._f.write(text)

    def close(self) -> None:
        self._f.close()


class _FixedTimeZip(zipfile.ZipFile):
    """A ZipFile whose entries all carry the same timestamp (reproducible archives), and which can
    splice extra ``<row>`` elements into one worksheet as openpyxl writes it."""

    splice: dict[str, Path]

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
        info.compress_type = self.compression
        info.external_attr = 0o600 << 16
        return info

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = self._info(str(zinfo_or_arcname))
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        name = str(arcname if arcname is not None else filename)
        rows = getattr(self, "splice", {}).get(name)
        with open(filename, "rb") as src, self.open(self._info(name), "w", force_zip64=True) as dst:
            if rows is None:
                shutil.copyfileobj(src, dst, 1 << 20)
                return
            sheet = src.read()  # openpyxl's part: sheet properties, title and header rows only
            cut = sheet.index(b"</sheetData>")
            dst.write(sheet[:cut])
            with open(rows, "rb") as body:
                shutil.copyfileobj(body, dst, 1 << 20)
            dst.write(sheet[cut:])


def _text(value: str) -> str:
    if "&" in value or "<" in value or ">" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if value[:1].isspace() or value[-1:].isspace():
        return f'<is><t xml:space="preserve">{value}</t></is>'
    return f"<is><t>{value}</t></is>"


class XlsxTable:
    """One worksheet: optional title rows, a blank row, the header, then data rows.

    Data values: ``str`` (inline string; empty = no cell), ``int``/``float`` (number), ``datetime.date``
    (an Excel date cell in ``date_format``) or ``None`` (no cell)."""

    def __init__(
        self,
        path: Path,
        header: Sequence[str],
        *,
        sheet_name: str = "Sheet1",
        title_rows: Sequence[str] = (),
        date_format: str = "dd/mm/yyyy",
    ) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.utils import get_column_letter

        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._wb = Workbook(write_only=True)
        self._ws = self._wb.create_sheet(sheet_name)
        for title in title_rows:
            self._ws.append([title])
        if title_rows:
            self._ws.append([])
        self._ws.append(list(header))
        self._row = len(title_rows) + (1 if title_rows else 0) + 1
        self._letters = [get_column_letter(i + 1) for i in range(len(header))]
        probe = WriteOnlyCell(self._ws, value=dt.date(2000, 1, 1))
        probe.number_format = date_format
        self._date_style = probe.style_id  # registers the date style in the workbook's stylesheet
        fd, name = tempfile.mkstemp(prefix="padu-synth-", suffix=".xml")
        self._rows_path = Path(name)
        self._body = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        letters, date_style = self._letters, self._date_style
        r = self._row
        out: list[str] = []
        for row in rows:
            r += 1
            cells = [f'<row r="{r}">']
            for i, v in enumerate(row):
                if v is None or v == "":
                    continue
                t = type(v)
                if t is str:
                    cells.append(f'<c r="{letters[i]}{r}" t="inlineStr">{_text(v)}</c>')
                elif t is int or t is float:
                    cells.append(f'<c r="{letters[i]}{r}" t="n"><v>{v!r}</v></c>')
                elif isinstance(v, dt.date):
                    serial = v.toordinal() - _EXCEL_EPOCH
                    cells.append(f'<c r="{letters[i]}{r}" s="{date_style}" t="n"><v>{serial}</v></c>')
                else:
                    cells.append(f'<c r="{letters[i]}{r}" t="inlineStr">{_text(str(v))}</c>')
            cells.append("</row>")
            out.append("".join(cells))
        if r > MAX_XLSX_ROWS:
            raise ValueError(f"{self.path.name}: more than {MAX_XLSX_ROWS:,} rows do not fit in a sheet")
        self._row = r
        self._body.write("".join(out))

    def abort(self) -> None:
        """Drop the temporary rows file without writing the workbook."""
        self._body.close()
        self._rows_path.unlink(missing_ok=True)

    def close(self) -> None:
        from openpyxl.writer.excel import ExcelWriter

        self._body.close()
        try:
            props = self._wb.properties
            props.creator = "Padu (data sintetis / synthetic data)"
            props.created = props.modified = FIXED_DOC_TIME
            archive = _FixedTimeZip(self.path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
            archive.splice = {"xl/worksheets/sheet1.xml": self._rows_path}  # the workbook's only sheet
            ExcelWriter(self._wb, archive).save()
        finally:
            self._rows_path.unlink(missing_ok=True)
