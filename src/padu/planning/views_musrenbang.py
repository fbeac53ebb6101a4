"""Musrenbang pages: proposals list (scoped; status visible to the proposing kelurahan), entry and edit
(kelurahan operators: own kelurahan), status (Bappeda), Excel import."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from padu.accounts.scope import scope_filter
from padu.ingest.engine import IngestError
from padu.planning import selectors_musrenbang as selectors
from padu.planning.choices import ProposalStatus, Strategy
from padu.planning.forms import ProposalForm, ProposalImportForm, StatusForm, this_plan_year
from padu.planning.services import musrenbang as services
from padu.planning.services.priority import may_plan
from padu.wilayah.models import Level, Region


def _kelurahan_choices(user: Any) -> list[tuple[str, str]]:
    condition = scope_filter(user, "add", region_field="code")
    if condition is None:
        return []
    rows = Region.objects.within(services.settings.REGION_CODE).filter(level=Level.DESA).filter(condition)
    return [(r.code, f"{r.name} ({r.code})") for r in rows.order_by("code")]


def _may_add(user: Any) -> bool:
    return scope_filter(user, "add", region_field="kelurahan_id") is not None


def proposal_list(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "") for k in selectors.FILTERS}
    years = selectors.proposal_years()
    if not filters["year"]:
        filters["year"] = str(years[0] if years else this_plan_year())
    qs = selectors.proposal_list(user=request.user, filters=filters)
    dup = selectors.duplicates(year=int(filters["year"])) if filters["year"].isdigit() else {}
    context = {
        "proposals": qs,
        "totals": selectors.totals(qs),
        "filters": filters,
        "years": years,
        "duplicates": dup,
        "statuses": ProposalStatus.choices,
        "strategies": Strategy.choices,
        "may_add": _may_add(request.user),
        "may_plan": may_plan(request.user),
    }
    return render(request, "planning/proposal_list.html", context)


def proposal_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    proposal = selectors.proposal_get(user=user, pk=pk, action="change") if pk else None
    if proposal is None and not _may_add(user):
        raise PermissionDenied
    choices = _kelurahan_choices(user)
    if proposal is not None and proposal.kelurahan_id not in {c for c, _n in choices}:
        choices.append((proposal.kelurahan_id, proposal.kelurahan_id))
    initial = {"year": this_plan_year()} if proposal is None else None
    form = ProposalForm(request.POST or None, instance=proposal, initial=initial, kelurahan_choices=choices)
    if request.method == "POST" and form.is_valid():
        manual = bool(form.cleaned_data.get("override"))
        try:
            if proposal is None:
                proposal = services.proposal_create(actor=user, values=form.values(), manual=manual)
            else:
                values = form.values()
                proposal = services.proposal_update(
                    actor=user, proposal=proposal, values=values, manual=manual
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Usulan disimpan."))
            return redirect("planning:proposal", pk=proposal.pk)
    return render(request, "planning/proposal_form.html", {"form": form, "proposal": proposal})


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    proposal = selectors.proposal_get(user=user, pk=pk)
    planner = may_plan(user)
    form = StatusForm(
        request.POST or None, initial={"status": proposal.status, "reason": proposal.status_reason}
    )
    if request.method == "POST":
        if not planner:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.proposal_set_status(
                    actor=user,
                    proposal=proposal,
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Status usulan disimpan."))
                return redirect("planning:proposal", pk=pk)
    dup_ids = selectors.duplicates(year=proposal.year).get(proposal.pk, [])
    dups = list(selectors.proposal_list(user=user).filter(pk__in=dup_ids)) if dup_ids else []
    may_edit = services.may_propose_in(user, proposal.kelurahan_id) and (
        planner or proposal.status == ProposalStatus.DIAJUKAN
    )
    context = {
        "p": proposal,
        "form": form if planner else None,
        "may_edit": may_edit,
        "dup_count": len(dup_ids),
        "dups": dups,
    }
    return render(request, "planning/proposal_detail.html", context)


def proposal_import(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not _may_add(user):
        raise PermissionDenied
    form = ProposalImportForm(request.POST or None, request.FILES or None, initial={"year": this_plan_year()})
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"usulan{Path(upload.name).suffix.lower()[:6]}"
            with path.open("wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            try:
                report = services.proposals_import(
                    actor=user, path=path, year=form.cleaned_data["year"], file_name=upload.name
                )
            except IngestError as exc:
                form.add_error("file", exc.message_id)
        if report is not None and report.ok:
            messages.success(request, _("%(n)s usulan diimpor.") % {"n": report.created})
            return redirect(f"{_list_url()}?year={form.cleaned_data['year']}")
    return render(request, "planning/proposal_import.html", {"form": form, "report": report})


def _list_url() -> str:
    from django.urls import reverse

    return reverse("planning:proposals")
