"""Accounts API: who am I, and the audit log (read-only, Bappeda administrators only)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from padu.accounts.api.serializers import AuditLogSerializer, MeSerializer
from padu.accounts.permissions import IsBappedaAdmin
from padu.accounts.scope import describe_scope
from padu.core import selectors as core_selectors
from padu.core.models import AuditLog


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=MeSerializer, summary="Pengguna yang sedang masuk, peran dan cakupannya"
    )
    def get(self, request: Request) -> Response:
        user: Any = request.user
        opd = user.opd
        data = {
            "id": user.pk,
            "username": user.username,
            "full_name": user.get_full_name(),
            "email": user.email,
            "role": user.role,
            "role_label": str(user.get_role_display()),
            "is_superuser": user.is_superuser,
            "opd": (
                {"code": opd.code, "name": opd.name, "short_name": opd.short_name}
                if opd is not None
                else None
            ),
            "region": user.region_id,
            "scope": describe_scope(user),
            "may_see_full_nik": user.may_see_full_nik,
            "can_manage_users": user.can_manage_users,
        }
        return Response(MeSerializer(data).data)


@extend_schema(
    summary="Log audit (hanya baca; administrator Bappeda)",
    parameters=[
        OpenApiParameter("user", OpenApiTypes.STR, description="Nama pengguna pelaku"),
        OpenApiParameter(
            "action", OpenApiTypes.STR, description="Aksi (login, create, export, ...)"
        ),
        OpenApiParameter(
            "object_type", OpenApiTypes.STR, description="Jenis objek, mis. accounts.user"
        ),
        OpenApiParameter("since", OpenApiTypes.DATE, description="Sejak tanggal (YYYY-MM-DD)"),
        OpenApiParameter("until", OpenApiTypes.DATE, description="Sampai tanggal (YYYY-MM-DD)"),
    ],
)
class AuditLogListView(generics.ListAPIView[AuditLog]):
    """GET only: the API offers no way to change or delete audit entries."""

    permission_classes = [IsBappedaAdmin]
    serializer_class = AuditLogSerializer

    def get_queryset(self) -> QuerySet[AuditLog]:
        qs = core_selectors.audit_list(user=self.request.user, filters=self.request.query_params)
        if qs is None:  # pragma: no cover - the permission class refuses first
            return AuditLog.objects.none()
        return qs
