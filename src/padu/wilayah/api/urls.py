from django.urls import path, re_path

from padu.wilayah.api import views
from padu.wilayah.urls import CODE_RE

app_name = "wilayah"  # reversed as "api:wilayah:list" etc.
urlpatterns = [
    path("", views.RegionListView.as_view(), name="list"),
    re_path(rf"^{CODE_RE}/$", views.RegionDetailView.as_view(), name="detail"),
    re_path(rf"^{CODE_RE}/geojson/$", views.RegionGeoJsonView.as_view(), name="geojson"),
]
