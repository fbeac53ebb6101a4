"""Kelurahan priority: imported sector indicators, saved analyses (weights, method, result) and the
lokasi prioritas chosen for a plan year. Aggregates only: no personal data lives here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from padu.core.querysets import RestrictedQuerySet


class SectorIndicatorQuerySet(RestrictedQuerySet):
    region_field = "kelurahan_id"


class SectorIndicator(models.Model):
    """One imported indicator value for one kelurahan and period (e.g. stunting from e-PPGBM)."""

    kelurahan = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    period = models.CharField(_("periode"), max_length=7, db_index=True, help_text="YYYY atau YYYY-MM")
    key = models.SlugField(_("indikator"), max_length=60)
    value = models.FloatField(_("nilai"))
    source = models.CharField(_("sumber"), max_length=120)
    imported_from = models.CharField(_("berkas"), max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(_("diimpor"), auto_now=True)

    objects = SectorIndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indikator sektor")
        verbose_name_plural = _("indikator sektor")
        ordering = ["period", "key", "kelurahan"]
        constraints = [
            models.UniqueConstraint(
                fields=["kelurahan", "period", "key"], name="sector_indicator_one_per_kelurahan_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.kelurahan_id} {self.period} = {self.value}"


class PriorityAnalysis(models.Model):
    """A priority index as the analyst set it: plan year, data periods, method and weights; the
    ranking it produced is kept (``result``) so the decision can be read later as it was made."""

    year = models.PositiveSmallIntegerField(_("tahun rencana"), db_index=True)
    registry_period = models.CharField(_("periode registri"), max_length=7)
    indicator_period = models.CharField(_("periode indikator sektor"), max_length=7, blank=True)
    method = models.CharField(_("metode"), max_length=10, default="zscore")
    weights = models.JSONField(_("bobot"), default=dict)
    result = models.JSONField(_("hasil"), default=list)
    explanation = models.TextField(_("metode (uraian)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("analisis prioritas")
        verbose_name_plural = _("analisis prioritas")
        ordering = ["-year", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year} {self.method} ({self.registry_period})"


class LokasiPrioritas(models.Model):
    """A kelurahan chosen as lokasi prioritas for a plan year (one row per kelurahan and year)."""

    year = models.PositiveSmallIntegerField(_("tahun rencana"), db_index=True)
    kelurahan = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    analysis = models.ForeignKey(
        PriorityAnalysis, verbose_name=_("analisis"), on_delete=models.PROTECT, related_name="lokasi"
    )
    rank = models.PositiveSmallIntegerField(_("peringkat"), null=True, blank=True)
    composite = models.FloatField(_("indeks"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("lokasi prioritas")
        verbose_name_plural = _("lokasi prioritas")
        ordering = ["year", "rank", "kelurahan"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kelurahan"], name="lokasi_prioritas_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.kelurahan_id}"
