"""Django-free helpers that a spawned reading process imports by name (``test_reader_process``)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterable, Iterator

from padu.ingest.engine import ColumnMapping, RawRow, RowResult, ValidationContext, validate_rows


def dying_validate(
    rows: Iterable[RawRow], mapping: ColumnMapping, context: ValidationContext
) -> Iterator[RowResult]:
    """Validates 21 rows, then the reading process is killed (after a moment, so that the batches
    already queued usually reach the importing process first)."""
    for n, result in enumerate(validate_rows(rows, mapping, context)):
        if n == 21:
            time.sleep(0.5)
            os.kill(os.getpid(), signal.SIGKILL)
        yield result
