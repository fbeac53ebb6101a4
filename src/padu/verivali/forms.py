"""Input shape only; the rules live in ``padu.verivali.services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from padu.verivali.choices import Reason, Verdict


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class BatchForm(forms.Form):
    musyawarah_date = forms.DateField(
        label=_("Tanggal musyawarah kelurahan"), required=False, widget=DateInput()
    )
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    family = forms.IntegerField(widget=forms.HiddenInput)
    person = forms.IntegerField(label=_("Untuk"), required=False)
    verdict = forms.ChoiceField(label=_("Keputusan"), choices=Verdict.choices, widget=forms.RadioSelect)
    reason = forms.ChoiceField(label=_("Alasan"), choices=[("", "—"), *Reason.choices], required=False)
    event_date = forms.DateField(label=_("Tanggal kejadian"), required=False, widget=DateInput())
    duplicate_of = forms.CharField(
        label=_("KK/NIK yang dipertahankan"),
        required=False,
        max_length=40,
        help_text=_("Untuk alasan ganda: nomor KK keluarga (atau NIK anggota) yang tetap dipakai."),
    )
    note = forms.CharField(label=_("Keterangan"), required=False, max_length=500)
    task = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ProposalForm(forms.Form):
    head_name = forms.CharField(label=_("Nama kepala keluarga"), max_length=150)
    nik = forms.CharField(label=_("NIK kepala keluarga"), max_length=40)
    kk = forms.CharField(label=_("Nomor KK"), max_length=40)
    address = forms.CharField(label=_("Alamat"), max_length=200)
    rt = forms.CharField(label=_("RT"), max_length=3, required=False)
    rw = forms.CharField(label=_("RW"), max_length=3, required=False)
    member_count = forms.IntegerField(label=_("Jumlah anggota"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("Alasan diusulkan"), widget=forms.Textarea(attrs={"rows": 2}))


class BeritaAcaraForm(forms.Form):
    berita_acara = forms.FileField(
        label=_("Berita Acara musyawarah kelurahan"),
        help_text=_("PDF, JPG atau PNG, paling besar 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class TransitionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("submit", "submit"), ("verify", "verify"), ("return", "return"), ("approve", "approve")]
    )
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
