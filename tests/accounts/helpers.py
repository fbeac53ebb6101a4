"""Small helpers shared by the accounts tests."""

from __future__ import annotations

from padu.wilayah.models import Level, Region, RegionType

REGIONS = [
    ("36", "BANTEN", Level.PROVINSI, RegionType.PROVINSI, None),
    ("36.73", "KOTA SERANG", Level.KABKOTA, RegionType.KOTA, "36"),
    ("36.73.01", "Serang", Level.KECAMATAN, RegionType.KECAMATAN, "36.73"),
    ("36.73.01.1001", "Cimuncang", Level.DESA, RegionType.KELURAHAN, "36.73.01"),
    ("36.73.01.1002", "Kotabaru", Level.DESA, RegionType.KELURAHAN, "36.73.01"),
    ("36.73.02", "Kasemen", Level.KECAMATAN, RegionType.KECAMATAN, "36.73"),
    ("36.73.02.1001", "Kasemen", Level.DESA, RegionType.KELURAHAN, "36.73.02"),
    ("36.71", "KOTA TANGERANG", Level.KABKOTA, RegionType.KOTA, "36"),
    ("36.71.01", "Tangerang", Level.KECAMATAN, RegionType.KECAMATAN, "36.71"),
]


def ensure_regions() -> None:
    """The few regions the tests use (the wilayah data migration normally loads them all)."""
    for code, name, level, kind, parent in REGIONS:
        Region.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "type": kind,
                "parent_id": parent,
                "code_plain": code.replace(".", ""),
            },
        )


def login_post(client, username: str, password: str):
    return client.post("/akun/masuk/", {"username": username, "password": password})


def form_errors(response) -> list[str]:
    form = response.context["form"]
    return [str(e) for e in form.non_field_errors()]
