from django.db import models
from django.utils.translation import gettext_lazy as _


class Strategy(models.TextChoices):
    """Strategi Inpres 4/2022 (percepatan penghapusan kemiskinan ekstrem)."""

    BEBAN = "beban", _("Pengurangan beban pengeluaran")
    PENDAPATAN = "pendapatan", _("Peningkatan pendapatan")
    KANTONG = "kantong", _("Penurunan kantong kemiskinan")


class Bidang(models.TextChoices):
    INFRASTRUKTUR = "infrastruktur", _("Infrastruktur dan prasarana wilayah")
    EKONOMI = "ekonomi", _("Ekonomi")
    KESEHATAN = "kesehatan", _("Kesehatan")
    PENDIDIKAN = "pendidikan", _("Pendidikan")
    SOSIAL = "sosial", _("Sosial budaya")
    LINGKUNGAN = "lingkungan", _("Lingkungan hidup")
    LAINNYA = "lainnya", _("Lainnya")


class ProposalStatus(models.TextChoices):
    DIAJUKAN = "diajukan", _("diajukan")
    DITERIMA = "diterima", _("diterima")
    DITOLAK = "ditolak", _("ditolak")
    DIDANAI = "didanai", _("didanai")
    PELAKSANAAN = "pelaksanaan", _("dalam pelaksanaan")
