"""Pages of the registry intake: upload → mapping → preview → validation report → commit → corrections.

Only importers (Bappeda administrators and analysts, Dinsos operators) reach them; batches are read
through ``ImportBatch.objects.restrict(user)``. Long steps run as background tasks with a polling
progress page.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from padu.core import audit
from padu.ingest import selectors, services, tasks
from padu.ingest.corrections import resubmit_file, resubmit_rows
from padu.ingest.engine import IngestError
from padu.ingest.forms import CorrectionFileForm, CorrectionForm, MappingForm, UploadForm
from padu.ingest.mapping import current_mapping, kind_of
from padu.ingest.models import BatchStatus, ImportBatch, importable_kinds, may_import, may_import_any
from padu.ingest.reports import write_batch_report

ISSUES_PER_PAGE = 50
REJECTED_PER_PAGE = 20


def importer_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        batch_id = kwargs.get("batch_id")
        if batch_id is None:
            allowed = may_import(request.user)  # the upload page and history: the registry intake
        else:
            kind = ImportBatch.objects.filter(pk=batch_id).values_list("kind", flat=True).first()
            allowed = kind in importable_kinds(request.user) if kind else may_import_any(request.user)
        if not allowed:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _errors(request: HttpRequest, exc: Exception) -> None:
    text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text)


@importer_required
def batch_list(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = services.store_batch(
            actor=request.user,
            file=upload,
            original_name=upload.name,
            source=form.cleaned_data["source"],
            period=form.cleaned_data["period"],
        )
        try:
            services.detect_columns(batch=batch)
        except IngestError as exc:
            messages.error(request, str(exc))
            return redirect("ingest:detail", batch_id=batch.pk)
        if batch.status == BatchStatus.MAPPED:
            return redirect("ingest:preview", batch_id=batch.pk)
        return redirect("ingest:mapping", batch_id=batch.pk)
    page = Paginator(selectors.batch_list(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "ingest/batch_list.html", {"form": form, "page": page})


@importer_required
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, batch_id=batch_id)
    kind = kind_of(batch)
    fields = kind.fields
    mapped = [(fields[name].label_id, column) for name, column in batch.mapping.items() if name in fields]
    same = selectors.same_file(user=request.user, batch=batch)
    context = {
        "batch": batch,
        "kind": kind,
        "mapped": mapped,
        "same": same,
        "stale": selectors.is_stale(batch=batch),
        "result_url": kind.result_url(batch) if kind.result_url is not None else None,
    }
    return render(request, "ingest/batch_detail.html", context)


@importer_required
def mapping(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, batch_id=batch_id, action="change")
    if batch.status not in {BatchStatus.UPLOADED, BatchStatus.MAPPED, BatchStatus.VALIDATED}:
        return redirect("ingest:detail", batch_id=batch.pk)
    kind = kind_of(batch)
    form = MappingForm(
        request.POST or None,
        columns=batch.columns,
        mapping=batch.mapping,
        fields=kind.fields,
        required=kind.required_marks,
    )
    if request.method == "POST" and form.is_valid():
        result = services.set_mapping(actor=request.user, batch=batch, fields=form.mapping)
        if result.ok:
            messages.success(request, _("Pemetaan kolom disimpan dan akan dipakai lagi untuk berkas serupa."))
            return redirect("ingest:preview", batch_id=batch.pk)
    current = current_mapping(batch)
    missing = [kind.fields[name].label_id for name in current.missing_required if name in kind.fields]
    context = {"batch": batch, "form": form, "missing": missing, "kind": kind}
    return render(request, "ingest/mapping.html", context)


@importer_required
def preview(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, batch_id=batch_id)
    if current_mapping(batch).missing_required:
        return redirect("ingest:mapping", batch_id=batch.pk)
    try:
        fields, results = selectors.preview(batch=batch)
    except IngestError as exc:
        messages.error(request, str(exc))
        return redirect("ingest:detail", batch_id=batch.pk)
    audit.record_personal_data_access(
        actor=request.user,
        what="ingest.preview",
        count=len(results),
        request=request,
        detail={"batch": batch.pk},
    )
    rows = [(r, [_cell(r.values.get(f)) for f in fields]) for r in results]
    labels = kind_of(batch).fields
    headers = [(labels[f].label_id, batch.mapping.get(f, "")) for f in fields]
    return render(request, "ingest/preview.html", {"batch": batch, "headers": headers, "rows": rows})


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    return str(value)


@require_POST
@importer_required
def start(request: HttpRequest, batch_id: int, step: str) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, batch_id=batch_id, action="change")
    stale = selectors.is_stale(batch=batch)
    if batch.is_busy and not stale:
        return redirect("ingest:progress", batch_id=batch.pk)
    allowed = {
        "validate": {BatchStatus.MAPPED, BatchStatus.VALIDATED, BatchStatus.FAILED},
        "commit": {BatchStatus.VALIDATED},
    }
    retry = (
        step == "commit"
        and batch.validated_at is not None
        and (batch.status == BatchStatus.FAILED or (stale and batch.status == BatchStatus.COMMITTING))
    )
    retry_validation = step == "validate" and stale and batch.status == BatchStatus.VALIDATING
    if step not in allowed or (batch.status not in allowed[step] and not (retry or retry_validation)):
        messages.error(request, _("Langkah ini tidak tersedia untuk status impor sekarang."))
        return redirect("ingest:detail", batch_id=batch.pk)
    tasks.enqueue(step, batch=batch, user=request.user, retry=retry)
    return redirect("ingest:progress", batch_id=batch.pk)


@importer_required
def progress(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, batch_id=batch_id)
    context = {"batch": batch, "progress": selectors.progress(batch=batch)}
    if request.headers.get("HX-Request"):
        return render(request, "ingest/_progress.html", context)
    return render(request, "ingest/progress.html", context)


@importer_required
def report(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, batch_id=batch_id)
    status = request.GET.get("status", "")
    page = Paginator(selectors.issue_rows(batch=batch, status=status), ISSUES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    audit.record_personal_data_access(
        actor=request.user,
        what="ingest.importrow",
        count=len(page.object_list),
        request=request,
        detail={"batch": batch.pk, "page": page.number},
    )
    codes = sorted(batch.issue_counts.items(), key=lambda item: -item[1])
    return render(
        request, "ingest/report.html", {"batch": batch, "page": page, "codes": codes, "status": status}
    )


@importer_required
def report_xlsx(request: HttpRequest, batch_id: int) -> FileResponse:
    batch = selectors.batch_get(user=request.user, batch_id=batch_id, action="export")
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    path = Path(handle.name)
    write_batch_report(batch=batch, path=path)
    audit.record_personal_data_access(
        actor=request.user,
        what="ingest.importrow",
        count=batch.import_rows.count(),
        request=request,
        export=True,
        detail={"batch": batch.pk, "file": batch.original_name, "format": "xlsx"},
    )
    stream = path.open("rb")
    path.unlink()  # the open handle keeps the data until the response is sent
    name = f"laporan_impor_{batch.pk}_{slugify(Path(batch.original_name).stem)[:40]}.xlsx"
    return FileResponse(stream, as_attachment=True, filename=name)


@importer_required
def rejected(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, batch_id=batch_id)
    page = Paginator(selectors.rejected_rows(batch=batch), REJECTED_PER_PAGE).get_page(
        request.GET.get("page")
    )
    forms = [
        (row, CorrectionForm(columns=batch.columns, raw=row.raw, prefix=f"r{row.pk}"))
        for row in page.object_list
    ]
    audit.record_personal_data_access(
        actor=request.user,
        what="ingest.importrow",
        count=len(forms),
        request=request,
        detail={"batch": batch.pk},
    )
    return render(
        request,
        "ingest/rejected.html",
        {"batch": batch, "page": page, "forms": forms, "file_form": CorrectionFileForm()},
    )


@require_POST
@importer_required
def correct_row(request: HttpRequest, batch_id: int, row_id: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, batch_id=batch_id, action="change")
    row = selectors.rejected_rows(batch=batch).filter(pk=row_id).first()
    if row is None:
        messages.error(request, _("Baris ini sudah dikoreksi atau tidak ditolak."))
        return redirect("ingest:rejected", batch_id=batch.pk)
    form = CorrectionForm(request.POST, columns=batch.columns, raw=row.raw, prefix=f"r{row.pk}")
    if form.is_valid():
        try:
            counts = resubmit_rows(actor=request.user, batch=batch, corrections=[(row, form.values())])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            _correction_message(request, counts, row.line)
    return redirect("ingest:rejected", batch_id=batch.pk)


@require_POST
@importer_required
def correct_file(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, batch_id=batch_id, action="change")
    form = CorrectionFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("ingest:rejected", batch_id=batch.pk)
    upload = form.cleaned_data["file"]
    try:
        counts = resubmit_file(actor=request.user, batch=batch, file=upload, name=upload.name)
    except (ValidationError, IngestError) as exc:
        _errors(request, exc)
    else:
        _correction_message(request, counts, None)
    return redirect("ingest:rejected", batch_id=batch.pk)


def _correction_message(request: HttpRequest, counts: Any, line: int | None) -> None:
    still = counts["rejected"]
    done = counts["rows"] - still
    if line is not None and still:
        messages.error(request, _("Baris %(line)s masih ditolak; lihat alasannya di bawah.") % {"line": line})
    elif line is not None:
        messages.success(request, _("Baris %(line)s diterima dan disimpan ke registri.") % {"line": line})
    else:
        messages.success(
            request,
            _("%(done)s baris koreksi diterima, %(still)s masih ditolak.") % {"done": done, "still": still},
        )


@require_POST
@importer_required
def cancel(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, batch_id=batch_id, action="change")
    try:
        services.cancel_batch(actor=request.user, batch=batch)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("ingest:detail", batch_id=batch.pk)
