"""Reads of the verivali workflow. Every function starts from ``.restrict(user)``."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from padu.registry.choices import Relationship, Status
from padu.registry.models import Family, Membership, Person
from padu.registry.selectors import family_search
from padu.verivali.choices import BatchState, TaskState
from padu.verivali.models import Batch, Decision, FieldTask, Proposal, Transition
from padu.wilayah.models import Region


def batch_list(*, user: Any, state: str = "", period: str = "") -> QuerySet[Batch]:
    qs = Batch.objects.restrict(user).select_related("kelurahan", "created_by")
    if state in BatchState.values:
        qs = qs.filter(state=state)
    if period:
        qs = qs.filter(period=period)
    return qs.annotate(
        n_decisions=Count("decisions", distinct=True), n_proposals=Count("proposals", distinct=True)
    ).order_by("-period", "kelurahan_id", "-id")


def batch_periods(*, user: Any) -> list[str]:
    rows = Batch.objects.restrict(user).values_list("period", flat=True).distinct()
    return sorted(set(rows), reverse=True)


def batch_detail(*, user: Any, batch_id: int) -> Batch:
    batch = Batch.objects.restrict(user).select_related("kelurahan", "created_by").filter(pk=batch_id).first()
    if batch is None:
        raise Http404("Batch verivali tidak ditemukan / verivali batch not found")
    return batch


def batch_decisions(*, batch: Batch) -> QuerySet[Decision]:
    """The decisions of a batch the caller already holds through ``batch_detail``."""
    return batch.decisions.select_related(
        "family", "person", "duplicate_of_family", "duplicate_of_person", "created_by"
    ).order_by("family_id", "person_id", "id")


def batch_proposals(*, batch: Batch) -> QuerySet[Proposal]:
    return batch.proposals.order_by("id")


def batch_timeline(*, batch: Batch) -> QuerySet[Transition]:
    return batch.transitions.select_related("actor").order_by("at", "id")


def last_return(*, batch: Batch) -> Transition | None:
    """The latest return note, while the batch is back in draft because of it."""
    last = batch.transitions.order_by("-at", "-id").first()
    return last if last is not None and last.action == "return" and batch.state == BatchState.DRAFT else None


def _with_live_members(ids: list[int]) -> list[Family]:
    live = Membership.objects.filter(valid_to__isnull=True).select_related("person").order_by("id")
    families = Family.objects.filter(id__in=ids).prefetch_related(Prefetch("memberships", queryset=live))
    by_id = {f.id: f for f in families}
    return [by_id[i] for i in ids if i in by_id]


def family_candidates(*, user: Any, batch: Batch, q: str) -> list[Family]:
    """Search-first (NIK, KK, name) among the families of the batch's kelurahan that ``user`` may see."""
    found = [f.id for f in family_search(user=user, q=q) if f.kelurahan_id == batch.kelurahan_id]
    return _with_live_members(found)


def family_for_batch(*, user: Any, batch: Batch, family_id: int) -> Family:
    return get_object_or_404(Family.objects.restrict(user), pk=family_id, kelurahan_id=batch.kelurahan_id)


def live_member(*, family: Family, person_id: int) -> Person:
    ids = Membership.objects.filter(family=family, valid_to__isnull=True).values("person_id")
    return get_object_or_404(Person.objects.filter(id__in=ids), pk=person_id)


def surviving_family(*, user: Any, kk: str) -> Family | None:
    """The family kept when another is marked ganda, by KK, among those ``user`` may see."""
    qs = Family.objects.restrict(user).filter(kk=kk).exclude(status=Status.GANDA)
    return qs.order_by("id").first()


def surviving_person(*, user: Any, nik: str) -> Person | None:
    qs = Person.objects.restrict(user).filter(nik=nik).exclude(status=Status.GANDA)
    return qs.order_by("id").first()


def family_decisions(*, user: Any, family: Family) -> QuerySet[Decision]:
    """The verivali decisions about ``family`` in batches ``user`` may see (family profile)."""
    return (
        Decision.objects.restrict(user)
        .filter(family=family)
        .select_related("batch", "person", "duplicate_of_family", "duplicate_of_person")
        .order_by("-batch__created_at", "-batch_id", "person_id")
    )


def proposal_list(*, user: Any, state: str = "") -> QuerySet[Proposal]:
    """Usulan baru of the batches in scope, submitted or later unless ``state`` says otherwise; each
    flagged when its NIK is already in the registry (in any kelurahan)."""
    qs = Proposal.objects.restrict(user).select_related("batch", "batch__kelurahan")
    if state in BatchState.values:
        qs = qs.filter(batch__state=state)
    else:
        qs = qs.exclude(batch__state=BatchState.DRAFT)
    registered = Person.objects.filter(nik=OuterRef("nik")).exclude(status=Status.GANDA)
    return qs.annotate(already_registered=Exists(registered)).order_by("-batch__period", "batch_id", "id")


def _with_labels(tasks: list[FieldTask]) -> list[FieldTask]:
    from padu.targeting.choices import FindingType  # the kinds are targeting's finding types

    heads = dict(
        Membership.objects.filter(
            family_id__in={t.family_id for t in tasks if t.person_id is None},
            valid_to__isnull=True,
            relationship=Relationship.KEPALA,
        ).values_list("family_id", "person__name")
    )
    names = dict(Region.objects.filter(code__in={t.kelurahan_id for t in tasks}).values_list("code", "name"))
    for t in tasks:
        t.head_name = heads.get(t.family_id, "")  # type: ignore[attr-defined]
        t.kelurahan_name = names.get(t.kelurahan_id, t.kelurahan_id)  # type: ignore[attr-defined]
        label = str(FindingType(t.kind).label) if t.kind in FindingType.values else t.kind
        t.kind_label = label  # type: ignore[attr-defined]
    return tasks


def open_tasks(*, user: Any, kelurahan: str = "", limit: int = 500) -> list[FieldTask]:
    """Field checks still to answer (open, not superseded) in ``user``'s scope, largest rupiah first."""
    qs = FieldTask.objects.restrict(user).filter(state=TaskState.OPEN, superseded_at__isnull=True)
    if kelurahan:
        qs = qs.filter(kelurahan_id=kelurahan)
    qs = qs.select_related("family", "person").order_by("-rupiah_year", "kind", "id")
    return _with_labels(list(qs[:limit]))


def task_counts(*, user: Any) -> dict[str, int]:
    """Live tasks in scope per state."""
    rows = (
        FieldTask.objects.restrict(user)
        .filter(superseded_at__isnull=True)
        .values("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["state"]: r["n"] for r in rows}


def task_for_batch(*, user: Any, batch: Batch, task_id: int) -> FieldTask:
    """An open task of the batch's kelurahan that ``user`` may see (404 otherwise)."""
    return get_object_or_404(
        FieldTask.objects.restrict(user),
        pk=task_id,
        kelurahan_id=batch.kelurahan_id,
        state=TaskState.OPEN,
        superseded_at__isnull=True,
    )


def draft_batch(*, user: Any, kelurahan: str) -> Batch | None:
    return Batch.objects.restrict(user).filter(kelurahan_id=kelurahan, state=BatchState.DRAFT).first()
