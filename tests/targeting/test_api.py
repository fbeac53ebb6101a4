"""Read-only targeting API: runs for every role, aggregates within the caller's scope, no personal data."""

from __future__ import annotations

import pytest

from padu.targeting import services
from tests.conftest import KEL_A1, KEL_B1
from tests.targeting.conftest import PERIOD


@pytest.fixture
def ran(town, analyst):
    services.run_targeting(period=PERIOD, actor=analyst)
    return town


def test_the_analyst_reads_runs_and_the_breakdown(ran, analyst, login):
    client = login(analyst)
    runs = client.get("/api/penargetan/").json()
    rows = runs["results"] if isinstance(runs, dict) else runs
    assert rows[0]["period"] == PERIOD and rows[0]["status"] == "done" and rows[0]["total"] > 0
    body = client.get(f"/api/penargetan/{PERIOD}/?by=kelurahan").json()
    keys = {r["key"] for r in body["rows"]}
    assert {KEL_A1, KEL_B1} <= keys and body["n"] == rows[0]["total"]
    assert "ALM. HASAN" not in str(body) and "WATI" not in str(body)


def test_a_kelurahan_operator_sees_only_their_region(ran, kel_operator_in, login):
    body = login(kel_operator_in).get(f"/api/penargetan/{PERIOD}/?by=kelurahan").json()
    assert {r["key"] for r in body["rows"]} == {KEL_A1}


def test_bad_requests(ran, viewer, login):
    client = login(viewer)
    assert client.get(f"/api/penargetan/{PERIOD}/?by=nama").status_code == 400
    assert client.get("/api/penargetan/1999-01/").status_code == 404
    body = client.get(f"/api/penargetan/{PERIOD}/?by=type").json()
    assert body["n"] > 0  # viewers read aggregates
