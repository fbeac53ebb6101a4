"""Links between beneficiary-list rows (``programs.RollEntry``) and registry persons.

- ``Link``: one per roll entry, the latest run's answer (or a reviewer's), with the evidence.
- ``LinkRun``: one linkage run (one roll or every roll): model, counts, timings, who, when.
- ``ReviewDecision``: a reviewer's verdict on a (list identity, registry person) pair. It is keyed on
  the programme and the entry's *content identity* (normalised NIK + name + birth date, see
  :func:`identity_key`), not on the entry's id, so a verdict survives the OPD re-uploading its list
  (rows get new ids) and is never asked twice; re-linking applies it.
- ``LinkFinding``: ``nik_conflict`` / ``nik_duplicate`` findings of the engine's exact stage.

Scope (``padu.accounts.scope.listed_personal_data_filter`` through the entry): OPD operators see
their own OPD's programmes, kelurahan/kecamatan operators the entries of their region, Bappeda all,
viewers no rows by name (counts only with ``action="aggregate"``).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from padu.accounts.scope import catalogue_filter, listed_personal_data_filter, scope_filter
from padu.core.querysets import RestrictedQuerySet
from padu.linkage.choices import Decision, FindingKind, RunStatus, Stage, Verdict

_SPACES = re.compile(r"\s+")


def identity_key(nik: str | None, name: str | None, birth_date: Any) -> str:
    """The content identity of a list row: normalised NIK, name and birth date, hashed."""
    text = "|".join(
        [
            re.sub(r"\D", "", nik or ""),
            _SPACES.sub(" ", (name or "").upper()).strip(),
            birth_date.isoformat() if hasattr(birth_date, "isoformat") else str(birth_date or ""),
        ]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


class EntryScopedQuerySet(RestrictedQuerySet):
    """Rows reached through a roll entry: scoped like the entry itself."""

    entry_path = "entry"

    def restrict(self, user: Any, action: str = "view") -> Self:
        condition = listed_personal_data_filter(
            user,
            action,
            region_field=f"{self.entry_path}__kelurahan_id",
            opd_field=f"{self.entry_path}__roll__programme__opd",
        )
        return self.none() if condition is None else self.filter(condition)


class RunQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> Self:
        condition = catalogue_filter(user, action, opd_field="roll__programme__opd")
        return self.none() if condition is None else self.filter(condition)


class DecisionQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> Self:
        condition = scope_filter(user, action, opd_field="programme__opd")
        return self.none() if condition is None else self.filter(condition)


class LinkRun(models.Model):
    roll = models.ForeignKey(
        "programs.Roll",
        verbose_name=_("daftar penerima"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="link_runs",
        help_text=_("kosong = semua daftar"),
    )
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    model_version = models.CharField(_("versi model"), max_length=60, blank=True)
    model_path = models.CharField(_("berkas model"), max_length=300, blank=True)
    counts = models.JSONField(_("hitungan"), default=dict, blank=True)
    timings = models.JSONField(_("waktu (detik)"), default=dict, blank=True)
    error = models.TextField(_("galat"), blank=True)
    task_id = models.CharField(_("ID tugas"), max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proses pencocokan")
        verbose_name_plural = _("proses pencocokan")

    def __str__(self) -> str:
        return f"#{self.pk} {self.roll or _('semua daftar')} {self.status}"

    @property
    def is_busy(self) -> bool:
        return self.status in {RunStatus.QUEUED, RunStatus.RUNNING}


class Link(models.Model):
    entry = models.OneToOneField(
        "programs.RollEntry", verbose_name=_("baris daftar"), on_delete=models.CASCADE, related_name="link"
    )
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="links"
    )
    family = models.ForeignKey(
        "registry.Family", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    probability = models.FloatField(_("peluang"), null=True, blank=True)
    match_weight = models.FloatField(_("bobot kecocokan"), null=True, blank=True)
    stage = models.CharField(_("tahap"), max_length=15, choices=Stage.choices, blank=True)
    decision = models.CharField(_("keputusan"), max_length=10, choices=Decision.choices, db_index=True)
    evidence_text = models.CharField(_("bukti"), max_length=300, blank=True)
    evidence = models.JSONField(_("bukti per kolom"), default=dict, blank=True)
    run = models.ForeignKey(LinkRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)

    objects = EntryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tautan")
        verbose_name_plural = _("tautan")

    def __str__(self) -> str:
        return f"{self.entry_id} -> {self.person_id} ({self.decision})"


class ReviewDecision(models.Model):
    programme = models.ForeignKey("programs.Programme", on_delete=models.CASCADE, related_name="+")
    entry_key = models.CharField(_("identitas baris"), max_length=40)
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(_("keputusan"), max_length=10, choices=Verdict.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("waktu"), auto_now=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("keputusan pemeriksaan")
        verbose_name_plural = _("keputusan pemeriksaan")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "entry_key", "person"], name="linkage_decision_once_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}:{self.entry_key[:8]} {self.person_id} {self.verdict}"


class LinkFinding(models.Model):
    entry = models.ForeignKey("programs.RollEntry", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=FindingKind.choices)
    run = models.ForeignKey(LinkRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = EntryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("temuan pencocokan")
        verbose_name_plural = _("temuan pencocokan")
        indexes = [models.Index(fields=["kind", "entry"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.entry_id}"
