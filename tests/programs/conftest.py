"""Programme catalogue: uploads go to a temporary MEDIA_ROOT, background tasks run at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from padu.cli import main
from padu.programs import services
from padu.programs.models import Programme
from tests.conftest import KEL_A1, KEL_B1

HEADER = ["NO", "NAMA PENERIMA", "NIK", "TGL LAHIR", "JENIS KELAMIN", "ALAMAT", "KELURAHAN", "KECAMATAN"]


@pytest.fixture(autouse=True)
def _programs_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def make_programme(opd: Any, code: str, **extra: Any) -> Programme:
    values: dict[str, Any] = {
        "name": f"Program {code}",
        "funding_source": "apbd_kota",
        "strategy": "kurangi_beban",
        "unit": "person",
        "eligibility": {"desil_max": 4, "active_only": True},
        **extra,
    }
    return services.programme_create(actor=None, opd=opd, code=code, **values)


@pytest.fixture
def lansia(opd_dinsos) -> Programme:
    return make_programme(
        opd_dinsos, "lansia", eligibility={"desil_max": 3, "age_min": 60, "active_only": True}
    )


@pytest.fixture
def pmt(opd_dinkes) -> Programme:
    return make_programme(opd_dinkes, "pmt_balita")


def clean_rows() -> list[list[Any]]:
    """Four beneficiaries: two in 36.73.01.1001, one in 36.73.02.1001, one without NIK."""
    return [
        [1, "SITI AMINAH", "3673014507550001", "05-07-1955", "P", "Kp. Kaujon RT 001/RW 002", KEL_A1, ""],
        [2, "UJANG SUPRIATNA", "3673011203500001", "12-03-1950", "L", "Kp. Kaujon RT 003/RW 002", KEL_A1, ""],
        [3, "ENAH", "3673024101480001", "01-01-1948", "P", "Link. Kasemen RT 002/RW 001", KEL_B1, ""],
        [4, "MARNI", "", "17-08-1952", "P", "Kp. Kaujon RT 004/RW 002", KEL_A1, ""],
    ]


def write_csv(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_messy_xlsx(path: Path) -> Path:
    """Two title rows and a blank row above the header, NIK in numeric cells, dates of every kind."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Penerima"
    ws.append(["DAFTAR PENERIMA BANSOS LANSIA"])
    ws.append(["KOTA SERANG TAHUN 2025"])
    ws.append([])
    ws.append(["No", "Nama Lansia", "NIK", "Tempat/Tgl Lahir", "L/P", "Alamat", "Kelurahan", "Kecamatan"])
    ws.append(
        [
            1,
            "Siti Aminah",
            "3673014507550001",
            "Serang, 05 Juli 1955",
            "P",
            "RT 001/RW 002",
            "Serang",
            "Serang",
        ]
    )
    ws.append(
        [2, "Ujang", 3673011203500000.0, "Serang, 12-03-1950", "L", "RT 003/RW 002", "Serang", "Serang"]
    )
    ws.append([3, "Enah", "3673024101480001", dt.datetime(1948, 1, 1), "P", "", "Kasemen", "Kasemen"])
    ws.append([4, "Marni", "", "Serang, 31-02-1952", "P", "", "Serang", "Serang"])
    ws.append([5, "", "", "", "", "", "Serang", "Serang"])
    ws.append([6, "Iyah", "3673014507550002", "Serang, 05-07-1955", "X", "", "Antah Berantah", ""])
    wb.save(path)
    return path


@pytest.fixture
def padu(capsys) -> Callable[..., tuple[int, str, str]]:
    def run(*args: Any) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def summary(out: str) -> dict[str, int]:
    last = out.strip().splitlines()[-1]
    assert last.startswith("rows="), last
    return {k: int(v) for k, v in (part.split("=") for part in last.split())}
