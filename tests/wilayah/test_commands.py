"""``padu wilayah`` and ``padu setup``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from padu.wilayah.models import Boundary, Region

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_it_shows_a_region_with_parents_and_children():
    out = run("wilayah", "show", "36.73.01")
    assert out.splitlines()[0] == "36.73.01  Kec. Serang"
    assert "induk / parents: 36 Banten › 36.73 Kota Serang" in out
    assert "anak / children: 12 kelurahan/desa" in out
    assert "batas / boundary: ada / yes" in out
    assert run("wilayah", "show", "3673011001").startswith("36.73.01.1001  Kel. Serang")
    with pytest.raises(CommandError, match="unknown region code"):
        run("wilayah", "show", "99.99")


def test_it_prints_the_installation_tree():
    out = run("wilayah", "tree")
    assert "36.73.05  Cipocok Jaya" in out and "8 kelurahan/desa" in out
    assert "Jumlah / total: 6 kecamatan, 67 kelurahan/desa" in out


def test_it_reloads_codes_and_boundaries():
    Region.objects.filter(code="36.73.05").update(name="X")
    out = run("wilayah", "load")
    assert "diperbarui / updated 1" in out and Region.objects.get(code="36.73.05").name != "X"
    out = run("wilayah", "boundaries", "--region", "15.71")
    assert "11 kecamatan, 68 kelurahan/desa" in out
    assert "tidak tersedia" in run("wilayah", "boundaries", "--region", "32.73")
    with pytest.raises(CommandError):
        run("wilayah", "load", "--csv", "/nonexistent.csv")


def test_it_sets_up_idempotently():
    first = run("setup")
    second = run("setup")
    for out in (first, second):
        assert "Siap / ready: 36.73 Kota Serang — 6 kecamatan, 67 kelurahan/desa" in out
    assert "baru / new 0, diperbarui / updated 0, tetap / unchanged 91599" in second
    assert "6 kecamatan, 67 kelurahan/desa (kota_serang_kecamatan.geojson" in second
    assert Region.objects.count() == 91_599 and Boundary.objects.count() == 73


def test_it_runs_through_the_padu_command(capsys):
    from padu.cli import main

    assert main(["wilayah", "show", "36.73.01"]) == 0
    out = capsys.readouterr().out
    assert "36.73.01  Kec. Serang" in out and "anak / children: 12 kelurahan/desa" in out
    assert main(["wilayah", "show", "99.99"]) != 0
