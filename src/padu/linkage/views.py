"""Pages of the linkage app: per-programme summary, review queue (keyboard driven, HTMX), recipients not
in the registry, NIK conflicts, and starting a run with its status page. Personal data views are
audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from padu.core import audit
from padu.linkage import jobs, selectors, services
from padu.linkage.choices import Verdict
from padu.linkage.models import Link
from padu.programs.models import Roll

PER_PAGE = 50


def _may_run_all(user: Any) -> bool:
    return getattr(user, "is_superuser", False) or getattr(user, "role", None) in {"admin", "analyst"}


def summary(request: HttpRequest) -> HttpResponse:
    rows = selectors.programme_summary(user=request.user)
    context = {
        "rows": rows,
        "runs": selectors.latest_runs(user=request.user),
        "may_run_all": _may_run_all(request.user),
        "rolls": Roll.objects.restrict(request.user, "change")
        .select_related("programme")
        .order_by("programme__name", "-period"),
        "queue_size": selectors.review_queue(user=request.user).count(),
    }
    return render(request, "linkage/summary.html", context)


def _review_context(request: HttpRequest, link: Link | None, programme: str) -> dict[str, Any]:
    context: dict[str, Any] = {"link": link, "programme": programme, "verdicts": Verdict}
    context["remaining"] = selectors.review_queue(user=request.user, programme=programme).count()
    context["last"] = selectors.last_decided(user=request.user)
    if link is not None:
        context["previous"], context["next"] = selectors.neighbours(
            user=request.user, link=link, programme=programme
        )
        audit.record_personal_data_access(
            actor=request.user,
            what="linkage.link",
            count=1,
            request=request,
            detail={"link": link.pk, "entry": link.entry_id, "person": link.person_id, "page": "review"},
        )
    return context


def review(request: HttpRequest) -> HttpResponse:
    programme = request.GET.get("program", "")
    raw_id = request.GET.get("id")
    link_id = int(raw_id) if raw_id and raw_id.isdigit() else None
    link = selectors.review_item(user=request.user, link_id=link_id, programme=programme)
    if link is None and link_id is not None:
        link = selectors.review_item(user=request.user, programme=programme)
    context = _review_context(request, link, programme)
    template = "linkage/_review_item.html" if request.headers.get("HX-Request") else "linkage/review.html"
    return render(request, template, context)


@require_POST
def decide(request: HttpRequest, link_id: int) -> HttpResponse:
    programme = request.POST.get("program", "")
    link = selectors.review_item(user=request.user, link_id=link_id, programme=programme)
    if link is None:
        raise Http404("Tautan tidak ada di antrean / link not in the queue")
    _prev, following = selectors.neighbours(user=request.user, link=link, programme=programme)
    try:
        services.record_review_decision(
            actor=request.user, link=link, verdict=request.POST.get("verdict", ""), request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    nxt = (
        selectors.review_item(user=request.user, link_id=following, programme=programme)
        if following
        else None
    )
    nxt = nxt or selectors.review_item(user=request.user, programme=programme)
    if request.headers.get("HX-Request"):
        return render(request, "linkage/_review_item.html", _review_context(request, nxt, programme))
    url = reverse("linkage:review") + (f"?program={programme}&" if programme else "?")
    return redirect(url + (f"id={nxt.pk}" if nxt else ""))


@require_POST
def undo(request: HttpRequest, link_id: int) -> HttpResponse:
    """Withdraw the latest verdict on a link's row; the pair returns to the queue and is shown."""
    programme = request.POST.get("program", "")
    link = Link.objects.restrict(request.user, "change").filter(pk=link_id).first()
    if link is None:
        raise Http404("Tautan tidak ada / link not found")
    try:
        services.undo_review_decision(actor=request.user, link=link, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Keputusan dibatalkan; pasangan kembali ke antrean."))
    shown = selectors.review_item(user=request.user, link_id=link.pk, programme=programme)
    if request.headers.get("HX-Request"):
        return render(request, "linkage/_review_item.html", _review_context(request, shown, programme))
    url = reverse("linkage:review") + (f"?program={programme}&" if programme else "?")
    return redirect(url + (f"id={shown.pk}" if shown else ""))


def unmatched(request: HttpRequest) -> HttpResponse:
    programme = request.GET.get("program", "")
    page = Paginator(selectors.unmatched(user=request.user, programme=programme), PER_PAGE).get_page(
        request.GET.get("page")
    )
    if page.object_list:
        audit.record_personal_data_access(
            actor=request.user,
            what="linkage.link",
            count=len(page.object_list),
            request=request,
            detail={"page": "unmatched", "programme": programme, "number": page.number},
        )
    return render(request, "linkage/unmatched.html", {"page": page, "programme": programme})


def conflicts(request: HttpRequest) -> HttpResponse:
    programme = request.GET.get("program", "")
    page = Paginator(selectors.nik_conflicts(user=request.user, programme=programme), PER_PAGE).get_page(
        request.GET.get("page")
    )
    if page.object_list:
        audit.record_personal_data_access(
            actor=request.user,
            what="linkage.linkfinding",
            count=len(page.object_list),
            request=request,
            detail={"page": "nik_conflict", "programme": programme, "number": page.number},
        )
    return render(request, "linkage/conflicts.html", {"page": page, "programme": programme})


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("roll", "")
    if raw:
        roll = (
            Roll.objects.restrict(request.user, "change").filter(pk=int(raw) if raw.isdigit() else 0).first()
        )
        if roll is None:
            raise PermissionDenied
        run = jobs.enqueue(user=request.user, roll=roll)
    else:
        if not _may_run_all(request.user):
            raise PermissionDenied
        run = jobs.enqueue(user=request.user)
    messages.info(request, _("Pencocokan dimulai."))
    return redirect("linkage:run", run_id=run.pk)


def run_status(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_get(user=request.user, run_id=run_id)
    template = "linkage/_run.html" if request.headers.get("HX-Request") else "linkage/run.html"
    return render(request, template, {"run": run})
