"""What the readers return and how they find a header; shared by the CSV and XLSX readers. Django-free.

:class:`RawRow` (one data row: its line as Excel shows it and every header's raw value) and
:class:`Table` (where the header is and a one-pass stream of rows). The header is the row with the
most cells the ``score`` recognises; a row of column numbers under it and repeated headers are
skipped by the readers with the helpers here.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from padu.ingest.engine.errors import IngestError
from padu.ingest.engine.layouts import header_score

_NUMBERING = re.compile(r"\(?\s*\d{1,3}\s*\)?\.?")


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
