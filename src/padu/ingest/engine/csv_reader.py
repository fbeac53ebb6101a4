"""The CSV reader of :func:`padu.ingest.engine.read_table`. Django-free.

Encoding UTF-8 (with or without BOM), UTF-16 with BOM (Excel "Unicode text"), else cp1252; stray
non-UTF-8 bytes in an otherwise UTF-8 file are read as cp1252 rather than failing half-way. The
delimiter is sniffed among ``,`` ``;`` tab and ``|``.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import IO

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
    _new_row,
    _set_line,
    _set_values,
)

_SNIFF_BYTES = 256 * 1024
_DELIMITERS = (",", ";", "\t", "|")


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
        try:
            records = [r for r in csv.reader(lines, delimiter=delimiter) if r and any(c.strip() for c in r)]
        except csv.Error:  # e.g. a cell over the field limit: not this delimiter, or the reader says why
            continue
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
