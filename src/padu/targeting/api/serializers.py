"""Read-only serializers of the targeting API: runs and aggregates only, never a person or family."""

from __future__ import annotations

from rest_framework import serializers

from padu.targeting.models import TargetingRun


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
