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
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import IO, Any

from padu.ingest.engine.errors import IngestError
from padu.ingest.engine.layouts import header_score

__all__ = ["RawRow", "Table", "read_table"]

_SNIFF_BYTES = 256 * 1024
_DELIMITERS = (",", ";", "\t", "|")
_NUMBERING = re.compile(r"\(?\s*\d{1,3}\s*\)?\.?")
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True, slots=True)
class RawRow:
    line: int  # 1-based row number in the file/sheet (what a user sees in Excel)
    values: dict[str, object]  # column header -> raw value (str, int, float, datetime, date, None)


# RawRow is frozen; the readers build millions of them, so they set the slots directly (as
# padu.lib.nik does for NikResult). Unpacking fails at import if RawRow's fields change.
_new_row = object.__new__
_set_line, _set_values = (getattr(RawRow, f.name).__set__ for f in dataclasses.fields(RawRow))


def _raw_row(line: int, values: dict[str, object]) -> RawRow:
    row = _new_row(RawRow)
    _set_line(row, line)
    _set_values(row, values)
    return row


@dataclass
class Table:
    """A readable table: where its header is and a one-pass stream of its rows.

    ``rows`` can be iterated once. Close the table (or use it as a context manager) when not reading
    it to the end; exhausting ``rows`` closes the file by itself.
    """

    path: Path
    sheet: str | None
    header_line: int
    columns: list[str]
    rows: Iterator[RawRow]
    format: str = "csv"  # "csv" | "xlsx"
    encoding: str | None = None  # CSV only
    delimiter: str | None = None  # CSV only
    sheets: list[str] = field(default_factory=list)  # XLSX: every worksheet name
    header_score: int = 0  # number of header cells that are known aliases (0: header guessed)
    _close: Callable[[], None] | None = field(default=None, repr=False)

    def close(self) -> None:
        if self._close is not None:
            self._close()
            self._close = None

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _error(path: Path, code: str, message_id: str, message_en: str, **kw: Any) -> IngestError:
    return IngestError(path, code, message_id, message_en, **kw)


Score = Callable[[Sequence[object]], int]


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


# --------------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------------


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Decode error handler: read stray bytes of a mostly-UTF-8 file as cp1252 (else Latin-1)."""
    assert isinstance(exc, UnicodeDecodeError)
    chunk = exc.object[exc.start : exc.end]
    return bytes(chunk).decode("cp1252", errors="replace").replace("\ufffd", ""), exc.end


codecs.register_error("padu-cp1252-fallback", _cp1252_fallback)


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    sample = head[:8192]
    if b"\x00" in sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    return controls <= len(sample) // 100


def _encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut by the sample boundary
            return "utf-8"
        return "cp1252"


def _sniff_delimiter(text: str, max_rows: int, score: Score = header_score) -> str:
    lines = text.splitlines()[: max_rows + 1]
    if len(text) >= _SNIFF_BYTES // 2 and len(lines) > 1:
        lines = lines[:-1]  # may be cut
    best: tuple[int, int, int] | None = None
    chosen = ","
    for delimiter in _DELIMITERS:
        records = [r for r in csv.reader(lines, delimiter=delimiter) if r and any(c.strip() for c in r)]
        if not records:
            continue
        best_score = max(score(r) for r in records)
        widths = [len(r) for r in records]
        width = max(set(widths), key=widths.count)
        consistent = widths.count(width) if width > 1 else 0
        candidate = (best_score, consistent, width)
        if best is None or candidate > best:
            best, chosen = candidate, delimiter
    return chosen


def _clean_header(cells: list[object], *, letters: bool) -> list[str]:
    while cells and (cells[-1] is None or str(cells[-1]).strip() == ""):
        cells = cells[:-1]
    names: list[str] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(cells, start=1):
        text = " ".join(str(cell).split()) if cell is not None else ""
        if isinstance(cell, float) and cell.is_integer():
            text = str(int(cell))
        if not text:
            text = f"Kolom {_letter(index) if letters else index}"
        count = seen.get(text.casefold(), 0) + 1
        seen[text.casefold()] = count
        names.append(text if count == 1 else f"{text} ({count})")
    return names


def _letter(index: int) -> str:
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _is_blank(cells: Sequence[object]) -> bool:
    for cell in cells:
        if cell is None:
            continue
        if type(cell) is str and not cell.strip():
            continue
        return False
    return True


def _is_numbering(cells: Sequence[object]) -> bool:
    """A row like "(1) (2) (3)" or 1 2 3 ... under a government sheet's header."""
    values = [c for c in cells if c is not None and str(c).strip()]
    if len(values) < 3:
        return False
    numbers = []
    for cell in values:
        if isinstance(cell, int) and not isinstance(cell, bool):
            numbers.append(cell)
        elif isinstance(cell, str) and _NUMBERING.fullmatch(cell.strip()):
            numbers.append(int(re.sub(r"\D", "", cell)))
        else:
            return False
    return numbers == sorted(numbers) and len(set(numbers)) == len(numbers) and numbers[0] <= 2


def _header_key(cells: Sequence[object]) -> list[str]:
    key = [" ".join(str(c).split()) if c is not None else "" for c in cells]
    while key and not key[-1]:
        key.pop()
    return key


def _is_header(cells: Sequence[object], header: list[str]) -> bool:
    return _header_key(cells) == header


def _find_header(rows: Sequence[Sequence[object]], score: Score = header_score) -> tuple[int, int]:
    """(index in ``rows``, score) of the header: most alias cells; ties: the first; else first non-blank."""
    best_index, best_score = -1, 0
    for index, cells in enumerate(rows):
        points = score(cells)
        if points > best_score:
            best_index, best_score = index, points
    if best_index < 0:
        for index, cells in enumerate(rows):
            if not _is_blank(cells):
                return index, 0
    return best_index, best_score


def _read_csv(path: Path, head: bytes, max_header_scan: int, score: Score = header_score) -> Table:
    encoding = _encoding(head)
    errors = "padu-cp1252-fallback" if encoding.startswith("utf-8") else "replace"
    if encoding == "cp1252":
        errors = "padu-cp1252-fallback"  # cp1252's five undefined bytes: dropped
    sample = head.decode(encoding, errors=errors)
    delimiter = _sniff_delimiter(sample, max_header_scan, score)
    fh: IO[str] = path.open("r", encoding=encoding, errors=errors, newline="")
    try:
        reader = csv.reader(fh, delimiter=delimiter)
        buffered: list[list[str]] = []
        try:
            for record in reader:
                buffered.append(record)
                if len(buffered) >= max_header_scan:
                    break
        except csv.Error as exc:
            raise _error(
                path,
                "file.corrupt",
                f"CSV tidak dapat dibaca ({exc})",
                f"the CSV cannot be read ({exc})",
                line=len(buffered) + 1,
            ) from None
        index, found = _find_header(buffered, score)
        if index < 0:
            raise _error(path, "file.empty", "berkas tidak berisi data", "the file contains no data")
    except BaseException:
        fh.close()
        raise
    columns = _clean_header(list(buffered[index]), letters=False)
    width = len(columns)
    header_line = index + 1

    template: dict[str, object] = dict.fromkeys(columns)
    header_cells = _header_key(buffered[index])
    header_first = buffered[index][0] if buffered[index] else None

    def rows() -> Iterator[RawRow]:
        line = header_line
        new, set_line, set_values = _new_row, _set_line, _set_values
        try:
            first = True
            for record in chain(buffered[index + 1 :], reader):
                line += 1
                if not any(record) or (not record[0].strip() and _is_blank(record)):
                    continue
                if len(record) != width:
                    if len(record) < width:
                        record = record + [None] * (width - len(record))  # type: ignore[list-item]
                    else:
                        record = record[:width]
                if first:
                    first = False
                    if _is_numbering(record):
                        continue
                if record[0] == header_first and _is_header(record, header_cells):
                    continue  # the header repeated (exports printed page by page)
                values = template.copy()  # presized: faster than dict(zip(...))
                values.update(zip(columns, record, strict=False))
                row = new(RawRow)
                set_line(row, line)
                set_values(row, values)
                yield row
        except csv.Error as exc:
            raise _error(
                path,
                "file.corrupt",
                f"CSV tidak dapat dibaca ({exc})",
                f"the CSV cannot be read ({exc})",
                line=line + 1,
            ) from None
        finally:
            fh.close()

    return Table(
        path=path,
        sheet=None,
        header_line=header_line,
        columns=columns,
        rows=rows(),
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
        header_score=found,
        _close=fh.close,
    )


# --------------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------------


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
