"""Password rules beyond Django's: a password has letters and digits."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class LettersAndDigitsValidator:
    """At least one letter and at least one digit."""

    def validate(self, password: str, user: Any = None) -> None:
        if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
            raise ValidationError(
                _("Kata sandi harus memuat huruf dan angka."), code="password_letters_digits"
            )

    def get_help_text(self) -> str:
        return _("Kata sandi Anda harus memuat huruf dan angka.")
