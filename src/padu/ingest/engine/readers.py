"""Read a registry file (CSV or XLSX) as a header plus a stream of rows. Django-free.

* CSV: encoding UTF-8 (with or without BOM), UTF-16 with BOM (Excel "Unicode text"), else cp1252;
  stray non-UTF-8 bytes in an otherwise UTF-8 file are read as cp1252 rather than failing half-way.
  The delimiter is sniffed among ``,`` ``;`` tab and ``|``.
* XLSX: openpyxl in read-only mode with cached formula values; cell types are kept (a NIK typed into
  a numeric cell arrives as ``int``/``float`` so its Excel damage can be reported).
* The header is the row, among the first ``max_header_scan`` rows, with the most cells that are
  known column aliases (P3KE sheets have a dozen title rows above the table). A row of column
  numbers right under the header ("(1) (2) (3) ...") is skipped, as are blank rows.

Every :class:`RawRow` has every header as a key (short rows are padded with ``None``); ``line`` is
the row number a user sees in Excel (for CSV: the record number, header included).

The CSV and XLSX readers are ``csv_reader`` and ``xlsx_reader``; :class:`RawRow`, :class:`Table` and
the header finding they share are in ``table``.
"""

from __future__ import annotations

from pathlib import Path

from padu.ingest.engine.csv_reader import _SNIFF_BYTES, _looks_like_text, _read_csv
from padu.ingest.engine.layouts import header_score
from padu.ingest.engine.table import RawRow, Score, Table, _error
from padu.ingest.engine.xlsx_reader import _read_xlsx

__all__ = ["RawRow", "Table", "read_table"]

_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_table(
    path: str | Path, *, sheet: str | None = None, max_header_scan: int = 30, score: Score | None = None
) -> Table:
    """Open a CSV or XLSX file and find its header row. Raises :class:`IngestError` when unreadable.

    ``score`` rates a row as a header (default: the registry's column aliases); another intake kind
    passes the scorer of its own aliases.
    """
    path = Path(path)
    score = score or header_score
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except FileNotFoundError:
        raise _error(path, "file.not_found", "berkas tidak ditemukan", "file not found") from None
    except IsADirectoryError:
        raise _error(
            path, "file.not_found", "ini folder, bukan berkas", "this is a folder, not a file"
        ) from None
    except OSError as exc:
        raise _error(
            path, "file.unreadable", f"berkas tidak dapat dibuka ({exc})", f"cannot open the file ({exc})"
        ) from None
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise _error(path, "file.empty", "berkas kosong", "the file is empty")
    suffix = path.suffix.lower()
    if head.startswith(_OLE_MAGIC) or suffix == ".xls":
        raise _error(
            path,
            "file.unsupported_xls",
            "format Excel 97-2003 (.xls) atau berkas Excel terkunci kata sandi tidak didukung; buka di "
            "Excel lalu simpan sebagai .xlsx (Excel Workbook) atau CSV tanpa kata sandi",
            "the Excel 97-2003 (.xls) format or a password-protected workbook is not supported; open it "
            "in Excel and save it as .xlsx (Excel Workbook) or CSV without a password",
        )
    if head.startswith(b"PK\x03\x04") or suffix in _XLSX_SUFFIXES:
        return _read_xlsx(path, head, sheet, max_header_scan, score)
    if _looks_like_text(head):
        return _read_csv(path, head, max_header_scan, score)
    raise _error(
        path,
        "file.unsupported_format",
        f"isi berkas ('{suffix or 'tanpa akhiran'}') bukan CSV maupun Excel .xlsx; kirim CSV atau .xlsx",
        f"the file's content ('{suffix or 'no extension'}') is neither CSV nor Excel .xlsx; send CSV "
        "or .xlsx",
    )
