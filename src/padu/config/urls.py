from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include("padu.accounts.urls")),
    path("wilayah/", include("padu.wilayah.urls")),
    path("registri/", include("padu.registry.urls")),
    path("impor/", include("padu.ingest.urls")),
    path("verivali/", include("padu.verivali.urls")),
    path("program/", include("padu.programs.urls")),
    path("pencocokan/", include("padu.linkage.urls")),
    path("penargetan/", include("padu.targeting.urls")),
    path("perencanaan/", include("padu.planning.urls")),
    path("api/", include("padu.config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("admin/", admin.site.urls),
    path("", include("padu.core.urls")),
]
# Uploaded files (Berita Acara, import files) are never served from MEDIA_URL: each app serves them
# through a scoped, audited view.
