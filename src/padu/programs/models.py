"""Programmes owned by OPDs, their beneficiary lists (rolls) per period, and the rows of each list.

Scope (rules in ``padu.accounts.scope``): everybody reads the catalogue; an OPD operator changes only
their OPD's programmes and rolls; the rows of a roll are personal data — OPD operators see their own
OPD's rows, kelurahan/kecamatan operators the rows of their region, viewers none by name.

A ``RollEntry`` keeps the row as read (``raw``) and normalised; ``person``/``family`` are left empty
here: the linkage app fills them (and adds its own link records) later.
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from padu.accounts.scope import catalogue_filter, listed_personal_data_filter
from padu.core.querysets import RestrictedQuerySet
from padu.programs.choices import Frequency, FundingSource, ProgrammeGroup, Strategy, Unit
from padu.programs.engine.eligibility import render_rule


class CatalogueQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> Self:
        condition = catalogue_filter(user, action, opd_field=str(self.opd_field))
        return self.none() if condition is None else self.filter(condition)


class ProgrammeQuerySet(CatalogueQuerySet):
    opd_field = "opd"


class RollQuerySet(CatalogueQuerySet):
    opd_field = "programme__opd"


class RollEntryQuerySet(RestrictedQuerySet):
    region_field = "kelurahan_id"
    opd_field = "roll__programme__opd"

    def restrict(self, user: Any, action: str = "view") -> Self:
        condition = listed_personal_data_filter(
            user, action, region_field="kelurahan_id", opd_field="roll__programme__opd"
        )
        return self.none() if condition is None else self.filter(condition)


class Programme(models.Model):
    opd = models.ForeignKey(
        "accounts.Opd", verbose_name=_("OPD pengampu"), on_delete=models.PROTECT, related_name="programmes"
    )
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama program"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    funding_source = models.CharField(_("sumber dana"), max_length=20, choices=FundingSource.choices)
    strategy = models.CharField(_("strategi (Inpres 4/2022)"), max_length=30, choices=Strategy.choices)
    group = models.CharField(
        _("kelompok program (Permendagri 53/2020)"),
        max_length=20,
        choices=ProgrammeGroup.choices,
        default=ProgrammeGroup.BANSOS,
    )
    unit = models.CharField(_("satuan penerima"), max_length=10, choices=Unit.choices, default=Unit.PERSON)
    eligibility = models.JSONField(_("syarat penerima"), default=dict, blank=True)
    benefit_value_rp = models.PositiveBigIntegerField(_("nilai manfaat (Rp)"), null=True, blank=True)
    benefit_frequency = models.CharField(
        _("frekuensi manfaat"), max_length=12, choices=Frequency.choices, blank=True
    )
    benefit_note = models.CharField(_("keterangan manfaat"), max_length=200, blank=True)
    quota = models.PositiveIntegerField(_("kuota penerima"), null=True, blank=True)
    start_date = models.DateField(_("mulai"), null=True, blank=True)
    end_date = models.DateField(_("selesai"), null=True, blank=True)
    exclusive_of = models.ManyToManyField(
        "self", verbose_name=_("tidak boleh digabung dengan"), symmetrical=True, blank=True
    )
    sipd_code = models.CharField(_("kode nomenklatur SIPD"), max_length=60, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["opd__short_name", "name"]
        verbose_name = _("program")
        verbose_name_plural = _("program")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="programme_period_ordered",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def rule_text(self) -> str:
        return render_rule(self.eligibility)


class Roll(models.Model):
    """The beneficiary list of one programme for one period (YYYY-MM)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="rolls")
    period = models.CharField(_("periode"), max_length=7, help_text="YYYY-MM")
    batch = models.ForeignKey(
        "ingest.ImportBatch",
        verbose_name=_("impor terakhir"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entries_count = models.PositiveIntegerField(_("jumlah baris"), default=0)
    nik_valid_count = models.PositiveIntegerField(_("baris dengan NIK sah"), default=0)
    flagged_count = models.PositiveIntegerField(_("baris bertanda"), default=0)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = RollQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "-period"]
        verbose_name = _("daftar penerima")
        verbose_name_plural = _("daftar penerima")
        constraints = [
            models.UniqueConstraint(fields=["programme", "period"], name="roll_one_per_programme_period"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.period}"


class RollEntry(models.Model):
    roll = models.ForeignKey(Roll, on_delete=models.CASCADE, related_name="entries")
    row_number = models.PositiveIntegerField(_("baris berkas"))
    raw = models.JSONField(_("nilai asli"), default=dict)
    nik = models.CharField(_("NIK"), max_length=16, blank=True, db_index=True)
    nik_valid = models.BooleanField(_("NIK sah"), default=False)
    nik_damaged = models.BooleanField(_("NIK rusak oleh Excel"), default=False)
    nik_issues = models.JSONField(_("catatan NIK"), default=list, blank=True)
    kk = models.CharField(_("nomor KK"), max_length=16, blank=True)
    kk_valid = models.BooleanField(_("KK sah"), default=False)
    name = models.CharField(_("nama"), max_length=150, blank=True, db_index=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    birth_place = models.CharField(_("tempat lahir"), max_length=80, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, blank=True)
    address = models.CharField(_("alamat"), max_length=200, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    kelurahan = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("kelurahan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    mother_name = models.CharField(_("nama ibu kandung"), max_length=150, blank=True)
    # The amount written on the row (PKH by component, PIP by school level), in the programme's
    # frequency; empty: the programme's benefit value counts for it.
    benefit_rp = models.PositiveBigIntegerField(_("nilai bantuan pada daftar (Rp)"), null=True, blank=True)
    flags = models.JSONField(_("tanda temuan"), default=list, blank=True)  # issue codes of the row
    flagged = models.BooleanField(_("bertanda"), default=False)
    content_hash = models.CharField(_("sidik isi"), max_length=64)
    batch = models.ForeignKey(
        "ingest.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Filled by the linkage app; nothing here writes them.
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="roll_entries"
    )
    family = models.ForeignKey(
        "registry.Family", null=True, blank=True, on_delete=models.SET_NULL, related_name="roll_entries"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = RollEntryQuerySet.as_manager()

    class Meta:
        ordering = ["roll", "row_number", "id"]
        verbose_name = _("baris daftar penerima")
        verbose_name_plural = _("baris daftar penerima")
        constraints = [
            models.UniqueConstraint(fields=["roll", "content_hash"], name="rollentry_unique_content"),
        ]
        indexes = [models.Index(fields=["roll", "kelurahan"])]

    def __str__(self) -> str:
        return f"{self.roll_id}:{self.row_number}"
