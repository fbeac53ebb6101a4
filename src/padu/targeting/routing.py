"""Field checks of the targeting findings as verivali tasks (``padu.verivali.models.FieldTask``).

- :func:`send_field_checks` (Bappeda): the period's findings of the field-check types
  (:data:`padu.targeting.choices.FIELD_CHECK_TYPES`) not yet linked to a task become tasks of their
  kelurahan, one per finding type and family (and person, for findings about one member), set-based
  (``INSERT … SELECT … GROUP BY``), and the findings are linked to them.
- :func:`link_tasks` (after every run; the engine re-creates the period's findings): a re-found finding
  is linked again to the live task of the same type and subject. **Rule**: a task closed by an
  approved verivali decision keeps the re-found finding closed while the subject's registry state is
  what it was when the task closed (:func:`padu.verivali.tasks.fingerprints`: person status, family
  and death date; family status, desil, extreme-poor flag); when that state changed, the closed task is
  marked superseded (kept as history) and the finding is open again, to be sent anew. Open and decided
  tasks are linked without that check (their answer is still to come).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from padu.accounts.models import Role
from padu.accounts.scope import effective_role
from padu.core import audit
from padu.core.models import AuditAction
from padu.registry.models import Family, Person
from padu.targeting.choices import FIELD_CHECK_TYPES, PERSON_CHECK_TYPES
from padu.targeting.models import Finding, TargetingRun
from padu.verivali.choices import TaskState
from padu.verivali.models import FieldTask
from padu.verivali.tasks import fingerprints

__all__ = ["link_tasks", "send_field_checks"]


def link_tasks(*, period: str) -> dict[str, int]:
    """Link the period's field-check findings to the live tasks of the same type and subject;
    supersede closed tasks whose subject's data changed. Returns ``{linked, superseded}``."""
    findings = Finding.objects.filter(period=period, finding_type__in=FIELD_CHECK_TYPES)
    closed = FieldTask.objects.filter(state=TaskState.CLOSED, superseded_at__isnull=True)
    refound = set(
        findings.filter(family_id__isnull=False).values_list("finding_type", "family_id", "person_id")
    )
    changed = []
    if refound:
        candidates = [
            t
            for t in closed.filter(family_id__in={f for _k, f, _p in refound}).only(
                "id", "kind", "family_id", "person_id", "fingerprint"
            )
            if (t.kind, t.family_id, t.person_id if t.kind in PERSON_CHECK_TYPES else None) in refound
        ]
        now_prints = fingerprints((t.family_id, t.person_id) for t in candidates)
        changed = [t.pk for t in candidates if now_prints[(t.family_id, t.person_id)] != t.fingerprint]
    superseded = FieldTask.objects.filter(pk__in=changed).update(superseded_at=timezone.now())
    live = FieldTask.objects.filter(superseded_at__isnull=True, kind=OuterRef("finding_type"))
    linked = 0
    for kind in FIELD_CHECK_TYPES:
        match = live.filter(family_id=OuterRef("family_id"))
        match = (
            match.filter(person_id=OuterRef("person_id"))
            if kind in PERSON_CHECK_TYPES
            else match.filter(person__isnull=True)
        )
        linked += findings.filter(finding_type=kind).update(
            field_task=Subquery(match.order_by("-id").values("id")[:1])
        )
    return {"linked": linked, "superseded": superseded}


def _check_may_send(actor: Any) -> None:
    if effective_role(actor) not in (Role.ADMIN, Role.ANALYST):
        raise PermissionDenied(
            "hanya Bappeda yang dapat mengirim tugas cek lapangan / only Bappeda may send field checks"
        )


@transaction.atomic
def send_field_checks(*, actor: Any, period: str, kelurahan: str = "", request: Any = None) -> int:
    """Turn the period's unsent field-check findings (of ``kelurahan``, or all) into verivali tasks of
    their kelurahan; returns the number of tasks created. Findings without a registry family (nothing
    for a kelurahan to decide on) are left out."""
    _check_may_send(actor)
    link_tasks(period=period)
    run = TargetingRun.objects.filter(period=period, status="done").order_by("-created_at", "-id").first()
    if run is None:
        return 0
    table, tasks = Finding._meta.db_table, FieldTask._meta.db_table
    family_table, person_table = Family._meta.db_table, Person._meta.db_table
    kinds = ", ".join(["%s"] * len(FIELD_CHECK_TYPES))
    where_kelurahan = "AND f.kelurahan_code = %s" if kelurahan else ""
    sql = f"""
        INSERT INTO {tasks} (kelurahan_id, period, kind, family_id, person_id, findings, rupiah_year,
            state, verdict, reason, fingerprint, created_by_id, created_at, closed_by_name)
        SELECT f.kelurahan_code, %s, f.finding_type, f.family_id, f.person_id, COUNT(*),
            SUM(f.rupiah_year), %s, '', '', '', %s, %s, ''
        FROM {table} f JOIN {family_table} fam ON fam.id = f.family_id
            LEFT JOIN {person_table} p ON p.id = f.person_id
        WHERE f.period = %s AND f.finding_type IN ({kinds}) AND f.field_task_id IS NULL
            AND f.kelurahan_code IS NOT NULL AND (f.person_id IS NULL OR p.id IS NOT NULL)
            {where_kelurahan}
        GROUP BY f.kelurahan_code, f.finding_type, f.family_id, f.person_id
    """
    params: list[Any] = [
        period,
        TaskState.OPEN.value,
        getattr(actor, "pk", None),
        timezone.now(),
        period,
        *FIELD_CHECK_TYPES,
        *([kelurahan] if kelurahan else []),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        created = max(cursor.rowcount, 0)
    link_tasks(period=period)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=run,
        object_repr=f"tugas cek lapangan {period}: {created}",
        detail={"period": period, "kelurahan": kelurahan or "*", "field_tasks": created},
        request=request,
    )
    return created
