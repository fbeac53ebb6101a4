"""Rencana Aksi Tahunan (RAT): OPD activities per year with strategy, optional SIPD nomenclature,
output indicator/target, location, budget, funding source and dependencies; and the RPKD document's
editable narrative per chapter."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from padu.core.querysets import RestrictedQuerySet
from padu.planning.choices import Strategy


class FundingSource(models.TextChoices):
    APBD = "apbd", _("APBD Kota")
    APBD_PROV = "apbd_prov", _("APBD Provinsi")
    APBN = "apbn", _("APBN")
    DANA_KEL = "dana_kel", _("Dana Kelurahan")
    CSR = "csr", _("CSR/swasta")
    LAINNYA = "lainnya", _("Lainnya")


class RatQuerySet(RestrictedQuerySet):
    """Every role reads the whole RAT (coordination); writes follow the owning OPD."""

    def restrict(self, user: Any, action: str = "view") -> Self:
        from padu.accounts.scope import catalogue_filter

        condition = catalogue_filter(user, action, opd_field="opd")
        return self.none() if condition is None else self.filter(condition)


class RatActivity(models.Model):
    year = models.PositiveSmallIntegerField(_("tahun rencana"), db_index=True)
    opd = models.ForeignKey("accounts.Opd", verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("kegiatan"), max_length=200)
    strategy = models.CharField(_("strategi"), max_length=12, choices=Strategy.choices)
    sipd_code = models.CharField(_("kode nomenklatur SIPD"), max_length=40, blank=True)
    sipd_name = models.CharField(_("nomenklatur SIPD"), max_length=200, blank=True)
    output_indicator = models.CharField(_("indikator keluaran"), max_length=200, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("satuan"), max_length=30, blank=True)
    kelurahan = models.ForeignKey(
        "wilayah.Region", verbose_name=_("kelurahan (kosong: seluruh kota)"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", db_constraint=False,
    )  # fmt: skip
    budget = models.PositiveBigIntegerField(_("anggaran (Rp)"))
    funding_source = models.CharField(
        _("sumber dana"), max_length=12, choices=FundingSource.choices, default=FundingSource.APBD
    )
    depends_on = models.ManyToManyField(
        "self", verbose_name=_("bergantung pada"), symmetrical=False, blank=True, related_name="needed_by"
    )
    proposal = models.ForeignKey(
        "planning.Proposal", verbose_name=_("usulan Musrenbang"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="rat_activities",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = RatQuerySet.as_manager()

    class Meta:
        verbose_name = _("kegiatan RAT")
        verbose_name_plural = _("kegiatan RAT")
        ordering = ["year", "opd", "strategy", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class RpkdDocument(models.Model):
    """The editable narrative of the RPKD for a plan year: chapter key -> text. The data tables of each
    chapter are assembled from Padu when the document is exported."""

    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    title = models.CharField(_("judul"), max_length=200, blank=True)
    narrative = models.JSONField(_("narasi"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("dokumen RPKD")
        verbose_name_plural = _("dokumen RPKD")

    def __str__(self) -> str:
        return f"RPKD {self.year}"
