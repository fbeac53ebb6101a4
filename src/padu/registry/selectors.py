"""Reads of the registry. Every function takes the requesting user and applies its scope first."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from padu.registry.choices import Status
from padu.registry.models import Family, Membership, Person
from padu.wilayah.models import Level, Region

MIN_NAME_QUERY = 3
_ID_NOISE = re.compile(r"[\s.'\-]")


def family_search(*, user: Any, q: str, limit: int = 50) -> QuerySet[Family]:
    """Search-first access: families matching a NIK, a KK or part of a member's name.

    An empty or too-short query returns nothing: there is no browse-all of personal data.
    """
    q = (q or "").strip()
    families = Family.objects.restrict(user)
    compact = _ID_NOISE.sub("", q)
    if compact.isdigit():
        if len(compact) != 16:
            return families.none()
        persons = Person.objects.restrict(user).filter(nik=compact).values("family_id")
        return families.filter(Q(kk=compact) | Q(id__in=persons)).order_by("id")[:limit]
    if len(q) < MIN_NAME_QUERY:
        return families.none()
    persons = Person.objects.restrict(user).filter(name__icontains=q).values("family_id")
    return families.filter(id__in=persons).order_by("kelurahan_id", "id")[:limit]


def family_detail(*, user: Any, family_id: int) -> Family:
    members = Membership.objects.select_related("person").order_by("valid_to", "id")
    family = (
        Family.objects.restrict(user)
        .prefetch_related(
            Prefetch("memberships", queryset=members), "welfare", "kk_history", "status_changes"
        )
        .filter(pk=family_id)
        .first()
    )
    if family is None:
        raise Http404("Keluarga tidak ditemukan / family not found")
    return family


def kelurahan_counts(*, user: Any) -> dict[str, dict[str, int]]:
    """Per kelurahan: active families, desil 1, desil 1–2, extreme poor — scoped to the user."""
    rows = (
        Family.objects.restrict(user, "aggregate")
        .filter(status=Status.AKTIF)
        .values("kelurahan_id")
        .annotate(
            families=Count("id"),
            desil1=Count("id", filter=Q(desil=1)),
            desil12=Count("id", filter=Q(desil__lte=2)),
            extreme=Count("id", filter=Q(extreme_poor=True)),
        )
    )
    return {r["kelurahan_id"]: {k: v for k, v in r.items() if k != "kelurahan_id"} for r in rows}


def installation_kelurahan() -> dict[str, str]:
    """Code -> name of every desa/kelurahan of the installation, in code order."""
    rows = Region.objects.within(settings.REGION_CODE).filter(level=Level.DESA)
    return dict(rows.order_by("code").values_list("code", "name"))


def registry_totals(*, user: Any) -> dict[str, int]:
    fam = Family.objects.restrict(user, "aggregate").filter(status=Status.AKTIF)
    per = Person.objects.restrict(user, "aggregate").filter(status=Status.AKTIF)
    agg = fam.aggregate(
        families=Count("id"),
        desil12=Count("id", filter=Q(desil__lte=2)),
        extreme=Count("id", filter=Q(extreme_poor=True)),
    )
    return {**agg, "persons": per.count()}


def persons_for_export(*, user: Any, kelurahan_code: str | None = None) -> QuerySet[Person]:
    qs = Person.objects.restrict(user).select_related("family").order_by("kelurahan_id", "family_id", "id")
    if kelurahan_code:
        qs = qs.filter(kelurahan_id=kelurahan_code)
    return qs
