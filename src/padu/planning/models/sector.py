"""Imports of sector indicator files (e.g. stunting cases from Dinkes): one ``SectorBatch`` per file
read, with its counts, and the rejected rows kept with their raw values and reasons (per field, in
Bahasa Indonesia and English), as the registry intake keeps them. Aggregates only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from padu.core.querysets import RestrictedQuerySet


class SectorBatch(models.Model):
    file_name = models.CharField(_("berkas"), max_length=200)
    sha256 = models.CharField(_("sidik berkas (SHA-256)"), max_length=64, db_index=True)
    period = models.CharField(_("periode"), max_length=7)
    source = models.CharField(_("sumber"), max_length=120)
    indicator = models.CharField(_("indikator (kosong: kolom berkas)"), max_length=60, blank=True)
    keys = models.JSONField(_("indikator dalam berkas"), default=list, blank=True)
    rows = models.PositiveIntegerField(_("baris dibaca"), default=0)
    accepted = models.PositiveIntegerField(_("diterima (baru/berubah)"), default=0)
    unchanged = models.PositiveIntegerField(_("tidak berubah"), default=0)
    rejected = models.PositiveIntegerField(_("ditolak"), default=0)
    values_written = models.PositiveIntegerField(_("nilai ditulis"), default=0)
    file_errors = models.JSONField(_("kesalahan berkas"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("diimpor"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor indikator sektor")
        verbose_name_plural = _("impor indikator sektor")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.period})"

    @property
    def counts_line(self) -> str:
        return (
            f"rows={self.rows} accepted={self.accepted} rejected={self.rejected} unchanged={self.unchanged}"
        )


class SectorRejectedRow(models.Model):
    """A row that was not used: its raw values and every problem found (field, reason id/en)."""

    batch = models.ForeignKey(SectorBatch, on_delete=models.CASCADE, related_name="rejected_rows")
    line = models.PositiveIntegerField(_("baris"))
    raw = models.JSONField(_("nilai asli"), default=dict)
    issues = models.JSONField(_("alasan"), default=list)  # [{"field", "value", "id", "en"}]

    class Meta:
        ordering = ["batch", "line"]
        verbose_name = _("baris ditolak")
        verbose_name_plural = _("baris ditolak")

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.line}"
