"""Reads of the linkage app. Every function starts from the user's scope (``restrict``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from padu.linkage.choices import Decision, FindingKind
from padu.linkage.models import Link, LinkFinding, LinkRun
from padu.programs.models import Programme, RollEntry

NOT_FOUND = (Decision.UNMATCHED, Decision.REJECTED)


def review_queue(*, user: Any, programme: str = "") -> QuerySet[Link]:
    """Links waiting for a reviewer that ``user`` may decide (OPD: own programmes; region operators:
    their kelurahan; Bappeda: all; viewers: none), oldest list first."""
    links = Link.objects.restrict(user, "change").filter(decision=Decision.REVIEW, person__isnull=False)
    if programme:
        links = links.filter(entry__roll__programme__code=programme)
    return links.order_by("entry__roll__programme__code", "entry__roll__period", "entry__row_number", "id")


def review_item(*, user: Any, link_id: int | None = None, programme: str = "") -> Link | None:
    """One link of the queue with both records (``link_id``, else the first)."""
    queue = review_queue(user=user, programme=programme).select_related(
        "entry__roll__programme__opd", "entry__kelurahan", "person__family", "family"
    )
    if link_id is not None:
        return queue.filter(pk=link_id).first()
    return queue.first()


def last_decided(*, user: Any) -> Link | None:
    """The link ``user`` decided most recently, while it may still be undone (for the review page)."""
    return (
        Link.objects.restrict(user, "change")
        .filter(reviewed_by=user, decision__in=(Decision.ACCEPTED, Decision.REJECTED))
        .select_related("entry", "person")
        .order_by("-reviewed_at", "-pk")
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )


def neighbours(*, user: Any, link: Link, programme: str = "") -> tuple[int | None, int | None]:
    """The previous and next link ids of the queue around ``link``."""
    ids = list(review_queue(user=user, programme=programme).values_list("id", flat=True)[:5000])
    if link.pk not in ids:
        return None, ids[0] if ids else None
    at = ids.index(link.pk)
    return (ids[at - 1] if at > 0 else None), (ids[at + 1] if at + 1 < len(ids) else None)


def programme_summary(*, user: Any) -> list[dict[str, Any]]:
    """Per programme the user may count: entries and links by decision, findings."""
    counts = (
        Link.objects.restrict(user, "aggregate")
        .values("entry__roll__programme_id")
        .annotate(
            links=Count("id"),
            auto=Count("id", filter=Q(decision=Decision.AUTO)),
            review=Count("id", filter=Q(decision=Decision.REVIEW)),
            accepted=Count("id", filter=Q(decision=Decision.ACCEPTED)),
            unmatched=Count("id", filter=Q(decision__in=NOT_FOUND)),
        )
    )
    by_programme = {row.pop("entry__roll__programme_id"): row for row in counts}
    entries = dict(
        RollEntry.objects.restrict(user, "aggregate")
        .values("roll__programme_id")
        .annotate(n=Count("id"))
        .values_list("roll__programme_id", "n")
    )
    findings = dict(
        LinkFinding.objects.restrict(user, "aggregate")
        .values("entry__roll__programme_id")
        .annotate(n=Count("id"))
        .values_list("entry__roll__programme_id", "n")
    )
    rows = []
    for programme in (
        Programme.objects.restrict(user).select_related("opd").order_by("opd__short_name", "name")
    ):
        c = by_programme.get(programme.pk, {})
        rows.append(
            {
                "programme": programme,
                "entries": entries.get(programme.pk, 0),
                "links": c.get("links", 0),
                "auto": c.get("auto", 0),
                "review": c.get("review", 0),
                "accepted": c.get("accepted", 0),
                "unmatched": c.get("unmatched", 0),
                "findings": findings.get(programme.pk, 0),
            }
        )
    return rows


def unmatched(*, user: Any, programme: str = "") -> QuerySet[Link]:
    """List rows with no registry person (a finding: a recipient not in the registry)."""
    links = Link.objects.restrict(user).filter(decision__in=NOT_FOUND)
    if programme:
        links = links.filter(entry__roll__programme__code=programme)
    return links.select_related("entry__roll__programme", "entry__kelurahan").order_by(
        "entry__roll__programme__code", "entry__roll__period", "entry__row_number"
    )


def nik_conflicts(*, user: Any, programme: str = "") -> QuerySet[LinkFinding]:
    findings = LinkFinding.objects.restrict(user).filter(kind=FindingKind.NIK_CONFLICT)
    if programme:
        findings = findings.filter(entry__roll__programme__code=programme)
    return findings.select_related("entry__roll__programme", "person").order_by(
        "entry__roll__programme__code", "entry__row_number"
    )


def family_benefits(*, user: Any, family: Any) -> QuerySet[Link]:
    """Every linked programme entry of the family's members (auto or accepted), for its profile page.

    The caller already sees the family (registry scope); the entries are those of its members."""
    members = family.memberships.values("person_id")
    return (
        Link.objects.filter(
            Q(person_id__in=members) | Q(family=family), decision__in=(Decision.AUTO, Decision.ACCEPTED)
        )
        .select_related("entry__roll__programme__opd", "person", "reviewed_by")
        .order_by("entry__roll__period", "entry__roll__programme__name")
    )


def run_get(*, user: Any, run_id: int) -> LinkRun:
    run = LinkRun.objects.restrict(user).select_related("roll__programme", "actor").filter(pk=run_id).first()
    if run is None:
        raise Http404("Proses tidak ditemukan / run not found")
    return run


def latest_runs(*, user: Any, limit: int = 10) -> QuerySet[LinkRun]:
    return LinkRun.objects.restrict(user).select_related("roll__programme", "actor")[:limit]
