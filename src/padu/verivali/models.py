"""Verivali batches of a kelurahan's musyawarah (muskel): decisions about registered families and their
members, proposed new families (usulan baru), the Berita Acara, and every state transition."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from padu.accounts.models import Role
from padu.accounts.scope import effective_role
from padu.core.querysets import RestrictedQuerySet
from padu.verivali import periods
from padu.verivali.choices import BatchState, Reason, TaskState, TransitionAction, Verdict
from padu.verivali.permissions import is_verifier


class VerivaliQuerySet(RestrictedQuerySet):
    """Region-scoped like the registry, except that viewers see nothing and, among OPD operators, only
    the verifying OPD (Dinsos) reads — every kelurahan's batches, since it verifies them all."""

    def restrict(self, user: Any, action: str = "view") -> Self:
        role = effective_role(user)
        if role == Role.VIEWER:
            return self.none()
        if role == Role.OPD_OPERATOR:
            return self.all() if action in {"view", "aggregate"} and is_verifier(user) else self.none()
        return super().restrict(user, action)


class BatchQuerySet(VerivaliQuerySet):
    region_field = "kelurahan_id"


class BatchPartQuerySet(VerivaliQuerySet):
    region_field = "batch__kelurahan_id"


class FieldTaskQuerySet(VerivaliQuerySet):
    region_field = "kelurahan_id"


def berita_acara_path(instance: Batch, filename: str) -> str:
    """``verivali/<kelurahan>/<batch>/<random>.<ext>``: never the uploaded name, never guessable."""
    suffix = PurePath(filename).suffix.lower()
    return f"verivali/{instance.kelurahan_id}/{instance.pk}/{uuid.uuid4().hex}{suffix}"


class Batch(models.Model):
    kelurahan = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    period = models.CharField(_("periode"), max_length=7, db_index=True, help_text="YYYY-MM")
    state = models.CharField(
        _("status"), max_length=20, choices=BatchState.choices, default=BatchState.DRAFT, db_index=True
    )
    musyawarah_date = models.DateField(_("tanggal musyawarah"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    berita_acara = models.FileField(
        _("Berita Acara"), upload_to=berita_acara_path, max_length=200, blank=True
    )
    berita_acara_name = models.CharField(_("nama berkas Berita Acara"), max_length=200, blank=True)
    berita_acara_type = models.CharField(_("jenis berkas"), max_length=50, blank=True)
    berita_acara_size = models.PositiveIntegerField(_("ukuran berkas"), null=True, blank=True)
    berita_acara_sha256 = models.CharField(_("SHA-256 berkas"), max_length=64, blank=True)
    berita_acara_at = models.DateTimeField(_("diunggah"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    applied_at = models.DateTimeField(_("diterapkan ke registri"), null=True, blank=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("batch verivali")
        verbose_name_plural = _("batch verivali")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kelurahan", "period"])]

    def __str__(self) -> str:
        return f"Verivali #{self.pk} {self.kelurahan_id} {self.period}"

    @property
    def is_editable(self) -> bool:
        return self.state == BatchState.DRAFT

    @property
    def source(self) -> str:
        """The provenance written on registry history rows when this batch is applied."""
        return f"verivali {self.pk}"

    @property
    def period_start(self) -> Any:
        return periods.period_start(self.period)

    @property
    def deadline(self) -> Any:
        return periods.deadline(self.period, settings.VERIVALI_CUTOFF_DAY)


class Transition(models.Model):
    """One step of a batch's life: who, when, from which state to which, with a note."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("tindakan"), max_length=20, choices=TransitionAction.choices)
    from_state = models.CharField(_("dari"), max_length=20, choices=BatchState.choices, blank=True)
    to_state = models.CharField(_("ke"), max_length=20, choices=BatchState.choices)
    note = models.TextField(_("catatan"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("oleh"), max_length=150, blank=True)
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    objects = BatchPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("riwayat batch verivali")
        verbose_name_plural = _("riwayat batch verivali")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"#{self.batch_id} {self.action}: {self.from_state or '—'} -> {self.to_state}"


class Decision(models.Model):
    """Layak / tidak layak for a registered family, or for one of its members (``person`` set)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="decisions")
    family = models.ForeignKey(
        "registry.Family",
        verbose_name=_("keluarga"),
        on_delete=models.PROTECT,
        related_name="verivali_decisions",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("anggota"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verivali_decisions",
    )
    verdict = models.CharField(_("keputusan"), max_length=20, choices=Verdict.choices)
    reason = models.CharField(_("alasan"), max_length=20, choices=Reason.choices, blank=True)
    event_date = models.DateField(_("tanggal kejadian"), null=True, blank=True)
    duplicate_of_family = models.ForeignKey(
        "registry.Family",
        verbose_name=_("keluarga yang dipertahankan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    duplicate_of_person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("individu yang dipertahankan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("keterangan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    applied_at = models.DateTimeField(_("diterapkan"), null=True, blank=True)

    objects = BatchPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("keputusan verivali")
        verbose_name_plural = _("keputusan verivali")
        ordering = ["batch", "family", "person", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "family"],
                condition=models.Q(person__isnull=True),
                name="verivali_one_family_decision_per_batch",
                violation_error_message=_("Keluarga ini sudah punya keputusan dalam batch ini."),
            ),
            models.UniqueConstraint(
                fields=["batch", "person"],
                condition=models.Q(person__isnull=False),
                name="verivali_one_person_decision_per_batch",
                violation_error_message=_("Anggota ini sudah punya keputusan dalam batch ini."),
            ),
            models.CheckConstraint(
                condition=(models.Q(verdict="layak") & models.Q(reason=""))
                | (models.Q(verdict="tidak_layak") & ~models.Q(reason="")),
                name="verivali_reason_iff_tidak_layak",
            ),
        ]

    def __str__(self) -> str:
        who = f"person {self.person_id}" if self.person_id else f"family {self.family_id}"
        return f"#{self.batch_id} {who}: {self.verdict} {self.reason}".strip()


class Proposal(models.Model):
    """Usulan baru: a family the musyawarah proposes for the registry (forwarded by Dinsos)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="proposals")
    head_name = models.CharField(_("nama kepala keluarga"), max_length=150)
    nik = models.CharField(_("NIK kepala keluarga"), max_length=16)
    kk = models.CharField(_("nomor KK"), max_length=16)
    address = models.CharField(_("alamat"), max_length=200)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    member_count = models.PositiveSmallIntegerField(_("jumlah anggota"))
    reason = models.TextField(_("alasan diusulkan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = BatchPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("usulan keluarga baru")
        verbose_name_plural = _("usulan keluarga baru")
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "nik"],
                name="verivali_one_proposal_per_nik_per_batch",
                violation_error_message=_("NIK ini sudah diusulkan dalam batch ini."),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.batch_id} usulan {self.head_name}"


class FieldTask(models.Model):
    """A field check the kelurahan owes (tugas cek lapangan), sent from a targeting finding: one per
    finding type and family (and person, for findings about one member). The kelurahan answers it with
    a normal verivali decision; it closes when that decision's batch is approved (``closed_*``,
    ``verdict``/``reason`` copied from the decision). ``fingerprint``: the subject's registry state at
    closing; a later targeting run keeps the re-found finding closed while it is unchanged and
    supersedes the task (``superseded_at``) when it changed."""

    kelurahan = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("kelurahan"),
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    period = models.CharField(_("periode penargetan"), max_length=32)
    kind = models.CharField(_("jenis temuan"), max_length=40)
    family = models.ForeignKey(
        "registry.Family", verbose_name=_("keluarga"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("anggota"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    findings = models.PositiveIntegerField(_("jumlah temuan"), default=0)
    rupiah_year = models.BigIntegerField(_("rupiah per tahun"), default=0)
    state = models.CharField(
        _("status"), max_length=10, choices=TaskState.choices, default=TaskState.OPEN, db_index=True
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("keputusan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    verdict = models.CharField(_("keputusan"), max_length=20, choices=Verdict.choices, blank=True)
    reason = models.CharField(_("alasan"), max_length=20, choices=Reason.choices, blank=True)
    fingerprint = models.CharField(_("keadaan data saat ditutup"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dikirim"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_by_name = models.CharField(_("ditutup oleh"), max_length=150, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("diganti (data berubah)"), null=True, blank=True)

    objects = FieldTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("tugas cek lapangan")
        verbose_name_plural = _("tugas cek lapangan")
        ordering = ["kelurahan_id", "kind", "family_id", "person_id", "id"]
        indexes = [
            models.Index(fields=["kind", "family"], name="verivali_task_subject"),
            models.Index(fields=["kelurahan", "state"], name="verivali_task_kel_state"),
        ]

    def __str__(self) -> str:
        who = f"person {self.person_id}" if self.person_id else f"family {self.family_id}"
        return f"{self.kind} {who}: {self.state}"
