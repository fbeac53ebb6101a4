"""Read-only REST API of the targeting app: the runs (counts and rupiah, no personal data, every role),
a period's findings aggregated by one dimension, and the finding rows themselves (the drill-down's, for
the roles that may see rows: names, NIK masked unless the role may see it, every page audited) —
always within the caller's scope (the same rule as the dashboard: OPD operators their programmes,
region operators their region)."""

from __future__ import annotations

import functools
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from padu.core import audit
from padu.targeting import selectors
from padu.targeting.api.serializers import (
    BreakdownRowSerializer,
    BreakdownSerializer,
    FindingRowSerializer,
    TargetingRunSerializer,
)
from padu.targeting.choices import Category, FindingType
from padu.targeting.models import Finding
from padu.targeting.views import CountedPaginator, may_see_rows


@extend_schema_view(get=extend_schema(operation_id="penargetan_runs"))
class RunListView(generics.ListAPIView):  # type: ignore[type-arg]
    """Targeting runs, newest first."""

    serializer_class = TargetingRunSerializer

    def get_queryset(self) -> Any:
        return selectors.latest_runs(user=self.request.user, limit=200)


class BreakdownView(generics.GenericAPIView):  # type: ignore[type-arg]
    """A period's findings (count, rupiah a month and a year, rupiah a year per category) grouped by
    ``by``: type, programme, opd, kecamatan, kelurahan, desil or strategy."""

    serializer_class = BreakdownRowSerializer

    @extend_schema(
        operation_id="penargetan_breakdown",
        parameters=[OpenApiParameter("by", str)],
        responses=BreakdownSerializer,
    )
    def get(self, request: Request, period: str) -> Response:
        if period not in selectors.periods():
            raise NotFound("Periode tanpa penargetan selesai / no finished run for this period")
        by = request.query_params.get("by", "type")
        if by not in selectors.BREAKDOWNS:
            raise ApiValidationError(
                {"by": [f"pilih salah satu / one of: {', '.join(selectors.BREAKDOWNS)}"]}
            )
        rows = selectors.breakdown(user=request.user, period=period, by=by)
        for row in rows:
            row["key"] = None if row["key"] is None else str(row["key"])
        totals = selectors.totals(user=request.user, period=period)
        return Response(
            {
                "period": period,
                "by": by,
                "n": totals["n"],
                "year": totals["year"],
                "rows": BreakdownRowSerializer(rows, many=True).data,
            }
        )


FILTERS = {"type": "finding_type", "category": "category", "programme": "programme", "kelurahan": "kelurahan"}


@extend_schema_view(
    get=extend_schema(
        operation_id="penargetan_findings",
        parameters=[
            OpenApiParameter("type", str, enum=FindingType.values),
            OpenApiParameter("category", str, enum=Category.values),
            OpenApiParameter("programme", str, description="kode program / programme code"),
            OpenApiParameter("kelurahan", str, description="kode wilayah / region code"),
        ],
    )
)
class FindingListView(generics.ListAPIView):  # type: ignore[type-arg]
    """A period's finding rows, largest rupiah first, 100 a page, filtered by ``type``, ``category``,
    ``programme`` (code) and ``kelurahan`` (a region code: a kecamatan takes its kelurahan). Roles that
    see summaries only are refused; every page returned is audited as personal data."""

    serializer_class = FindingRowSerializer
    queryset = Finding.objects.none()
    pagination_class = PageNumberPagination

    def _filters(self) -> dict[str, str]:
        params = self.request.query_params
        filters = {field: params.get(name, "").strip() for name, field in FILTERS.items()}
        for name, choices in (("type", FindingType.values), ("category", Category.values)):
            value = params.get(name, "")
            if value and value not in choices:
                raise ApiValidationError({name: [f"pilih salah satu / one of: {', '.join(choices)}"]})
        return filters

    def get_queryset(self) -> Any:
        user, period = self.request.user, self.kwargs["period"]
        if not may_see_rows(user):
            raise PermissionDenied("Peran Anda hanya dapat melihat ringkasan / your role sees summaries only")
        if period not in selectors.periods():
            raise NotFound("Periode tanpa penargetan selesai / no finished run for this period")
        filters = self._filters()
        # The page count from the run's aggregates, not a COUNT over the period's findings.
        count = selectors.findings_count(user=user, period=period, **filters)
        assert self.paginator is not None
        self.paginator.django_paginator_class = functools.partial(CountedPaginator, count=count)  # type: ignore[attr-defined]
        return selectors.findings(user=user, period=period, **filters).select_related("programme__opd")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "full_nik": self._full_nik()}

    def _full_nik(self) -> bool:
        return bool(getattr(self.request.user, "may_see_full_nik", False))

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        rows = response.data.get("results", []) if isinstance(response.data, dict) else []
        if rows:
            filters = {k: v for k, v in self._filters().items() if v}
            audit.record_personal_data_access(
                actor=request.user, what="targeting.finding", count=len(rows), request=request,
                detail={"period": kwargs["period"], **filters, "full_nik": self._full_nik(), "api": True},
            )  # fmt: skip
        return response
