"""Read-only REST API of the targeting app: the runs (counts and rupiah, no personal data, every role)
and a period's findings aggregated by one dimension, within the caller's scope (the same rule as the
dashboard: OPD operators their programmes, region operators their region)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from padu.targeting import selectors
from padu.targeting.api.serializers import (
    BreakdownRowSerializer,
    BreakdownSerializer,
    TargetingRunSerializer,
)


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
