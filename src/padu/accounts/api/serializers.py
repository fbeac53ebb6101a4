from __future__ import annotations

from typing import Any

from rest_framework import serializers

from padu.core.models import AuditLog


class ScopeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["installation", "opd", "region", "none"])
    opd = serializers.CharField(allow_null=True)
    region = serializers.CharField(allow_null=True)
    read_only = serializers.BooleanField()
    label = serializers.CharField()


class OpdRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    """Who am I: identity, role and scope of the logged-in user."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    email = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField()
    is_superuser = serializers.BooleanField()
    opd = OpdRefSerializer(allow_null=True)
    region = serializers.CharField(allow_null=True)
    scope = ScopeSerializer()
    may_see_full_nik = serializers.BooleanField()
    can_manage_users = serializers.BooleanField()


class AuditLogSerializer(serializers.ModelSerializer[AuditLog]):
    action_label = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = AuditLog
        fields = [
            "id",
            "at",
            "actor",
            "actor_username",
            "action",
            "action_label",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "detail",
            "ip_address",
        ]
        read_only_fields = fields

    def create(self, validated_data: Any) -> AuditLog:  # pragma: no cover - never writable
        raise NotImplementedError

    def update(self, instance: AuditLog, validated_data: Any) -> AuditLog:  # pragma: no cover
        raise NotImplementedError
