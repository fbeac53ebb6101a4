"""Turn an engine result into one link row per list entry, applying the reviewers' verdicts.

Pure Python over the engine's DataFrames (no queries). The three verdicts:

* **Terima** (accepted): the pair stays linked whatever the engine says.
* **Bukan orang yang sama** (not_same): *this candidate* is someone else; the pair is never proposed
  again and the entry takes its next candidate (to review, never auto) or is left without a link.
* **Tolak** (rejected): *the row* is turned down: no registry person is this recipient (e.g. someone
  from outside the city), so no candidate is proposed for it again; it is listed among the
  recipients not found in the registry. Undoing the decision (``services.undo_review_decision``)
  lifts either verdict.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from padu.linkage.choices import Decision, Stage, Verdict

ACCEPTED_TEXT = "diterima petugas"
NEXT_TEXT = "calon berikutnya setelah pasangan sebelumnya ditolak petugas"
REJECTED_TEXT = "pasangan ditolak petugas; tidak ada calon lain"
ROW_REJECTED_TEXT = "baris ditolak petugas: penerima tidak ada di registri"


@dataclass
class Row:
    entry_id: int
    person_id: int | None
    probability: float | None
    match_weight: float | None
    stage: str
    decision: str
    evidence_text: str
    evidence: dict[str, Any] = field(default_factory=dict)
    reviewed_by: int | None = None
    reviewed_at: Any = None


def _probability(weight: float) -> float:
    return 1.0 / (1.0 + 2.0 ** (-min(max(weight, -60.0), 60.0)))


def _weight(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
        return None
    return float(value)


def candidates_by_left(candidates: pd.DataFrame | None) -> dict[str, list[tuple[float, str]]]:
    out: dict[str, list[tuple[float, str]]] = defaultdict(list)
    if candidates is None or not len(candidates):
        return out
    for left, right, weight in candidates[["left_id", "right_id", "match_weight"]].itertuples(
        index=False, name=None
    ):
        out[str(left)].append((float(weight), str(right)))
    for values in out.values():
        values.sort(key=lambda item: (-item[0], item[1]))
    return out


def resolve(
    *,
    links: pd.DataFrame,
    entry_ids: list[str],
    verdicts: dict[str, dict[int, tuple[str, int | None, Any]]],
    candidates: dict[str, list[tuple[float, str]]],
    min_weight: float,
) -> list[Row]:
    """One :class:`Row` per entry in ``entry_ids``. ``verdicts``: entry id -> {person id: (verdict,
    actor id, when)} from the reviewers' decisions on that entry's content identity."""
    best = {
        str(r[0]): r
        for r in links[
            [
                "left_id",
                "right_id",
                "probability",
                "match_weight",
                "stage",
                "decision",
                "evidence_text",
                "evidence",
            ]
        ].itertuples(index=False, name=None)
    }
    out: list[Row] = []
    for rid in entry_ids:
        entry_id = int(rid)
        mine = verdicts.get(rid, {})
        hit = best.get(rid)
        accepted = [(p, v) for p, v in mine.items() if v[0] == Verdict.ACCEPTED]
        if accepted:
            person, (_v, actor, when) = accepted[0]
            same = hit is not None and int(hit[1]) == person
            h: Any = hit if same else (None,) * 8
            out.append(
                Row(
                    entry_id,
                    person,
                    float(h[2]) if same else None,
                    _weight(h[3]) if same else None,
                    str(h[4]) if same else Stage.MANUAL,
                    Decision.ACCEPTED,
                    str(h[6]) if same else ACCEPTED_TEXT,
                    dict(h[7]) if same else {},
                    actor,
                    when,
                )
            )
            continue
        refused = [v for v in mine.values() if v[0] == Verdict.REJECTED]
        if refused:
            _v, actor, when = refused[0]
            out.append(
                Row(
                    entry_id,
                    None,
                    None,
                    None,
                    Stage.MANUAL,
                    Decision.REJECTED,
                    ROW_REJECTED_TEXT,
                    {},
                    actor,
                    when,
                )
            )
            continue
        excluded = {p for p, v in mine.items() if v[0] == Verdict.NOT_SAME}
        if hit is not None and int(hit[1]) not in excluded:
            out.append(
                Row(
                    entry_id,
                    int(hit[1]),
                    float(hit[2]),
                    _weight(hit[3]),
                    str(hit[4]),
                    str(hit[5]),
                    str(hit[6]),
                    dict(hit[7]),
                )
            )
            continue
        if hit is None:
            out.append(Row(entry_id, None, None, None, "", Decision.UNMATCHED, ""))
            continue
        nxt = next(((w, p) for w, p in candidates.get(rid, []) if int(p) not in excluded and w < 1e8), None)
        if nxt is not None and nxt[0] >= min_weight:
            out.append(
                Row(
                    entry_id,
                    int(nxt[1]),
                    _probability(nxt[0]),
                    nxt[0],
                    Stage.NEXT,
                    Decision.REVIEW,
                    NEXT_TEXT,
                )
            )
        else:
            out.append(Row(entry_id, None, None, None, "", Decision.REJECTED, REJECTED_TEXT))
    return out
