"""Typed environment parsers: bad values refused with a bilingual message, good ones accepted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from padu.config import env
from padu.config.env import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_path,
    env_region_code,
    env_str,
    parse_database_url,
)


@pytest.fixture(autouse=True)
def _keep_variables():
    """Calling a parser declares its variable; keep the registry docs/settings.md is built from."""
    saved = dict(env.VARIABLES)
    yield
    env.VARIABLES.clear()
    env.VARIABLES.update(saved)


def _assert_bilingual(exc: pytest.ExceptionInfo[ImproperlyConfigured], name: str) -> None:
    message = str(exc.value)
    assert name in message
    assert "tidak sah" in message  # Bahasa Indonesia first ...
    assert "invalid" in message  # ... then English


@pytest.mark.parametrize(("name", "value", "parse"), [
    ("PADU_DEBUG", "maybe", lambda e: env_bool("PADU_DEBUG", False, environ=e)),
    ("PADU_LOGIN_MAX_FAILURES", "abc",
     lambda e: env_int("PADU_LOGIN_MAX_FAILURES", 5, minimum=1, maximum=100, environ=e)),
    ("PADU_LOGIN_MAX_FAILURES", "0",
     lambda e: env_int("PADU_LOGIN_MAX_FAILURES", 5, minimum=1, maximum=100, environ=e)),
    ("PADU_LOGIN_MAX_FAILURES", "1000",
     lambda e: env_int("PADU_LOGIN_MAX_FAILURES", 5, minimum=1, maximum=100, environ=e)),
    ("DATABASE_URL", "mysql://padu@127.0.0.1/padu",
     lambda e: env_database("DATABASE_URL", "sqlite:///x.sqlite3", environ=e)),
    ("DATABASE_URL", "postgres://padu@127.0.0.1:5432/",
     lambda e: env_database("DATABASE_URL", "sqlite:///x.sqlite3", environ=e)),
    ("DATABASE_URL", "postgres://padu@127.0.0.1:port/padu",
     lambda e: env_database("DATABASE_URL", "sqlite:///x.sqlite3", environ=e)),
    ("PADU_REGION_CODE", "3673x",
     lambda e: env_region_code("PADU_REGION_CODE", "36.73", environ=e)),
    ("PADU_REGION_CODE", "36.73.01", lambda e: env_region_code("PADU_REGION_CODE", "36.73",
                                                               environ=e)),
    ("PADU_LOG_LEVEL", "LOUD", lambda e: env_choice("PADU_LOG_LEVEL", "INFO", ["INFO", "DEBUG"],
                                                     environ=e)),
    ("PADU_ALLOWED_HOSTS", "a.example,,b.example",
     lambda e: env_list("PADU_ALLOWED_HOSTS", [], environ=e)),
])
def test_it_refuses_a_bad_value_with_a_bilingual_message(name, value, parse):
    with pytest.raises(ImproperlyConfigured) as exc:
        parse({name: value})
    _assert_bilingual(exc, name)
    assert repr(value) in str(exc.value)


def test_it_refuses_a_data_dir_that_is_a_file(tmp_path):
    file = tmp_path / "not-a-dir"
    file.write_text("x")
    with pytest.raises(ImproperlyConfigured) as exc:
        env_path("PADU_DATA_DIR", tmp_path, environ={"PADU_DATA_DIR": str(file)})
    _assert_bilingual(exc, "PADU_DATA_DIR")


def test_it_refuses_an_unreadable_secret_file(tmp_path):
    with pytest.raises(ImproperlyConfigured) as exc:
        env_str("PADU_SECRET_KEY", None, environ={"PADU_SECRET_KEY_FILE": str(tmp_path / "none")})
    _assert_bilingual(exc, "PADU_SECRET_KEY_FILE")


@pytest.mark.parametrize(("value", "expected"), [
    ("1", True), ("true", True), ("ya", True), ("ON", True),
    ("0", False), ("false", False), ("tidak", False), ("no", False),
])
def test_it_accepts_booleans_in_both_languages(value, expected):
    assert env_bool("PADU_DEBUG", not expected, environ={"PADU_DEBUG": value}) is expected


def test_it_uses_defaults_for_missing_or_empty_values():
    assert env_bool("PADU_DEBUG", False, environ={}) is False
    assert env_int("PADU_LOGIN_MAX_FAILURES", 5, environ={"PADU_LOGIN_MAX_FAILURES": ""}) == 5
    assert env_str("PADU_TIME_ZONE", "Asia/Jakarta", environ={}) == "Asia/Jakarta"
    assert env_list("PADU_ALLOWED_HOSTS", ["localhost"], environ={}) == ["localhost"]


def test_it_accepts_good_values(tmp_path):
    assert env_int("PADU_LOGIN_MAX_FAILURES", 5, minimum=1, maximum=100,
                   environ={"PADU_LOGIN_MAX_FAILURES": " 7 "}) == 7
    assert env_region_code("PADU_REGION_CODE", "36.73",
                           environ={"PADU_REGION_CODE": "3673"}) == "36.73"
    assert env_region_code("PADU_REGION_CODE", "36.73",
                           environ={"PADU_REGION_CODE": "15.71"}) == "15.71"
    assert env_list("PADU_ALLOWED_HOSTS", [],
                    environ={"PADU_ALLOWED_HOSTS": "padu.serangkota.go.id, localhost"}) == [
        "padu.serangkota.go.id", "localhost"]
    assert env_choice("PADU_LOG_LEVEL", "INFO", ["INFO", "DEBUG"],
                      environ={"PADU_LOG_LEVEL": "DEBUG"}) == "DEBUG"
    assert env_path("PADU_DATA_DIR", Path("var"),
                    environ={"PADU_DATA_DIR": str(tmp_path)}) == tmp_path.resolve()


def test_it_reads_a_secret_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s" * 40 + "\n")
    key = env_str("PADU_SECRET_KEY", None, environ={"PADU_SECRET_KEY_FILE": str(secret)})
    assert key == "s" * 40


def test_it_parses_database_urls():
    pg = parse_database_url("postgres://padu:r%40hasia@db.local:5433/padu?sslmode=require")
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "padu", "padu", "r@hasia", "db.local", "5433")
    assert pg["OPTIONS"] == {"sslmode": "require"}
    absolute = parse_database_url("sqlite:////srv/padu/padu.sqlite3")
    assert absolute["ENGINE"] == "django.db.backends.sqlite3"
    assert absolute["NAME"] == "/srv/padu/padu.sqlite3"
    assert parse_database_url("sqlite:///var/padu.sqlite3")["NAME"] == "var/padu.sqlite3"


def _load_settings(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith(("PADU_", "DJANGO_")) and k != "DATABASE_URL"}
    environ.update(DJANGO_SETTINGS_MODULE="padu.config.settings", PADU_DATA_DIR=str(tmp_path))
    environ.update(extra)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                               "print(settings.DEBUG)"],
        env=environ, capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )


@pytest.mark.parametrize(("name", "value", "words"), [
    ("PADU_DEBUG", "maybe", ["tidak sah", "invalid"]),
    ("PADU_LOGIN_MAX_FAILURES", "abc", ["tidak sah", "invalid"]),
    ("DATABASE_URL", "mysql://padu@127.0.0.1/padu", ["tidak sah", "invalid"]),
    ("PADU_REGION_CODE", "3673x", ["tidak sah", "invalid"]),
    ("PADU_SECRET_KEY", "pendek-short", ["terlalu pendek", "too short"]),
])
def test_it_refuses_to_start_with_a_bad_setting(tmp_path, name, value, words):
    result = _load_settings(tmp_path, **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr
    for word in words:
        assert word in result.stderr


def test_it_starts_with_good_settings(tmp_path):
    result = _load_settings(tmp_path, PADU_DEBUG="ya", PADU_SECRET_KEY="k" * 50,
                            PADU_REGION_CODE="3673", PADU_LOGIN_MAX_FAILURES="3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_it_generates_and_keeps_a_secret_key(tmp_path):
    first = _load_settings(tmp_path)
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret_key"
    key = key_file.read_text()
    assert len(key) >= 50
    assert key_file.stat().st_mode & 0o077 == 0
    assert _load_settings(tmp_path).returncode == 0
    assert key_file.read_text() == key


@pytest.mark.django_db
def test_it_uses_the_configured_database():
    """CI sets PADU_TEST_EXPECT_VENDOR=postgresql for its PostgreSQL half: proof it ran there."""
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    expected = os.environ.get("PADU_TEST_EXPECT_VENDOR") or (
        "postgresql" if url.startswith(("postgres://", "postgresql://", "pgsql://")) else "sqlite")
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
