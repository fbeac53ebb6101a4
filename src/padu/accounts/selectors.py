"""Reading users and OPDs (scoped through ``User.objects.restrict``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from padu.accounts.models import Opd, User


def user_list(*, user: Any, filters: Mapping[str, str] | None = None) -> QuerySet[User]:
    """The users ``user`` may see: administrators and analysts all, OPD operators their OPD's,
    region operators those in their region subtree, viewers none. Filters: ``q``, ``role``, ``opd``,
    ``active``."""
    qs = User.objects.restrict(user).select_related("opd").order_by("username")
    filters = filters or {}
    if filters.get("q"):
        q = filters["q"].strip()
        qs = qs.filter(
            Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(email__icontains=q)
        )
    if filters.get("role"):
        qs = qs.filter(role=filters["role"])
    if filters.get("opd"):
        qs = qs.filter(opd__code=filters["opd"])
    if filters.get("active") in {"1", "0"}:
        qs = qs.filter(is_active=filters["active"] == "1")
    return qs


def user_get(*, user: Any, pk: int, action: str = "view") -> User | None:
    """One user, if ``user`` may ``action`` it."""
    return User.objects.restrict(user, action).select_related("opd").filter(pk=pk).first()


def opd_list() -> QuerySet[Opd]:
    return Opd.objects.order_by("short_name")


def assignable_regions() -> QuerySet[Any]:
    """Kecamatan and desa/kelurahan of the installation, the regions a region operator can be
    given."""
    from padu.wilayah.models import Level, Region

    return (
        Region.objects.within(settings.REGION_CODE)
        .filter(level__in=[Level.KECAMATAN, Level.DESA])
        .order_by("code")
    )
