"""RAT pages (per OPD: list with consistency warnings, entry/edit) and the RPKD document (editable
narrative per chapter, preview of the assembled data, DOCX/PDF export)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from padu.accounts.models import Opd
from padu.accounts.scope import catalogue_filter
from padu.planning import rat_report, rpkd, selectors_rat
from padu.planning.forms import RatForm, RpkdForm, this_plan_year
from padu.planning.models import RpkdDocument
from padu.planning.selectors import sees_city
from padu.planning.services import rat as services
from padu.planning.services.priority import may_plan


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else this_plan_year()


def _writable_opds(user: Any) -> Any:
    condition = catalogue_filter(user, "add", opd_field="pk")
    return Opd.objects.none() if condition is None else Opd.objects.filter(condition).order_by("short_name")


def rat_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    opd = request.GET.get("opd", "")
    acts = selectors_rat.activities(user=request.user, year=year, opd=opd)
    warnings = selectors_rat.warnings(year=year)
    by_activity: dict[int, list[str]] = {}
    for w in warnings:
        if w.activity_id is not None:
            by_activity.setdefault(w.activity_id, []).append(w.text)
    context = {
        "year": year,
        "opd": opd,
        "opds": Opd.objects.order_by("short_name"),
        "activities": [(a, by_activity.get(a.pk, [])) for a in acts],
        "general": [w.text for w in warnings if w.activity_id is None],
        "n_warnings": len(warnings),
        "total": sum(a.budget for a in acts),
        "may_add": _writable_opds(request.user).exists(),
    }
    return render(request, "planning/rat_list.html", context)


def rat_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    activity = selectors_rat.activity_get(user=user, pk=pk, action="change") if pk else None
    opds = _writable_opds(user)
    if not opds.exists():
        raise PermissionDenied
    year = activity.year if activity else _year(request)
    initial = None if activity else {"year": year, "opd": getattr(user, "opd_id", None)}
    form = RatForm(request.POST or None, instance=activity, initial=initial, opds=opds, year=year)
    if request.method == "POST" and form.is_valid():
        values, deps = form.values()
        try:
            activity = services.rat_save(actor=user, values=values, depends_on=deps, activity=activity)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Kegiatan RAT disimpan."))
            return redirect(f"{reverse('planning:rat')}?year={activity.year}")
    return render(request, "planning/rat_form.html", {"form": form, "activity": activity})


def _require_city(user: Any) -> None:
    """The RPKD shows city-wide aggregates: only roles whose scope is the whole installation."""
    if not sees_city(user):
        raise PermissionDenied


def rpkd_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_city(user)
    year = _year(request)
    planner = may_plan(user)
    doc = RpkdDocument.objects.filter(year=year).first()
    initial = {"title": doc.title, **doc.narrative} if doc else {}
    form = RpkdForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not planner:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            services.rpkd_save(actor=user, year=year, title=data.pop("title", ""), narrative=data)
            messages.success(request, _("Narasi RPKD disimpan."))
            return redirect(f"{reverse('planning:rpkd')}?year={year}")
    context = {"year": year, "form": form, "may_plan": planner, "document": rpkd.assemble(year)}
    return render(request, "planning/rpkd.html", context)


def rpkd_download(request: HttpRequest, fmt: str) -> HttpResponse:
    _require_city(request.user)
    if fmt not in {"docx", "pdf"}:
        raise PermissionDenied
    year = _year(request)
    data = rpkd.export(actor=request.user, year=year, fmt=fmt)
    kind = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if fmt == "docx"
        else "application/pdf"
    )
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="RPKD-{year}.{fmt}"'
    return response


RAT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def rat_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The RAT of the year (optionally one OPD) as XLSX or PDF, as the user sees it on the RAT page."""
    if fmt not in RAT_TYPES:
        raise Http404
    year = _year(request)
    opd = request.GET.get("opd", "")
    try:
        data = rat_report.export(actor=request.user, year=year, fmt=fmt, opd=opd)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        query = f"?year={year}" + (f"&opd={opd}" if opd else "")
        return redirect(f"{reverse('planning:rat')}{query}")
    response = HttpResponse(data, content_type=RAT_TYPES[fmt])
    suffix = f"-{opd}" if opd else ""
    response["Content-Disposition"] = f'attachment; filename="RAT-{year}{suffix}.{fmt}"'
    return response
