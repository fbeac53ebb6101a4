"""Region pages: kecamatan list, kecamatan and kelurahan pages, search; maps are offline."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from padu.wilayah.models import Boundary

pytestmark = pytest.mark.django_db

CDN = re.compile(r"https?://")


def map_figure(html: str, map_id: str = "peta-wilayah") -> dict:
    m = re.search(rf'<script id="{map_id}-data" type="application/json">(.*?)</script>', html, re.S)
    assert m, "map JSON missing"
    return json.loads(m.group(1))


def test_it_redirects_anonymous_users_to_login(client):
    for url in ("/wilayah/", "/wilayah/36.73.01/", "/wilayah/cari/?q=serang"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_it_lists_the_kecamatan_with_a_city_map(analyst, login):
    response = login(analyst).get("/wilayah/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Cipocok Jaya", "Kasemen", "Walantaka", "Curug", "Taktakan"):
        assert name in html
    assert 'href="/wilayah/36.73.05/"' in html
    assert "/static/vendor/plotly.min.js" in html and "/static/padu/map.js" in html
    assert not CDN.search(html)
    figure = map_figure(html)
    trace = figure["data"][0]
    assert trace["type"] == "choropleth" and trace["featureidkey"] == "properties.kode"
    assert sorted(trace["locations"]) == [f"36.73.0{i}" for i in range(1, 7)]
    assert figure["layout"]["geo"]["fitbounds"] == "locations"
    assert figure["layout"]["geo"]["visible"] is False
    assert "mapbox" not in json.dumps(figure) and "tile" not in json.dumps(figure)


def test_it_draws_the_city_by_kelurahan_on_request(viewer, login):
    html = login(viewer).get("/wilayah/?peta=kelurahan").content.decode()
    assert len(map_figure(html)["data"][0]["locations"]) == 67


def test_it_shows_a_kecamatan_with_its_kelurahan_and_map(kel_operator_in, login):
    response = login(kel_operator_in).get("/wilayah/36.73.05/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cipocok Jaya" in html and 'data-testid="kelurahan-table"' in html
    assert "/static/vendor/plotly.min.js" in html and not CDN.search(html)
    trace = map_figure(html)["data"][0]
    assert len(trace["locations"]) == 8 and all(c.startswith("36.73.05.") for c in trace["locations"])
    assert trace["customdata"][0][2] == f"/wilayah/{trace['locations'][0]}/"  # click target


def test_it_shows_a_kelurahan_with_breadcrumb_and_highlight(analyst, login):
    html = login(analyst).get("/wilayah/36.73.01.1001/").content.decode()
    crumb = html[
        html.index('data-testid="breadcrumb"') : html.index("</nav>", html.index('data-testid="breadcrumb"'))
    ]
    assert "Banten" in crumb and "Kota Serang" in crumb and 'href="/wilayah/36.73.01/"' in crumb
    assert "36.73.01.1001" in html
    traces = [t for t in map_figure(html)["data"] if t["type"] == "choropleth"]
    assert traces[-1]["locations"] == ["36.73.01.1001"]  # drawn last, in the brand colour
    assert sum(len(t["locations"]) for t in traces) == 12


def test_it_answers_404_outside_the_installation(analyst, login):
    client = login(analyst)
    assert client.get("/wilayah/36.71.01/").status_code == 404  # Kota Tangerang
    assert client.get("/wilayah/36.73.09/").status_code == 404  # no such kecamatan
    assert client.get("/wilayah/36.73/").status_code == 302  # the city itself: the index


def test_it_works_without_boundaries(analyst, login):
    Boundary.objects.all().delete()
    html = login(analyst).get("/wilayah/").content.decode()
    assert 'data-testid="no-map"' in html and "Cipocok Jaya" in html
    assert "plotly.min.js" not in html


def test_it_searches_regions_of_the_installation_with_htmx(analyst, login):
    client = login(analyst)
    partial = client.get("/wilayah/cari/", {"q": "cipocok"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    body = partial.content.decode()
    assert "<html" not in body and 'href="/wilayah/36.73.05/"' in body
    by_code = client.get("/wilayah/cari/", {"q": "36.73.05.10"}, HTTP_HX_REQUEST="true")
    assert by_code.content.decode().count("<li>") == 8
    outside = client.get("/wilayah/cari/", {"q": "Karawaci"}, HTTP_HX_REQUEST="true")
    assert "36.71" not in outside.content.decode()  # Kota Tangerang is not this installation
    page = client.get("/wilayah/cari/", {"q": "kasemen"})
    assert "<html" in page.content.decode() and "36.73.02" in page.content.decode()
    index = client.get("/wilayah/").content.decode()
    assert 'hx-get="/wilayah/cari/"' in index
