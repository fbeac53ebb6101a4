"""Registry intake: uploads go to a temporary MEDIA_ROOT, background tasks run at once."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from padu.cli import main
from padu.registry.models import Family, KkHistory, Membership, Person, StatusChange, WelfareRecord

DATA = Path(__file__).resolve().parent.parent / "data" / "registry"
DTSEN = DATA / "dtsen_clean.csv"
P3KE = DATA / "p3ke_messy.xlsx"
DTKS = DATA / "dtks_old.csv"


@pytest.fixture(autouse=True)
def _ingest_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def read_rows(path: Path = DTSEN) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    columns = columns or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def registry_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Family, Person, Membership, KkHistory, WelfareRecord, StatusChange)
    }


@pytest.fixture
def rows() -> list[dict[str, str]]:
    """The 40 persons (10 families) of the clean DTSEN fixture, as editable dicts."""
    return read_rows()


@pytest.fixture
def padu(capsys) -> Callable[..., tuple[int, str, str]]:
    """padu(*args) -> (exit status, stdout, stderr) of the ``padu`` command."""

    def run(*args: Any) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run
