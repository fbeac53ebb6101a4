"""Planning API: read-only, scoped like the pages."""

from __future__ import annotations

import pytest

from padu.planning.models import Proposal
from padu.planning.services import allocation
from tests.conftest import KEL_A1, KEL_B1

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(db):
    for kel, title in ((KEL_A1, "Jalan lingkungan"), (KEL_B1, "Pelatihan las")):
        Proposal.objects.create(year=2027, kelurahan_id=kel, activity=title, cost=50_000_000, physical=True)
    s = allocation.scenario_save(
        actor=None,
        year=2027,
        name="dasar",
        values={
            "budget": 60_000_000,
            "use_opd_ceilings": False,
            "kecamatan_min_share": 0.0,
            "kecamatan_max_share": 100.0,
            "min_nonphysical_share": 0.0,
            "weighting": "equal",
        },
    )
    return s


def test_it_lists_proposals_in_the_users_scope(data, kel_operator_in, analyst, login):
    rows = login(kel_operator_in).get("/api/perencanaan/usulan/", {"year": 2027}).json()["results"]
    assert [r["kelurahan"] for r in rows] == [KEL_A1]
    rows = login(analyst).get("/api/perencanaan/usulan/", {"year": 2027}).json()["results"]
    assert len(rows) == 2


def test_it_gives_the_latest_run_of_a_scenario(data, analyst, viewer, login):
    assert login(viewer).get(f"/api/perencanaan/skenario/{data.pk}/hasil/").status_code == 404
    allocation.run_scenario(actor=analyst, scenario=data)
    body = login(viewer).get(f"/api/perencanaan/skenario/{data.pk}/hasil/").json()
    assert body["status"] == "optimal" and body["funded_count"] == 1
    names = [s["name"] for s in login(viewer).get("/api/perencanaan/skenario/", {"year": 2027}).json()]
    assert names == ["dasar"]
    assert login(viewer).get("/api/perencanaan/lokasi/", {"year": 2027}).json() == []
