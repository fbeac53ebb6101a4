"""Allocation: OPD ceilings per year, scenarios (budget rules and weighting) and their runs (what the
optimiser funded, per kecamatan and OPD, with the engine's explanation of every item)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from padu.core.querysets import RestrictedQuerySet


class OpdCeiling(models.Model):
    year = models.PositiveSmallIntegerField(_("tahun rencana"), db_index=True)
    opd = models.ForeignKey("accounts.Opd", verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveBigIntegerField(_("plafon (Rp)"))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("plafon OPD")
        verbose_name_plural = _("plafon OPD")
        ordering = ["year", "opd"]
        constraints = [models.UniqueConstraint(fields=["year", "opd"], name="opd_ceiling_one_per_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.opd_id}: {self.amount}"


class Weighting(models.TextChoices):
    POVERTY = "poverty", _("tertimbang kemiskinan (indeks prioritas kelurahan)")
    EQUAL = "equal", _("sama rata (lokasi diabaikan)")


class AllocationScenario(models.Model):
    year = models.PositiveSmallIntegerField(_("tahun rencana"), db_index=True)
    name = models.SlugField(_("nama skenario"), max_length=40)
    budget = models.PositiveBigIntegerField(_("pagu total (Rp)"))
    use_opd_ceilings = models.BooleanField(_("pakai plafon OPD"), default=True)
    include_rat = models.BooleanField(_("ikutkan kegiatan RAT"), default=False)
    kecamatan_min_share = models.FloatField(_("porsi minimum tiap kecamatan (%)"), default=0.0)
    kecamatan_max_share = models.FloatField(_("porsi maksimum tiap kecamatan (%)"), default=100.0)
    min_nonphysical_share = models.FloatField(_("porsi minimum non-fisik (%)"), default=0.0)
    weighting = models.CharField(
        _("pembobotan"), max_length=10, choices=Weighting.choices, default=Weighting.POVERTY
    )
    strategy_gap = models.JSONField(_("kesenjangan strategi"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("skenario alokasi")
        verbose_name_plural = _("skenario alokasi")
        ordering = ["year", "name"]
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="scenario_name_per_year")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class AllocationRun(models.Model):
    """One optimiser run of a scenario over the year's proposals (results kept as JSON)."""

    scenario = models.ForeignKey(AllocationScenario, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(_("status"), max_length=12)
    message = models.TextField(_("pesan"), blank=True)
    message_en = models.TextField(blank=True)
    total = models.FloatField(_("total didanai"), default=0.0)
    funded_count = models.PositiveIntegerField(_("usulan didanai"), default=0)
    item_count = models.PositiveIntegerField(_("usulan"), default=0)
    nonphysical_share = models.FloatField(_("porsi non-fisik"), default=0.0)
    gap = models.FloatField(null=True, blank=True)
    by_kecamatan = models.JSONField(default=dict)
    by_opd = models.JSONField(default=dict)
    items = models.JSONField(
        default=list
    )  # [{id, title, kelurahan, kecamatan, opd, cost, physical, funded, text, text_en}]
    conflicts = models.JSONField(default=list)  # [{kind, text, text_en}]
    solve_seconds = models.FloatField(default=0.0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dijalankan"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("hasil alokasi")
        verbose_name_plural = _("hasil alokasi")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.scenario} {self.status} {self.created_at:%Y-%m-%d %H:%M}"
