from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from padu.ingest.engine import FIELDS, FieldSpec

ALLOWED_SUFFIXES = (".csv", ".xlsx", ".txt")


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas registri (CSV atau XLSX)"))
    source = forms.ChoiceField(
        label=_("Sumber"),
        choices=[("auto", _("Deteksi otomatis")), ("dtsen", "DTSEN"), ("p3ke", "P3KE"), ("dtks", "DTKS")],
        initial="auto",
    )
    period = forms.CharField(
        label=_("Periode (YYYY-MM)"),
        max_length=7,
        validators=[RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("Gunakan format YYYY-MM, mis. 2026-09."))],
    )

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


REGISTRY_REQUIRED = frozenset({"name", "nik", "kelurahan_code"})


def field_choices(
    fields: Mapping[str, FieldSpec] = FIELDS, required: Set[str] = REGISTRY_REQUIRED
) -> list[tuple[str, str]]:
    choices = [("", "—")]
    for name, spec in fields.items():
        label = spec.label_id + (" *" if spec.required or name in required else "")
        choices.append((name, label))
    return choices


class MappingForm(forms.Form):
    """One dropdown per column of the file: which canonical field it feeds (or none)."""

    def __init__(
        self,
        *args: Any,
        columns: list[str],
        mapping: dict[str, str],
        fields: Mapping[str, FieldSpec] = FIELDS,
        required: Set[str] = REGISTRY_REQUIRED,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
        self.field_specs = fields
        by_column = {column: name for name, column in mapping.items()}
        choices = field_choices(fields, required)
        for index, column in enumerate(columns):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=column, choices=choices, required=False, initial=by_column.get(column, "")
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen: dict[str, str] = {}
        for index, column in enumerate(self.columns):
            name = data.get(f"col_{index}")
            if not name:
                continue
            if name in chosen:
                raise forms.ValidationError(
                    _("Kolom '%(a)s' dan '%(b)s' sama-sama dipetakan ke %(field)s; pilih satu.")
                    % {"a": chosen[name], "b": column, "field": self.field_specs[name].label_id}
                )
            chosen[name] = column
        self.mapping = chosen
        return data

    def rows(self) -> list[tuple[str, forms.BoundField]]:
        return [(column, self[f"col_{index}"]) for index, column in enumerate(self.columns)]


class CorrectionForm(forms.Form):
    """The raw values of one rejected row, editable."""

    def __init__(self, *args: Any, columns: list[str], raw: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
        for index, column in enumerate(columns):
            value = raw.get(column)
            self.fields[f"c{index}"] = forms.CharField(
                label=column, required=False, initial="" if value is None else str(value), max_length=500
            )

    def values(self) -> dict[str, Any]:
        return {column: (self.cleaned_data.get(f"c{i}") or None) for i, column in enumerate(self.columns)}


class CorrectionFileForm(forms.Form):
    file = forms.FileField(label=_("Berkas koreksi (lembar 'Data ditolak' dari laporan, CSV atau XLSX)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(_("Hanya berkas CSV atau XLSX."))
        return upload
