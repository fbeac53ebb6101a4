"""Reads of the programme catalogue. Every function starts from the user's scope (``restrict``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from padu.ingest.models import ImportBatch
from padu.programs.intake import KIND
from padu.programs.models import Programme, Roll, RollEntry

FILTERS = ("opd", "strategy", "funding_source", "group", "unit")


def programme_list(*, user: Any, filters: dict[str, str] | None = None, q: str = "") -> QuerySet[Programme]:
    """The catalogue, narrowed by ``filters`` (OPD code, strategy, funding source, group, unit) and ``q``."""
    programmes = Programme.objects.restrict(user).select_related("opd")
    for key, value in (filters or {}).items():
        if not value or key not in FILTERS:
            continue
        programmes = programmes.filter(opd__code=value) if key == "opd" else programmes.filter(**{key: value})
    q = (q or "").strip()
    if q:
        programmes = programmes.filter(
            Q(name__icontains=q) | Q(code__icontains=q) | Q(sipd_code__icontains=q)
        )
    return programmes.annotate(roll_count=Count("rolls")).order_by("opd__short_name", "name")


def programme_get(*, user: Any, code: str, action: str = "view") -> Programme:
    programme = Programme.objects.restrict(user, action).select_related("opd").filter(code=code).first()
    if programme is None:
        raise Http404("Program tidak ditemukan / programme not found")
    return programme


def rolls_of(*, user: Any, programme: Programme) -> QuerySet[Roll]:
    return Roll.objects.restrict(user).filter(programme=programme).select_related("batch").order_by("-period")


def roll_get(*, user: Any, code: str, period: str) -> Roll:
    roll = (
        Roll.objects.restrict(user)
        .select_related("programme__opd", "batch")
        .filter(programme__code=code, period=period)
        .first()
    )
    if roll is None:
        raise Http404("Daftar penerima tidak ditemukan / beneficiary list not found")
    return roll


def entries(
    *, user: Any, roll: Roll, flagged: bool = False, q: str = "", action: str = "view"
) -> QuerySet[RollEntry]:
    """The rows of ``roll`` the user may see (their OPD's, their region's), in file order."""
    rows = RollEntry.objects.restrict(user, action).filter(roll=roll).select_related("kelurahan")
    if flagged:
        rows = rows.filter(flagged=True)
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(nik=q))
    return rows.order_by("row_number", "id")


def entry_counts(*, user: Any, roll: Roll) -> dict[str, int]:
    """Counts of the rows the user may count (viewers: all rows of their scope, without names)."""
    rows = RollEntry.objects.restrict(user, "aggregate").filter(roll=roll)
    return rows.aggregate(
        rows=Count("id"),
        nik_valid=Count("id", filter=Q(nik_valid=True)),
        nik_damaged=Count("id", filter=Q(nik_damaged=True)),
        flagged=Count("id", filter=Q(flagged=True)),
        no_kelurahan=Count("id", filter=Q(kelurahan__isnull=True)),
    )


def roll_batches(*, user: Any, programme: Programme) -> QuerySet[ImportBatch]:
    """Imports of this programme's lists the user may see (``ImportBatch`` scope)."""
    return (
        ImportBatch.objects.restrict(user)
        .filter(kind=KIND, target__programme=programme.pk)
        .order_by("-created_at", "-id")
    )


def catalogue_totals(*, user: Any) -> dict[str, Any]:
    programmes = Programme.objects.restrict(user, "aggregate").filter(is_active=True)
    return programmes.aggregate(programmes=Count("id"), quota=Sum("quota"))
