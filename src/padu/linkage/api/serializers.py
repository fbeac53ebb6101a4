from __future__ import annotations

from typing import Any

from rest_framework import serializers

from padu.lib.masking import mask_id
from padu.linkage.choices import Verdict
from padu.linkage.models import Link


class SummarySerializer(serializers.Serializer):  # type: ignore[type-arg]
    programme = serializers.CharField(source="programme.code")
    opd = serializers.CharField(source="programme.opd.code")
    entries = serializers.IntegerField()
    auto = serializers.IntegerField()
    accepted = serializers.IntegerField()
    review = serializers.IntegerField()
    unmatched = serializers.IntegerField()
    findings = serializers.IntegerField()


class LinkSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A review item: the list row and the proposed registry person; NIK masked unless the role needs it."""

    programme = serializers.CharField(source="entry.roll.programme.code")
    period = serializers.CharField(source="entry.roll.period")
    row_number = serializers.IntegerField(source="entry.row_number")
    list_record = serializers.SerializerMethodField()
    registry_record = serializers.SerializerMethodField()

    class Meta:
        model = Link
        fields = ["id", "programme", "period", "row_number", "probability", "match_weight", "stage",
                  "decision", "evidence_text", "evidence", "list_record", "registry_record"]  # fmt: skip

    def _nik(self, value: str) -> str:
        user = self.context["request"].user
        return value if getattr(user, "may_see_full_nik", False) else mask_id(value)

    def get_list_record(self, link: Link) -> dict[str, Any]:
        e = link.entry
        return {"name": e.name, "nik": self._nik(e.nik), "birth_date": e.birth_date, "sex": e.sex,
                "address": e.address, "rt": e.rt, "rw": e.rw, "kelurahan": e.kelurahan_id}  # fmt: skip

    def get_registry_record(self, link: Link) -> dict[str, Any] | None:
        p = link.person
        if p is None:
            return None
        return {"name": p.name, "nik": self._nik(p.nik), "birth_date": p.birth_date, "sex": p.sex,
                "kelurahan": p.kelurahan_id, "status": p.status}  # fmt: skip


class VerdictSerializer(serializers.Serializer):  # type: ignore[type-arg]
    verdict = serializers.ChoiceField(choices=Verdict.choices)
