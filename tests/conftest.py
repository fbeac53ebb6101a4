"""Shared test personas (healthchecks style) and helpers.

Kota Serang (36.73) is the installation. Regions used:
- 36.73.01 Kecamatan Serang, 36.73.01.1001 one of its kelurahan  (operator "in region")
- 36.73.02 another kecamatan, 36.73.02.1001 one of its kelurahan (operator "out of region")
"""

from __future__ import annotations

import pytest

from padu.accounts.models import Opd, Role, User

pytest_plugins = ["tests.fixtures_browser"]

PASSWORD = "Rahasia-Uji-2026!"

KEC_A = "36.73.01"
KEL_A1 = "36.73.01.1001"
KEL_A2 = "36.73.01.1002"
KEC_B = "36.73.02"
KEL_B1 = "36.73.02.1001"


def make_user(username: str, role: str, **extra: object) -> User:
    user = User(username=username, role=role, first_name=username.replace("_", " ").title(), **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def opd_dinsos(db) -> Opd:
    return Opd.objects.get_or_create(
        code="dinsos", defaults={"name": "Dinas Sosial", "short_name": "Dinsos"}
    )[0]


@pytest.fixture
def opd_dinkes(db) -> Opd:
    return Opd.objects.get_or_create(
        code="dinkes", defaults={"name": "Dinas Kesehatan", "short_name": "Dinkes"}
    )[0]


@pytest.fixture
def bappeda_admin(db) -> User:
    return make_user("admin_bappeda", Role.ADMIN)


@pytest.fixture
def analyst(db) -> User:
    return make_user("analis_tkpk", Role.ANALYST)


@pytest.fixture
def viewer(db) -> User:
    return make_user("pemantau", Role.VIEWER)


@pytest.fixture
def opd_operator(opd_dinsos) -> User:
    return make_user("operator_dinsos", Role.OPD_OPERATOR, opd=opd_dinsos)


@pytest.fixture
def opd_operator_other(opd_dinkes) -> User:
    return make_user("operator_dinkes", Role.OPD_OPERATOR, opd=opd_dinkes)


@pytest.fixture
def kel_operator_in(db) -> User:
    """Kelurahan operator of 36.73.01.1001 (inside kecamatan A)."""
    return make_user("operator_kel_a1", Role.REGION_OPERATOR, region_id=KEL_A1)


@pytest.fixture
def kec_operator_in(db) -> User:
    """Kecamatan operator of 36.73.01 (kecamatan A)."""
    return make_user("operator_kec_a", Role.REGION_OPERATOR, region_id=KEC_A)


@pytest.fixture
def kel_operator_out(db) -> User:
    """Kelurahan operator of 36.73.02.1001 (kecamatan B: out of region A)."""
    return make_user("operator_kel_b1", Role.REGION_OPERATOR, region_id=KEL_B1)


@pytest.fixture
def login(client):
    """login(user) -> the Django test client, logged in as ``user``."""

    def _login(user: User):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _keep_test_connections(monkeypatch):
    """Commands run through ``padu.cli.main`` end with Django closing every connection, which on
    PostgreSQL would break the test's transaction; keep them open inside tests."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
