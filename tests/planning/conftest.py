"""Planning fixtures: a small registry over three kelurahan (aggregates only are read)."""

from __future__ import annotations

import datetime as dt

import pytest

from padu.registry.services import FamilyRecord, MemberRecord, load_families
from tests.conftest import KEL_A1, KEL_A2, KEL_B1

PERIOD = "2026-09"


def _families(kel: str, n: int, *, poor: int, start: int) -> list[FamilyRecord]:
    out = []
    for i in range(n):
        seq = start + i
        is_poor = i < poor
        out.append(
            FamilyRecord(
                kk=f"{kel.replace('.', '')[:6]}0101{seq:06d}",
                kelurahan_code=kel,
                desil=1 if is_poor and i % 2 == 0 else (2 if is_poor else 6),
                extreme_poor=is_poor and i % 3 == 0,
                criteria={"k1_head_not_working": is_poor, "k5_earth_floor": False, "k6_poor_wall": False},
                housing={
                    "floor": "Tanah" if is_poor and i % 2 == 0 else "Keramik",
                    "wall": "Tembok diplester",
                    "latrine": "Tidak ada" if is_poor else "Sendiri",
                    "water_source": "Sumur tak terlindung" if is_poor else "Leding/PDAM",
                    "electricity": "PLN 900 VA",
                },
                members=[
                    MemberRecord(
                        name=f"Warga {seq}",
                        relationship="kepala",
                        nik=f"{kel.replace('.', '')[:6]}0101{seq:06d}",
                        sex="L",
                        birth_date=dt.date(1980, 1, 1),
                    ),
                    MemberRecord(
                        name=f"Anak {seq}",
                        relationship="anak",
                        nik=f"{kel.replace('.', '')[:6]}4101{seq:06d}",
                        sex="P",
                        birth_date=dt.date(2010, 1, 1),
                    ),
                ],
            )
        )
    return out


def load_test_registry() -> str:
    """Families in three kelurahan (A1 poorest); returns the welfare period."""
    records = (
        _families(KEL_A1, 20, poor=12, start=1)
        + _families(KEL_A2, 20, poor=4, start=100)
        + _families(KEL_B1, 5, poor=3, start=200)
    )
    load_families(records=records, period=PERIOD, source="dtsen", file_name="uji.csv")
    return PERIOD


@pytest.fixture
def registry(db):
    return load_test_registry()
