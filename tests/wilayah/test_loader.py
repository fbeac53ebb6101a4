"""The region and boundary loaders, and the data migration that runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from padu.wilayah import services
from padu.wilayah.models import Boundary, Level, Region, RegionType

pytestmark = pytest.mark.django_db


def test_it_loads_every_kemendagri_code_in_the_migration():
    assert Region.objects.count() == 91_599
    by_level = {lvl: Region.objects.filter(level=lvl).count() for lvl in Level.values}
    assert by_level == {1: 38, 2: 514, 3: 7_285, 4: 83_762}
    assert Region.objects.filter(type=RegionType.KABUPATEN).count() == 416
    assert Region.objects.filter(type=RegionType.KOTA).count() == 98
    assert Region.objects.filter(type=RegionType.KELURAHAN).count() == 8_496
    assert Region.objects.filter(type=RegionType.DESA).count() == 75_266


def test_it_has_kota_serang_with_6_kecamatan_and_67_kelurahan():
    serang = Region.objects.get(code="36.73")
    assert serang.name == "Kota Serang" and serang.parent_id == "36"
    assert Region.objects.filter(parent_id="36.73").count() == 6
    assert Region.objects.within("36.73").filter(level=Level.DESA).count() == 67
    assert Region.objects.get(code="36.73.05").name == "Cipocok Jaya"
    assert Region.objects.get(code_plain="367301").code == "36.73.01"


def test_it_loads_boundaries_for_the_installation_in_the_migration():
    assert Boundary.objects.filter(region__level=Level.KECAMATAN).count() == 6
    assert Boundary.objects.filter(region__level=Level.DESA).count() == 67
    assert not Boundary.objects.exclude(region__code__startswith="36.73.").exists()
    b = Boundary.objects.get(region_id="36.73.05")
    assert b.geometry["type"] in {"Polygon", "MultiPolygon"}
    assert b.source.endswith("kota_serang_kecamatan.geojson")  # dissolved: agrees with kelurahan
    assert -6.3 < b.centroid_lat < -6.0 and 106.0 < b.centroid_lng < 106.3


def test_it_is_idempotent_and_updates_changed_names():
    Region.objects.filter(code="36.73.05").update(name="Nama Lama")
    first = services.load_regions()
    assert (first.total, first.created, first.updated) == (91_599, 0, 1)
    assert Region.objects.get(code="36.73.05").name == "Cipocok Jaya"
    second = services.load_regions()
    assert (second.created, second.updated, second.unchanged) == (0, 0, 91_599)
    assert Region.objects.count() == 91_599


def test_it_adds_new_codes_and_keeps_unlisted_ones(tmp_path: Path):
    """A newer release adds 36.73.07 and drops 36.73.06.1013: one created, one kept."""
    lines = services.CSV_PATH.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [ln for ln in lines if not ln.startswith("36.73.06.1013,")]
    lines.append("36.73.07,Kecamatan Baru,3,kecamatan,36.73,367307\n")
    newer = tmp_path / "wilayah.csv"
    newer.write_text("".join(lines), encoding="utf-8")
    result = services.load_regions(csv_path=newer)
    assert (result.total, result.created, result.updated) == (91_599, 1, 0)
    assert result.not_in_source == 1
    assert Region.objects.get(code="36.73.07").parent_id == "36.73"
    assert Region.objects.filter(code="36.73.06.1013").exists()  # never deleted: may be referenced
    assert services.load_regions(csv_path=newer).created == 0


def test_it_rejects_a_malformed_csv(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,name,level,type,parent_code,code_plain\n36.73,Kota Serang,3,kota,36,3673\n",
        encoding="utf-8",
    )
    with pytest.raises(services.RegionDataError):
        services.load_regions(csv_path=bad)
    assert Region.objects.count() == 91_599


def test_it_picks_boundary_files_by_the_codes_they_hold():
    def names(code: str) -> dict[int, str]:
        return {lvl: p.name for lvl, p in services.boundary_sources(code).items()}

    assert names("36.73") == {
        3: "kota_serang_kecamatan.geojson",
        4: "kota_serang_kelurahan.geojson",
    }
    assert names("36.71") == {3: "banten_kecamatan.geojson", 4: "kota_tangerang_kelurahan.geojson"}
    assert names("15.71") == {3: "kota_jambi_kecamatan.geojson", 4: "kota_jambi_kelurahan.geojson"}
    assert names("36.01") == {3: "banten_kecamatan.geojson", 4: "banten_desa_kelurahan.geojson"}
    assert names("32.73") == {}


def test_it_reloads_boundaries_without_duplicates_and_for_another_region():
    again = services.load_boundaries()
    assert (again.kecamatan, again.kelurahan, again.skipped) == (6, 67, 0)
    assert Boundary.objects.count() == 73
    tangerang = services.load_boundaries("36.71")
    assert (tangerang.kecamatan, tangerang.kelurahan) == (13, 104)
    assert Boundary.objects.count() == 73 + 117
    none = services.load_boundaries("32.73")
    assert none.total == 0 and none.sources == {}


def test_it_computes_a_centroid_when_the_file_has_none():
    square = {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]}
    assert services.geometry_centroid(square) == pytest.approx((1.0, 1.0))
