"""Planning forms: priority weights, sector indicator upload."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from padu.planning.services.priority import PERIOD_RE

METHODS = [
    ("zscore", _("Skor-z (selisih dari rata-rata kota)")),
    ("minmax", _("Min-maks (0 = terbaik, 1 = terburuk)")),
]


def this_plan_year() -> int:
    return dt.date.today().year + 1


class PriorityForm(forms.Form):
    """Year, data periods, method and one weight per available indicator (``w_<key>``)."""

    year = forms.IntegerField(label=_("Tahun rencana"), min_value=2000, max_value=2100)
    period = forms.ChoiceField(label=_("Periode registri"))
    indicator_period = forms.ChoiceField(label=_("Periode indikator sektor"), required=False)
    method = forms.ChoiceField(label=_("Metode standardisasi"), choices=METHODS)

    def __init__(
        self,
        *args: Any,
        periods: list[str],
        sector_periods: list[str],
        keys: list[str],
        labels: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p, p) for p in periods] or [("", "—")]  # type: ignore[attr-defined]
        blank = [("", _("(tidak dipakai)"))]
        self.fields["indicator_period"].choices = blank + [(p, p) for p in sector_periods]  # type: ignore[attr-defined]
        self.weight_keys = keys
        for key in keys:
            self.fields[f"w_{key}"] = forms.FloatField(
                label=labels.get(key, key),
                min_value=0,
                max_value=100,
                required=False,
                widget=forms.NumberInput(attrs={"step": "0.5", "class": "weight"}),
            )

    def weights(self) -> dict[str, float]:
        return {k: float(self.cleaned_data.get(f"w_{k}") or 0.0) for k in self.weight_keys}

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"w_{k}"] for k in self.weight_keys]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.weight_keys and not any(data.get(f"w_{k}") for k in self.weight_keys):
            raise forms.ValidationError(_("Minimal satu bobot harus lebih dari 0."))
        return data


class SectorUploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas CSV/XLSX"))
    period = forms.CharField(label=_("Periode"), max_length=7, help_text=_("YYYY atau YYYY-MM"))
    source = forms.CharField(label=_("Sumber data"), max_length=120, help_text=_("mis. e-PPGBM Dinkes"))
    indicator = forms.SlugField(
        label=_("Kode indikator"),
        max_length=60,
        required=False,
        help_text=_(
            "mis. stunting_cases; berkas cukup berisi kolom kelurahan dan satu kolom nilai. Kosong: setiap "
            "kolom lain adalah satu indikator."
        ),
    )

    def clean_period(self) -> str:
        period = self.cleaned_data["period"].strip()
        if not PERIOD_RE.match(period):
            raise forms.ValidationError(_("Periode harus YYYY atau YYYY-MM."))
        return period


class ProposalForm(forms.ModelForm):
    """Entry/edit of one proposal. Classification (fisik, strategi) is filled by the rules unless
    ``override`` is ticked."""

    override = forms.BooleanField(
        label=_("Tetapkan fisik/non-fisik dan strategi sendiri (abaikan klasifikasi otomatis)"),
        required=False,
    )

    class Meta:
        from padu.planning.models import Proposal

        model = Proposal
        fields = [
            "year", "kelurahan", "rt", "rw", "activity", "description", "volume", "unit", "bidang", "cost",
            "local_priority", "contribution", "physical", "strategy", "opd",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, kelurahan_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from padu.wilayah.models import Region

        codes = [c for c, _label in kelurahan_choices]
        field = self.fields["kelurahan"]
        field.queryset = Region.objects.filter(code__in=codes).order_by("code")  # type: ignore[attr-defined]
        field.label_from_instance = lambda r: f"{r.name} ({r.code})"  # type: ignore[attr-defined]
        self.fields["physical"].required = False
        self.fields["strategy"].required = False
        if self.instance.pk:
            self.fields["kelurahan"].disabled = True
            self.initial.setdefault("override", self.instance.manual_class)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        kel = data.pop("kelurahan")
        opd = data.pop("opd")
        data.pop("override", None)
        return data | {"kelurahan_id": kel.pk if kel else None, "opd_id": opd.pk if opd else None}


class StatusForm(forms.Form):
    from padu.planning.choices import ProposalStatus

    status = forms.ChoiceField(label=_("Status"), choices=ProposalStatus.choices)
    reason = forms.CharField(
        label=_("Alasan/keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProposalImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas rekap Musrenbang (XLSX/CSV)"))
    year = forms.IntegerField(label=_("Tahun rencana"), min_value=2000, max_value=2100)


class ScenarioForm(forms.Form):
    name = forms.SlugField(
        label=_("Nama skenario"), max_length=40, help_text=_("huruf kecil, angka, tanda -")
    )
    budget = forms.IntegerField(label=_("Pagu total (Rp)"), min_value=1)
    use_opd_ceilings = forms.BooleanField(label=_("Pakai plafon OPD"), required=False, initial=True)
    include_rat = forms.BooleanField(label=_("Ikutkan kegiatan RAT sebagai kandidat"), required=False)
    kecamatan_min_share = forms.FloatField(
        label=_("Porsi minimum tiap kecamatan (%)"), min_value=0, max_value=100
    )
    kecamatan_max_share = forms.FloatField(
        label=_("Porsi maksimum tiap kecamatan (%)"), min_value=0, max_value=100
    )
    min_nonphysical_share = forms.FloatField(
        label=_("Porsi minimum non-fisik (%)"), min_value=0, max_value=100
    )
    weighting = forms.ChoiceField(label=_("Pembobotan"))
    gap_beban = forms.FloatField(label=_("Bobot strategi: pengurangan beban"), min_value=0.1, initial=1.0)
    gap_pendapatan = forms.FloatField(
        label=_("Bobot strategi: peningkatan pendapatan"), min_value=0.1, initial=1.0
    )
    gap_kantong = forms.FloatField(label=_("Bobot strategi: kantong kemiskinan"), min_value=0.1, initial=1.0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from padu.planning.models import Weighting

        self.fields["weighting"].choices = Weighting.choices  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(scenario: Any) -> dict[str, Any]:
        gap = scenario.strategy_gap or {}
        return {
            "name": scenario.name, "budget": scenario.budget, "use_opd_ceilings": scenario.use_opd_ceilings,
            "include_rat": scenario.include_rat,
            "kecamatan_min_share": scenario.kecamatan_min_share,
            "kecamatan_max_share": scenario.kecamatan_max_share,
            "min_nonphysical_share": scenario.min_nonphysical_share, "weighting": scenario.weighting,
            "gap_beban": gap.get("beban", 1.0), "gap_pendapatan": gap.get("pendapatan", 1.0),
            "gap_kantong": gap.get("kantong", 1.0),
        }  # fmt: skip

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        gap = {"beban": d["gap_beban"], "pendapatan": d["gap_pendapatan"], "kantong": d["gap_kantong"]}
        keep = ("budget", "use_opd_ceilings", "include_rat", "kecamatan_min_share", "kecamatan_max_share",
                "min_nonphysical_share", "weighting")  # fmt: skip
        return {k: d[k] for k in keep} | {"strategy_gap": gap}


class CeilingsForm(forms.Form):
    """One ceiling (Rp) per OPD: ``opd_<id>``."""

    def __init__(self, *args: Any, opds: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.opds = opds
        for opd in opds:
            self.fields[f"opd_{opd.pk}"] = forms.IntegerField(
                label=opd.short_name, min_value=0, required=False
            )

    def amounts(self) -> dict[int, int | None]:
        return {opd.pk: self.cleaned_data.get(f"opd_{opd.pk}") for opd in self.opds}


class RatForm(forms.ModelForm):
    class Meta:
        from padu.planning.models import RatActivity

        model = RatActivity
        fields = [
            "year", "opd", "name", "strategy", "sipd_code", "sipd_name", "output_indicator", "target", "unit",
            "kelurahan", "budget", "funding_source", "depends_on",
        ]  # fmt: skip

    def __init__(self, *args: Any, opds: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.conf import settings

        from padu.planning.models import RatActivity
        from padu.wilayah.models import Level, Region

        self.fields["opd"].queryset = opds  # type: ignore[attr-defined]
        kel = Region.objects.within(settings.REGION_CODE).filter(level=Level.DESA).order_by("code")
        self.fields["kelurahan"].queryset = kel  # type: ignore[attr-defined]
        deps = RatActivity.objects.filter(year=year).select_related("opd")
        if self.instance.pk:
            deps = deps.exclude(pk=self.instance.pk)
        self.fields["depends_on"].queryset = deps  # type: ignore[attr-defined]
        self.fields["depends_on"].required = False

    def values(self) -> tuple[dict[str, Any], list[int]]:
        data = dict(self.cleaned_data)
        deps = [d.pk for d in data.pop("depends_on", [])]
        opd, kel = data.pop("opd"), data.pop("kelurahan")
        return data | {"opd_id": opd.pk, "kelurahan_id": kel.pk if kel else None}, deps


class RpkdForm(forms.Form):
    title = forms.CharField(label=_("Judul dokumen"), max_length=200, required=False)
    pendahuluan = forms.CharField(
        label=_("BAB I Pendahuluan"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    kondisi_umum = forms.CharField(
        label=_("BAB II Kondisi Umum Daerah"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    profil_kemiskinan = forms.CharField(
        label=_("BAB III Profil Kemiskinan Daerah"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    prioritas_program = forms.CharField(
        label=_("BAB IV Prioritas Program"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    lokasi_prioritas = forms.CharField(
        label=_("BAB V Lokasi Prioritas"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
