from __future__ import annotations

from rest_framework import serializers

from padu.planning.models import AllocationRun, AllocationScenario, LokasiPrioritas, Proposal


class LokasiSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    kelurahan_name = serializers.CharField(source="kelurahan.name", read_only=True)

    class Meta:
        model = LokasiPrioritas
        fields = ["year", "kelurahan", "kelurahan_name", "rank", "composite"]


class ProposalSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    opd = serializers.SlugRelatedField(slug_field="code", read_only=True)
    # plain strings: the programmes API already names "status"/"strategy" enums with other choices
    status = serializers.CharField(read_only=True, help_text="diajukan|diterima|ditolak|didanai|pelaksanaan")
    strategy = serializers.CharField(read_only=True, help_text="beban | pendapatan | kantong")

    class Meta:
        model = Proposal
        fields = [
            "id",
            "year",
            "kelurahan",
            "rt",
            "rw",
            "activity",
            "description",
            "volume",
            "unit",
            "bidang",
            "cost",
            "local_priority",
            "contribution",
            "physical",
            "strategy",
            "opd",
            "manual_class",
            "status",
            "status_reason",
        ]


class RunSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = AllocationRun
        fields = [
            "id",
            "status",
            "message",
            "message_en",
            "total",
            "funded_count",
            "item_count",
            "nonphysical_share",
            "gap",
            "by_kecamatan",
            "by_opd",
            "conflicts",
            "solve_seconds",
            "created_at",
        ]


class ScenarioSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = AllocationScenario
        fields = [
            "id",
            "year",
            "name",
            "budget",
            "use_opd_ceilings",
            "kecamatan_min_share",
            "kecamatan_max_share",
            "min_nonphysical_share",
            "weighting",
            "strategy_gap",
        ]
