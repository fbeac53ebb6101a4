from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from padu.accounts.models import Opd
from padu.accounts.scope import scope_filter
from padu.ingest.forms import ALLOWED_SUFFIXES
from padu.programs.choices import Category, FundingSource, ProgrammeGroup, Strategy, Unit
from padu.programs.engine.eligibility import RuleError, clean_rule
from padu.programs.models import Programme

PERIOD = RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("Gunakan format YYYY-MM, mis. 2026-09."))


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False)
    opd = forms.ChoiceField(label=_("OPD"), required=False)
    strategy = forms.ChoiceField(label=_("Strategi"), required=False, choices=[("", "—"), *Strategy.choices])
    funding_source = forms.ChoiceField(
        label=_("Sumber dana"), required=False, choices=[("", "—"), *FundingSource.choices]
    )
    group = forms.ChoiceField(
        label=_("Kelompok"), required=False, choices=[("", "—"), *ProgrammeGroup.choices]
    )
    unit = forms.ChoiceField(label=_("Satuan"), required=False, choices=[("", "—"), *Unit.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        opds = Opd.objects.filter(programmes__isnull=False).distinct().order_by("short_name")
        choices = [("", "—"), *((o.code, o.short_name) for o in opds)]
        self.fields["opd"].choices = choices  # type: ignore[attr-defined]


class ProgrammeForm(forms.ModelForm):  # type: ignore[type-arg]
    """The programme with its eligibility rule as separate fields (stored as one JSON rule)."""

    desil_max = forms.IntegerField(label=_("Desil paling tinggi"), required=False, min_value=1, max_value=10)
    active_only = forms.BooleanField(label=_("Hanya penduduk berstatus aktif"), required=False, initial=True)
    age_min = forms.IntegerField(label=_("Umur minimal"), required=False, min_value=0)
    age_max = forms.IntegerField(label=_("Umur maksimal"), required=False, min_value=0)
    age_unit = forms.ChoiceField(
        label=_("Satuan umur"), choices=[("tahun", _("tahun")), ("bulan", _("bulan"))], initial="tahun"
    )
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"),
        required=False,
        choices=[("", "—"), ("L", _("laki-laki")), ("P", _("perempuan"))],
    )
    categories = forms.MultipleChoiceField(
        label=_("Kategori sasaran (salah satu)"),
        required=False,
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    RULE_FIELDS = ("desil_max", "active_only", "age_min", "age_max", "age_unit", "sex", "categories")

    class Meta:
        model = Programme
        fields = [
            "opd",
            "code",
            "name",
            "description",
            "funding_source",
            "strategy",
            "group",
            "unit",
            "benefit_value_rp",
            "benefit_frequency",
            "benefit_note",
            "quota",
            "start_date",
            "end_date",
            "exclusive_of",
            "sipd_code",
            "is_active",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "exclusive_of": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        condition = scope_filter(user, "change", opd_field="pk")
        opds = Opd.objects.filter(condition) if condition is not None else Opd.objects.none()
        self.fields["opd"].queryset = opds  # type: ignore[attr-defined]
        others = Programme.objects.order_by("name")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            self.fields["code"].disabled = True
        self.fields["exclusive_of"].queryset = others  # type: ignore[attr-defined]
        self.fields["exclusive_of"].required = False
        rule = self.instance.eligibility or {}
        for name in self.RULE_FIELDS:
            if name in rule:
                self.fields[name].initial = rule[name]
        if self.instance.pk:
            self.fields["active_only"].initial = bool(rule.get("active_only"))
        self.extra_rule = [e for e in rule.get("extra") or []]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rule = {name: data.get(name) for name in self.RULE_FIELDS}
        rule["extra"] = self.extra_rule
        try:
            self.rule = clean_rule(rule)
        except RuleError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data

    def values(self) -> dict[str, Any]:
        """Keyword arguments for ``programme_create``/``programme_update``."""
        data = {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields and k != "exclusive_of"}
        if self.instance.pk:
            data.pop("code", None)
        data["eligibility"] = self.rule
        return data


class RollUploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas daftar penerima (CSV atau XLSX)"))
    period = forms.CharField(label=_("Periode (YYYY-MM)"), max_length=7, validators=[PERIOD])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].initial = timezone.localdate().strftime("%Y-%m")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(
                _("Hanya berkas CSV atau XLSX; simpan berkas .xls sebagai .xlsx terlebih dahulu.")
            )
        return upload
