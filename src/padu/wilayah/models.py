"""Kemendagri regions (provinsi → kabupaten/kota → kecamatan → desa/kelurahan) and their
boundaries."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINSI = 1, _("provinsi")
    KABKOTA = 2, _("kabupaten/kota")
    KECAMATAN = 3, _("kecamatan")
    DESA = 4, _("desa/kelurahan")


class RegionType(models.TextChoices):
    PROVINSI = "provinsi", _("provinsi")
    KABUPATEN = "kabupaten", _("kabupaten")
    KOTA = "kota", _("kota")
    KECAMATAN = "kecamatan", _("kecamatan")
    KELURAHAN = "kelurahan", _("kelurahan")
    DESA = "desa", _("desa")


class RegionQuerySet(models.QuerySet["Region"]):
    def within(self, code: str) -> RegionQuerySet:
        """The region with ``code`` and everything under it (codes are hierarchical prefixes)."""
        return self.filter(models.Q(code=code) | models.Q(code__startswith=code + "."))

    def children_of(self, code: str) -> RegionQuerySet:
        return self.filter(parent_id=code)


class Region(models.Model):
    """One Kemendagri region. The dotted code (``36.73.01.1001``) is the primary key."""

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120, db_index=True)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices, db_index=True)
    type = models.CharField(_("jenis"), max_length=10, choices=RegionType.choices)
    parent = models.ForeignKey("self", verbose_name=_("induk"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children",
                               db_constraint=False)
    code_plain = models.CharField(_("kode tanpa titik"), max_length=10, unique=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def label(self) -> str:
        prefix = {
            RegionType.KABUPATEN: "Kab.", RegionType.KOTA: "", RegionType.KECAMATAN: "Kec.",
            RegionType.KELURAHAN: "Kel.", RegionType.DESA: "Desa",
        }.get(RegionType(self.type), "")
        return f"{prefix} {self.name}".strip()


class Boundary(models.Model):
    """A region's polygon as GeoJSON geometry (WGS84, [lng, lat]); no GIS extension needed."""

    region = models.OneToOneField(Region, verbose_name=_("wilayah"), primary_key=True,
                                  on_delete=models.CASCADE, related_name="boundary",
                                  db_constraint=False)
    geometry = models.JSONField(_("geometri"))
    centroid_lat = models.FloatField(_("lintang pusat"), null=True, blank=True)
    centroid_lng = models.FloatField(_("bujur pusat"), null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("batas wilayah")
        verbose_name_plural = _("batas wilayah")

    def __str__(self) -> str:
        return f"{self.region_id}"
