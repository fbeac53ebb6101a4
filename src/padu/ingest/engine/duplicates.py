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
