"""Score the stored links against a generated city's ground truth (``truth/list_identities.csv``).

``RollEntry.row_number`` is the physical row of the file (spreadsheet row or CSV line: what the intake
calls ``line``), which the truth file calls ``file_row``; its ``row_number`` is the 1-based data row
(the NO column). The two differ by the header (and title) rows, so entries are matched on
``(programme, file_row)``. Registry persons carry the generator's ``id_art`` as ``source_id``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pandas as pd

from padu.linkage import engine
from padu.linkage.choices import Decision
from padu.linkage.models import Link

AUTO = {Decision.AUTO: "auto", Decision.ACCEPTED: "auto", Decision.REVIEW: "review"}


def truth_pairs(truth_dir: Path, programmes: set[str] | None = None) -> dict[str, str]:
    out: dict[str, str] = {}
    with (Path(truth_dir) / "list_identities.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["id_art"] and (programmes is None or row["programme"] in programmes):
                out[f"{row['programme']}:{row['file_row']}"] = row["id_art"]
    return out


def evaluate_stored(*, truth_dir: Path, period: str | None = None) -> dict[str, Any]:
    """Precision, recall and F1 of the stored auto (and accepted) links, review share, counts."""
    links = Link.objects.all()
    if period:
        links = links.filter(entry__roll__period=period)
    rows = links.values_list(
        "entry__roll__programme__code", "entry__row_number", "person__source_id", "decision"
    )
    left, right, decision = [], [], []
    programmes: set[str] = set()
    n_left = 0
    for code, row_number, source_id, dec in rows.iterator(chunk_size=10_000):
        n_left += 1
        programmes.add(code)
        if dec in AUTO and source_id:
            left.append(f"{code}:{row_number}")
            right.append(source_id)
            decision.append(AUTO[dec])
    frame = pd.DataFrame({"left_id": left, "right_id": right, "decision": decision})
    scores = engine.evaluate(frame, truth_pairs(truth_dir, programmes), n_left=n_left or None)
    scores["programmes"] = len(programmes)
    return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in scores.items()}
