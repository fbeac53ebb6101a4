"""Read-side queries over regions and boundaries, and the Plotly map figure builder."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from padu.wilayah.models import Boundary, Level, Region

SEARCH_LIMIT = 20


def installation_region() -> Region | None:
    return Region.objects.filter(code=settings.REGION_CODE).first()


def installation_summary() -> dict[str, Any]:
    code = settings.REGION_CODE
    counts = Region.objects.within(code).aggregate(
        kecamatan=Count("code", filter=Q(level=Level.KECAMATAN)),
        kelurahan=Count("code", filter=Q(level=Level.DESA)),
    )
    return {"region": installation_region(), **counts}


def in_installation(code: str) -> bool:
    """Whether ``code`` is the installation's kabupaten/kota or lies under it."""
    root = settings.REGION_CODE
    return code == root or code.startswith(root + ".")


def kecamatan_list(region_code: str | None = None) -> QuerySet[Region]:
    """The kecamatan of the installation (or of kab/kota ``region_code``), each annotated with
    ``n_kelurahan`` (its desa/kelurahan count) and ``has_boundary``."""
    code = region_code or settings.REGION_CODE
    return (
        Region.objects.filter(parent_id=code, level=Level.KECAMATAN)
        .annotate(n_kelurahan=Count("children"), has_boundary=_has_boundary())
        .order_by("code")
    )


def kelurahan_counts(region_code: str | None = None) -> dict[str, int]:
    """kecamatan code -> number of its desa/kelurahan, for the installation's kecamatan."""
    code = region_code or settings.REGION_CODE
    rows = (
        Region.objects.filter(level=Level.DESA, code__startswith=code + ".")
        .values("parent_id")
        .annotate(n=Count("code"))
        .values_list("parent_id", "n")
    )
    return {parent: n for parent, n in rows if parent}


def kelurahan_list(kecamatan_code: str) -> QuerySet[Region]:
    """The desa/kelurahan of one kecamatan, annotated with ``has_boundary``."""
    return (
        Region.objects.filter(parent_id=kecamatan_code, level=Level.DESA)
        .annotate(has_boundary=_has_boundary())
        .order_by("code")
    )


def _has_boundary() -> Exists:
    return Exists(Boundary.objects.filter(region_id=OuterRef("code")))


def region_detail(code: str) -> Region:
    """A region of the installation's subtree (its kab/kota included); ``Http404`` otherwise."""
    if not in_installation(code):
        raise Http404(_("Wilayah tidak ditemukan di instalasi ini."))
    region = (
        Region.objects.filter(code=code)
        .select_related("parent")
        .annotate(n_children=Count("children"))
        .first()
    )
    if region is None:
        raise Http404(_("Wilayah tidak ditemukan di instalasi ini."))
    return region


def find_region(code: str) -> Region | None:
    """Any region by dotted code (``36.73.01``) or plain code (``367301``); ``None`` when
    unknown."""
    code = (code or "").strip()
    match = Q(code=code) if "." in code or len(code) <= 2 else Q(code_plain=code)
    return Region.objects.filter(match).select_related("parent").first()


def ancestors(region: Region | str) -> list[Region]:
    """The parent chain, top first (``[provinsi, kab/kota, kecamatan]`` for a kelurahan)."""
    code = region if isinstance(region, str) else region.code
    parts = code.split(".")
    prefixes = [".".join(parts[:i]) for i in range(1, len(parts))]
    return list(Region.objects.filter(code__in=prefixes).order_by("code"))


def region_search(q: str, *, limit: int = SEARCH_LIMIT, region_code: str | None = None) -> list[Region]:
    """Kecamatan and desa/kelurahan of the installation whose name contains ``q`` or whose code
    (dotted or plain) starts with it; kecamatan first."""
    q = (q or "").strip()
    if not q:
        return []
    root = region_code or settings.REGION_CODE
    match = Q(name__icontains=q)
    if q.replace(".", "").isdigit():
        match |= Q(code__startswith=q) | Q(code_plain__startswith=q.replace(".", ""))
    return list(
        Region.objects.filter(code__startswith=root + ".")
        .filter(match)
        .select_related("parent")
        .order_by("level", "name", "code")[:limit]
    )


def regions(*, level: int | None = None, parent: str | None = None, q: str | None = None) -> QuerySet[Region]:
    """Any Kemendagri region (reference data), filtered for the API."""
    qs = Region.objects.all()
    if level is not None:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent_id=parent)
    if q:
        q = q.strip()
        match = Q(name__icontains=q)
        if q.replace(".", "").isdigit():
            match |= Q(code__startswith=q)
        qs = qs.filter(match)
    return qs.order_by("code")


def boundaries(*, level: int, within: str | None = None) -> QuerySet[Boundary]:
    """Boundaries of ``level`` under ``within`` (default: the installation), region joined."""
    code = within or settings.REGION_CODE
    return (
        Boundary.objects.filter(region__level=level, region__code__startswith=code + ".")
        .select_related("region")
        .order_by("region_id")
    )


def boundary_exists(code: str) -> bool:
    return Boundary.objects.filter(region_id=code).exists()


def has_boundaries(within: str | None = None) -> bool:
    code = within or settings.REGION_CODE
    return Boundary.objects.filter(region__code__startswith=code + ".").exists()


def feature(boundary: Boundary) -> dict[str, Any]:
    region = boundary.region
    return {
        "type": "Feature",
        "id": region.code,
        "properties": {
            "kode": region.code,
            "nama": region.name,
            "level": region.level,
            "jenis": region.type,
            "lat": boundary.centroid_lat,
            "lng": boundary.centroid_lng,
        },
        "geometry": boundary.geometry,
    }


def children_feature_collection(code: str) -> dict[str, Any]:
    """GeoJSON FeatureCollection of the boundaries of ``code``'s direct children."""
    rows = Boundary.objects.filter(region__parent_id=code).select_related("region").order_by("region_id")
    return {"type": "FeatureCollection", "features": [feature(b) for b in rows]}


# --------------------------------------------------------------------------- map figure

BASE_COLOUR = "#d5e5dd"
HIGHLIGHT_COLOUR = "#0b6e4f"
# ColorBrewer YlOrRd, light (low) to dark red (high): "higher is worse" reads naturally.
# (Plotly's named "YlOrRd" runs the other way.)
DEFAULT_COLORSCALE: list[list[Any]] = [
    [0.0, "#ffffcc"],
    [0.25, "#fed976"],
    [0.5, "#fd8d3c"],
    [0.75, "#e31a1c"],
    [1.0, "#800026"],
]
MAX_AUTO_LABELS = 20


def region_url(code: str) -> str:
    return reverse("wilayah:detail", args=[code])


def city_map_figure(
    level: int = Level.DESA,
    values: Mapping[str, float | None] | None = None,
    title: str = "",
    *,
    within: str | None = None,
    highlight: str | None = None,
    value_label: str = "",
    value_format: str = ",.2f",
    colorscale: str | list[list[Any]] | None = None,
    reversescale: bool = False,
    href: Callable[[str], str] | None = region_url,
    labels: bool | None = None,
    height: int = 520,
) -> dict[str, Any] | None:
    """A Plotly choropleth of the ``level`` (3 kecamatan, 4 desa/kelurahan) polygons under
    ``within`` (default: the installation) as a JSON-ready dict ``{data, layout, config}`` for
    ``Plotly.newPlot`` (see ``wilayah/_map.html`` and ``padu/map.js``); ``None`` when no
    boundaries are loaded for that area.

    ``values`` maps region codes to numbers (e.g. an indicator per kelurahan): those polygons
    are coloured on ``colorscale`` (default: light yellow = low to dark red = high;
    ``reversescale=True`` when higher is better) with a colour bar titled ``value_label``;
    polygons without a value stay grey. ``highlight`` fills one region in the brand colour.
    Clicking a polygon opens ``href(code)`` (default: its region page; ``None`` disables).
    Geometry comes from the database only: no tile server, no topojson download
    (``geo.visible=False``).
    ``labels`` writes the names at the centroids (default: when there are at most 20 polygons).
    """
    rows = list(boundaries(level=level, within=within))
    if not rows:
        return None
    values = values or {}
    valued, plain, marked = [], [], []
    for b in rows:
        if b.region_id == highlight:
            marked.append(b)
        elif values.get(b.region_id) is not None:
            valued.append(b)
        else:
            plain.append(b)
    no_data = _("tidak ada data")
    traces: list[dict[str, Any]] = []
    if plain:
        traces.append(
            _trace(
                plain,
                [0] * len(plain),
                href,
                colorscale=[[0, BASE_COLOUR], [1, BASE_COLOUR]],
                hover=f"<br>{no_data}" if values else "",
                zrange=(0, 1),
            )
        )
    if valued:
        trace = _trace(
            valued,
            [values[b.region_id] for b in valued],
            href,
            colorscale=colorscale or DEFAULT_COLORSCALE,
            hover=f"<br>{value_label} %{{z:{value_format}}}",
        )
        trace.update(
            showscale=True,
            reversescale=reversescale,
            colorbar={"title": {"text": value_label}, "thickness": 14},
        )
        traces.append(trace)
    if marked:
        b = marked[0]
        v = values.get(b.region_id)
        hover = f"<br>{value_label} %{{customdata[3]:{value_format}}}" if v is not None else ""
        trace = _trace(
            marked,
            [1],
            href,
            colorscale=[[0, HIGHLIGHT_COLOUR], [1, HIGHLIGHT_COLOUR]],
            hover=hover,
            zrange=(0, 1),
        )
        trace["customdata"][0].append(v)
        trace["marker"] = {"line": {"color": "#1d2733", "width": 2.5}}
        traces.append(trace)
    if labels if labels is not None else len(rows) <= MAX_AUTO_LABELS:
        named = [b for b in rows if b.centroid_lat is not None and b.centroid_lng is not None]
        traces.append(
            {
                "type": "scattergeo",
                "mode": "text",
                "hoverinfo": "skip",
                "lon": [b.centroid_lng for b in named],
                "lat": [b.centroid_lat for b in named],
                "text": [b.region.name for b in named],
                "textfont": {
                    "size": 11,
                    "color": ["#ffffff" if b.region_id == highlight else "#1d2733" for b in named],
                },
            }
        )
    lang = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    layout: dict[str, Any] = {
        "geo": {
            "fitbounds": "locations",
            "visible": False,
            "projection": {"type": "mercator"},
            "bgcolor": "rgba(0,0,0,0)",
        },
        "margin": {"l": 0, "r": 0, "t": 40 if title else 0, "b": 0},
        "height": height,
        "dragmode": False,
        "showlegend": False,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "separators": ",." if lang == "id" else ".,",
        "hoverlabel": {"bgcolor": "#fff"},
    }
    if title:
        layout["title"] = {"text": title, "x": 0.01}
    config = {
        "responsive": True,
        "displaylogo": False,
        "scrollZoom": False,
        # nothing leaves the server: no "share to Plotly Cloud" button, no upload URL
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "plotlyServerURL": "",
        "modeBarButtonsToRemove": [
            "select2d",
            "lasso2d",
            "toImage",
            "hoverClosestGeo",
            "sendChartToCloud",
        ],
        # Never used (geo.visible is False and map.js pre-registers an empty topology), but if
        # plotly ever asks, it asks our own server, never the plotly CDN.
        "topojsonURL": static("padu/geo/"),
    }
    return {"data": traces, "layout": layout, "config": config}


def _trace(
    rows: list[Boundary],
    z: list[Any],
    href: Callable[[str], str] | None,
    *,
    colorscale: str | list[list[Any]],
    hover: str,
    zrange: tuple[float, float] | None = None,
) -> dict[str, Any]:
    trace: dict[str, Any] = {
        "type": "choropleth",
        "geojson": {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"kode": b.region_id}, "geometry": b.geometry} for b in rows
            ],
        },
        "featureidkey": "properties.kode",
        "locations": [b.region_id for b in rows],
        "z": z,
        "customdata": [[b.region_id, b.region.name, href(b.region_id) if href else ""] for b in rows],
        "colorscale": colorscale,
        "showscale": False,
        "marker": {"line": {"color": "#ffffff", "width": 1}},
        "hovertemplate": f"<b>%{{customdata[1]}}</b> (%{{customdata[0]}}){hover}<extra></extra>",
    }
    if zrange:
        trace["zmin"], trace["zmax"] = zrange
    return trace
