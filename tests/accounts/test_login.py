"""Login, lockout, audit of login events, password rules and session expiry."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from padu.accounts.models import User
from padu.core.models import AuditLog
from tests.accounts.helpers import form_errors, login_post
from tests.conftest import PASSWORD

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
BAD = "salah-sekali-123"


def test_it_logs_in_with_the_right_password_and_redirects_home(client, analyst):
    response = login_post(client, analyst.username, PASSWORD)
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/akun/profil/").status_code == 200


def test_it_follows_a_safe_next_and_ignores_an_offsite_one(client, analyst):
    ok = client.post(
        "/akun/masuk/?next=/akun/profil/",
        {"username": analyst.username, "password": PASSWORD, "next": "/akun/profil/"},
    )
    assert ok.url == "/akun/profil/"
    client.logout()
    evil = client.post(
        "/akun/masuk/",
        {"username": analyst.username, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert evil.url == "/"


def test_it_shows_the_same_message_for_a_wrong_password_and_an_unknown_user(client, analyst):
    wrong = form_errors(login_post(client, analyst.username, BAD))
    unknown = form_errors(login_post(client, "tidak_ada_orangnya", BAD))
    assert wrong == unknown == ["Nama pengguna atau kata sandi salah."]


def test_it_locks_the_account_after_max_failures_even_for_the_right_password(client, analyst):
    maximum = settings.LOGIN_MAX_FAILURES
    with time_machine.travel(START, tick=False):
        for _ in range(maximum - 1):
            assert form_errors(login_post(client, analyst.username, BAD)) == [
                "Nama pengguna atau kata sandi salah."
            ]
        last = form_errors(login_post(client, analyst.username, BAD))[0]
        assert "dikunci" in last
        until = START + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        assert timezone.localtime(until).strftime("%H.%M") in last  # says when to try again
        analyst.refresh_from_db()
        assert analyst.locked_until == until
        response = login_post(client, analyst.username, PASSWORD)
        assert response.status_code == 200
        assert "dikunci" in form_errors(response)[0]
        assert "_auth_user_id" not in client.session


def test_it_unlocks_after_the_lockout_time_passes(client, analyst):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(settings.LOGIN_MAX_FAILURES):
            login_post(client, analyst.username, BAD)
        traveller.shift(dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES - 1))
        assert login_post(client, analyst.username, PASSWORD).status_code == 200
        traveller.shift(dt.timedelta(minutes=2))
        assert login_post(client, analyst.username, PASSWORD).status_code == 302
    analyst.refresh_from_db()
    assert analyst.failed_logins == 0
    assert analyst.locked_until is None


def test_it_does_not_extend_the_lockout_with_attempts_made_while_locked(client, analyst):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(settings.LOGIN_MAX_FAILURES):
            login_post(client, analyst.username, BAD)
        traveller.shift(dt.timedelta(minutes=5))
        login_post(client, analyst.username, BAD)
        analyst.refresh_from_db()
        assert analyst.locked_until == START + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def test_it_locks_unknown_user_names_the_same_way(client, analyst):
    """Same answers, attempt by attempt, whether the user name exists or not."""
    with time_machine.travel(START, tick=False):
        for _ in range(settings.LOGIN_MAX_FAILURES + 1):
            known = form_errors(login_post(client, analyst.username, BAD))
            unknown = form_errors(login_post(client, "hantu", BAD))
            assert known == unknown


def test_it_counts_only_consecutive_failures(client, analyst):
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        login_post(client, analyst.username, BAD)
    assert login_post(client, analyst.username, PASSWORD).status_code == 302
    client.logout()
    login_post(client, analyst.username, BAD)
    analyst.refresh_from_db()
    assert analyst.failed_logins == 1
    assert analyst.locked_until is None


def test_it_refuses_a_deactivated_account_with_the_generic_message(client, analyst):
    analyst.is_active = False
    analyst.save()
    assert form_errors(login_post(client, analyst.username, PASSWORD)) == [
        "Nama pengguna atau kata sandi salah."
    ]


def test_it_audits_login_failure_lockout_and_logout_with_ip(client, analyst):
    login_post(client, analyst.username, PASSWORD)
    client.post("/akun/keluar/")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        login_post(client, analyst.username, BAD)
    login_post(client, "hantu", BAD)
    rows = AuditLog.objects.order_by("id")
    actions = [r.action for r in rows.filter(actor_username=analyst.username)]
    assert actions[:2] == ["login", "logout"]
    assert actions.count("login_failed") == settings.LOGIN_MAX_FAILURES
    assert actions[-1] == "locked"
    assert all(r.ip_address == "127.0.0.1" for r in rows)
    unknown = rows.get(actor_username="hantu")
    assert unknown.action == "login_failed"
    assert unknown.actor_id is None
    assert unknown.detail["reason"] == "unknown_user"
    assert not any("password" in str(r.detail) and PASSWORD in str(r.detail) for r in rows)


def test_it_applies_the_lockout_to_the_django_admin_login_too(client, analyst):
    analyst.is_staff = True
    analyst.save()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post("/admin/login/", {"username": analyst.username, "password": BAD})
    client.post("/admin/login/", {"username": analyst.username, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert AuditLog.objects.filter(actor_username=analyst.username, action="locked").exists()


def test_it_requires_letters_and_digits_and_ten_characters_in_passwords(analyst):
    for weak in ["pendek1", "hanyahurufsaja", "1234567890123"]:
        with pytest.raises(ValidationError):
            validate_password(weak, analyst)
    validate_password("Kopi-Sore-2026", analyst)


def test_it_expires_the_session_after_the_idle_minutes(client, analyst):
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(analyst)
        assert client.get("/akun/profil/").status_code == 200
        traveller.shift(idle - dt.timedelta(minutes=1))
        assert client.get("/akun/profil/").status_code == 200  # activity keeps it alive
        traveller.shift(idle + dt.timedelta(minutes=1))
        response = client.get("/akun/profil/")
        assert response.status_code == 302
        assert response.url.startswith("/akun/masuk/")


def test_it_redirects_anonymous_users_to_the_login_page(client, db):
    response = client.get("/akun/profil/")
    assert response.status_code == 302
    assert response.url == "/akun/masuk/?next=/akun/profil/"


def test_it_logs_out_only_by_post(client, analyst):
    client.force_login(analyst)
    assert client.get("/akun/keluar/").status_code == 405
    assert client.post("/akun/keluar/").status_code == 302
    assert "_auth_user_id" not in client.session
    assert User.objects.get(pk=analyst.pk).last_login is not None
