"""Profile page and the administrators' user management pages."""

from __future__ import annotations

import pytest

from padu.accounts.models import Role, User
from padu.core.models import AuditLog
from tests.accounts.helpers import ensure_regions
from tests.conftest import PASSWORD

NEW_PASSWORD = "Sandi-Baru-2026"


@pytest.fixture(autouse=True)
def _regions(db):
    ensure_regions()


def test_it_shows_role_opd_and_scope_on_the_profile(login, opd_operator):
    page = login(opd_operator).get("/akun/profil/").content.decode()
    assert "Operator OPD" in page
    assert "Dinsos" in page
    assert "Data milik OPD Dinsos." in page


def test_it_shows_the_region_of_a_region_operator(login, kec_operator_in):
    page = login(kec_operator_in).get("/akun/profil/").content.decode()
    assert "Kec. Serang (36.73.01)" in page


def test_it_changes_the_own_password_on_the_profile_and_keeps_the_session(login, viewer):
    client = login(viewer)
    response = client.post(
        "/akun/profil/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.check_password(NEW_PASSWORD)
    assert client.get("/akun/profil/").status_code == 200
    assert AuditLog.objects.filter(
        action="update", object_id=str(viewer.pk), detail__password_changed=True
    ).exists()


def test_it_refuses_a_wrong_old_password(login, viewer):
    response = login(viewer).post(
        "/akun/profil/",
        {
            "old_password": "keliru-123",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    viewer.refresh_from_db()
    assert viewer.check_password(PASSWORD)


@pytest.mark.parametrize("persona", ["analyst", "viewer", "opd_operator", "kel_operator_in"])
def test_it_keeps_user_management_for_admins(request, login, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get("/akun/pengguna/").status_code == 403
    assert client.get("/akun/pengguna/baru/").status_code == 403


def test_it_lists_users_for_the_admin(login, bappeda_admin, opd_operator):
    page = login(bappeda_admin).get("/akun/pengguna/").content.decode()
    assert "operator_dinsos" in page


def test_it_creates_a_user_from_the_form(login, bappeda_admin, opd_dinsos):
    response = login(bappeda_admin).post(
        "/akun/pengguna/baru/",
        {
            "username": "op_dinsos2",
            "full_name": "Budi",
            "email": "",
            "role": Role.OPD_OPERATOR,
            "opd": "dinsos",
            "region_code": "",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="op_dinsos2")
    assert user.opd == opd_dinsos
    assert AuditLog.objects.filter(
        action="create", object_id=str(user.pk), actor=bappeda_admin
    ).exists()


def test_it_shows_the_binding_error_on_the_opd_field(login, bappeda_admin):
    response = login(bappeda_admin).post(
        "/akun/pengguna/baru/",
        {
            "username": "op_x",
            "role": Role.OPD_OPERATOR,
            "opd": "",
            "region_code": "",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["opd"] == ["Operator OPD harus terikat pada satu OPD."]


def test_it_offers_only_installation_regions(login, bappeda_admin):
    form = login(bappeda_admin).get("/akun/pengguna/baru/").context["form"]
    codes = [code for code, _ in form.fields["region_code"].choices if code]
    assert "36.73.01.1001" in codes
    assert all(code.startswith("36.73.") for code in codes)


def test_it_edits_and_unlocks_a_user(login, bappeda_admin, viewer):
    from django.utils import timezone

    client = login(bappeda_admin)
    response = client.post(
        f"/akun/pengguna/{viewer.pk}/",
        {
            "full_name": "Pemantau DPRD",
            "email": "p@example.id",
            "role": Role.REGION_OPERATOR,
            "opd": "",
            "region_code": "36.73.02",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert (viewer.role, viewer.region_id) == (Role.REGION_OPERATOR, "36.73.02")
    User.objects.filter(pk=viewer.pk).update(
        failed_logins=5, locked_until=timezone.now() + timezone.timedelta(minutes=9)
    )
    assert client.post(f"/akun/pengguna/{viewer.pk}/buka-kunci/").status_code == 302
    viewer.refresh_from_db()
    assert viewer.locked_until is None


def test_it_links_profile_and_user_pages_from_the_menu(login, bappeda_admin, analyst):
    page = login(bappeda_admin).get("/akun/profil/").content.decode()
    assert 'href="/akun/pengguna/"' in page
    assert 'href="/akun/profil/"' in page
    page = login(analyst).get("/akun/profil/").content.decode()
    assert 'href="/akun/pengguna/"' not in page
