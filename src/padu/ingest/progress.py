"""Progress of a batch's running pass (validation, commit, correction) for the pages and the CLI bar.

Inside the commit's transaction the database cannot show the progress to other connections, so a
running pass also writes it to a small JSON file beside the uploads (``progress_path``), which
``read_progress`` prefers while the batch runs.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings

from padu.ingest.models import ImportBatch

Progress = Callable[[int, int | None], None]


def progress_path(batch_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / ".progress" / f"{batch_id}.json"


class Tracker:
    """Progress of a running pass. Inside the commit's transaction the database cannot show it to
    other connections, so it also goes to a small JSON file beside the uploads."""

    def __init__(self, batch: ImportBatch, phase: str, total: int | None, callback: Progress | None) -> None:
        self.batch, self.phase, self.total, self.callback = batch, phase, total, callback
        self.done = 0
        self.last = 0.0
        self.path = progress_path(batch.id)
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def advance(self, n: int, counts: Counter[str], *, force: bool = False) -> None:
        self.done += n
        if self.callback is not None:
            self.callback(n, self.total)
        now = time.monotonic()
        if force or now - self.last >= 1.0:
            self.last = now
            data = {"phase": self.phase, "done": self.done, "total": self.total, **dict(counts)}
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            tmp.replace(self.path)


def read_progress(batch: ImportBatch) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if batch.is_running:
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(progress_path(batch.id).read_text(encoding="utf-8"))
    return {
        "phase": data.get("phase", batch.progress_phase),
        "done": data.get("done", batch.progress_done),
        "total": data.get("total", batch.progress_total),
    }


def estimate_rows(batch: ImportBatch) -> int | None:
    """Rows of a CSV (newlines after the header), for a progress bar; ``None`` for XLSX."""
    path = Path(batch.file.path)
    if batch.progress_total:
        return batch.progress_total
    if path.suffix.lower() != ".csv":
        return None
    lines = 0
    with path.open("rb") as fh:
        while block := fh.read(1 << 22):
            lines += block.count(b"\n")
    return max(lines - (batch.header_line or 1), 0)
