from django.db import models
from django.utils.translation import gettext_lazy as _


class Decision(models.TextChoices):
    AUTO = "auto", _("otomatis")
    REVIEW = "review", _("perlu diperiksa")
    ACCEPTED = "accepted", _("diterima petugas")
    REJECTED = "rejected", _("ditolak petugas")
    UNMATCHED = "unmatched", _("tidak ditemukan di registri")


LINKED = (Decision.AUTO, Decision.ACCEPTED)


class Stage(models.TextChoices):
    NIK = "nik", _("NIK sama")
    KK = "kk", _("KK dan nama sama")
    PROBABILISTIC = "probabilistic", _("probabilistik")
    NEXT = "next", _("calon berikutnya")
    MANUAL = "manual", _("keputusan petugas")


class Verdict(models.TextChoices):
    ACCEPTED = "accepted", _("Terima")
    REJECTED = "rejected", _("Tolak")
    NOT_SAME = "not_same", _("Bukan orang yang sama")


class FindingKind(models.TextChoices):
    NIK_CONFLICT = "nik_conflict", _("NIK dipakai orang lain")
    NIK_DUPLICATE = "nik_duplicate", _("NIK ganda")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("menunggu")
    RUNNING = "running", _("berjalan")
    DONE = "done", _("selesai")
    FAILED = "failed", _("gagal")
