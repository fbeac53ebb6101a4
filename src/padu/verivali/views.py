"""Thin HTML views over verivali selectors and services. Search-first: families appear only in answer to
a NIK, KK or name query; the Berita Acara is served through a scoped view, never as a public URL."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from padu.core import audit
from padu.core.models import AuditAction
from padu.registry.selectors import MIN_NAME_QUERY
from padu.verivali import permissions, selectors, services
from padu.verivali.choices import BatchState, Reason, TaskState
from padu.verivali.forms import BatchForm, BeritaAcaraForm, DecisionForm, ProposalForm, TransitionForm
from padu.verivali.models import Batch
from padu.verivali.periods import deadline, period_start


def _flash(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _into_form(form: Any, exc: ValidationError, field: str | None = None) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(key if key in form.fields else field, error)
    else:
        for error in exc.messages:
            form.add_error(field, error)


def _period_info() -> dict[str, Any]:
    period = services.current_period()
    return {
        "period": period,
        "period_start": period_start(period),
        "deadline": deadline(period, settings.VERIVALI_CUTOFF_DAY),
        "cutoff_day": settings.VERIVALI_CUTOFF_DAY,
    }


def batch_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("status", "")
    period = request.GET.get("periode", "")
    batches = selectors.batch_list(user=request.user, state=state, period=period)
    tasks = selectors.open_tasks(user=request.user)
    _audit_tasks(request, tasks, where="list")
    own = str(getattr(request.user, "region_id", "") or "")
    counts = selectors.task_counts(user=request.user)
    context = {
        "tasks": tasks,
        "has_tasks": bool(counts),
        "task_counts": [(label, counts.get(value, 0)) for value, label in TaskState.choices],
        "draft": selectors.draft_batch(user=request.user, kelurahan=own)
        if permissions.is_kelurahan_operator(request.user)
        else None,
        "batches": batches,
        "states": BatchState.choices,
        "state": state,
        "periods": selectors.batch_periods(user=request.user),
        "selected_period": period,
        "may_create": permissions.is_kelurahan_operator(request.user),
        "is_verifier": permissions.is_verifier(request.user),
        **_period_info(),
    }
    return render(request, "verivali/batch_list.html", context)


def batch_create(request: HttpRequest) -> HttpResponse:
    if not permissions.is_kelurahan_operator(request.user):
        raise PermissionDenied
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.create_batch(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, _("Batch verivali dibuat. Cari keluarga untuk dicatat keputusannya."))
            return redirect("verivali:detail", batch.pk)
    context = {"form": form, "kelurahan": request.user.region, **_period_info()}  # type: ignore[union-attr]
    return render(request, "verivali/batch_create.html", context)


def _audit_tasks(request: HttpRequest, tasks: list[Any], *, where: str) -> None:
    if tasks:
        audit.record_personal_data_access(
            actor=request.user,
            what="verivali.fieldtask",
            count=len(tasks),
            request=request,
            detail={"list": where},
        )


def _detail_context(request: HttpRequest, batch: Batch, **forms: Any) -> dict[str, Any]:
    user = request.user
    decisions = list(selectors.batch_decisions(batch=batch))
    proposals = list(selectors.batch_proposals(batch=batch))
    editable = batch.state == BatchState.DRAFT and permissions.may_edit(user, str(batch.kelurahan_id))
    tasks = selectors.open_tasks(user=user, kelurahan=str(batch.kelurahan_id)) if editable else []
    _audit_tasks(request, tasks, where=f"batch {batch.pk}")
    audit.record_personal_data_access(
        actor=user,
        what="verivali.batch",
        count=len(decisions) + len(proposals),
        request=request,
        detail={"batch": batch.pk},
    )
    return {
        "batch": batch,
        "tasks": tasks,
        "task_batch": batch if editable else None,
        "reasons": Reason.choices,
        "decisions": decisions,
        "proposals": proposals,
        "timeline": selectors.batch_timeline(batch=batch),
        "returned": selectors.last_return(batch=batch),
        "editable": editable,
        "can_verify": batch.state == BatchState.SUBMITTED and permissions.is_verifier(user),
        "can_return": (batch.state == BatchState.SUBMITTED and permissions.is_verifier(user))
        or (batch.state == BatchState.VERIFIED and permissions.is_approver(user)),
        "can_approve": batch.state == BatchState.VERIFIED and permissions.is_approver(user),
        "proposal_form": forms.get("proposal_form") or ProposalForm(),
        "upload_form": forms.get("upload_form") or BeritaAcaraForm(),
        "min_len": MIN_NAME_QUERY,
        **_period_info(),
    }


def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_detail(user=request.user, batch_id=batch_id)
    return render(request, "verivali/batch_detail.html", _detail_context(request, batch))


def family_search(request: HttpRequest, batch_id: int) -> HttpResponse:
    """HTMX partial: families of the batch's kelurahan matching a NIK, KK or name, each with a form."""
    batch = selectors.batch_detail(user=request.user, batch_id=batch_id)
    if not permissions.may_edit(request.user, str(batch.kelurahan_id)):
        raise PermissionDenied
    q = request.GET.get("q", "").strip()
    families = selectors.family_candidates(user=request.user, batch=batch, q=q) if q else []
    if q:
        audit.record_personal_data_access(
            actor=request.user,
            what="registry.family",
            count=len(families),
            request=request,
            detail={
                "query_kind": "id" if q.replace(" ", "").isdigit() else "name",
                "verivali_batch": batch.pk,
            },
        )
    if request.headers.get("HX-Request"):
        context = {"batch": batch, "q": q, "families": families, "min_len": MIN_NAME_QUERY}
        return render(request, "verivali/_candidates.html", context)
    context = {**_detail_context(request, batch), "q": q, "families": families}
    return render(request, "verivali/batch_detail.html", context)


@require_POST
def decision_add(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_detail(user=request.user, batch_id=batch_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("verivali:detail", batch.pk)
    data = form.cleaned_data
    family = selectors.family_for_batch(user=request.user, batch=batch, family_id=data["family"])
    person = selectors.live_member(family=family, person_id=data["person"]) if data["person"] else None
    task_id = data["task"]
    task = selectors.task_for_batch(user=request.user, batch=batch, task_id=task_id) if task_id else None
    survivor = "".join(ch for ch in data["duplicate_of"] if ch.isdigit())
    try:
        services.add_decision(
            actor=request.user,
            batch=batch,
            family=family,
            person=person,
            verdict=data["verdict"],
            reason=data["reason"],
            event_date=data["event_date"],
            duplicate_of_family=selectors.surviving_family(user=request.user, kk=survivor)
            if survivor and person is None
            else None,
            duplicate_of_person=selectors.surviving_person(user=request.user, nik=survivor)
            if survivor and person is not None
            else None,
            note=data["note"],
            task=task,
            request=request,
        )
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Keputusan dicatat."))
    return redirect("verivali:detail", batch.pk)


@require_POST
def decision_remove(request: HttpRequest, batch_id: int, decision_id: int) -> HttpResponse:
    batch = selectors.batch_detail(user=request.user, batch_id=batch_id)
    decision = get_object_or_404(batch.decisions, pk=decision_id)
    try:
        services.remove_decision(actor=request.user, decision=decision, request=request)
    except ValidationError as exc:
        _flash(request, exc)
    return redirect("verivali:detail", batch.pk)


@require_POST
def proposal_add(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_detail(user=request.user, batch_id=batch_id)
    form = ProposalForm(request.POST)
    if form.is_valid():
        try:
            services.add_proposal(actor=request.user, batch=batch, request=request, **form.cleaned_data)
        except ValidationError as exc:
            _into_form(form, exc)
        else:
            messages.success(request, _("Usulan keluarga baru dicatat."))
            return redirect("verivali:detail", batch.pk)
    context = _detail_context(request, batch, proposal_form=form)
    return render(request, "verivali/batch_detail.html", context, status=400)


@require_POST
def proposal_remove(request: HttpRequest, batch_id: int, proposal_id: int) -> HttpResponse:
    batch = selectors.batch_detail(user=request.user, batch_id=batch_id)
    proposal = get_object_or_404(batch.proposals, pk=proposal_id)
    try:
        services.remove_proposal(actor=request.user, proposal=proposal, request=request)
    except ValidationError as exc:
        _flash(request, exc)
    return redirect("verivali:detail", batch.pk)


@require_POST
def berita_acara_upload(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_detail(user=request.user, batch_id=batch_id)
    form = BeritaAcaraForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach_berita_acara(
                actor=request.user, batch=batch, upload=form.cleaned_data["berita_acara"], request=request
            )
        except ValidationError as exc:
            _into_form(form, exc, "berita_acara")
        else:
            messages.success(request, _("Berita Acara diunggah."))
            return redirect("verivali:detail", batch.pk)
    context = _detail_context(request, batch, upload_form=form)
    return render(request, "verivali/batch_detail.html", context, status=400)


def berita_acara_download(request: HttpRequest, batch_id: int) -> FileResponse:
    batch = selectors.batch_detail(user=request.user, batch_id=batch_id)
    if not batch.berita_acara:
        raise Http404("Berita Acara belum diunggah / no Berita Acara yet")
    audit.record(
        actor=request.user,
        action=AuditAction.VIEW,
        obj=batch,
        detail={"berita_acara": batch.berita_acara.name, "sha256": batch.berita_acara_sha256},
        request=request,
    )
    extension = batch.berita_acara.name.rsplit(".", 1)[-1]
    response = FileResponse(
        batch.berita_acara.open("rb"),
        content_type=batch.berita_acara_type or "application/octet-stream",
        as_attachment=request.GET.get("unduh") == "1",
        filename=f"berita_acara_verivali_{batch.pk}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


@require_POST
def transition(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_detail(user=request.user, batch_id=batch_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    action, note = form.cleaned_data["action"], form.cleaned_data["note"]
    try:
        services.TRANSITIONS[action](actor=request.user, batch=batch, note=note, request=request)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        done = {
            "submit": _("Batch diajukan ke Dinas Sosial."),
            "verify": _("Batch diverifikasi dan diteruskan ke Bappeda."),
            "return": _("Batch dikembalikan ke kelurahan dengan catatan."),
            "approve": _("Batch disetujui; keputusan diterapkan ke registri."),
        }
        messages.success(request, done[action])
    return redirect("verivali:detail", batch.pk)


def proposal_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("status", "")
    proposals = list(selectors.proposal_list(user=request.user, state=state))
    audit.record_personal_data_access(
        actor=request.user,
        what="verivali.proposal",
        count=len(proposals),
        request=request,
        detail={"state": state},
    )
    return render(
        request,
        "verivali/proposal_list.html",
        {"proposals": proposals, "states": BatchState.choices, "state": state},
    )
