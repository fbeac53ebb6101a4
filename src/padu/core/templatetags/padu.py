"""Padu template filters: ``{% load padu %}``.

- ``{{ person.nik|mask_nik:user }}`` / ``{{ family.kk|mask_kk:user }}``: the full number only for
  users whose role needs it (``user.may_see_full_nik``: never viewers), masked
  (``3673********0001``) for everyone else.
- ``{{ value|mask_id }}``: always masked — for pages that do not need the full number, whoever
  looks.
"""

from __future__ import annotations

from typing import Any

from django import template

from padu.lib.masking import EMPTY
from padu.lib.masking import mask_id as _mask_id

register = template.Library()


def _for_user(value: Any, user: Any) -> str:
    if value is None or str(value).strip() == "":
        return EMPTY
    if getattr(user, "is_authenticated", False) and getattr(user, "may_see_full_nik", False):
        return str(value)
    return _mask_id(value)


@register.filter
def mask_nik(value: Any, user: Any = None) -> str:
    """NIK shown in full to roles that need it, masked otherwise (and when no user is given)."""
    return _for_user(value, user)


@register.filter
def mask_kk(value: Any, user: Any = None) -> str:
    """KK number shown in full to roles that need it, masked otherwise (and when no user is
    given)."""
    return _for_user(value, user)


@register.filter
def mask_id(value: Any) -> str:
    """Always masked, whoever looks."""
    return _mask_id(value)
