"""Selectors, above all the map figure builder that other pages reuse."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest
from django.http import Http404

from padu.wilayah import selectors
from padu.wilayah.models import Boundary, Level

pytestmark = pytest.mark.django_db


def choropleths(figure: dict) -> list[dict]:
    return [t for t in figure["data"] if t["type"] == "choropleth"]


def test_it_lists_kecamatan_and_kelurahan_of_the_installation():
    kecamatan = list(selectors.kecamatan_list())
    assert [k.name for k in kecamatan] == [
        "Serang", "Kasemen", "Walantaka", "Curug", "Cipocok Jaya", "Taktakan",
    ]  # fmt: skip
    assert sum(k.n_kelurahan for k in kecamatan) == 67  # type: ignore[attr-defined]
    assert selectors.kelurahan_counts()["36.73.05"] == 8
    assert [k.code for k in selectors.kelurahan_list("36.73.05")][:2] == [
        "36.73.05.1001", "36.73.05.1002",
    ]  # fmt: skip


def test_it_finds_regions_only_inside_the_installation():
    assert selectors.region_detail("36.73.01.1001").parent_id == "36.73.01"
    with pytest.raises(Http404):
        selectors.region_detail("36.71.01")
    with pytest.raises(Http404):
        selectors.region_detail("36.73.99")
    assert [a.code for a in selectors.ancestors("36.73.01.1001")] == ["36", "36.73", "36.73.01"]
    assert selectors.find_region("3673011001").code == "36.73.01.1001"
    assert selectors.region_search("cipocok")[0].code == "36.73.05"


def test_it_builds_a_valid_offline_choropleth_by_kelurahan():
    figure = selectors.city_map_figure(Level.DESA, title="Kota Serang")
    assert figure is not None
    go.Figure(data=figure["data"], layout=figure["layout"])  # plotly validates every property
    (trace,) = choropleths(figure)
    assert len(trace["locations"]) == 67 and trace["featureidkey"] == "properties.kode"
    kodes = {f["properties"]["kode"] for f in trace["geojson"]["features"]}
    assert kodes == set(trace["locations"])
    assert figure["layout"]["geo"] == {**figure["layout"]["geo"], "fitbounds": "locations",
                                       "visible": False}  # fmt: skip
    text = json.dumps(figure)
    assert "mapbox" not in text and "http" not in text
    assert figure["config"]["showSendToCloud"] is False


def test_it_colours_kelurahan_by_values_and_leaves_the_rest_grey():
    values = {"36.73.05.1001": 4.5, "36.73.05.1002": 9.25, "36.73.05.1003": None}
    figure = selectors.city_map_figure(
        Level.DESA, values, "Persentase miskin", value_label="% miskin", within="36.73.05"
    )
    assert figure is not None
    go.Figure(data=figure["data"], layout=figure["layout"])
    grey, coloured = choropleths(figure)
    assert coloured["locations"] == ["36.73.05.1001", "36.73.05.1002"]
    assert coloured["z"] == [4.5, 9.25] and coloured["showscale"] is True
    assert coloured["colorbar"]["title"]["text"] == "% miskin"
    assert len(grey["locations"]) == 6 and "36.73.05.1003" in grey["locations"]
    assert figure["layout"]["title"]["text"] == "Persentase miskin"


def test_it_highlights_one_region_and_links_every_polygon():
    figure = selectors.city_map_figure(
        Level.DESA, within="36.73.01", highlight="36.73.01.1001", href=lambda c: f"/x/{c}/"
    )
    assert figure is not None
    rest, marked = choropleths(figure)
    assert marked["locations"] == ["36.73.01.1001"] and len(rest["locations"]) == 11
    assert rest["customdata"][0][2] == f"/x/{rest['locations'][0]}/"
    labels = [t for t in figure["data"] if t["type"] == "scattergeo"]
    assert labels and len(labels[0]["text"]) == 12  # few polygons: names written on the map


def test_it_returns_no_figure_without_boundaries():
    assert selectors.city_map_figure(Level.DESA, within="32.73") is None
    Boundary.objects.all().delete()
    assert selectors.city_map_figure(Level.KECAMATAN) is None
    assert selectors.has_boundaries() is False


def test_it_gives_children_as_a_feature_collection():
    fc = selectors.children_feature_collection("36.73")
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 6
    assert fc["features"][0]["properties"]["nama"] == "Serang"
