"""/api/akun/me/ and the read-only audit API."""

from __future__ import annotations

import pytest

from padu.core import audit
from padu.core.models import AuditLog


def test_it_tells_who_i_am(login, kel_operator_in):
    data = login(kel_operator_in).get("/api/akun/me/").json()
    assert data["username"] == "operator_kel_a1"
    assert data["role"] == "region_operator"
    assert data["scope"]["kind"] == "region"
    assert data["scope"]["region"] == "36.73.01.1001"
    assert data["may_see_full_nik"] is True


def test_it_tells_viewers_they_are_read_only(login, viewer):
    data = login(viewer).get("/api/akun/me/").json()
    assert data["scope"]["read_only"] is True
    assert data["may_see_full_nik"] is False


def test_it_refuses_anonymous_api_calls(client, db):
    assert client.get("/api/akun/me/").status_code == 403
    assert client.get("/api/akun/audit/").status_code == 403


@pytest.mark.parametrize("persona", ["analyst", "viewer", "opd_operator", "kec_operator_in"])
def test_it_keeps_the_audit_api_for_admins(request, login, persona):
    assert login(request.getfixturevalue(persona)).get("/api/akun/audit/").status_code == 403


def test_it_lists_and_filters_audit_entries_for_the_admin(login, bappeda_admin, analyst):
    audit.record(actor=analyst, action="export", object_type="registry.person", detail={"count": 3})
    client = login(bappeda_admin)
    data = client.get("/api/akun/audit/", {"action": "export"}).json()
    assert data["count"] == 1
    assert data["results"][0]["actor_username"] == "analis_tkpk"
    assert data["results"][0]["detail"] == {"count": 3}
    assert (
        client.get("/api/akun/audit/", {"user": "analis_tkpk", "action": "login"}).json()["count"]
        == 0
    )


def test_it_offers_no_way_to_change_audit_entries_through_the_api(login, bappeda_admin):
    client = login(bappeda_admin)
    entry = AuditLog.objects.first()
    assert client.post("/api/akun/audit/", {"action": "login"}).status_code == 405
    assert client.delete("/api/akun/audit/").status_code == 405
    assert client.delete(f"/api/akun/audit/{entry.pk}/").status_code == 404
    assert AuditLog.objects.filter(pk=entry.pk).exists()
