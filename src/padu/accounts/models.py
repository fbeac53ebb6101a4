"""Users, their role, and the OPD or region they are scoped to."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from padu.core.querysets import RestrictedQuerySet


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator Bappeda")
    ANALYST = "analyst", _("Analis Bappeda/TKPK")
    OPD_OPERATOR = "opd_operator", _("Operator OPD")
    REGION_OPERATOR = "region_operator", _("Operator kecamatan/kelurahan")
    VIEWER = "viewer", _("Pemantau (hanya baca)")


class Opd(models.Model):
    """Organisasi Perangkat Daerah: Dinsos, Dinkes, Dindikbud, Perkim, Disperindagkop, Bappeda,
    ..."""

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=40)

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")

    def __str__(self) -> str:
        return self.short_name


class UserQuerySet(RestrictedQuerySet):
    """Users are scoped like everything else; writes on them are for administrators only."""

    region_field = "region_id"
    opd_field = "opd"
    admin_only = True


class PaduUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    opd = models.ForeignKey(
        Opd,
        verbose_name=_("OPD"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    region = models.ForeignKey(
        "wilayah.Region",
        verbose_name=_("wilayah tugas"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    failed_logins = models.PositiveIntegerField(_("gagal masuk berturut-turut"), default=0)
    locked_until = models.DateTimeField(_("dikunci sampai"), null=True, blank=True)

    objects: ClassVar[PaduUserManager] = PaduUserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="opd_operator") | models.Q(opd__isnull=False),
                name="opd_operator_has_opd",
                violation_error_message=_("Operator OPD harus terikat pada satu OPD."),
            ),
            models.CheckConstraint(
                condition=~models.Q(role="region_operator") | models.Q(region__isnull=False),
                name="region_operator_has_region",
                violation_error_message=_("Operator wilayah harus terikat pada satu wilayah."),
            ),
        ]

    @property
    def full_name(self) -> str:
        return self.get_full_name()

    @property
    def effective_role(self) -> str:
        """The role the rules apply: a Django superuser counts as a Bappeda administrator."""
        return str(Role.ADMIN) if self.is_superuser else str(self.role)

    @property
    def is_bappeda_admin(self) -> bool:
        """May manage users and OPDs and read the audit log."""
        return bool(self.is_active and self.effective_role == Role.ADMIN)

    @property
    def can_manage_users(self) -> bool:
        return self.is_bappeda_admin

    @property
    def is_read_only(self) -> bool:
        """Viewers read; they never add, change, delete or export personal data."""
        return self.effective_role == Role.VIEWER

    @property
    def sees_all_regions(self) -> bool:
        return self.effective_role != Role.REGION_OPERATOR

    @property
    def may_see_full_nik(self) -> bool:
        """Roles whose work needs unmasked NIK/KK (matching, verivali, correction lists).

        Viewers never do; pages that do not need the full number mask it for everyone (``mask_id``).
        """
        return bool(
            self.is_active
            and self.effective_role
            in {Role.ADMIN, Role.ANALYST, Role.REGION_OPERATOR, Role.OPD_OPERATOR}
        )

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        """Locked out after too many failed logins, until ``locked_until`` passes."""
        return self.locked_until is not None and self.locked_until > (now or timezone.now())
