"""The XLSX reader of :func:`padu.ingest.engine.read_table`. Django-free.

openpyxl in read-only mode with cached formula values; cell types are kept (a NIK typed into a numeric
cell arrives as ``int``/``float`` so its Excel damage can be reported). Every sheet is scanned for the
header unless one is named; the sheet with the best header wins.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from padu.ingest.engine.errors import IngestError
from padu.ingest.engine.layouts import header_score
from padu.ingest.engine.table import (
    RawRow,
    Score,
    Table,
    _clean_header,
    _error,
    _find_header,
    _header_key,
    _is_blank,
    _is_header,
    _is_numbering,
    _raw_row,
)


def _open_workbook(path: Path) -> Any:
    import openpyxl  # imported here: CSV-only callers do not pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, EOFError) as exc:
        reason = "bukan berkas Excel .xlsx yang utuh" if isinstance(exc, zipfile.BadZipFile) else str(exc)
        raise _error(
            path,
            "file.corrupt",
            f"berkas Excel rusak atau bukan .xlsx ({reason}); buka di Excel lalu simpan ulang sebagai .xlsx",
            f"the Excel file is damaged or not an .xlsx ({exc}); open it in Excel and save it again as .xlsx",
        ) from None
    except Exception as exc:  # openpyxl raises many kinds on malformed XML
        raise _error(
            path,
            "file.corrupt",
            f"berkas Excel tidak dapat dibaca ({type(exc).__name__}: {exc})",
            f"the Excel file cannot be read ({type(exc).__name__}: {exc})",
        ) from None


def _scan(ws: Any, max_rows: int) -> list[tuple[object, ...]]:
    ws.reset_dimensions()  # dimensions written by other tools are often wrong
    out: list[tuple[object, ...]] = []
    for cells in ws.iter_rows(min_row=1, max_row=max_rows, values_only=True):
        out.append(cells)
    return out


def _read_xlsx(
    path: Path, head: bytes, sheet: str | None, max_header_scan: int, score: Score = header_score
) -> Table:
    if not head.startswith(b"PK\x03\x04"):
        raise _error(
            path,
            "file.corrupt",
            "bukan berkas Excel .xlsx yang sah (isinya bukan format Excel); buka di Excel lalu simpan ulang",
            "not a valid Excel .xlsx file (its content is not in Excel format); open it in Excel and "
            "save again",
        )
    wb = _open_workbook(path)
    try:
        names = [ws.title for ws in wb.worksheets]
        if sheet is not None:
            if sheet not in names:
                raise _error(
                    path,
                    "file.sheet_not_found",
                    f"lembar '{sheet}' tidak ada; lembar yang ada: {', '.join(names)}",
                    f"there is no sheet '{sheet}'; the sheets are: {', '.join(names)}",
                )
            candidates = [sheet]
        else:
            candidates = names
        best: tuple[int, int, str, list[tuple[object, ...]]] | None = None
        for name in candidates[:50]:
            try:
                scanned = _scan(wb[name], max_header_scan)
            except Exception as exc:
                raise _error(
                    path,
                    "file.corrupt",
                    f"lembar '{name}' tidak dapat dibaca ({type(exc).__name__}: {exc})",
                    f"sheet '{name}' cannot be read ({type(exc).__name__}: {exc})",
                ) from None
            index, points = _find_header(scanned, score)
            if index >= 0 and (best is None or points > best[1]):
                best = (index, points, name, scanned)
        if best is None:
            raise _error(
                path, "file.empty", "berkas Excel tidak berisi data", "the Excel file contains no data"
            )
    except BaseException:
        wb.close()
        raise
    index, found, chosen, scanned = best
    columns = _clean_header(list(scanned[index]), letters=True)
    width = len(columns)
    header_line = index + 1
    ws = wb[chosen]
    header_cells = _header_key(scanned[index])
    header_first = scanned[index][0] if scanned[index] else None

    def rows() -> Iterator[RawRow]:
        line = header_line
        try:
            first = True
            stream = ws.iter_rows(min_row=header_line + 1, values_only=True)
            for line, cells in enumerate(stream, start=header_line + 1):
                if not cells or _is_blank(cells):
                    continue
                if len(cells) != width:
                    cells = cells[:width] if len(cells) > width else cells + (None,) * (width - len(cells))
                if first:
                    first = False
                    if _is_numbering(cells):
                        continue
                if cells[0] == header_first and _is_header(cells, header_cells):
                    continue  # the header repeated (exports printed page by page)
                yield _raw_row(line, dict(zip(columns, cells, strict=False)))
        except IngestError:
            raise
        except Exception as exc:
            raise _error(
                path,
                "file.corrupt",
                f"berkas Excel rusak ({type(exc).__name__}: {exc})",
                f"the Excel file is damaged ({type(exc).__name__}: {exc})",
                line=line + 1,
            ) from None
        finally:
            wb.close()

    return Table(
        path=path,
        sheet=chosen,
        header_line=header_line,
        columns=columns,
        rows=rows(),
        format="xlsx",
        sheets=names,
        header_score=found,
        _close=wb.close,
    )
