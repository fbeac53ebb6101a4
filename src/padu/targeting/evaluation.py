"""Score the stored findings against a generated city's truth (``padu generate`` → ``truth/``).

The engine's :func:`~padu.targeting.engine.evaluate` compares keys the way its synthetic loader assigns
them; here they are translated from Padu's rows: a roll entry's ``row_number`` is the file row (the truth
calls it ``file_row``; its ``row_number`` is the data row, read from ``list_identities.csv``), and
persons/families carry the generator's ``id_art``/``id_keluarga`` as ``source_id``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from padu.targeting.engine import TRUTH_MAPPING, evaluate
from padu.targeting.engine.evaluate import Finding as EngineFinding
from padu.targeting.engine.synthload import family_key, person_key
from padu.targeting.models import Finding, TargetingRun

__all__ = ["evaluate_stored"]


def _key(source_id: str | None, parse: Any) -> int | None:
    try:
        return int(parse(source_id)) if source_id else None
    except ValueError:
        return None


def evaluate_stored(*, truth_dir: Path, period: str | None = None) -> dict[str, dict[str, float]]:
    """``{fault_type: {recall, precision, truth, found, hits}}`` for the stored findings of ``period``
    (default: the period of the latest finished run)."""
    if period is None:
        latest = TargetingRun.objects.filter(status="done").first()
        period = latest.period if latest else ""
    data_row: dict[tuple[str, int], int] = {}
    with (truth_dir / "list_identities.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            data_row[(r["programme"], int(r["file_row"]))] = int(r["row_number"])
    rows = Finding.objects.filter(period=period, finding_type__in=set(TRUTH_MAPPING.values())).values_list(
        "finding_type",
        "programme__code",
        "programme__unit",
        "roll_entry__row_number",
        "person__source_id",
        "family__source_id",
    )
    findings = [
        EngineFinding(
            finding_type=t,
            programme_code=code,
            unit=unit,
            row_number=data_row.get((code, row)) if row is not None else None,
            person_id=_key(person, person_key),
            family_id=_key(family, family_key),
        )
        for t, code, unit, row, person, family in rows.iterator(chunk_size=10_000)
    ]
    return evaluate(findings, truth_dir)
