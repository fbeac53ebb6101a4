"""role_required and the DRF permission classes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from padu.accounts.models import User
from padu.accounts.permissions import (
    IsBappedaAdmin,
    IsBappedaStaff,
    ReadOnlyForViewers,
    role_permission,
)
from padu.core.decorators import role_required


@role_required("admin", "analyst")
def _staff_view(request):
    return HttpResponse("ok")


def _request(user, method="get"):
    request = getattr(RequestFactory(), method)("/x/")
    request.user = user
    return request


def test_it_lets_listed_roles_through(analyst, bappeda_admin):
    assert _staff_view(_request(analyst)).status_code == 200
    assert _staff_view(_request(bappeda_admin)).status_code == 200


def test_it_refuses_other_roles_with_403(viewer):
    with pytest.raises(PermissionDenied):
        _staff_view(_request(viewer))


def test_it_sends_anonymous_users_to_login(db):
    response = _staff_view(_request(AnonymousUser()))
    assert response.status_code == 302
    assert response.url.startswith("/akun/masuk/")


def test_it_counts_superusers_as_admins(db):
    boss = User.objects.create_superuser("boss", "b@example.id", "Super-Rahasia-2026")
    assert _staff_view(_request(boss)).status_code == 200
    assert IsBappedaAdmin().has_permission(_request(boss), None)


def test_it_checks_roles_in_drf_permissions(bappeda_admin, analyst, viewer):
    assert IsBappedaAdmin().has_permission(_request(bappeda_admin), None)
    assert not IsBappedaAdmin().has_permission(_request(analyst), None)
    assert IsBappedaStaff().has_permission(_request(analyst), None)
    assert role_permission("viewer")().has_permission(_request(viewer), None)
    assert ReadOnlyForViewers().has_permission(_request(viewer), None)
    assert not ReadOnlyForViewers().has_permission(_request(viewer, "post"), None)
    assert ReadOnlyForViewers().has_permission(_request(analyst, "post"), None)
