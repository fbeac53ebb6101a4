"""Writes for RAT activities (OPD operators: their own OPD; Bappeda: all) and the RPKD narrative
(Bappeda)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from padu.accounts.models import Opd
from padu.accounts.scope import catalogue_filter
from padu.core import audit
from padu.core.models import AuditAction
from padu.planning.models import RatActivity, RpkdDocument
from padu.planning.services.priority import _require_planner

FIELDS = (
    "year",
    "opd_id",
    "name",
    "strategy",
    "sipd_code",
    "sipd_name",
    "output_indicator",
    "target",
    "unit",
    "kelurahan_id",
    "budget",
    "funding_source",
    "proposal_id",
)
CHAPTERS = ("pendahuluan", "kondisi_umum", "profil_kemiskinan", "prioritas_program", "lokasi_prioritas")


def may_write_opd(user: Any, opd_id: int | None) -> bool:
    condition = catalogue_filter(user, "add", opd_field="pk")
    return (
        condition is not None
        and opd_id is not None
        and Opd.objects.filter(pk=opd_id).filter(condition).exists()
    )


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def rat_save(
    *,
    actor: Any,
    values: Mapping[str, Any],
    depends_on: Iterable[int] = (),
    activity: RatActivity | None = None,
) -> RatActivity:
    """Create or change one RAT activity and its dependencies (same year, no cycles)."""
    data = {k: v for k, v in values.items() if k in FIELDS}
    target_opd = data.get("opd_id", activity.opd_id if activity else None)
    if actor is not None and (
        not may_write_opd(actor, target_opd)
        or (activity is not None and not may_write_opd(actor, activity.opd_id))
    ):
        raise PermissionDenied(_("Anda hanya boleh mengisi RAT OPD Anda sendiri."))
    before = audit.snapshot(activity) if activity is not None else None
    obj = activity or RatActivity(created_by=_user(actor))
    for key, value in data.items():
        setattr(obj, key, value)
    obj.full_clean()
    obj.save()
    deps = list(RatActivity.objects.filter(pk__in=list(depends_on)).exclude(pk=obj.pk))
    if any(d.year != obj.year for d in deps):
        raise ValidationError(_("Kegiatan prasyarat harus pada tahun yang sama."))
    if obj.pk in _reachable(d.pk for d in deps):
        raise ValidationError(
            _("Ketergantungan melingkar: kegiatan ini sudah menjadi prasyarat kegiatan itu.")
        )
    obj.depends_on.set(deps)
    after = audit.snapshot(obj) | {"depends_on": sorted(d.pk for d in deps)}
    if before is None:
        audit.record(actor=actor, action=AuditAction.CREATE, obj=obj, after=after)
    else:
        old, new = audit.changed(before, after)
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=obj, before=old, after=new)
    return obj


def _reachable(start: Iterable[int]) -> set[int]:
    """Every activity reachable through ``depends_on`` from ``start`` (``start`` included)."""
    seen: set[int] = set()
    todo = list(start)
    while todo:
        pk = todo.pop()
        if pk in seen:
            continue
        seen.add(pk)
        todo += list(
            RatActivity.depends_on.through.objects.filter(from_ratactivity_id=pk).values_list(
                "to_ratactivity_id", flat=True
            )
        )
    return seen


@transaction.atomic
def rat_delete(*, actor: Any, activity: RatActivity) -> None:
    if actor is not None and not may_write_opd(actor, activity.opd_id):
        raise PermissionDenied(_("Anda hanya boleh mengisi RAT OPD Anda sendiri."))
    before = audit.snapshot(activity)
    audit.record(actor=actor, action=AuditAction.DELETE, obj=activity, before=before)
    activity.delete()


@transaction.atomic
def rpkd_save(*, actor: Any, year: int, title: str, narrative: Mapping[str, str]) -> RpkdDocument:
    _require_planner(actor)
    doc, created = RpkdDocument.objects.get_or_create(year=year)
    before = {"title": doc.title, "narrative": doc.narrative}
    doc.title = title.strip()[:200]
    doc.narrative = {k: str(narrative.get(k, "")).strip() for k in CHAPTERS}
    doc.updated_by = _user(actor)
    doc.save()
    old, new = audit.changed(before, {"title": doc.title, "narrative": doc.narrative})
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=doc,
        before=old,
        after=new,
    )
    return doc
