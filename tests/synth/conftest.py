"""A small synthetic city shared by the synth tests (Django-free; no database)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from padu.synth import generate

PERSONS = 5_000
SEED = 11


@pytest.fixture(scope="session")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "city"
    generate(out, PERSONS, SEED)
    return out


@pytest.fixture(scope="session")
def manifest(city: Path) -> dict[str, Any]:
    return json.loads((city / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def registry(city: Path) -> list[dict[str, str]]:
    with open(city / "registry" / "dtsen_registry.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_list(city: Path, meta: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """(header, data rows) of one programme's list, read the way an importer would."""
    path = city / meta["file"]
    if meta["format"] == "csv":
        with open(path, encoding=meta["encoding"], newline="") as f:
            rows = list(csv.reader(f, delimiter=meta["delimiter"]))
        return rows[0], rows[1:]
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    ws = wb[meta["sheet_name"]]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    header_at = meta["header_row"] - 1
    return [str(h) for h in rows[header_at]], rows[header_at + 1 :]
