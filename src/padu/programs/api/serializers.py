from __future__ import annotations

from typing import Any

from rest_framework import serializers

from padu.lib.masking import mask_id
from padu.programs.choices import Frequency, FundingSource, ProgrammeGroup, Strategy, Unit
from padu.programs.models import Programme, Roll, RollEntry


class ProgrammeSerializer(serializers.ModelSerializer):
    opd = serializers.SlugRelatedField(slug_field="code", read_only=True)
    exclusive_of = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    rule_text = serializers.CharField(read_only=True)

    class Meta:
        model = Programme
        fields = [
            "code",
            "name",
            "opd",
            "description",
            "funding_source",
            "strategy",
            "group",
            "unit",
            "eligibility",
            "rule_text",
            "benefit_value_rp",
            "benefit_frequency",
            "benefit_note",
            "quota",
            "start_date",
            "end_date",
            "exclusive_of",
            "sipd_code",
            "is_active",
        ]


class ProgrammeWriteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Input of create/update; the service checks scope, the rule and the model's constraints."""

    opd = serializers.CharField(required=False, help_text="Kode OPD / OPD code")
    code = serializers.SlugField(max_length=40, required=False)
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    funding_source = serializers.ChoiceField(choices=FundingSource.choices, required=False)
    strategy = serializers.ChoiceField(choices=Strategy.choices, required=False)
    group = serializers.ChoiceField(choices=ProgrammeGroup.choices, required=False)
    unit = serializers.ChoiceField(choices=Unit.choices, required=False)
    eligibility = serializers.JSONField(required=False)
    benefit_value_rp = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    benefit_frequency = serializers.ChoiceField(choices=Frequency.choices, required=False, allow_blank=True)
    benefit_note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    quota = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    exclusive_of = serializers.ListField(child=serializers.SlugField(), required=False)
    sipd_code = serializers.CharField(max_length=60, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class RollSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Roll
        fields = [
            "id",
            "programme",
            "period",
            "entries_count",
            "nik_valid_count",
            "flagged_count",
            "batch",
            "updated_at",
        ]


class RollEntrySerializer(serializers.ModelSerializer):
    nik = serializers.SerializerMethodField()
    kk = serializers.SerializerMethodField()

    class Meta:
        model = RollEntry
        fields = [
            "id",
            "row_number",
            "nik",
            "nik_valid",
            "nik_damaged",
            "kk",
            "name",
            "birth_date",
            "sex",
            "address",
            "rt",
            "rw",
            "kelurahan",
            "mother_name",
            "benefit_rp",
            "flags",
        ]

    def _id(self, value: str) -> str:
        user: Any = getattr(self.context.get("request"), "user", None)
        return value if getattr(user, "may_see_full_nik", False) else mask_id(value)

    def get_nik(self, obj: RollEntry) -> str:
        return self._id(obj.nik)

    def get_kk(self, obj: RollEntry) -> str:
        return self._id(obj.kk)
