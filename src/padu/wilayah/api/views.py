"""Read-only region reference API (any Kemendagri code); thin over ``padu.wilayah.selectors``."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from padu.wilayah import selectors
from padu.wilayah.api.serializers import (
    RegionDetailSerializer,
    RegionQuerySerializer,
    RegionSerializer,
)
from padu.wilayah.models import Boundary, Region


@extend_schema(parameters=[RegionQuerySerializer], tags=["wilayah"])
class RegionListView(generics.ListAPIView[Region]):
    """Kode wilayah Kemendagri, disaring ``?level=&parent=&q=``. / Kemendagri regions."""

    serializer_class = RegionSerializer

    def get_queryset(self) -> QuerySet[Region]:
        query = RegionQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.regions(**query.validated_data)


@extend_schema(tags=["wilayah"])
class RegionDetailView(generics.RetrieveAPIView[Region]):
    """Satu wilayah dengan rantai induk. / One region with its parent chain."""

    serializer_class = RegionDetailSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Region]:
        return Region.objects.annotate(
            children_count=Count("children"),
            has_boundary=Exists(Boundary.objects.filter(region_id=OuterRef("code"))),
        )

    def get_object(self) -> Region:
        region = super().get_object()
        region.ancestors = selectors.ancestors(region)  # type: ignore[attr-defined]
        return region


@extend_schema(tags=["wilayah"], responses={200: OpenApiTypes.OBJECT})
class RegionGeoJsonView(APIView):
    """Batas wilayah anak sebagai GeoJSON FeatureCollection (kosong bila tidak tersedia). /
    The children's boundaries as a GeoJSON FeatureCollection (empty when none are loaded)."""

    def get(self, request: Request, code: str, *args: Any, **kwargs: Any) -> Response:
        get_object_or_404(Region, code=code)
        return Response(selectors.children_feature_collection(code))
