"""One place that mounts every app's API routes under /api/."""

from django.urls import include, path

app_name = "api"
urlpatterns = [
    path("wilayah/", include("padu.wilayah.api.urls")),
    path("akun/", include("padu.accounts.api.urls")),
    path("registri/", include("padu.registry.api.urls")),
    path("program/", include("padu.programs.api.urls")),
    path("perencanaan/", include("padu.planning.api.urls")),
    path("pencocokan/", include("padu.linkage.api.urls")),
    path("penargetan/", include("padu.targeting.api.urls")),
]
