"""Read-only serializers of the targeting API: runs and aggregates (no personal data), and finding rows
(names and masked NIK, for the roles that may see rows)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from padu.targeting.models import Finding, TargetingRun


class TargetingRunSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = TargetingRun
        fields = [
            "id",
            "period",
            "reference_date",
            "status",
            "total",
            "total_rupiah_year",
            "counts",
            "rupiah_month",
            "rupiah_year",
            "seconds",
            "created_at",
            "finished_at",
        ]


class BreakdownRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    n = serializers.IntegerField()
    month = serializers.IntegerField()
    year = serializers.IntegerField()
    inclusion = serializers.IntegerField()
    exclusion = serializers.IntegerField()
    double = serializers.IntegerField()


class BreakdownSerializer(serializers.Serializer):  # type: ignore[type-arg]
    period = serializers.CharField()
    by = serializers.CharField()
    n = serializers.IntegerField()
    year = serializers.IntegerField()
    rows = BreakdownRowSerializer(many=True)


class FindingRowSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One finding: what, how serious, which programme and list row, who (name, NIK masked unless the
    caller may see it in full), where, and the rupiah at stake."""

    programme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    opd = serializers.SerializerMethodField()
    kelurahan = serializers.CharField(source="kelurahan_id", allow_null=True)
    kelurahan_name = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()
    nik = serializers.SerializerMethodField()
    list_row = serializers.SerializerMethodField()
    detail = serializers.SerializerMethodField()
    field_task = serializers.IntegerField(source="field_task_id", allow_null=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "finding_type",
            "category",
            "severity",
            "programme",
            "opd",
            "roll_entry",
            "list_row",
            "other_roll_entry",
            "person",
            "family",
            "name",
            "nik",
            "kelurahan",
            "kelurahan_name",
            "desil",
            "strategy",
            "rupiah_month",
            "rupiah_year",
            "detail",
            "field_task",
        ]

    def get_opd(self, obj: Finding) -> str | None:
        return obj.programme.opd.code if obj.programme else None

    def get_kelurahan_name(self, obj: Finding) -> str | None:
        return obj.kelurahan.name if obj.kelurahan else None

    def get_name(self, obj: Finding) -> str:
        if obj.person:
            return str(obj.person.name)
        return str(obj.roll_entry.name) if obj.roll_entry else ""

    def get_nik(self, obj: Finding) -> str:
        return obj.shown_nik(full=bool(self.context.get("full_nik")))

    def get_list_row(self, obj: Finding) -> int | None:
        return obj.roll_entry.row_number if obj.roll_entry else None

    def get_detail(self, obj: Finding) -> dict[str, Any]:
        return obj.detail_data
