"""Fixtures: a connection per backend (SQLite in memory; PostgreSQL in a scratch database of this
session) with the contract's tables, and a builder for hand-made cases. No Django database is used."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.targeting_engine.helpers import World

PG_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def _pg_admin_url() -> str:
    """The server of ``DATABASE_URL`` when that is PostgreSQL (its maintenance database), else ours."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return PG_URL
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """URL of a scratch database ``padu_targeting_test_<pid>``, dropped at the end of the session."""
    psycopg = pytest.importorskip("psycopg")
    admin_url = _pg_admin_url()
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL tidak menjawab / no PostgreSQL server answers at {admin_url}: {exc}")
    name = f"padu_targeting_test_{os.getpid()}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def conn(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "sqlite":
        connection: Any = sqlite3.connect(":memory:")
    else:
        import psycopg

        connection = psycopg.connect(request.getfixturevalue("pg_database"))
    try:
        yield connection
    finally:
        with contextlib.suppress(Exception):
            connection.rollback()
        connection.close()


@pytest.fixture
def world(conn: Any) -> World:
    return World(conn)


@pytest.fixture(scope="session")
def small_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated city of 5,000 persons, made once per session."""
    from padu.synth import generate

    out = tmp_path_factory.mktemp("targeting_city")
    generate(out, persons=5_000, seed=7, overwrite=True)
    return out
