"""Targeting runs and their findings.

``Finding`` is the engine's results table (``padu.targeting.engine``): the engine inserts its rows with
set-based SQL into ``targeting_finding`` (columns named as the engine's contract), deleting the period's
earlier findings first, so a period holds the findings of its latest run; ``run`` is set right after.
Foreign keys carry no database constraint: a finding keeps pointing at a roll entry after the OPD
re-uploads its list (the history keeps counts and rupiah per run in ``TargetingRun``).

Scope (``padu.accounts.scope.listed_personal_data_filter``): OPD operators see their own programmes'
findings, kelurahan/kecamatan operators their region's, Bappeda all; viewers aggregates only.
"""

from __future__ import annotations

import json
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from padu.accounts.scope import listed_personal_data_filter
from padu.core.querysets import RestrictedQuerySet
from padu.lib.masking import mask_nik
from padu.targeting.choices import Category, FindingType, RunStatus, Severity


def _loose_fk(to: str, verbose_name: Any = None, **kwargs: Any) -> Any:
    """A nullable reference written in bulk by the engine's SQL: no database constraint, no cascade,
    no reverse accessor (findings outlive the rows they point at until the next run)."""
    if verbose_name is not None:
        kwargs["verbose_name"] = verbose_name
    return models.ForeignKey(
        to,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        **kwargs,
    )


class RunQuerySet(RestrictedQuerySet):
    """Runs hold counts and rupiah only (no personal data): every role reads them."""


class FindingQuerySet(RestrictedQuerySet):
    region_field = "kelurahan_id"
    opd_field = "programme__opd"

    def restrict(self, user: Any, action: str = "view") -> Self:
        condition = listed_personal_data_filter(
            user, action, region_field="kelurahan_id", opd_field="programme__opd"
        )
        return self.none() if condition is None else self.filter(condition)


class TargetingRun(models.Model):
    period = models.CharField(_("periode"), max_length=32, db_index=True)
    reference_date = models.DateField(_("tanggal acuan"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    counts = models.JSONField(_("temuan per jenis"), default=dict, blank=True)
    rupiah_month = models.JSONField(_("rupiah per bulan per jenis"), default=dict, blank=True)
    rupiah_year = models.JSONField(_("rupiah per tahun per jenis"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("jumlah temuan"), default=0)
    total_rupiah_year = models.BigIntegerField(_("jumlah rupiah per tahun"), default=0)
    inputs = models.JSONField(_("data masukan"), default=dict, blank=True)
    packages = models.JSONField(_("paket per kelurahan"), default=list, blank=True)
    timings = models.JSONField(_("waktu (detik)"), default=dict, blank=True)
    seconds = models.FloatField(_("lama (detik)"), default=0)
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
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proses penargetan")
        verbose_name_plural = _("proses penargetan")

    def __str__(self) -> str:
        return f"#{self.pk} {self.period} {self.status}"

    @property
    def is_busy(self) -> bool:
        return self.status in {RunStatus.QUEUED, RunStatus.RUNNING}


class Finding(models.Model):
    # Written by the engine with every finding (``constants``): no database constraint (PostgreSQL
    # would check it once per inserted row) and no index of its own (a run's findings are its period's).
    run = models.ForeignKey(
        TargetingRun,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="findings",
        db_constraint=False,
        db_index=False,
    )
    period = models.CharField(_("periode"), max_length=32)
    finding_type = models.CharField(_("jenis temuan"), max_length=40, choices=FindingType.choices)
    category = models.CharField(_("kategori"), max_length=16, choices=Category.choices)
    severity = models.CharField(_("tingkat"), max_length=8, choices=Severity.choices)
    # Every index costs each run (about 530,000 findings written and the period's earlier ones deleted
    # at 1M persons): the pages and the routing read through the (period, …) indexes below, so none of
    # the references has an index of its own.
    programme = _loose_fk("programs.Programme", _("program"), db_index=False)
    roll_entry = _loose_fk("programs.RollEntry", _("baris daftar"), db_index=False)
    other_roll_entry = _loose_fk("programs.RollEntry", _("baris lain"), db_index=False)
    person = _loose_fk("registry.Person", _("individu"), db_index=False)
    family = _loose_fk("registry.Family", _("keluarga"), db_index=False)
    kelurahan = _loose_fk("wilayah.Region", _("kelurahan"), db_column="kelurahan_code", db_index=False)
    desil = models.IntegerField(_("desil"), null=True, blank=True)
    strategy = models.CharField(_("strategi"), max_length=40, null=True, blank=True)
    rupiah_month = models.BigIntegerField(_("rupiah per bulan"), default=0)
    rupiah_year = models.BigIntegerField(_("rupiah per tahun"), default=0)
    detail = models.TextField(_("rincian (JSON)"), null=True, blank=True)
    # The kelurahan's field check of this finding (``padu.targeting.routing``), kept across runs.
    field_task = _loose_fk("verivali.FieldTask", _("tugas cek lapangan"), db_index=False)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["period", "finding_type", "id"]
        verbose_name = _("temuan penargetan")
        verbose_name_plural = _("temuan penargetan")
        indexes = [
            # The engine creates an index of this name when missing: declaring it keeps one.
            models.Index(fields=["period", "finding_type"], name="targeting_finding_period_type"),
            models.Index(fields=["period", "programme"], name="targeting_finding_prog"),
            models.Index(fields=["period", "kelurahan"], name="targeting_finding_kel"),
            # The field-check page counts task states from the findings that have a task only.
            # Partial: only field-check findings get a task (about 3 % of a run's findings), so the
            # run writes the others without touching this index. ``field_task_id > 0`` reads it.
            models.Index(
                fields=["period", "field_task"],
                name="targeting_finding_task",
                condition=models.Q(field_task__isnull=False),
            ),
            # The drill-down's order (largest rupiah first), read page by page without sorting.
            models.Index(
                fields=["period", "-rupiah_year", "finding_type", "id"], name="targeting_finding_rank"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.finding_type} {self.roll_entry_id or self.family_id}"

    def shown_nik(self, *, full: bool) -> str:
        """The registry person's NIK, else the one written on the list (rows not in the registry);
        masked unless ``full``."""
        nik = (self.person.nik if self.person else "") or (self.roll_entry.nik if self.roll_entry else "")
        return "" if not nik else nik if full else mask_nik(nik)

    @property
    def detail_data(self) -> dict[str, Any]:
        try:
            value = json.loads(self.detail or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


class FindingAggregate(models.Model):
    """The findings of a period grouped by every dimension the dashboard breaks them down by, written
    with one ``INSERT … SELECT … GROUP BY`` at the end of each run (``services.run_targeting``), so the
    dashboard and history read thousands of rows, not the findings themselves. Scoped like ``Finding``
    (kelurahan and the programme's OPD are columns here too)."""

    run = models.ForeignKey(TargetingRun, on_delete=models.CASCADE, related_name="aggregates")
    period = models.CharField(_("periode"), max_length=32)
    finding_type = models.CharField(_("jenis temuan"), max_length=40, choices=FindingType.choices)
    category = models.CharField(_("kategori"), max_length=16, choices=Category.choices)
    programme = _loose_fk("programs.Programme")
    kelurahan = _loose_fk("wilayah.Region", db_column="kelurahan_code")
    desil = models.IntegerField(_("desil"), null=True, blank=True)
    strategy = models.CharField(_("strategi"), max_length=40, null=True, blank=True)
    n = models.PositiveIntegerField(_("jumlah temuan"))
    rupiah_month = models.BigIntegerField(_("rupiah per bulan"), default=0)
    rupiah_year = models.BigIntegerField(_("rupiah per tahun"), default=0)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("ringkasan temuan")
        verbose_name_plural = _("ringkasan temuan")
        indexes = [models.Index(fields=["period", "finding_type"], name="targeting_agg_period_type")]

    def __str__(self) -> str:
        return f"{self.period} {self.finding_type} {self.kelurahan_id}: {self.n}"
