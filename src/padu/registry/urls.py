from django.urls import path

from padu.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.search, name="search"),
    path("statistik/", views.statistics, name="statistics"),
    path("keluarga/<int:family_id>/", views.family_detail, name="family"),
    path("ekspor/individu.csv", views.export_persons, name="export_persons"),
]
