"""Intake of agency files: one ``ImportBatch`` per uploaded file, an ``ImportRow`` for every row that
carries a finding (rejected rows, warnings) so nothing is lost, and ``SavedMapping`` to reuse a manual
column mapping the next time the same header comes in."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from padu.accounts.models import Role
from padu.accounts.scope import effective_role
from padu.core.querysets import RestrictedQuerySet

# OPDs whose operators may import the social registry (Dinas Sosial).
REGISTRY_OPDS = frozenset({"dinsos"})


class BatchKind(models.TextChoices):
    REGISTRY = "registry", _("registri sosial")
    ROLL = "roll", _("daftar penerima program")


class BatchSource(models.TextChoices):
    AUTO = "auto", _("deteksi otomatis")
    DTSEN = "dtsen", "DTSEN"
    P3KE = "p3ke", "P3KE"
    DTKS = "dtks", "DTKS"
    OTHER = "other", _("lainnya")


class BatchStatus(models.TextChoices):
    UPLOADED = "uploaded", _("diunggah")
    MAPPED = "mapped", _("kolom dipetakan")
    VALIDATING = "validating", _("sedang divalidasi")
    VALIDATED = "validated", _("divalidasi")
    COMMITTING = "committing", _("sedang disimpan")
    COMMITTED = "committed", _("tersimpan di registri")
    FAILED = "failed", _("gagal")
    CANCELLED = "cancelled", _("dibatalkan")


class RowStatus(models.TextChoices):
    ACCEPTED = "accepted", _("diterima")
    REJECTED = "rejected", _("ditolak")
    UNCHANGED = "unchanged", _("tidak berubah")


def may_import(user: Any) -> bool:
    """Registry imports: Bappeda administrators and analysts, and operators of the registry OPDs (Dinsos)."""
    role = effective_role(user)
    if role in {Role.ADMIN, Role.ANALYST}:
        return True
    if role == Role.OPD_OPERATOR and user.opd_id:
        return bool(user.opd.code in REGISTRY_OPDS)
    return False


def importable_kinds(user: Any) -> list[str]:
    """The intake kinds ``user`` may import (``padu.ingest.kinds``)."""
    from padu.ingest import kinds

    return [kind.name for kind in kinds.kinds() if kind.may_import(user)]


def may_import_any(user: Any) -> bool:
    return bool(importable_kinds(user))


class ImportBatchQuerySet(RestrictedQuerySet):
    """Only importers see imports, of the kinds they may import; an OPD operator sees the batches of
    their own OPD."""

    opd_field = "opd"

    def restrict(self, user: Any, action: str = "view") -> Self:
        allowed = importable_kinds(user)
        if not allowed:
            return self.none()
        return super().restrict(user, action).filter(kind__in=allowed)


class ImportRowQuerySet(models.QuerySet["ImportRow"]):
    def restrict(self, user: Any, action: str = "view") -> Self:
        return self.filter(batch__in=ImportBatch.objects.restrict(user, action).values("id"))


def _upload_to(instance: ImportBatch, filename: str) -> str:
    return f"imports/{instance.kind}/{filename}"


class ImportBatch(models.Model):
    kind = models.CharField(_("jenis"), max_length=20, choices=BatchKind.choices, default=BatchKind.REGISTRY)
    file = models.FileField(_("berkas"), upload_to=_upload_to, max_length=300)
    original_name = models.CharField(_("nama berkas asli"), max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.BigIntegerField(_("ukuran (bita)"), default=0)
    requested_source = models.CharField(
        _("sumber diminta"), max_length=10, choices=BatchSource.choices, default=BatchSource.AUTO
    )
    source = models.CharField(
        _("sumber"), max_length=10, choices=BatchSource.choices, default=BatchSource.AUTO
    )
    period = models.CharField(_("periode"), max_length=7, help_text="YYYY-MM", db_index=True)
    # Where the rows go, for kinds other than the registry (e.g. {"programme": 3} for a roll).
    target = models.JSONField(_("sasaran impor"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.UPLOADED, db_index=True
    )
    sheet = models.CharField(_("lembar"), max_length=100, blank=True)
    header_line = models.PositiveIntegerField(_("baris judul kolom"), null=True, blank=True)
    columns = models.JSONField(_("kolom berkas"), default=list, blank=True)
    mapping = models.JSONField(_("pemetaan kolom"), default=dict, blank=True)
    layout = models.CharField(_("tata letak terdeteksi"), max_length=20, blank=True)
    rows = models.PositiveIntegerField(_("baris"), default=0)
    accepted = models.PositiveIntegerField(_("diterima"), default=0)
    rejected = models.PositiveIntegerField(_("ditolak"), default=0)
    unchanged = models.PositiveIntegerField(_("tidak berubah"), default=0)
    warnings = models.PositiveIntegerField(_("baris dengan peringatan"), default=0)
    issue_counts = models.JSONField(_("jumlah temuan per kode"), default=dict, blank=True)
    stats = models.JSONField(_("rincian perubahan"), default=dict, blank=True)
    error = models.TextField(_("pesan galat"), blank=True)
    progress_phase = models.CharField(_("tahap"), max_length=20, blank=True)
    progress_done = models.PositiveIntegerField(_("baris diproses"), default=0)
    progress_total = models.PositiveIntegerField(_("baris total"), null=True, blank=True)
    task_id = models.CharField(_("ID tugas"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opd = models.ForeignKey(
        "accounts.Opd",
        verbose_name=_("OPD"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    validated_at = models.DateTimeField(_("divalidasi pada"), null=True, blank=True)
    committed_at = models.DateTimeField(_("disimpan pada"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor berkas")
        verbose_name_plural = _("impor berkas")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.period})"

    @property
    def is_running(self) -> bool:
        return self.status in {BatchStatus.VALIDATING, BatchStatus.COMMITTING}

    @property
    def is_queued(self) -> bool:
        return self.progress_phase.startswith("queued-") and not self.is_running

    @property
    def is_busy(self) -> bool:
        return self.is_running or self.is_queued

    @property
    def counts_line(self) -> str:
        return (
            f"rows={self.rows} accepted={self.accepted} rejected={self.rejected} unchanged={self.unchanged}"
        )


class ImportRow(models.Model):
    """One row of a batch with findings: its raw values as read, its issues and, once committed, what
    became of it. Rows without findings are only counted on the batch."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="import_rows")
    line = models.PositiveIntegerField(_("baris"))
    status = models.CharField(_("status"), max_length=10, choices=RowStatus.choices)
    raw = models.JSONField(_("nilai asli"), default=dict)
    issues = models.JSONField(_("temuan"), default=list, blank=True)
    family_key = models.CharField(_("kunci keluarga"), max_length=80, blank=True)
    person_key = models.CharField(_("kunci individu"), max_length=80, blank=True)
    corrected_from = models.ForeignKey(
        "self",
        verbose_name=_("koreksi dari"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = ImportRowQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "line", "id"]
        verbose_name = _("baris impor")
        verbose_name_plural = _("baris impor")
        indexes = [models.Index(fields=["batch", "status", "line"])]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.line} {self.status}"


class SavedMapping(models.Model):
    """A column mapping chosen by hand, found again by the signature of the file's header."""

    kind = models.CharField(_("jenis"), max_length=20, choices=BatchKind.choices, default=BatchKind.REGISTRY)
    signature = models.CharField(_("tanda tajuk kolom"), max_length=64)
    source = models.CharField(
        _("sumber"), max_length=10, choices=BatchSource.choices, default=BatchSource.AUTO
    )
    columns = models.JSONField(_("kolom"), default=list)
    mapping = models.JSONField(_("pemetaan kolom"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("pemetaan kolom tersimpan")
        verbose_name_plural = _("pemetaan kolom tersimpan")
        constraints = [
            models.UniqueConstraint(fields=["kind", "signature"], name="savedmapping_one_per_signature"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.signature[:12]}"
