"""Forms for logging in, the profile page and user management. They validate input shape only; the
rules (roles, OPD/region binding, password rules, permissions) live in
``padu.accounts.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from padu.accounts import selectors
from padu.accounts.models import Role


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autofocus": True, "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _opd_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(o.code, f"{o.short_name} — {o.name}") for o in selectors.opd_list()]


def _region_choices() -> list[tuple[str, str]]:
    choices = [("", "—")]
    for region in selectors.assignable_regions():
        indent = "\u2003" if region.level == 4 else ""
        choices.append((region.code, f"{indent}{region.label} ({region.code})"))
    return choices


class _UserFields(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150, required=False)
    email = forms.EmailField(label=_("Surel"), required=False)
    role = forms.ChoiceField(label=_("Peran"), choices=Role.choices)
    opd = forms.ChoiceField(
        label=_("OPD"), required=False, help_text=_("Wajib untuk operator OPD.")
    )
    region_code = forms.ChoiceField(
        label=_("Wilayah tugas"),
        required=False,
        help_text=_("Wajib untuk operator kecamatan/kelurahan."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opd"].choices = _opd_choices()  # type: ignore[attr-defined]
        self.fields["region_code"].choices = _region_choices()  # type: ignore[attr-defined]

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put a service's ``ValidationError`` on the matching fields (others on the form)."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                target = field if field in self.fields else None
                for error in errors:
                    self.add_error(target, error)
        else:
            self.add_error(None, exc)


class UserCreateForm(_UserFields):
    username = forms.CharField(label=_("Nama pengguna"), max_length=150)
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order = [
        "username",
        "full_name",
        "email",
        "role",
        "opd",
        "region_code",
        "password1",
        "password2",
    ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return data

    def add_service_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict") and "password" in exc.error_dict:
            exc.error_dict["password1"] = exc.error_dict.pop("password")
        super().add_service_errors(exc)


class UserEditForm(_UserFields):
    is_active = forms.BooleanField(label=_("Aktif"), required=False)
