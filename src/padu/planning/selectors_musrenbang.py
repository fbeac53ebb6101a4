"""Reads over Musrenbang proposals: the user's scoped list, one proposal, possible duplicates across
kelurahan (same activity words in the same kecamatan and year)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.http import Http404

from padu.planning.classify import duplicate_key, similar
from padu.planning.models import Proposal

FILTERS = ("year", "kelurahan", "status", "physical", "strategy")


def proposal_list(*, user: Any, filters: dict[str, str] | None = None) -> QuerySet[Proposal]:
    qs = Proposal.objects.restrict(user, "view").select_related("kelurahan", "kelurahan__parent", "opd")
    f = filters or {}
    if f.get("year"):
        qs = qs.filter(year=f["year"])
    if f.get("kelurahan"):
        qs = qs.filter(kelurahan_id=f["kelurahan"])
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("physical") in {"1", "0"}:
        qs = qs.filter(physical=f["physical"] == "1")
    if f.get("strategy"):
        qs = qs.filter(strategy=f["strategy"])
    return qs.order_by("kelurahan_id", "local_priority", "id")


def proposal_get(*, user: Any, pk: int, action: str = "view") -> Proposal:
    proposal = (
        Proposal.objects.restrict(user, action).select_related("kelurahan", "opd").filter(pk=pk).first()
    )
    if proposal is None:
        raise Http404
    return proposal


def proposal_years() -> list[int]:
    return list(Proposal.objects.order_by("-year").values_list("year", flat=True).distinct())


def totals(qs: QuerySet[Proposal]) -> dict[str, Any]:
    return qs.aggregate(n=Count("id"), cost=Sum("cost"), contribution=Sum("contribution"))


def duplicates(*, year: int) -> dict[int, list[int]]:
    """proposal id -> ids of similar proposals from *other* kelurahan of the same kecamatan (whole
    city, not scoped: a kelurahan is told its proposal may duplicate a neighbour's, by id only)."""
    rows = Proposal.objects.filter(year=year).values_list("id", "kelurahan_id", "activity", "description")
    by_kec: dict[str, list[tuple[int, str, frozenset[str]]]] = defaultdict(list)
    for pk, kel, activity, description in rows:
        by_kec[kel.rsplit(".", 1)[0]].append((pk, kel, duplicate_key(f"{activity} {description}")))
    out: dict[int, list[int]] = defaultdict(list)
    for items in by_kec.values():
        for i, (pk_a, kel_a, key_a) in enumerate(items):
            for pk_b, kel_b, key_b in items[i + 1 :]:
                if kel_a != kel_b and similar(key_a, key_b):
                    out[pk_a].append(pk_b)
                    out[pk_b].append(pk_a)
    return dict(out)
