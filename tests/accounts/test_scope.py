"""Scope rules per persona, applied in the query layer."""

from __future__ import annotations

import pytest

from padu.accounts import selectors
from padu.accounts.models import User
from padu.accounts.scope import can, describe_scope, scope_filter
from padu.wilayah.models import Region
from tests.accounts.helpers import ensure_regions
from tests.conftest import KEC_A, KEL_A1, KEL_A2, KEL_B1


@pytest.fixture(autouse=True)
def _regions(db):
    ensure_regions()


def _visible_codes(user, action="view") -> set[str]:
    q = scope_filter(user, action, region_field="code")
    if q is None:
        return set()
    codes = {KEC_A, KEL_A1, KEL_A2, "36.73.02", KEL_B1}
    return set(Region.objects.filter(code__in=codes).filter(q).values_list("code", flat=True))


ALL = {KEC_A, KEL_A1, KEL_A2, "36.73.02", KEL_B1}


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("bappeda_admin", ALL),
        ("analyst", ALL),
        ("viewer", ALL),
        ("opd_operator", ALL),  # regions are reference data for OPD operators
        ("kec_operator_in", {KEC_A, KEL_A1, KEL_A2}),
        ("kel_operator_in", {KEL_A1}),
        ("kel_operator_out", {KEL_B1}),
    ],
)
def test_it_scopes_region_coded_rows_per_persona(request, persona, expected):
    assert _visible_codes(request.getfixturevalue(persona)) == expected


def test_it_does_not_match_codes_that_merely_share_a_prefix(kec_operator_in):
    Region.objects.get_or_create(
        code="36.73.011",
        defaults={"name": "x", "level": 3, "type": "kecamatan", "code_plain": "3673011x"},
    )
    q = scope_filter(kec_operator_in, region_field="code")
    assert not Region.objects.filter(code="36.73.011").filter(q).exists()


def test_it_refuses_writes_for_viewers(viewer):
    for action in ["add", "change", "delete", "export"]:
        assert scope_filter(viewer, action, region_field="code") is None
    assert not can(viewer, "change")


def test_it_lets_region_operators_write_only_in_their_region(kel_operator_in):
    assert _visible_codes(kel_operator_in, "change") == {KEL_A1}
    assert scope_filter(kel_operator_in, "change") is None  # reference data without a region


def test_it_scopes_opd_owned_rows_to_the_operator_opd(opd_operator, opd_operator_other):
    q = scope_filter(opd_operator, opd_field="opd")
    assert set(User.objects.filter(q).values_list("username", flat=True)) == {"operator_dinsos"}


def test_it_refuses_everything_to_anonymous_and_deactivated_users(analyst):
    from django.contrib.auth.models import AnonymousUser

    assert scope_filter(AnonymousUser()) is None
    analyst.is_active = False
    assert scope_filter(analyst) is None


def test_it_rejects_unknown_actions(analyst):
    with pytest.raises(ValueError):
        scope_filter(analyst, "edit")


def test_it_lists_users_by_scope(
    bappeda_admin,
    analyst,
    viewer,
    opd_operator,
    opd_operator_other,
    kec_operator_in,
    kel_operator_in,
    kel_operator_out,
):
    def names(user):
        return set(selectors.user_list(user=user).values_list("username", flat=True))

    everyone = set(User.objects.values_list("username", flat=True))
    assert names(bappeda_admin) == everyone
    assert names(analyst) == everyone
    assert names(viewer) == set()
    assert names(opd_operator) == {"operator_dinsos"}
    assert names(kec_operator_in) == {"operator_kec_a", "operator_kel_a1"}
    assert names(kel_operator_out) == {"operator_kel_b1"}


def test_it_makes_users_read_only_for_analysts(bappeda_admin, analyst, viewer):
    assert not User.objects.restrict(analyst, "change").exists()
    assert User.objects.restrict(bappeda_admin, "change").filter(pk=viewer.pk).exists()


def test_it_describes_each_scope(opd_operator, kel_operator_in, viewer):
    assert describe_scope(opd_operator)["kind"] == "opd"
    assert describe_scope(opd_operator)["opd"] == "dinsos"
    assert describe_scope(kel_operator_in)["region"] == KEL_A1
    assert describe_scope(viewer)["read_only"] is True
