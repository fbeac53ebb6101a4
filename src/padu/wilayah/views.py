"""Region reference pages: the installation's kecamatan, one region, and a search box (HTMX)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from padu.wilayah import selectors
from padu.wilayah.models import Level

# ?peta= on the index page -> (level drawn, label)
MAP_LEVELS = {
    "kecamatan": (Level.KECAMATAN, gettext_lazy("kecamatan")),
    "kelurahan": (Level.DESA, gettext_lazy("kelurahan/desa")),
}


@login_required
def index(request: HttpRequest) -> HttpResponse:
    peta = request.GET.get("peta", "kecamatan")
    if peta not in MAP_LEVELS:
        peta = "kecamatan"
    summary = selectors.installation_summary()
    region = summary["region"]
    level, label = MAP_LEVELS[peta]
    figure = selectors.city_map_figure(
        level,
        title=_("Peta %(region)s per %(level)s")
        % {"region": region.name if region else settings.REGION_CODE, "level": label},
    )
    return render(
        request,
        "wilayah/index.html",
        {
            "summary": summary,
            "region": region,
            "kecamatan": selectors.kecamatan_list(),
            "figure": figure,
            "peta": peta,
        },
    )


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    region = selectors.region_detail(code)
    if region.level <= Level.KABKOTA:
        return redirect("wilayah:index")
    context = {"region": region, "ancestors": selectors.ancestors(region)}
    if region.level == Level.KECAMATAN:
        context["kelurahan"] = selectors.kelurahan_list(region.code)
        context["figure"] = selectors.city_map_figure(
            Level.DESA,
            within=region.code,
            title=_("Kelurahan/desa di Kecamatan %(name)s") % {"name": region.name},
        )
    else:
        context["figure"] = selectors.city_map_figure(
            Level.DESA,
            within=region.parent_id,
            highlight=region.code,
            title=_("%(name)s di Kecamatan %(kec)s")
            % {"name": region.label, "kec": region.parent.name if region.parent else ""},
        )
    return render(request, "wilayah/detail.html", context)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:60]
    context = {"q": q, "results": selectors.region_search(q)}
    if request.headers.get("HX-Request"):
        return render(request, "wilayah/_search_results.html", context)
    return render(request, "wilayah/search.html", context)
