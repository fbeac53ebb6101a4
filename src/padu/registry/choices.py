from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    AKTIF = "aktif", _("aktif")
    MAMPU = "mampu", _("mampu/graduasi")
    MENINGGAL = "meninggal", _("meninggal")
    PINDAH = "pindah", _("pindah ke luar kota")
    TIDAK_DITEMUKAN = "tidak_ditemukan", _("tidak ditemukan")
    GANDA = "ganda", _("ganda (duplikat)")


class Relationship(models.TextChoices):
    KEPALA = "kepala", _("Kepala keluarga")
    ISTRI = "istri", _("Istri")
    SUAMI = "suami", _("Suami")
    ANAK = "anak", _("Anak")
    MENANTU = "menantu", _("Menantu")
    CUCU = "cucu", _("Cucu")
    ORANG_TUA = "orang_tua", _("Orang tua")
    MERTUA = "mertua", _("Mertua")
    FAMILI = "famili", _("Famili lain")
    LAINNYA = "lainnya", _("Lainnya")


class Sex(models.TextChoices):
    L = "L", _("Laki-laki")
    P = "P", _("Perempuan")


class Source(models.TextChoices):
    DTSEN = "dtsen", "DTSEN"
    P3KE = "p3ke", "P3KE"
    DTKS = "dtks", "DTKS"
    VERIVALI = "verivali", _("verivali kelurahan")
    OTHER = "other", _("lainnya")


# The 8 criteria of Kepmensos 262/HUK/2022 (kriteria fakir miskin), in order.
KRITERIA_262 = [
    ("k1_head_not_working", _("Kepala keluarga tidak bekerja")),
    ("k2_food_insecure", _("Khawatir/tidak makan dalam setahun terakhir")),
    ("k3_food_over_half", _("Pengeluaran pangan lebih dari separuh")),
    ("k4_no_clothing", _("Tidak membeli pakaian dalam setahun")),
    ("k5_earth_floor", _("Lantai sebagian besar tanah/plesteran")),
    ("k6_poor_wall", _("Dinding bambu/kawat/papan/terpal/kardus/tanpa plester")),
    ("k7_no_latrine", _("Tidak punya jamban sendiri")),
    ("k8_low_electricity", _("Listrik 450 VA atau tanpa listrik")),
]
