"""The audit log is append-only everywhere: ORM, raw SQL, admin, pages, API."""

from __future__ import annotations

import json

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from padu.accounts.models import User
from padu.cli import main
from padu.core import audit
from padu.core.models import AppendOnlyError, AuditLog


@pytest.fixture
def entry(analyst) -> AuditLog:
    return audit.record(
        actor=analyst,
        action="update",
        object_type="registry.family",
        object_id="7",
        before={"status": "aktif"},
        after={"status": "pindah"},
    )


def test_it_refuses_orm_updates_and_deletes(entry):
    entry.action = "delete"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=entry.pk).update(action="delete")
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.all().delete()
    assert AuditLog.objects.get(pk=entry.pk).action == "update"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditlog SET action = 'delete' WHERE id = %s",
        "DELETE FROM core_auditlog WHERE id = %s",
    ],
)
def test_it_refuses_raw_sql_updates_and_deletes_in_the_database(entry, sql):
    if connection.vendor not in {"sqlite", "postgresql"}:
        pytest.skip(f"no append-only trigger for {connection.vendor}")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    assert AuditLog.objects.get(pk=entry.pk).action == "update"


def test_it_records_the_actor_name_and_ip(analyst):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    row = audit.record(actor=analyst, action="view", object_type="x", request=request)
    assert (row.actor_username, row.ip_address) == ("analis_tkpk", "10.1.2.3")


def test_it_takes_the_proxy_ip_only_behind_the_https_proxy(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    settings.SECURE_PROXY_SSL_HEADER = None
    assert audit.client_ip(request) == "127.0.0.1"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert audit.client_ip(request) == "203.0.113.9"


def test_it_records_bulk_views_and_exports_of_personal_data(analyst):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5")
    viewed = audit.record_personal_data_access(
        actor=analyst, what="registry.person", count=120, request=request
    )
    exported = audit.record_personal_data_access(
        actor=analyst,
        what="registry.person",
        count=5,
        export=True,
        detail={"kelurahan": "36.73.01.1001"},
    )
    assert (viewed.action, viewed.detail, viewed.ip_address) == ("view", {"count": 120}, "10.0.0.5")
    assert exported.action == "export"
    assert exported.detail == {"count": 5, "kelurahan": "36.73.01.1001"}


def test_it_never_snapshots_the_password_hash(analyst):
    assert "password" not in audit.snapshot(analyst)


@pytest.mark.parametrize("persona", ["analyst", "viewer", "opd_operator", "kel_operator_in"])
def test_it_keeps_the_audit_page_for_admins(request, login, persona):
    assert login(request.getfixturevalue(persona)).get("/audit/").status_code == 403


def test_it_shows_and_filters_the_audit_page_for_the_admin(login, bappeda_admin, entry):
    client = login(bappeda_admin)
    page = client.get("/audit/").content.decode()
    assert "registry.family" in page
    filtered = client.get("/audit/", {"action": "export"}).context["page"]
    assert list(filtered) == []
    by_user = client.get("/audit/", {"user": "analis_tkpk", "since": "2000-01-01"}).context["page"]
    assert [e.pk for e in by_user] == [entry.pk]


def test_it_has_no_add_change_or_delete_in_the_django_admin(client, db, entry):
    boss = User.objects.create_superuser("boss", "boss@example.id", "Super-Rahasia-2026")
    model_admin = site._registry[AuditLog]
    request = RequestFactory().get("/admin/")
    request.user = boss
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    client.force_login(boss)
    assert client.get("/admin/core/auditlog/").status_code == 200
    assert client.get("/admin/core/auditlog/add/").status_code == 403
    assert client.get(f"/admin/core/auditlog/{entry.pk}/delete/").status_code == 403
    view = client.get(f"/admin/core/auditlog/{entry.pk}/change/")
    assert view.status_code == 200  # read-only view
    client.post(f"/admin/core/auditlog/{entry.pk}/change/", {"action": "delete"})
    assert AuditLog.objects.get(pk=entry.pk).action == "update"


def test_it_lists_recent_entries_from_the_cli(capsys, entry, viewer):
    audit.record(actor=viewer, action="login", obj=viewer)
    assert main(["audit", "--limit", "1"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "login" in out[0]
    assert main(["audit", "--user", "analis_tkpk", "--action", "update", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == [entry.pk]
    assert rows[0]["after"] == {"status": "pindah"}


def test_it_rejects_unknown_actions_in_the_cli(capsys, db):
    assert main(["audit", "--action", "hapus-semua"]) != 0
    assert "--action" in capsys.readouterr().err
