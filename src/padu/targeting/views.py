"""Pages of the targeting app: the findings dashboard (counts and rupiah by type, programme, OPD,
kecamatan/kelurahan, desil, strategy, with charts), drill-down to the rows (personal data: audited, not
for viewers), the per-kelurahan package matrix, the history across periods, starting a run, and the
routing lists (per-OPD correction list as XLSX, per-kelurahan field checks)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from padu.accounts.models import Opd, Role
from padu.accounts.scope import effective_role
from padu.core import audit
from padu.targeting import charts, routing, selectors, services, tasks
from padu.targeting.choices import FIELD_CHECK_TYPES, Category, FindingType
from padu.targeting.exports import with_head
from padu.targeting.models import TargetingRun

PER_PAGE = 50
FIELD_CHECKS_PER_PAGE = 100
CHECK_STATE_LABELS = {
    "unsent": gettext_lazy("belum dikirim"),
    "open": gettext_lazy("terbuka di kelurahan"),
    "decided": gettext_lazy("diputuskan, menunggu persetujuan"),
    "closed": gettext_lazy("selesai"),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHARTS = ("type", "programme", "opd", "kecamatan", "desil", "strategy")


class CountedPaginator(Paginator):
    """A paginator told its count (from the run's aggregates) instead of counting the findings."""

    def __init__(self, *args: Any, count: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._known = count

    @property
    def count(self) -> int:  # type: ignore[override]
        return self._known


def may_run(user: Any) -> bool:
    return effective_role(user) in (Role.ADMIN, Role.ANALYST)


def may_see_rows(user: Any) -> bool:
    return effective_role(user) not in (None, Role.VIEWER)


def _period(request: HttpRequest) -> tuple[str, list[str]]:
    periods = selectors.periods()
    wanted = request.GET.get("periode", "")
    return (wanted if wanted in periods else (periods[0] if periods else "")), periods


def _base(request: HttpRequest) -> dict[str, Any]:
    period, periods = _period(request)
    return {
        "period": period,
        "periods": periods,
        "run": selectors.latest_run(period=period) if period else None,
        "may_run": may_run(request.user),
        "may_see_rows": may_see_rows(request.user),
        "busy": TargetingRun.objects.filter(status__in=["queued", "running"]).first(),
    }


def dashboard(request: HttpRequest) -> HttpResponse:
    context = _base(request)
    period = context["period"]
    if period:
        breakdowns = {
            by: selectors.breakdown(user=request.user, period=period, by=by) for by in selectors.BREAKDOWNS
        }
        titles = {
            "type": _("Jenis temuan"),
            "programme": _("Program"),
            "opd": _("OPD"),
            "kecamatan": _("Kecamatan"),
            "kelurahan": _("Kelurahan"),
            "desil": _("Desil"),
            "strategy": _("Strategi"),
        }
        context.update(
            totals=selectors.totals(user=request.user, period=period),
            sections=[
                {
                    "by": by,
                    "title": titles[by],
                    "rows": breakdowns[by],
                    "figure": charts.stacked_rupiah(breakdowns[by], titles[by]) if by in CHARTS else None,
                }
                for by in selectors.BREAKDOWNS
            ],
        )
    template = (
        "targeting/_dashboard_main.html" if request.headers.get("HX-Request") else "targeting/dashboard.html"
    )
    return render(request, template, context)


def _filters(request: HttpRequest) -> dict[str, str]:
    return {
        "finding_type": request.GET.get("jenis", ""),
        "category": request.GET.get("kategori", ""),
        "programme": request.GET.get("program", ""),
        "kelurahan": request.GET.get("wilayah", ""),
    }


def findings(request: HttpRequest) -> HttpResponse:
    if not may_see_rows(request.user):
        raise PermissionDenied(_("Peran Anda hanya dapat melihat ringkasan."))
    context = _base(request)
    filters = _filters(request)
    rows = selectors.findings(user=request.user, period=context["period"], **filters)
    count = selectors.findings_count(user=request.user, period=context["period"], **filters)
    page = CountedPaginator(rows, PER_PAGE, count=count).get_page(request.GET.get("hal"))
    full = bool(getattr(request.user, "may_see_full_nik", False))
    items = [{"f": f, "nik": f.shown_nik(full=full)} for f in page.object_list]
    if items:
        audit.record_personal_data_access(
            actor=request.user,
            what="targeting.finding",
            count=len(items),
            request=request,
            detail={"period": context["period"], **{k: v for k, v in filters.items() if v}, "full_nik": full},
        )
    context.update(
        page=page,
        items=items,
        filters=filters,
        types=FindingType.choices,
        categories=Category.choices,
        query=request.GET.urlencode(),
    )
    template = (
        "targeting/_findings_table.html" if request.headers.get("HX-Request") else "targeting/findings.html"
    )
    return render(request, template, context)


def packages(request: HttpRequest) -> HttpResponse:
    context = _base(request)
    rows = selectors.packages(user=request.user, period=context["period"]) if context["period"] else []
    strategies = sorted({s for r in rows for s in r.get("strategies", {})})
    for r in rows:
        r["per_strategy"] = [r.get("strategies", {}).get(s, 0) for s in strategies]
    context.update(rows=rows, strategies=strategies)
    return render(request, "targeting/packages.html", context)


def history(request: HttpRequest) -> HttpResponse:
    rows = selectors.history(user=request.user)
    context = {
        "rows": rows,
        "figure": charts.history_lines(rows) if rows else None,
        "runs": selectors.latest_runs(user=request.user),
    }
    return render(request, "targeting/history.html", context)


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    if not may_run(request.user):
        raise PermissionDenied(_("Hanya Bappeda yang dapat menjalankan penargetan."))
    period = request.POST.get("periode", "").strip()
    try:
        run = tasks.enqueue(user=request.user, period=period)
    except services.TargetingError as exc:
        messages.error(request, str(exc))
        return redirect("targeting:dashboard")
    messages.success(
        request, _("Penargetan %(period)s dimulai (proses #%(run)s).") % {"period": period, "run": run.pk}
    )
    return redirect(f"{reverse('targeting:dashboard')}?{urlencode({'periode': period})}")


def corrections(request: HttpRequest) -> HttpResponse:
    """The correction list (XLSX) of one OPD's programmes: the operator's own OPD, or ``?opd=`` for
    Bappeda."""
    role = effective_role(request.user)
    if role == Role.OPD_OPERATOR:
        opd = getattr(request.user, "opd", None)
    elif role in (Role.ADMIN, Role.ANALYST):
        opd = Opd.objects.filter(code=request.GET.get("opd", "")).first()
    else:
        raise PermissionDenied(_("Daftar koreksi hanya untuk OPD pengampu dan Bappeda."))
    period, _periods = _period(request)
    if opd is None or not period:
        raise Http404(_("OPD atau periode tidak ditemukan."))
    filename, content, _counts = services.export_corrections(
        actor=request.user, period=period, opd=opd, request=request
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def field_checks(request: HttpRequest) -> HttpResponse:
    """Per kelurahan, the findings to verify in the field; ``?wilayah=`` lists their rows (audited)."""
    if not may_see_rows(request.user):
        raise PermissionDenied(_("Peran Anda hanya dapat melihat ringkasan."))
    context = _base(request)
    period, code = context["period"], request.GET.get("wilayah", "")
    context.update(
        kelurahan=selectors.field_checks(user=request.user, period=period) if period else [],
        types=[FindingType(t).label for t in FIELD_CHECK_TYPES],
        states=[CHECK_STATE_LABELS[s] for s in selectors.CHECK_STATES],
        code=code,
    )
    if period and code:
        qs = (
            with_head(selectors.findings(user=request.user, period=period, kelurahan=code))
            .filter(finding_type__in=FIELD_CHECK_TYPES)
            .select_related("field_task")
            .order_by("finding_type", "family_id", "id")
        )
        page = Paginator(qs, FIELD_CHECKS_PER_PAGE).get_page(request.GET.get("hal"))
        rows = list(page.object_list)
        context.update(rows=rows, page=page, query=urlencode({"periode": period, "wilayah": code}))
        if rows:
            audit.record_personal_data_access(
                actor=request.user,
                what="targeting.finding",
                count=len(rows),
                request=request,
                detail={"period": period, "kelurahan": code, "list": "cek_lapangan"},
            )
    return render(request, "targeting/field_checks.html", context)


@require_POST
def send_field_checks(request: HttpRequest) -> HttpResponse:
    """Bappeda sends the period's unsent field checks (of ``wilayah``, or all) to the kelurahan as
    verivali tasks."""
    if not may_run(request.user):
        raise PermissionDenied(_("Hanya Bappeda yang dapat mengirim tugas cek lapangan."))
    period, code = request.POST.get("periode", ""), request.POST.get("wilayah", "")
    if period not in selectors.periods():
        raise Http404(_("OPD atau periode tidak ditemukan."))
    created = routing.send_field_checks(actor=request.user, period=period, kelurahan=code, request=request)
    messages.success(request, _("%(n)s tugas cek lapangan dikirim ke kelurahan.") % {"n": created})
    return redirect(f"{reverse('targeting:field_checks')}?{urlencode({'periode': period, 'wilayah': code})}")
