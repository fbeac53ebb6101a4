"""Pages of the programme catalogue: list with filters (HTMX), detail with rule and lists, create/edit,
upload of a beneficiary list (continued on the intake pages), a list's rows and their CSV export."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from padu.accounts.scope import scope_filter
from padu.core import audit
from padu.ingest.engine import IngestError
from padu.ingest.models import BatchStatus
from padu.lib.masking import mask_id
from padu.programs import selectors, services
from padu.programs.forms import FilterForm, ProgrammeForm, RollUploadForm
from padu.programs.models import Programme

ENTRIES_PER_PAGE = 50
EXPORT_COLUMNS = ("row_number", "nik", "nik_valid", "kk", "name", "birth_date", "birth_place", "sex",
                  "address", "rt", "rw", "kelurahan_id", "mother_name", "flags")  # fmt: skip


def _may_add(user: Any) -> bool:
    return scope_filter(user, "add", opd_field="opd") is not None


def programme_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    filters = {k: v for k, v in (form.data.items() if form.is_bound else []) if k in selectors.FILTERS}
    programmes = selectors.programme_list(user=request.user, filters=filters, q=request.GET.get("q", ""))
    context = {"form": form, "programmes": programmes, "may_add": _may_add(request.user)}
    if request.headers.get("HX-Request"):
        return render(request, "programs/_programme_rows.html", context)
    return render(request, "programs/programme_list.html", context)


def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    programme = selectors.programme_get(user=request.user, code=code)
    may_change = services.may_manage(request.user, programme.opd) and not getattr(
        request.user, "is_read_only", True
    )
    context = {
        "programme": programme,
        "rolls": selectors.rolls_of(user=request.user, programme=programme),
        "batches": selectors.roll_batches(user=request.user, programme=programme)[:10],
        "excluded": programme.exclusive_of.order_by("name"),
        "may_change": may_change,
        "upload_form": RollUploadForm() if may_change else None,
    }
    return render(request, "programs/programme_detail.html", context)


def programme_create(request: HttpRequest) -> HttpResponse:
    if not _may_add(request.user):
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                actor=request.user,
                exclusive_of=form.cleaned_data["exclusive_of"],
                request=request,
                **form.values(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Program disimpan."))
            return redirect("programs:detail", code=programme.code)
    return render(request, "programs/programme_form.html", {"form": form, "programme": None})


def programme_edit(request: HttpRequest, code: str) -> HttpResponse:
    programme = selectors.programme_get(user=request.user, code=code, action="change")
    form = ProgrammeForm(request.POST or None, instance=programme, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            services.programme_update(
                actor=request.user,
                programme=Programme.objects.get(pk=programme.pk),
                exclusive_of=form.cleaned_data["exclusive_of"],
                request=request,
                **values,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Perubahan program disimpan."))
            return redirect("programs:detail", code=programme.code)
    return render(request, "programs/programme_form.html", {"form": form, "programme": programme})


def roll_upload(request: HttpRequest, code: str) -> HttpResponse:
    programme = selectors.programme_get(user=request.user, code=code, action="change")
    form = RollUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return redirect("programs:detail", code=code)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("programs:detail", code=code)
    upload = form.cleaned_data["file"]
    try:
        batch = services.roll_upload(
            actor=request.user,
            programme=programme,
            period=form.cleaned_data["period"],
            file=upload,
            original_name=upload.name,
        )
    except IngestError as exc:
        messages.error(request, str(exc))
        return redirect("programs:detail", code=code)
    if batch.status == BatchStatus.MAPPED:
        return redirect("ingest:preview", batch_id=batch.pk)
    return redirect("ingest:mapping", batch_id=batch.pk)


def roll_detail(request: HttpRequest, code: str, period: str) -> HttpResponse:
    roll = selectors.roll_get(user=request.user, code=code, period=period)
    flagged = request.GET.get("bertanda") == "1"
    q = request.GET.get("q", "")
    rows = selectors.entries(user=request.user, roll=roll, flagged=flagged, q=q)
    page = Paginator(rows, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    full_nik = getattr(request.user, "may_see_full_nik", False)
    shown = [(entry, entry.nik if full_nik else mask_id(entry.nik)) for entry in page.object_list]
    if shown:
        audit.record_personal_data_access(
            actor=request.user,
            what="programs.rollentry",
            count=len(shown),
            request=request,
            detail={"roll": roll.pk, "programme": code, "period": period, "page": page.number},
        )
    context = {
        "roll": roll,
        "programme": roll.programme,
        "page": page,
        "shown": shown,
        "counts": selectors.entry_counts(user=request.user, roll=roll),
        "flagged": flagged,
        "q": q,
        "may_export": not getattr(request.user, "is_read_only", True),
    }
    if request.headers.get("HX-Request"):
        return render(request, "programs/_entry_rows.html", context)
    return render(request, "programs/roll_detail.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def roll_export(request: HttpRequest, code: str, period: str) -> StreamingHttpResponse:
    roll = selectors.roll_get(user=request.user, code=code, period=period)
    rows = selectors.entries(user=request.user, roll=roll, action="export")
    count = rows.count()
    if not count:
        raise PermissionDenied
    audit.record_personal_data_access(
        actor=request.user,
        what="programs.rollentry",
        count=count,
        request=request,
        export=True,
        detail={"roll": roll.pk, "programme": code, "period": period, "format": "csv"},
    )
    writer = csv.writer(_Echo())

    def lines() -> Any:
        yield writer.writerow(EXPORT_COLUMNS)
        for entry in rows.values_list(*EXPORT_COLUMNS).iterator(chunk_size=2000):
            yield writer.writerow([";".join(v) if isinstance(v, list) else v for v in entry])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="daftar_{code}_{period}.csv"'
    return response
