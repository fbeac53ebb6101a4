from __future__ import annotations

from typing import Any

from rest_framework import serializers

from padu.lib.masking import mask_id
from padu.registry.models import Family, Membership, WelfareRecord


def _id(value: str, request: Any) -> str:
    user = getattr(request, "user", None)
    return value if getattr(user, "may_see_full_nik", False) else mask_id(value)


class MemberSerializer(serializers.ModelSerializer):
    nik = serializers.SerializerMethodField()
    name = serializers.CharField(source="person.name")
    sex = serializers.CharField(source="person.sex")
    birth_date = serializers.DateField(source="person.birth_date")
    status = serializers.CharField(source="person.status")

    class Meta:
        model = Membership
        fields = [
            "nik",
            "name",
            "sex",
            "birth_date",
            "status",
            "relationship",
            "valid_from",
            "valid_to",
        ]

    def get_nik(self, obj: Membership) -> str:
        return _id(obj.person.nik, self.context.get("request"))


class WelfareSerializer(serializers.ModelSerializer):
    class Meta:
        model = WelfareRecord
        fields = ["period", "source", "desil", "extreme_poor", "criteria", "housing"]


class FamilyListSerializer(serializers.ModelSerializer):
    kk = serializers.SerializerMethodField()

    class Meta:
        model = Family
        fields = ["id", "kk", "kelurahan", "rt", "rw", "status", "desil", "extreme_poor"]

    def get_kk(self, obj: Family) -> str:
        return _id(obj.kk, self.context.get("request"))


class FamilyDetailSerializer(FamilyListSerializer):
    members = MemberSerializer(source="memberships", many=True)
    welfare = WelfareSerializer(many=True)

    class Meta(FamilyListSerializer.Meta):
        fields = [*FamilyListSerializer.Meta.fields, "address", "members", "welfare"]
