"""The in-file duplicate-NIK check with memory that does not grow with the file. Django-free.

Every valid NIK seen in a file, with the line it was first seen on, goes into a private temporary
SQLite database (``sqlite3.connect("")``: a file in the temp folder, deleted when closed) whose page
cache is capped at a few MiB; the operating system's file cache, not the importing process, holds
the rest. Rows are checked a batch at a time, so the cost is two ``executemany``/``SELECT`` calls per
batch rather than one Python dict entry (≈ 130 bytes) per row kept for the whole file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from padu.ingest.engine.results import ERROR, FieldIssue, RowResult
from padu.ingest.engine.values import show

__all__ = ["BATCH_ROWS", "FirstLines", "batched"]

BATCH_ROWS = 2000
_CACHE_KIB = 8 * 1024  # the temporary database's page cache: 8 MiB, whatever the file's size
_IN_SLICE = 900  # bound parameters per SELECT (under SQLite's oldest limit of 999)


class FirstLines:
    """Where each NIK was first seen. ``first_lines(pairs)`` records a batch of ``(nik, line)`` pairs in
    file order and returns, for each pair, the line the NIK was first seen on (its own line when it
    is the first)."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("", isolation_level=None)
        self._db.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("CREATE TABLE seen (nik INTEGER PRIMARY KEY, line INTEGER NOT NULL)")

    def first_lines(self, pairs: Sequence[tuple[int, int]]) -> list[int]:
        if not pairs:
            return []
        db = self._db
        db.execute("BEGIN")
        db.executemany("INSERT OR IGNORE INTO seen (nik, line) VALUES (?, ?)", pairs)
        db.execute("COMMIT")
        first: dict[int, int] = {}
        niks = list({nik for nik, _line in pairs})
        for start in range(0, len(niks), _IN_SLICE):
            part = niks[start : start + _IN_SLICE]
            marks = ", ".join("?" * len(part))
            first.update(db.execute(f"SELECT nik, line FROM seen WHERE nik IN ({marks})", part).fetchall())
        return [first[nik] for nik, _line in pairs]

    def close(self) -> None:
        self._db.close()


def batched(items: Iterable[object], size: int = BATCH_ROWS) -> Iterator[list[object]]:
    batch: list[object] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _with_duplicates(results: Iterator[RowResult], nik_col: str) -> Iterator[RowResult]:
    """Flag a valid NIK seen on an earlier line of the file (``nik.duplicate_in_file``, an error naming
    the first line). The NIKs seen are kept in a temporary database, not in memory
    (:mod:`padu.ingest.engine.duplicates`); rows are checked in batches, small ones first so that a
    preview of a few rows stays quick."""
    seen = FirstLines()
    size = 64
    try:
        while batch := list(islice(results, size)):
            size = min(size * 4, BATCH_ROWS)
            owners = [r for r in batch if r.values["nik"] is not None]
            pairs = [(int(r.values["nik"]), r.line) for r in owners]  # type: ignore[call-overload]
            for result, (_nik, line), first in zip(owners, pairs, seen.first_lines(pairs), strict=True):
                if first == line:
                    continue
                issue = FieldIssue(
                    "nik",
                    nik_col,
                    "nik.duplicate_in_file",
                    ERROR,
                    f"Kolom '{nik_col}': NIK ini sudah ada di baris {first} berkas ini",
                    f"Column '{nik_col}': this NIK already appears on line {first} of this file",
                    show(result.raw[nik_col]),
                )
                result.issues.append(issue)
                result.values["nik_issues"].append(issue.to_dict())  # type: ignore[attr-defined]
                result.ok = False
            yield from batch
    finally:
        seen.close()
