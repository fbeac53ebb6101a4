"""Demo planning data: proposals from every kelurahan (mostly physical), ceilings, scenarios, RAT;
idempotent."""

from __future__ import annotations

import pytest

from padu.accounts.services import ensure_default_opds
from padu.planning.demo import ensure_demo_planning
from padu.planning.models import AllocationScenario, OpdCeiling, Proposal, RatActivity
from padu.planning.services.allocation import run_scenario
from padu.wilayah.models import Level, Region

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_it_builds_a_demo_planning_year_once(registry, bappeda_admin):
    ensure_default_opds()
    first = ensure_demo_planning(year=2027, period=registry)
    assert (
        first["proposals"] > 300 and first["ceilings"] > 3 and first["scenarios"] == 2 and first["rat"] >= 5
    )
    kelurahan = set(
        Region.objects.filter(level=Level.DESA, code__startswith="36.73.").values_list("code", flat=True)
    )
    assert set(Proposal.objects.values_list("kelurahan_id", flat=True)) == kelurahan
    physical = Proposal.objects.filter(physical=True).count() / Proposal.objects.count()
    assert 0.6 < physical < 0.9
    assert first["lokasi"] > 0  # the fixture registry ranks three kelurahan
    again = ensure_demo_planning(year=2027, period=registry)
    assert set(again.values()) == {0}
    assert Proposal.objects.count() == first["proposals"]
    assert OpdCeiling.objects.count() == first["ceilings"] and RatActivity.objects.count() == first["rat"]
    run = run_scenario(actor=None, scenario=AllocationScenario.objects.get(name="miskin"))
    assert run.status in {"optimal", "gap"} and run.funded_count > 0
