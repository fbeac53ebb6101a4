"""NIK/KK masking: the plain helper and the template filters per persona."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template

from padu.lib.masking import mask_id

NIK = "3673014107850001"


@pytest.mark.parametrize(
    "value,expected",
    [
        (NIK, "3673********0001"),
        ("3673010101090002", "3673********0002"),
        ("12345", "****2345"),
        ("36730141078500011", "****0011"),
        ("1234", "****"),
        ("", "—"),
        (None, "—"),
        ("  3673014107850001 ", "3673********0001"),
    ],
)
def test_it_masks_identity_numbers(value, expected):
    assert mask_id(value) == expected


def _render(template: str, **context) -> str:
    return Template("{% load padu %}" + template).render(Context(context))


@pytest.mark.parametrize(
    "persona,full",
    [
        ("bappeda_admin", True),
        ("analyst", True),
        ("opd_operator", True),
        ("kel_operator_in", True),
        ("viewer", False),
    ],
)
def test_it_masks_nik_and_kk_per_persona(request, persona, full):
    user = request.getfixturevalue(persona)
    shown = _render("{{ nik|mask_nik:user }}|{{ nik|mask_kk:user }}", nik=NIK, user=user)
    expected = NIK if full else "3673********0001"
    assert shown == f"{expected}|{expected}"


def test_it_masks_for_anonymous_users_and_without_a_user(db):
    assert _render("{{ nik|mask_nik:user }}", nik=NIK, user=AnonymousUser()) == "3673********0001"
    assert _render("{{ nik|mask_nik }}", nik=NIK) == "3673********0001"


def test_it_always_masks_with_mask_id(bappeda_admin):
    assert _render("{{ nik|mask_id }}", nik=NIK) == "3673********0001"


def test_it_masks_for_deactivated_users(analyst):
    analyst.is_active = False
    assert _render("{{ nik|mask_nik:user }}", nik=NIK, user=analyst) == "3673********0001"


def test_it_shows_a_dash_for_empty_values(analyst):
    assert _render("{{ nik|mask_nik:user }}", nik="", user=analyst) == "—"
