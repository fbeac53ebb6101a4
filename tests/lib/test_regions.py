"""Django-free region lookup (padu.lib.regions) and the Django-free promise of padu.lib."""

from __future__ import annotations

import subprocess
import sys

from padu.lib import regions


def test_it_knows_the_kota_serang_kecamatan():
    codes = regions.kecamatan_codes()
    assert isinstance(codes, frozenset)
    assert {"367301", "367302", "367303", "367304", "367305", "367306"} <= codes
    assert "367307" not in codes
    assert len(codes) > 7000
    assert all(len(code) == 6 and code.isdigit() for code in codes)


def test_it_names_plain_and_dotted_codes():
    assert regions.region_name("367301") == "Serang"
    assert regions.region_name("36.73.01") == "Serang"
    assert regions.region_name("3673") == "Kota Serang"
    assert regions.region_name("36") == "Banten"
    assert regions.region_name("36.73.01.1001") == "Serang"
    assert regions.region_name("999999") is None


def test_it_labels_a_code_with_its_parents():
    assert regions.region_label("367305") == "Cipocok Jaya, Kota Serang, Banten"
    assert regions.region_label("36.73.01.1002") == "Cipare, Serang, Kota Serang, Banten"
    assert regions.region_label("999999") is None


def test_it_converts_between_plain_and_dotted():
    assert regions.dotted("367301") == "36.73.01"
    assert regions.dotted("3673011001") == "36.73.01.1001"
    assert regions.dotted("36") == "36"
    assert regions.plain("36.73.01.1001") == "3673011001"


def test_it_loads_the_csv_once():
    assert regions.default_regions() is regions.default_regions()


def test_it_combines_indexes_for_historical_codes():
    old = regions.RegionIndex.from_codes(["36.73.99"], names={"367399": "Lama"})
    both = regions.default_regions().union(old)
    assert "367399" in both.kecamatan and "367301" in both.kecamatan
    assert both.name("367399") == "Lama"
    assert both.name("367301") == "Serang"


def test_it_keeps_padu_lib_free_of_django():
    code = (
        "import sys; import padu.lib.nik, padu.lib.kk, padu.lib.regions, padu.lib.messages;"
        "padu.lib.nik.parse_nik('3673014107850001');"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
