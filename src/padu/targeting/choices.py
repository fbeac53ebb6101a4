"""Labels (Bahasa Indonesia) of the engine's finding codes, categories, severities and run states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FindingType(models.TextChoices):
    INCLUSION_GRADUATED = "inclusion_graduated", _("sudah mampu / desil di atas batas")
    INCLUSION_DECEASED = "inclusion_deceased", _("penerima sudah meninggal")
    INCLUSION_MOVED = "inclusion_moved", _("penerima pindah ke luar kota")
    INCLUSION_INVALID_RECORD = "inclusion_invalid_record", _("data registri tidak ditemukan/ganda")
    INCLUSION_UNREGISTERED = "inclusion_unregistered", _("tidak terdaftar di registri")
    INCLUSION_ASN = "inclusion_asn", _("penerima ASN")
    INCLUSION_INELIGIBLE = "inclusion_ineligible", _("tidak memenuhi syarat program")
    EXCLUSION_PROGRAMME = "exclusion_programme", _("layak tetapi tidak menerima")
    EXCLUSION_PRIORITY = "exclusion_priority", _("keluarga prioritas tanpa program")
    EXCLUSION_STRATEGY_GAP = "exclusion_strategy_gap", _("keluarga prioritas tanpa satu strategi")
    DOUBLE_IN_PROGRAMME = "double_in_programme", _("ganda dalam satu daftar")
    DOUBLE_EXCLUSIVE = "double_exclusive", _("menerima program yang tidak boleh digabung")
    DOUBLE_FAMILY = "double_family", _("tercatat di dua KK")


class Category(models.TextChoices):
    INCLUSION = "inclusion", _("salah sasaran (inklusi)")
    EXCLUSION = "exclusion", _("belum terjangkau (eksklusi)")
    DOUBLE = "double", _("penerimaan ganda")


class Severity(models.TextChoices):
    HIGH = "high", _("tinggi")
    MEDIUM = "medium", _("sedang")
    LOW = "low", _("rendah")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("menunggu")
    RUNNING = "running", _("berjalan")
    DONE = "done", _("selesai")
    FAILED = "failed", _("gagal")


# What an OPD does with a finding on its own list (the correction list).
ACTION_STOP = "stop"
ACTION_CHECK = "check"
ACTION_ADD = "add"
ACTIONS: dict[str, str] = {
    "inclusion_graduated": ACTION_STOP,
    "inclusion_deceased": ACTION_STOP,
    "inclusion_moved": ACTION_STOP,
    "inclusion_asn": ACTION_STOP,
    "double_in_programme": ACTION_STOP,
    "double_exclusive": ACTION_STOP,
    "inclusion_invalid_record": ACTION_CHECK,
    "inclusion_unregistered": ACTION_CHECK,
    "inclusion_ineligible": ACTION_CHECK,
    "double_family": ACTION_CHECK,
    "exclusion_programme": ACTION_ADD,
}
# Findings a kelurahan should verify in the field (verivali).
FIELD_CHECK_TYPES = (
    "inclusion_deceased",
    "inclusion_moved",
    "inclusion_invalid_record",
    "double_family",
    "exclusion_priority",
)
# Of those, the findings about one member (a task per person); the others concern the whole family.
PERSON_CHECK_TYPES = ("inclusion_deceased", "inclusion_moved", "inclusion_invalid_record", "double_family")
