from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import urlencode

from padu.accounts.scope import scope_label
from padu.core import selectors
from padu.core.models import AuditAction
from padu.wilayah import selectors as wilayah_selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from padu.registry import selectors as registry_selectors

    context = {
        "summary": wilayah_selectors.installation_summary(),
        "registry": registry_selectors.registry_totals(user=request.user),
        "scope": scope_label(request.user),
    }
    return render(request, "core/home.html", context)


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.audit_list(user=request.user, filters=request.GET)
    if qs is None:
        raise PermissionDenied
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    filters = {k: request.GET.get(k, "") for k in selectors.AUDIT_FILTERS}
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(
        request,
        "core/audit_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query,
            "actions": AuditAction.choices,
            "object_types": selectors.audit_object_types(),
        },
    )


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
