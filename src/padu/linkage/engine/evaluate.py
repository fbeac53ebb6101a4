"""Scoring links against ground truth."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd


def _pairs(obj: Any) -> Mapping[str, str]:
    if isinstance(obj, Mapping):
        return obj
    if isinstance(obj, pd.DataFrame):
        return dict(zip(obj["left_id"].astype(str), obj["right_id"].astype(str), strict=True))
    return dict(obj)


def evaluate(
    links: Any,
    truth_pairs: Mapping[str, str] | Iterable[tuple[str, str]],
    *,
    n_left: int | None = None,
    candidates: pd.DataFrame | None = None,
) -> dict[str, float]:
    """Precision, recall and F1 of the auto-accepted links (``decision == "auto"``; all rows when
    there is no ``decision`` column), and of every link incl. review; ``review_share`` (review links
    / left rows); ``blocking_recall`` (true pairs among the ``candidates``, when given).

    ``links``: a DataFrame with ``left_id``, ``right_id`` (and ``decision``) or a LinkResult.
    ``truth_pairs``: left id -> right id for every left row that has a true partner.
    ``n_left``: number of left rows (default: left ids seen in links or truth)."""
    if hasattr(links, "links"):
        if candidates is None:
            candidates = links.candidates
        if n_left is None:
            n_left = int(links.counts.get("left", 0)) or None
        links = links.links
    truth = {str(k): str(v) for k, v in _pairs(truth_pairs).items()}
    frame = (
        links
        if isinstance(links, pd.DataFrame)
        else pd.DataFrame(list(links), columns=["left_id", "right_id"])
    )
    if "decision" in frame.columns:
        auto = frame[frame["decision"] == "auto"]
        review = frame[frame["decision"] == "review"]
    else:
        auto, review = frame, frame.iloc[0:0]

    def score(df: pd.DataFrame) -> tuple[float, float, float, int, int]:
        pred = dict(zip(df["left_id"].astype(str), df["right_id"].astype(str), strict=True))
        tp = sum(1 for k, v in pred.items() if truth.get(k) == v)
        precision = tp / len(pred) if pred else 1.0
        recall = tp / len(truth) if truth else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1, tp, len(pred)

    p, r, f1, tp, n_auto = score(auto)
    pa, ra, f1a, _, _ = score(frame)
    n = n_left or len(set(frame["left_id"].astype(str)) | set(truth))
    out: dict[str, float] = {
        "precision": p, "recall": r, "f1": f1, "true_positives": tp, "auto_links": n_auto,
        "false_positives": n_auto - tp, "review_links": len(review),
        "review_share": len(review) / n if n else 0.0,
        "precision_incl_review": pa, "recall_incl_review": ra, "f1_incl_review": f1a,
        "truth_pairs": len(truth), "left_rows": n,
    }  # fmt: skip
    if candidates is not None:
        seen = set(zip(candidates["left_id"].astype(str), candidates["right_id"].astype(str), strict=True))
        found = sum(1 for k, v in truth.items() if (k, v) in seen)
        # pairs settled by stage 1 are candidates too
        for k, v in zip(frame["left_id"].astype(str), frame["right_id"].astype(str), strict=True):
            if truth.get(k) == v and (k, v) not in seen:
                found += 1
        out["blocking_recall"] = found / len(truth) if truth else 1.0
        out["candidate_pairs"] = len(candidates)
    return out
