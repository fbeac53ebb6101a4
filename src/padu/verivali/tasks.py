"""Field checks (tugas cek lapangan) in the verivali workflow.

A task is sent by Bappeda from a targeting finding (``padu.targeting.routing.send_field_checks``); the
kelurahan operator answers it with a normal decision in a draft batch of that kelurahan
(``services.add_decision(task=...)``: the task becomes *decided*); when Bappeda approves the batch,
after the decisions are applied to the registry, the task is *closed* with the verdict, the reason, who
and when, and the fingerprint of the subject's registry state (:func:`fingerprints`). Removing the
decision from a draft batch opens the task again. Not services of their own: called by
``padu.verivali.services`` inside its transactions, which check the permissions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from padu.registry.models import Family, Person
from padu.verivali.choices import TaskState
from padu.verivali.models import Batch, Decision, FieldTask

__all__ = ["attach", "close_for_batch", "fingerprints", "reopen"]

Key = tuple[int, int | None]  # (family id, person id or None)


def fingerprints(keys: Iterable[Key]) -> dict[Key, str]:
    """The registry facts a field-check finding rests on, per (family, person): the person's status,
    current family and death date; the family's status, desil and extreme-poor flag. A finding re-found
    later for the same subject stays closed while this string is unchanged."""
    keys = set(keys)
    family_ids = {f for f, _p in keys}
    person_ids = {p for _f, p in keys if p is not None}
    families = {
        row[0]: row[1:]
        for row in Family.objects.filter(id__in=family_ids).values_list(
            "id", "status", "desil", "extreme_poor"
        )
    }
    persons = {
        row[0]: row[1:]
        for row in Person.objects.filter(id__in=person_ids).values_list(
            "id", "status", "family_id", "death_date"
        )
    }
    out = {}
    for family_id, person_id in keys:
        f = families.get(family_id, ("", None, False))
        p = persons.get(person_id, ("", None, None)) if person_id is not None else ("", None, None)
        out[(family_id, person_id)] = f"p:{p[0]}|{p[1] or ''}|{p[2] or ''};f:{f[0]}|{f[1] or ''}|{int(f[2])}"
    return out


def attach(*, task: FieldTask, decision: Decision) -> FieldTask:
    """Link a decision just recorded in a draft batch to the open task it answers."""
    task = FieldTask.objects.select_for_update().get(pk=task.pk)
    problems = []
    if task.state != TaskState.OPEN or task.superseded_at is not None:
        problems.append(_("Tugas cek lapangan ini sudah dijawab."))
    if str(task.kelurahan_id) != str(decision.batch.kelurahan_id):
        problems.append(_("Tugas cek lapangan ini milik kelurahan lain."))
    if task.family_id != decision.family_id or task.person_id != decision.person_id:
        problems.append(_("Keputusan tidak untuk keluarga/anggota tugas ini."))
    if problems:
        raise ValidationError(problems, code="task")
    task.decision = decision
    task.state = TaskState.DECIDED
    task.save(update_fields=["decision", "state"])
    return task


def reopen(*, decision: Decision) -> int:
    """The decision is removed from its draft batch: its tasks are open again."""
    return FieldTask.objects.filter(decision=decision).update(state=TaskState.OPEN, decision=None)


def close_for_batch(*, batch: Batch, actor: Any, actor_name: str) -> int:
    """On approval (after ``apply_batch``): close the tasks answered in ``batch``, and the open tasks of
    the same kelurahan whose family (or member) got a decision in it without naming the task."""
    decisions = {(d.family_id, d.person_id): d for d in batch.decisions.all()}
    if not decisions:
        return 0
    answered = FieldTask.objects.filter(decision__batch=batch)
    unnamed = FieldTask.objects.filter(
        kelurahan_id=batch.kelurahan_id, state=TaskState.OPEN, superseded_at__isnull=True
    ).filter(family_id__in={f for f, _p in decisions})
    unique = {t.pk: t for t in [*answered, *unnamed]}
    tasks = [t for t in unique.values() if (t.family_id, t.person_id) in decisions]
    prints = fingerprints((t.family_id, t.person_id) for t in tasks)
    now = timezone.now()
    for t in tasks:
        d = decisions[(t.family_id, t.person_id)]
        t.decision, t.state, t.verdict, t.reason = d, TaskState.CLOSED, d.verdict, d.reason
        t.fingerprint = prints[(t.family_id, t.person_id)]
        t.closed_at, t.closed_by, t.closed_by_name = now, actor, actor_name
    FieldTask.objects.bulk_update(
        tasks,
        ["decision", "state", "verdict", "reason", "fingerprint", "closed_at", "closed_by", "closed_by_name"],
    )
    return len(tasks)
