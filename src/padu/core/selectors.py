from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from padu.core.models import AuditLog

AUDIT_FILTERS = ("user", "action", "object_type", "object_id", "since", "until", "q")


def _day_start(value: str) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_list(*, user: Any, filters: Mapping[str, str] | None = None) -> QuerySet[AuditLog] | None:
    """The audit log, for Bappeda administrators only (None for everyone else).

    Filters: ``user`` (actor user name), ``action``, ``object_type``, ``object_id``, ``since`` and
    ``until`` (dates, inclusive), ``q`` (text in the object or user name).
    """
    if not getattr(user, "is_bappeda_admin", False):
        return None
    qs = AuditLog.objects.select_related("actor")
    filters = filters or {}
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("user"):
        qs = qs.filter(actor_username=filters["user"].strip())
    if filters.get("object_type"):
        qs = qs.filter(object_type=filters["object_type"].strip())
    if filters.get("object_id"):
        qs = qs.filter(object_id=filters["object_id"].strip())
    if filters.get("since") and (start := _day_start(filters["since"])):
        qs = qs.filter(at__gte=start)
    if filters.get("until") and (end := _day_start(filters["until"])):
        qs = qs.filter(at__lt=end + dt.timedelta(days=1))
    if filters.get("q"):
        q = filters["q"].strip()
        qs = qs.filter(Q(object_repr__icontains=q) | Q(actor_username__icontains=q))
    return qs


def audit_object_types() -> list[str]:
    return list(
        AuditLog.objects.order_by().values_list("object_type", flat=True).distinct().order_by("object_type")
    )
