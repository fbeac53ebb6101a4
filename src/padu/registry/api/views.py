from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from padu.core import audit
from padu.core.models import AuditAction
from padu.registry import selectors
from padu.registry.api.serializers import FamilyDetailSerializer, FamilyListSerializer


class FamilySearchView(APIView):
    """Search families by NIK, KK or name (no browse-all), within the caller's scope."""

    @extend_schema(
        parameters=[OpenApiParameter("q", str, required=True)],
        responses=FamilyListSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        q = request.query_params.get("q", "")
        families = list(selectors.family_search(user=request.user, q=q))
        if q:
            audit.record(
                actor=request.user,
                action=AuditAction.VIEW,
                object_type="registry.family",
                object_repr="API pencarian registri",
                detail={"results": len(families)},
            )
        data = FamilyListSerializer(families, many=True, context={"request": request}).data
        return Response({"count": len(families), "results": data})


class FamilyDetailView(APIView):
    @extend_schema(responses=FamilyDetailSerializer)
    def get(self, request: Request, family_id: int) -> Response:
        family = selectors.family_detail(user=request.user, family_id=family_id)
        audit.record(actor=request.user, action=AuditAction.VIEW, obj=family)
        return Response(FamilyDetailSerializer(family, context={"request": request}).data)


class KelurahanStatsView(APIView):
    """Aggregate counts per kelurahan in the caller's scope (no personal data)."""

    @extend_schema(
        responses=inline_serializer(
            "RegistryStats",
            {
                "totals": serializers.DictField(child=serializers.IntegerField()),
                "kelurahan": serializers.DictField(
                    child=serializers.DictField(child=serializers.IntegerField())
                ),
            },
        )
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                "totals": selectors.registry_totals(user=request.user),
                "kelurahan": selectors.kelurahan_counts(user=request.user),
            }
        )
