"""Writes for the kelurahan priority: the lokasi prioritas chosen for a plan year (saved with the
analysis that produced it, audited). Sector indicator imports: :mod:`padu.planning.services.sector`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from padu.core import audit
from padu.core.decorators import has_role
from padu.core.models import AuditAction
from padu.planning.models import LokasiPrioritas, PriorityAnalysis

PLANNERS = ("admin", "analyst")
PERIOD_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")


def may_plan(user: Any) -> bool:
    """Bappeda administrators and analysts set weights, import indicators and run the optimiser."""
    return has_role(user, PLANNERS)


def _require_planner(actor: Any) -> None:
    if actor is not None and not may_plan(actor):
        raise PermissionDenied(_("Hanya Bappeda (admin/analis) yang boleh mengubah data perencanaan."))


@transaction.atomic
def choose_lokasi_prioritas(
    *,
    actor: Any,
    year: int,
    registry_period: str,
    indicator_period: str,
    method: str,
    weights: Mapping[str, float],
    result: list[dict[str, Any]],
    explanation: str,
    chosen: Sequence[str],
) -> PriorityAnalysis:
    """Save the analysis (weights, method, ranking) and make ``chosen`` the lokasi prioritas of
    ``year``, replacing any earlier choice for that year."""
    _require_planner(actor)
    ranked = {r["code"]: r for r in result}
    unknown = [c for c in chosen if c not in ranked]
    if unknown:
        raise ValidationError(
            _("Kelurahan tidak ada dalam peringkat: %(codes)s") % {"codes": ", ".join(unknown)}
        )
    if not chosen:
        raise ValidationError(_("Pilih minimal satu kelurahan."))
    analysis = PriorityAnalysis.objects.create(
        year=year,
        registry_period=registry_period,
        indicator_period=indicator_period,
        method=method,
        weights=dict(weights),
        result=result,
        explanation=explanation,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    before = sorted(LokasiPrioritas.objects.filter(year=year).values_list("kelurahan_id", flat=True))
    LokasiPrioritas.objects.filter(year=year).delete()
    LokasiPrioritas.objects.bulk_create(
        LokasiPrioritas(
            year=year,
            kelurahan_id=c,
            analysis=analysis,
            rank=ranked[c].get("rank"),
            composite=ranked[c].get("composite"),
        )
        for c in chosen
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if not before else AuditAction.UPDATE,
        obj=analysis,
        object_repr=f"Lokasi prioritas {year}",
        before={"lokasi": before} if before else None,
        after={"lokasi": sorted(chosen), "method": method, "weights": dict(weights)},
    )
    return analysis
