"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright's sync API.

Playwright cannot download its own browser here, so it runs the system one. A missing browser is a
failure, not a skip: the README's test command runs every tier.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    candidates = [
        os.environ.get("PADU_CHROMIUM", ""),
        "/usr/bin/chromium",
        shutil.which("chromium") or "",
        shutil.which("chromium-browser") or "",
    ]
    return next((c for c in candidates if c and Path(c).is_file() and os.access(c, os.X_OK)), None)


@pytest.fixture(scope="session", autouse=True)
def _flush_past_sqlite_triggers():
    """Let Django's flush (after every transactional test, live_server's included) empty the tables.

    On SQLite, flush is ``DELETE FROM``, which the append-only audit log's triggers refuse (on
    PostgreSQL it is ``TRUNCATE``, which row triggers never see). The triggers are dropped for the
    flush only and put back at once. Registered for every test by tests/conftest.py.
    """
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    from django.db.backends.sqlite3 import base  # imports its operations module without a cycle

    DatabaseOperations = base.DatabaseOperations
    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            original(self, sql_list)
        finally:
            with self.connection.cursor() as cursor:
                for _name, sql in triggers:
                    cursor.execute(sql)

    DatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]
    yield
    DatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]


class _Chromium:
    """One Playwright and one Chromium per test session, however many modules import ``browser``."""

    users = 0
    playwright: object = None
    browser: object = None

    @classmethod
    def acquire(cls) -> object:
        if cls.browser is None:
            executable = chromium_path()
            if executable is None:
                pytest.fail(
                    "chromium not found: apt-get install chromium (or set PADU_CHROMIUM=/path/to/chromium)",
                    pytrace=False,
                )
            try:
                from playwright.sync_api import sync_playwright
            except ImportError:  # pragma: no cover - the dev extras install it
                pytest.fail("playwright not installed: pip install -e '.[dev]'", pytrace=False)
            # Playwright's sync API runs an event loop in the test thread, where Django's ORM
            # refuses to run unless told it may (only while the browser is open).
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            cls.playwright = sync_playwright().start()
            cls.browser = cls.playwright.chromium.launch(  # type: ignore[attr-defined]
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
        cls.users += 1
        return cls.browser

    @classmethod
    def release(cls) -> None:
        cls.users -= 1
        if cls.users == 0 and cls.browser is not None:
            cls.browser.close()  # type: ignore[attr-defined]
            cls.playwright.stop()  # type: ignore[attr-defined]
            cls.browser = cls.playwright = None
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    yield _Chromium.acquire()
    _Chromium.release()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    """A fresh browser context (no cookies, Accept-Language unset) for each test."""
    context = browser.new_context(locale="id-ID", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
