"""Applying an approved batch to the registry, as history: every change goes through
``padu.registry.services.set_person_status`` / ``set_family_status`` with source ``"verivali <id>"`` and
the approver as author. Called by ``services.approve_batch`` inside its transaction (which checks the
permission); not a service of its own."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from padu.registry import services as registry
from padu.registry.choices import Relationship, Status
from padu.registry.models import Membership
from padu.verivali.choices import Reason, Verdict
from padu.verivali.models import Batch, Decision

REASON_STATUS: dict[str, str | None] = {
    Reason.MENINGGAL: Status.MENINGGAL,
    Reason.PINDAH: Status.PINDAH,
    Reason.MAMPU: Status.MAMPU,
    Reason.TIDAK_DITEMUKAN: Status.TIDAK_DITEMUKAN,
    Reason.GANDA: Status.GANDA,
    Reason.LAINNYA: None,  # recorded in the batch, no registry status fits
}


def apply_batch(*, batch: Batch, actor: Any) -> int:
    """Write the decisions of ``batch`` to the registry: member decisions first, then family ones."""
    default_date = batch.musyawarah_date or timezone.localdate()
    decisions = list(
        batch.decisions.select_related(
            "family", "person", "duplicate_of_family", "duplicate_of_person"
        ).order_by("id")
    )
    decisions.sort(key=lambda d: (d.person_id is None, d.id))
    now = timezone.now()
    for d in decisions:
        when = d.event_date or default_date
        common = {"effective_date": when, "source": batch.source, "actor": actor, "note": d.note}
        if d.person is not None:
            status = REASON_STATUS.get(d.reason) if d.verdict == Verdict.TIDAK_LAYAK else None
            if status is not None:
                registry.set_person_status(
                    person=d.person, status=status, duplicate_of=d.duplicate_of_person, **common
                )
        elif d.verdict == Verdict.LAYAK:
            if d.family.status != Status.AKTIF:
                registry.set_family_status(family=d.family, status=Status.AKTIF, **common)
        else:
            _apply_family(decision=d, **common)
        d.applied_at = now
    Decision.objects.bulk_update(decisions, ["applied_at"])
    return len(decisions)


def _apply_family(*, decision: Decision, **common: Any) -> None:
    """A family judged tidak layak: the family's status, and for the members: meninggal = the head
    (KPM) died; pindah = the household moved out together."""
    status = REASON_STATUS.get(decision.reason)
    if status is None:
        return
    registry.set_family_status(
        family=decision.family, status=status, duplicate_of=decision.duplicate_of_family, **common
    )
    live = Membership.objects.filter(family=decision.family, valid_to__isnull=True).select_related("person")
    if decision.reason == Reason.MENINGGAL:
        live = live.filter(relationship=Relationship.KEPALA)
    elif decision.reason != Reason.PINDAH:
        return
    for membership in live:
        if membership.person.status != status:
            registry.set_person_status(person=membership.person, status=status, **common)
