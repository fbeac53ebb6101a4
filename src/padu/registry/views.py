"""Thin HTML views over registry selectors. Search-first: no page lists personal data without a query."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from padu.accounts.models import Role
from padu.core import audit
from padu.core.models import AuditAction
from padu.lib.masking import mask_id
from padu.registry import selectors
from padu.wilayah import selectors as wilayah_selectors

EXPORT_ROLES = {Role.ADMIN, Role.ANALYST, Role.REGION_OPERATOR}


def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    families = list(selectors.family_search(user=request.user, q=q)) if q else []
    if q:
        audit.record_personal_data_access(
            actor=request.user,
            what="registry.family",
            count=len(families),
            request=request,
            detail={"query_kind": "id" if q.replace(" ", "").isdigit() else "name"},
        )
    template = "registry/_results.html" if request.headers.get("HX-Request") else "registry/search.html"
    return render(request, template, {"q": q, "families": families, "min_len": selectors.MIN_NAME_QUERY})


def family_detail(request: HttpRequest, family_id: int) -> HttpResponse:
    family = selectors.family_detail(user=request.user, family_id=family_id)
    audit.record(actor=request.user, action=AuditAction.VIEW, obj=family, request=request)
    return render(request, "registry/family_detail.html", {"family": family})


def statistics(request: HttpRequest) -> HttpResponse:
    counts = selectors.kelurahan_counts(user=request.user)
    kelurahan = selectors.installation_kelurahan()
    rows: list[dict[str, Any]] = []
    for code, name in kelurahan.items():
        c = counts.get(code, {"families": 0, "desil1": 0, "desil12": 0, "extreme": 0})
        share = (100.0 * c["desil12"] / c["families"]) if c["families"] else None
        rows.append({"code": code, "name": name, **c, "share": share})
    values: dict[str, float | None] = {str(r["code"]): r["share"] for r in rows if r["share"] is not None}
    figure = wilayah_selectors.city_map_figure(
        level=4, values=values, title=_("Persentase keluarga desil 1–2")
    )
    return render(
        request,
        "registry/statistics.html",
        {"rows": rows, "totals": selectors.registry_totals(user=request.user), "figure": figure},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_persons(request: HttpRequest) -> StreamingHttpResponse:
    """CSV of the persons in the user's scope (optionally one kelurahan). Audited with the row count."""
    user = request.user
    if not (user.is_superuser or getattr(user, "role", None) in EXPORT_ROLES):
        raise PermissionDenied
    kelurahan = request.GET.get("kelurahan") or None
    qs = selectors.persons_for_export(user=user, kelurahan_code=kelurahan)
    full = bool(getattr(user, "may_see_full_nik", False))
    count = qs.count()
    audit.record_personal_data_access(
        actor=user,
        what="registry.person",
        count=count,
        request=request,
        export=True,
        detail={"kelurahan": kelurahan, "nik_unmasked": full},
    )
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield writer.writerow(["nik", "nama", "jenis_kelamin", "tanggal_lahir", "kk", "kelurahan", "status"])
        for p in qs.iterator(chunk_size=2000):
            kk = p.family.kk if p.family else ""
            yield writer.writerow(
                [
                    p.nik if full else mask_id(p.nik),
                    p.name,
                    p.sex,
                    p.birth_date.isoformat() if p.birth_date else "",
                    kk if full else mask_id(kk),
                    p.kelurahan_id or "",
                    p.status,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="registri_individu.csv"'
    return response
