"""The social registry: families (keluarga) keyed by KK with history, persons keyed by NIK, time-bounded
memberships, welfare (desil) per period and source, and a status history of every change."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from padu.accounts.models import Role
from padu.core.querysets import RestrictedQuerySet
from padu.registry.choices import Relationship, Sex, Source, Status


class PersonalDataQuerySet(RestrictedQuerySet):
    """Rows holding personal data (UU PDP / Adminduk).

    Viewers and OPD operators see none of these rows by name (OPD operators reach persons through
    their own programmes' lists, once linked); with ``action="aggregate"`` they get the
    region-scoped rows for counts only.
    """

    def restrict(self, user: Any, action: str = "view") -> Self:
        role = getattr(user, "role", None)
        if (
            action != "aggregate"
            and not getattr(user, "is_superuser", False)
            and role in {Role.VIEWER, Role.OPD_OPERATOR}
        ):
            return self.none()
        return super().restrict(user, "view" if action == "aggregate" else action)


class FamilyQuerySet(PersonalDataQuerySet):
    region_field = "kelurahan_id"


class PersonQuerySet(PersonalDataQuerySet):
    region_field = "kelurahan_id"


class Family(models.Model):
    kk = models.CharField(_("nomor KK"), max_length=16, db_index=True)
    kk_valid = models.BooleanField(_("KK sah"), default=True)
    source_id = models.CharField(_("ID keluarga sumber"), max_length=40, blank=True, db_index=True)
    kelurahan = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    address = models.CharField(_("alamat"), max_length=200, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AKTIF, db_index=True
    )
    # Current welfare, denormalised from the latest WelfareRecord for fast filters and maps.
    desil = models.PositiveSmallIntegerField(_("desil"), null=True, blank=True, db_index=True)
    extreme_poor = models.BooleanField(_("miskin ekstrem"), default=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = FamilyQuerySet.as_manager()

    class Meta:
        verbose_name = _("keluarga")
        verbose_name_plural = _("keluarga")
        indexes = [models.Index(fields=["kelurahan", "desil"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(desil__gte=1, desil__lte=10) | models.Q(desil__isnull=True),
                name="family_desil_1_10",
            ),
        ]

    def __str__(self) -> str:
        return f"KK {self.kk[:4]}********{self.kk[-4:]}"


class KkHistory(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="kk_history")
    kk = models.CharField(_("nomor KK"), max_length=16, db_index=True)
    valid_from = models.DateField(_("berlaku sejak"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=200, blank=True)

    class Meta:
        ordering = ["family", "valid_from"]

    def __str__(self) -> str:
        return f"{self.kk[:4]}******** {self.valid_from}–{self.valid_to or ''}"


class Person(models.Model):
    nik = models.CharField(_("NIK"), max_length=16, blank=True, db_index=True)
    nik_valid = models.BooleanField(_("NIK sah"), default=True)
    nik_issues = models.JSONField(_("catatan NIK"), default=list, blank=True)
    source_id = models.CharField(_("ID individu sumber"), max_length=40, blank=True, db_index=True)
    name = models.CharField(_("nama"), max_length=150, db_index=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    birth_place = models.CharField(_("tempat lahir"), max_length=80, blank=True)
    mother_name = models.CharField(_("nama ibu kandung"), max_length=150, blank=True)
    # Current family and kelurahan, denormalised from the live Membership for scoping and search.
    family = models.ForeignKey(
        Family,
        verbose_name=_("keluarga"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    kelurahan = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("kelurahan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AKTIF, db_index=True
    )
    death_date = models.DateField(_("tanggal meninggal"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplikat dari"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    disability = models.BooleanField(_("disabilitas"), default=False)
    occupation = models.CharField(_("pekerjaan"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("individu")
        verbose_name_plural = _("individu")
        constraints = [
            # One live (non-duplicate) person per valid NIK; duplicates are kept, marked ganda.
            models.UniqueConstraint(
                fields=["nik"],
                condition=models.Q(nik_valid=True) & ~models.Q(status="ganda"),
                name="person_one_live_per_valid_nik",
                violation_error_message=_("NIK ini sudah terdaftar pada individu lain."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="memberships")
    relationship = models.CharField(_("hubungan"), max_length=20, choices=Relationship.choices)
    valid_from = models.DateField(_("sejak"))
    valid_to = models.DateField(_("sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("keanggotaan keluarga")
        verbose_name_plural = _("keanggotaan keluarga")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(valid_to__isnull=True),
                name="membership_one_live_per_person",
                violation_error_message=_("Seseorang hanya boleh tercatat di satu KK aktif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.family_id} {self.relationship}"


class WelfareRecord(models.Model):
    """Desil and welfare attributes of a family in one period from one source. Never overwritten."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="welfare")
    period = models.CharField(_("periode"), max_length=7, help_text="YYYY-MM")
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices)
    desil = models.PositiveSmallIntegerField(_("desil"), null=True, blank=True)
    extreme_poor = models.BooleanField(_("miskin ekstrem"), default=False)
    criteria = models.JSONField(_("kriteria Kepmensos 262/2022"), default=dict, blank=True)
    housing = models.JSONField(_("rumah, air, sanitasi, listrik"), default=dict, blank=True)
    imported_from = models.CharField(_("berkas"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        ordering = ["family", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "period", "source"], name="welfare_one_per_family_period_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_id} {self.period} {self.source} desil {self.desil}"


class StatusChange(models.Model):
    """History: every change of a family's or person's status (and other tracked fields)."""

    family = models.ForeignKey(
        Family, null=True, blank=True, on_delete=models.CASCADE, related_name="status_changes"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="status_changes"
    )
    field = models.CharField(_("kolom"), max_length=30, default="status")
    old_value = models.CharField(_("nilai lama"), max_length=100, blank=True)
    new_value = models.CharField(_("nilai baru"), max_length=100)
    effective_date = models.DateField(_("tanggal berlaku"), null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} -> {self.new_value}"
