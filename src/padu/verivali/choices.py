from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchState(models.TextChoices):
    DRAFT = "draft", _("draf")
    SUBMITTED = "submitted", _("diajukan")
    VERIFIED = "verified", _("diverifikasi Dinsos")
    APPROVED = "approved", _("disetujui dan diterapkan")


class TransitionAction(models.TextChoices):
    CREATE = "create", _("dibuat")
    SUBMIT = "submit", _("diajukan")
    VERIFY = "verify", _("diverifikasi")
    RETURN = "return", _("dikembalikan")
    APPROVE = "approve", _("disetujui")


class Verdict(models.TextChoices):
    LAYAK = "layak", _("layak")
    TIDAK_LAYAK = "tidak_layak", _("tidak layak")


class Reason(models.TextChoices):
    MENINGGAL = "meninggal", _("meninggal")
    PINDAH = "pindah", _("pindah")
    MAMPU = "mampu", _("sudah mampu")
    TIDAK_DITEMUKAN = "tidak_ditemukan", _("tidak ditemukan")
    GANDA = "ganda", _("ganda (duplikat)")
    LAINNYA = "lainnya", _("lainnya")


class TaskState(models.TextChoices):
    OPEN = "open", _("terbuka")
    DECIDED = "decided", _("diputuskan, menunggu persetujuan")
    CLOSED = "closed", _("selesai")
