"""``padu demo`` builds the programme catalogue and loads the twelve lists through the roll intake."""

from __future__ import annotations

import pytest

from padu.accounts import services as accounts
from padu.core import demo
from padu.ingest.models import ImportBatch
from padu.programs.models import Programme, Roll
from padu.synth import generate

pytestmark = pytest.mark.django_db


def test_it_loads_the_twelve_programmes_and_their_lists_once(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    accounts.ensure_default_opds(actor=None)
    city = tmp_path / "city"
    generate(city, persons=400, seed=5)
    result = demo.load_programmes(city)
    assert result["programmes"] == Programme.objects.count() == 12
    assert result["period"] == "2025-06"
    assert Roll.objects.count() == 12
    assert all(line.startswith("rows=") for line in result["rolls"].values())
    assert Programme.objects.get(code="rtlh").opd.code == "disperkim"
    assert Programme.objects.get(code="wirausaha").opd.code == "disnaker"
    blt = Programme.objects.get(code="blt")
    assert set(blt.exclusive_of.values_list("code", flat=True)) == {"pkh", "bpnt"}
    assert Programme.objects.get(code="pmt_balita").rule_text.startswith(
        "desil ≤ 4; status aktif; umur 6–59 bulan"
    )
    again = demo.load_programmes(city)
    assert set(again["rolls"].values()) == {"skipped"}
    assert ImportBatch.objects.filter(kind="roll").count() == 12
