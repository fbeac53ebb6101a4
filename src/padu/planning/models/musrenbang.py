"""Musrenbang proposals (usulan) from kelurahan: what, where, how much, how classified, and what
became of them (status with reason). Scoped by kelurahan; OPD operators see those addressed to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from padu.core.querysets import RestrictedQuerySet
from padu.planning.choices import Bidang, ProposalStatus, Strategy


class ProposalQuerySet(RestrictedQuerySet):
    region_field = "kelurahan_id"


class Proposal(models.Model):
    year = models.PositiveSmallIntegerField(_("tahun rencana"), db_index=True)
    kelurahan = models.ForeignKey(
        "wilayah.Region", verbose_name=_("kelurahan"), on_delete=models.PROTECT, related_name="+",
        db_constraint=False,
    )  # fmt: skip
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    activity = models.CharField(_("jenis kegiatan"), max_length=200)
    description = models.TextField(_("uraian dan lokasi"), blank=True)
    volume = models.DecimalField(_("volume"), max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("satuan"), max_length=30, blank=True)
    bidang = models.CharField(_("bidang"), max_length=20, choices=Bidang.choices, default=Bidang.LAINNYA)
    cost = models.PositiveBigIntegerField(_("perkiraan biaya (Rp)"))
    local_priority = models.PositiveSmallIntegerField(_("prioritas kelurahan"), default=1)
    contribution = models.PositiveBigIntegerField(_("swadaya masyarakat (Rp)"), default=0)
    physical = models.BooleanField(_("fisik"), default=True)
    strategy = models.CharField(
        _("strategi"), max_length=12, choices=Strategy.choices, default=Strategy.KANTONG
    )
    opd = models.ForeignKey(
        "accounts.Opd", verbose_name=_("OPD tujuan"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    classified_by = models.CharField(
        _("klasifikasi oleh"), max_length=60, blank=True
    )  # "aturan: jalan"/"manual"
    manual_class = models.BooleanField(_("klasifikasi diubah manual"), default=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ProposalStatus.choices,
        default=ProposalStatus.DIAJUKAN,
        db_index=True,
    )
    status_reason = models.TextField(_("alasan status"), blank=True)
    source = models.CharField(_("sumber"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("usulan Musrenbang")
        verbose_name_plural = _("usulan Musrenbang")
        ordering = ["year", "kelurahan", "local_priority", "id"]
        indexes = [models.Index(fields=["year", "kelurahan"])]

    def __str__(self) -> str:
        return f"{self.activity} ({self.kelurahan_id}, {self.year})"

    @property
    def text(self) -> str:
        return f"{self.activity} {self.description}"
