from __future__ import annotations

from rest_framework import serializers

from padu.wilayah.models import Region


class RegionSerializer(serializers.ModelSerializer[Region]):
    parent = serializers.CharField(source="parent_id", allow_null=True, read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "label", "level", "level_display", "type", "parent", "code_plain"]
        read_only_fields = fields


class RegionRefSerializer(serializers.ModelSerializer[Region]):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "type"]
        read_only_fields = fields


class RegionDetailSerializer(RegionSerializer):
    ancestors = RegionRefSerializer(many=True, read_only=True)
    children_count = serializers.IntegerField(read_only=True)
    has_boundary = serializers.BooleanField(read_only=True)

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "ancestors", "children_count", "has_boundary"]
        read_only_fields = fields


class RegionQuerySerializer(serializers.Serializer[None]):
    level = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=4,
        help_text="1 provinsi, 2 kab/kota, 3 kecamatan, 4 desa/kelurahan",
    )
    parent = serializers.RegexField(
        r"^\d{2}(\.\d{2}){0,2}$", required=False, help_text="Kode induk, mis. 36.73 / parent code"
    )
    q = serializers.CharField(
        required=False,
        max_length=60,
        help_text="Nama (sebagian) atau awal kode / name or code prefix",
    )
