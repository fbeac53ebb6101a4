"""User and OPD services: permissions, validation, audit (never the password hash)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from padu.accounts import services
from padu.accounts.models import Opd, Role, User
from padu.core.models import AuditLog
from tests.accounts.helpers import ensure_regions

NEW_PASSWORD = "Sandi-Baru-2026"


@pytest.fixture(autouse=True)
def _regions(db):
    ensure_regions()


def _messages(exc: ValidationError, field: str) -> list[str]:
    return [str(m) for e in exc.error_dict[field] for m in e]


def test_it_lets_the_admin_create_a_user_and_audits_it_without_the_password(bappeda_admin):
    user = services.user_create(
        actor=bappeda_admin,
        username="analis_baru",
        password=NEW_PASSWORD,
        role=Role.ANALYST,
        full_name="Siti Aminah",
        email="siti@example.id",
    )
    assert user.check_password(NEW_PASSWORD)
    assert user.get_full_name() == "Siti Aminah"
    entry = AuditLog.objects.get(
        action="create", object_type="accounts.user", object_id=str(user.pk)
    )
    assert entry.actor == bappeda_admin
    assert entry.after["username"] == "analis_baru"
    assert entry.after["role"] == "analyst"
    assert "password" not in entry.after
    assert user.password not in str(entry.after)


@pytest.mark.parametrize("persona", ["analyst", "viewer", "opd_operator", "kel_operator_in"])
def test_it_refuses_user_creation_by_non_admins(request, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=actor, username="x_baru", password=NEW_PASSWORD, role=Role.VIEWER
        )
    assert not User.objects.filter(username="x_baru").exists()


def test_it_lets_the_system_create_users(db):
    user = services.user_create(
        actor=None, username="sistem_buat", password=NEW_PASSWORD, role=Role.VIEWER
    )
    assert AuditLog.objects.get(action="create", object_id=str(user.pk)).actor_username == ""


def test_it_refuses_an_opd_operator_without_an_opd_in_indonesian(bappeda_admin):
    with pytest.raises(ValidationError) as caught:
        services.user_create(
            actor=bappeda_admin,
            username="op_tanpa_opd",
            password=NEW_PASSWORD,
            role=Role.OPD_OPERATOR,
        )
    assert _messages(caught.value, "opd") == ["Operator OPD harus terikat pada satu OPD."]


def test_it_refuses_a_region_operator_without_a_region_in_indonesian(bappeda_admin):
    with pytest.raises(ValidationError) as caught:
        services.user_create(
            actor=bappeda_admin,
            username="op_tanpa_wil",
            password=NEW_PASSWORD,
            role=Role.REGION_OPERATOR,
        )
    assert _messages(caught.value, "region_code") == [
        "Operator wilayah harus terikat pada satu wilayah."
    ]


def test_it_enforces_the_opd_constraint_in_the_database_too(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="langsung", role=Role.OPD_OPERATOR)


def test_it_refuses_regions_outside_the_installation_or_unknown(bappeda_admin):
    for code, expected in [
        ("36.71.01", "di luar wilayah instalasi"),
        ("99.99.99", "tidak dikenal"),
        ("36.73", "kecamatan atau kelurahan/desa"),
    ]:
        with pytest.raises(ValidationError) as caught:
            services.user_create(
                actor=bappeda_admin,
                username="op_wil",
                password=NEW_PASSWORD,
                role=Role.REGION_OPERATOR,
                region_code=code,
            )
        assert expected in _messages(caught.value, "region_code")[0]


def test_it_accepts_plain_region_codes(bappeda_admin):
    user = services.user_create(
        actor=bappeda_admin,
        username="op_kel",
        password=NEW_PASSWORD,
        role=Role.REGION_OPERATOR,
        region_code="3673011001",
    )
    assert user.region_id == "36.73.01.1001"


def test_it_refuses_unknown_roles_and_opds_naming_the_field(bappeda_admin):
    with pytest.raises(ValidationError) as caught:
        services.user_create(
            actor=bappeda_admin, username="aneh", password=NEW_PASSWORD, role="dewa", opd="tidakada"
        )
    assert set(caught.value.error_dict) == {"role", "opd"}


def test_it_applies_the_password_rules(bappeda_admin):
    with pytest.raises(ValidationError) as caught:
        services.user_create(
            actor=bappeda_admin, username="lemah", password="pendek", role=Role.VIEWER
        )
    assert "password" in caught.value.error_dict


def test_it_refuses_duplicate_user_names(bappeda_admin, analyst):
    with pytest.raises(ValidationError) as caught:
        services.user_create(
            actor=bappeda_admin, username=analyst.username, password=NEW_PASSWORD, role=Role.VIEWER
        )
    assert "username" in caught.value.error_dict


def test_it_updates_a_user_and_audits_before_and_after(bappeda_admin, viewer, opd_dinsos):
    services.user_update(actor=bappeda_admin, user=viewer, role=Role.OPD_OPERATOR, opd="dinsos")
    viewer.refresh_from_db()
    assert viewer.role == Role.OPD_OPERATOR
    assert viewer.opd == opd_dinsos
    entry = AuditLog.objects.get(action="update", object_id=str(viewer.pk))
    assert entry.before == {"role": "viewer", "opd_id": None}
    assert entry.after == {"role": "opd_operator", "opd_id": opd_dinsos.pk}


def test_it_refuses_updates_by_analysts(analyst, viewer):
    with pytest.raises(PermissionDenied):
        services.user_update(actor=analyst, user=viewer, role=Role.ADMIN)


def test_it_refuses_admins_demoting_or_deactivating_themselves(bappeda_admin):
    with pytest.raises(PermissionDenied):
        services.user_update(actor=bappeda_admin, user=bappeda_admin, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=bappeda_admin, user=bappeda_admin)


def test_it_refuses_admins_touching_superusers(bappeda_admin):
    boss = User.objects.create_superuser("boss", "boss@example.id", "Super-Rahasia-2026")
    with pytest.raises(PermissionDenied):
        services.user_set_password(actor=bappeda_admin, user=boss, password=NEW_PASSWORD)


def test_it_deactivates_users(bappeda_admin, viewer):
    services.user_deactivate(actor=bappeda_admin, user=viewer)
    viewer.refresh_from_db()
    assert not viewer.is_active
    assert AuditLog.objects.get(action="update", object_id=str(viewer.pk)).after == {
        "is_active": False
    }


def test_it_lets_users_change_their_own_password_only(viewer, analyst):
    services.user_set_password(actor=viewer, user=viewer, password=NEW_PASSWORD)
    viewer.refresh_from_db()
    assert viewer.check_password(NEW_PASSWORD)
    entry = AuditLog.objects.get(action="update", object_id=str(viewer.pk))
    assert entry.detail == {"password_changed": True}
    assert entry.before is None and entry.after is None
    with pytest.raises(PermissionDenied):
        services.user_set_password(actor=viewer, user=analyst, password=NEW_PASSWORD)


def test_it_unlocks_a_locked_user(bappeda_admin, analyst):
    from django.utils import timezone

    User.objects.filter(pk=analyst.pk).update(
        failed_logins=5, locked_until=timezone.now() + timezone.timedelta(minutes=10)
    )
    services.user_unlock(actor=bappeda_admin, user=analyst)
    analyst.refresh_from_db()
    assert analyst.failed_logins == 0 and analyst.locked_until is None


def test_it_creates_the_default_opds_idempotently(db):
    first = services.ensure_default_opds()
    again = services.ensure_default_opds()
    assert [o.pk for o in first] == [o.pk for o in again]
    codes = set(Opd.objects.values_list("code", flat=True))
    assert {
        "bappeda",
        "dinsos",
        "dinkes",
        "dindikbud",
        "disperkim",
        "pupr",
        "disperindagkop",
        "disnaker",
        "dp3akb",
        "disdukcapil",
        "kecamatan",
    } <= codes
    assert AuditLog.objects.filter(action="create", object_type="accounts.opd").count() == len(
        first
    )


def test_it_lets_only_admins_create_opds(bappeda_admin, analyst):
    with pytest.raises(PermissionDenied):
        services.opd_create(
            actor=analyst,
            code="bpbd",
            name="Badan Penanggulangan Bencana Daerah",
            short_name="BPBD",
        )
    opd = services.opd_create(
        actor=bappeda_admin,
        code="bpbd",
        name="Badan Penanggulangan Bencana Daerah",
        short_name="BPBD",
    )
    assert AuditLog.objects.get(action="create", object_type="accounts.opd").after["code"] == "bpbd"
    assert str(opd) == "BPBD"
