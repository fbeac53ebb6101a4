"""Planning pages: kelurahan priority (weights, method, ranking, map, lokasi prioritas) and the sector
indicator upload. Thin: selectors read, services write."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from padu.ingest.engine import IngestError
from padu.planning import selectors
from padu.planning.forms import PriorityForm, SectorUploadForm, this_plan_year
from padu.planning.indicators import REGISTRY_KEYS, registry_periods
from padu.planning.models import SectorBatch, SectorIndicator
from padu.planning.services import priority as services
from padu.planning.services import sector


def _priority_form(request: HttpRequest) -> PriorityForm:
    periods = registry_periods()
    sector_periods = selectors.sector_periods()
    source = request.POST if request.method == "POST" else request.GET
    indicator_period = source.get("indicator_period", "")
    keys = list(REGISTRY_KEYS)
    if indicator_period in sector_periods:
        extra = (
            SectorIndicator.objects.filter(period=indicator_period).values_list("key", flat=True).distinct()
        )
        keys += sorted(set(extra) - set(keys))
    labels = {k: selectors.indicator_label(k) for k in keys}
    kwargs: dict[str, Any] = {
        "periods": periods,
        "sector_periods": sector_periods,
        "keys": keys,
        "labels": labels,
    }
    if "period" in source:
        return PriorityForm(source, **kwargs)
    year = this_plan_year()
    analysis = selectors.latest_analysis(year=year)
    initial: dict[str, Any] = {"year": year, "period": periods[0] if periods else "", "method": "zscore"}
    weights = selectors.default_weights(keys)
    if analysis is not None:
        initial |= {"method": analysis.method, "indicator_period": analysis.indicator_period}
        if analysis.registry_period in periods:
            initial["period"] = analysis.registry_period
        weights = {k: float(analysis.weights.get(k, 0.0)) for k in keys}
    initial |= {f"w_{k}": w for k, w in weights.items()}
    return PriorityForm(initial | {"indicator_period": initial.get("indicator_period", "")}, **kwargs)


def priority(request: HttpRequest) -> HttpResponse:
    user = request.user
    may_plan = services.may_plan(user)
    if request.method == "POST" and not may_plan:
        raise PermissionDenied
    context: dict[str, Any] = {"may_plan": may_plan, "sees_city": selectors.sees_city(user)}
    form = _priority_form(request)
    context["form"] = form
    year = this_plan_year()
    if form.is_valid():
        year = form.cleaned_data["year"]
    if context["sees_city"] and form.is_valid() and form.cleaned_data["period"]:
        ranking = selectors.compute_ranking(
            user=user,
            period=form.cleaned_data["period"],
            indicator_period=form.cleaned_data.get("indicator_period") or "",
            weights=form.weights(),
            method=form.cleaned_data["method"],
        )
        if request.method == "POST":
            chosen = request.POST.getlist("chosen")
            try:
                services.choose_lokasi_prioritas(
                    actor=user,
                    year=year,
                    registry_period=form.cleaned_data["period"],
                    indicator_period=form.cleaned_data.get("indicator_period") or "",
                    method=ranking.method,
                    weights=ranking.weights,
                    result=ranking.result_rows(),
                    explanation=ranking.explanation,
                    chosen=chosen,
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("Lokasi prioritas %(year)s disimpan (%(n)s kelurahan).")
                    % {"year": year, "n": len(chosen)},
                )
                query = request.POST.copy()
                for key in ("csrfmiddlewaretoken", "chosen"):
                    query.pop(key, None)
                return redirect(f"{request.path}?{query.urlencode()}")
        context |= {
            "ranking": ranking,
            "keys": ranking.table.keys,
            "labels": [selectors.indicator_label(k) for k in ranking.table.keys],
            "cells": [
                (r, [selectors.display_value(k, r["values"].get(k)) for k in ranking.table.keys])
                for r in ranking.rows
            ],
            "figure": selectors.ranking_figure(ranking, _("Indeks prioritas kelurahan"), _("Indeks")),
            "sources": ranking.table.sector_sources,
        }
    lokasi = selectors.lokasi_prioritas(user=user, year=year)
    context |= {
        "year": year,
        "lokasi": lokasi,
        "chosen": {lp.kelurahan_id for lp in lokasi},
        "default_top": selectors.DEFAULT_TOP,
        "min_cell": settings.MIN_CELL_SIZE,
    }
    return render(request, "planning/priority.html", context)


def indicators(request: HttpRequest) -> HttpResponse:
    user = request.user
    may_plan = services.may_plan(user)
    form = SectorUploadForm()
    batch = None
    if request.method == "POST":
        if not may_plan:
            raise PermissionDenied
        form = SectorUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            suffix = Path(upload.name).suffix.lower()[:6]
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"upload{suffix}"
                with path.open("wb") as fh:
                    for chunk in upload.chunks():
                        fh.write(chunk)
                try:
                    batch = sector.import_indicators(
                        actor=user,
                        path=path,
                        period=form.cleaned_data["period"],
                        source=form.cleaned_data["source"],
                        indicator=form.cleaned_data.get("indicator") or "",
                        file_name=upload.name,
                    )
                except IngestError as exc:
                    form.add_error("file", exc.message_id)
                except ValidationError as exc:
                    form.add_error(None, exc)
            if batch is not None:
                if batch.file_errors:
                    messages.error(request, _("Berkas tidak dapat dipakai; tidak ada nilai yang disimpan."))
                else:
                    messages.success(
                        request,
                        _(
                            "%(rows)s baris dibaca: %(accepted)s diterima (baru/berubah), "
                            "%(unchanged)s tidak berubah, %(rejected)s ditolak."
                        )
                        % {
                            "rows": batch.rows,
                            "accepted": batch.accepted,
                            "unchanged": batch.unchanged,
                            "rejected": batch.rejected,
                        },
                    )
                return redirect("planning:indicator_batch", pk=batch.pk)
    summary = selectors.sector_summary(user=user)
    batches = SectorBatch.objects.all()[:10] if may_plan else []
    return render(
        request,
        "planning/indicators.html",
        {"form": form, "summary": summary, "may_plan": may_plan, "batches": batches},
    )


def _batch(request: HttpRequest, pk: int) -> SectorBatch:
    if not services.may_plan(request.user):
        raise PermissionDenied
    return get_object_or_404(SectorBatch, pk=pk)


def indicator_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """One import: counts, file errors and every rejected row with its raw values and reasons."""
    batch = _batch(request, pk)
    rows = list(batch.rejected_rows.all())
    columns = list(dict.fromkeys(k for r in rows for k in r.raw))
    context = {
        "batch": batch,
        "columns": columns,
        "rejected": [([r.raw.get(c, "") for c in columns], r) for r in rows],
    }
    return render(request, "planning/indicator_batch.html", context)


def indicator_batch_report(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    response = HttpResponse(
        sector.batch_report_xlsx(batch),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="laporan-indikator-{batch.pk}.xlsx"'
    return response
