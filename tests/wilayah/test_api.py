"""Read-only region API: list/filter, detail, children as GeoJSON; authenticated users only."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_refuses_anonymous_users(client):
    for url in ("/api/wilayah/", "/api/wilayah/36.73/", "/api/wilayah/36.73/geojson/"):
        assert client.get(url).status_code == 403


def test_it_lists_and_filters_any_kemendagri_region(analyst, login):
    client = login(analyst)
    everything = client.get("/api/wilayah/").json()
    assert everything["count"] == 91_599 and len(everything["results"]) == 100
    kecamatan = client.get("/api/wilayah/", {"parent": "36.73", "level": 3}).json()
    assert [r["name"] for r in kecamatan["results"]][4] == "Cipocok Jaya"
    assert kecamatan["count"] == 6
    tangerang = client.get("/api/wilayah/", {"parent": "36.71"}).json()  # reference data
    assert tangerang["count"] == 13
    found = client.get("/api/wilayah/", {"q": "cipocok"}).json()
    assert found["results"][0] == {
        "code": "36.73.05", "name": "Cipocok Jaya", "label": "Kec. Cipocok Jaya", "level": 3,
        "level_display": "kecamatan", "type": "kecamatan", "parent": "36.73",
        "code_plain": "367305",
    }  # fmt: skip
    assert client.get("/api/wilayah/", {"level": 9}).status_code == 400


def test_it_shows_a_region_with_its_parent_chain(kel_operator_in, login):
    body = login(kel_operator_in).get("/api/wilayah/36.73.01/").json()
    assert body["name"] == "Serang" and body["children_count"] == 12
    assert [a["code"] for a in body["ancestors"]] == ["36", "36.73"]
    assert body["has_boundary"] is True
    assert login(kel_operator_in).get("/api/wilayah/99.99/").status_code == 404


def test_it_gives_the_children_boundaries_as_geojson(viewer, login):
    client = login(viewer)
    fc = client.get("/api/wilayah/36.73.05/geojson/").json()
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 8
    f = fc["features"][0]
    assert f["properties"]["kode"].startswith("36.73.05.") and f["geometry"]["type"]
    assert client.get("/api/wilayah/32.73/geojson/").json()["features"] == []  # none shipped
    assert client.get("/api/wilayah/99.99/geojson/").status_code == 404


def test_it_documents_the_endpoints_in_the_schema(analyst, login):
    schema = login(analyst).get("/api/schema/", {"format": "json"}).json()
    assert {"/api/wilayah/", "/api/wilayah/{code}/", "/api/wilayah/{code}/geojson/"} <= set(schema["paths"])
