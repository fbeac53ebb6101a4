"""``padu user`` through the real CLI entry point."""

from __future__ import annotations

import io
import json

import pytest

from padu.accounts.models import Role, User
from padu.cli import main
from padu.core.models import AuditLog
from tests.accounts.helpers import ensure_regions

PW = "Sandi-Baru-2026"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _regions(db):
    ensure_regions()


def test_it_creates_a_user_from_the_cli(capsys):
    assert (
        main(["user", "create", "analis2", "--role", "analyst", "--password", PW, "--name", "Dewi"])
        == 0
    )
    assert "analis2" in capsys.readouterr().out
    user = User.objects.get(username="analis2")
    assert user.role == Role.ANALYST and user.check_password(PW)
    assert AuditLog.objects.filter(action="create", object_id=str(user.pk)).exists()


def test_it_reads_the_password_from_stdin(capsys, monkeypatch, opd_dinsos):
    monkeypatch.setattr("sys.stdin", io.StringIO(PW + "\n"))
    assert (
        main(
            [
                "user",
                "create",
                "op_dinsos",
                "--role",
                "opd_operator",
                "--opd",
                "dinsos",
                "--password-stdin",
            ]
        )
        == 0
    )
    assert User.objects.get(username="op_dinsos").check_password(PW)


def test_it_creates_a_region_operator_with_a_plain_code(capsys):
    assert (
        main(
            [
                "user",
                "create",
                "op_kec",
                "--role",
                "region_operator",
                "--region",
                "367301",
                "--password",
                PW,
            ]
        )
        == 0
    )
    assert User.objects.get(username="op_kec").region_id == "36.73.01"


@pytest.mark.parametrize(
    "args,field",
    [
        (["--role", "dewa"], "--role"),
        (["--role", "opd_operator", "--opd", "tidakada"], "--opd"),
        (["--role", "region_operator", "--region", "36.71.01"], "--region"),
        (["--role", "opd_operator"], "--opd"),
    ],
)
def test_it_names_the_bad_field_and_fails(capsys, args, field):
    assert main(["user", "create", "salah", *args, "--password", PW]) != 0
    err = capsys.readouterr().err
    assert field in err
    assert not User.objects.filter(username="salah").exists()


def test_it_reports_weak_passwords_bilingually(capsys):
    assert main(["user", "create", "lemah", "--role", "viewer", "--password", "abc"]) != 0
    err = capsys.readouterr().err
    assert "--password" in err


def test_it_lists_users(capsys, analyst, opd_operator):
    assert main(["user", "list"]) == 0
    out = capsys.readouterr().out
    assert "analis_tkpk" in out and "operator_dinsos" in out and "dinsos" in out
    assert main(["user", "list", "--json", "--role", "analyst"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["username"] for r in rows] == ["analis_tkpk"]


def test_it_unlocks_a_user(capsys, analyst):
    from django.utils import timezone

    User.objects.filter(pk=analyst.pk).update(
        failed_logins=5, locked_until=timezone.now() + timezone.timedelta(minutes=5)
    )
    assert main(["user", "unlock", "analis_tkpk"]) == 0
    analyst.refresh_from_db()
    assert analyst.locked_until is None and analyst.failed_logins == 0


def test_it_sets_roles_and_deactivates(capsys, viewer, opd_dinkes):
    assert main(["user", "set-role", "pemantau", "opd_operator", "--opd", "dinkes"]) == 0
    viewer.refresh_from_db()
    assert viewer.role == Role.OPD_OPERATOR and viewer.opd == opd_dinkes
    assert main(["user", "deactivate", "pemantau"]) == 0
    viewer.refresh_from_db()
    assert not viewer.is_active


def test_it_fails_clearly_for_unknown_users(capsys):
    assert main(["user", "unlock", "hantu"]) != 0
    assert "hantu" in capsys.readouterr().err


def test_it_creates_the_default_opds_from_the_cli(capsys):
    assert main(["user", "opds", "--ensure-defaults"]) == 0
    assert "disdukcapil" in capsys.readouterr().out
