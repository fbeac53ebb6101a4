"""Choices of the programme catalogue, labelled in Bahasa Indonesia."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundingSource(models.TextChoices):
    APBN = "apbn", "APBN"
    APBD_PROVINSI = "apbd_provinsi", _("APBD provinsi")
    APBD_KOTA = "apbd_kota", _("APBD kota")
    APBDES = "apbdes", "APBDes"
    LAINNYA = "lainnya", _("lainnya")


class Strategy(models.TextChoices):
    """Inpres 4/2022 (and 8/2025): the three strategies of extreme-poverty reduction."""

    KURANGI_BEBAN = "kurangi_beban", _("mengurangi beban pengeluaran")
    TINGKATKAN_PENDAPATAN = "tingkatkan_pendapatan", _("meningkatkan pendapatan")
    KURANGI_KANTONG = "kurangi_kantong", _("mengurangi kantong kemiskinan")


class ProgrammeGroup(models.TextChoices):
    """Permendagri 53/2020 art. 18: the groups of poverty-reduction programmes."""

    BANSOS = "bansos", _("bantuan sosial terpadu berbasis keluarga")
    PEMBERDAYAAN = "pemberdayaan", _("pemberdayaan masyarakat dan usaha mikro/kecil")
    LAINNYA = "lainnya", _("program lain yang meningkatkan kegiatan ekonomi")


class Unit(models.TextChoices):
    PERSON = "person", _("individu")
    FAMILY = "family", _("keluarga")


class Frequency(models.TextChoices):
    BULANAN = "bulanan", _("bulanan")
    TRIWULANAN = "triwulanan", _("triwulanan")
    TAHUNAN = "tahunan", _("tahunan")
    SEKALI = "sekali", _("sekali")


class Category(models.TextChoices):
    IBU_HAMIL = "ibu_hamil", _("ibu hamil")
    BALITA = "balita", _("balita")
    LANSIA = "lansia", _("lanjut usia")
    DISABILITAS = "disabilitas", _("penyandang disabilitas")
    USIA_SEKOLAH = "usia_sekolah", _("anak usia sekolah")
