from django.urls import path

from padu.registry.api import views

urlpatterns = [
    path("keluarga/", views.FamilySearchView.as_view(), name="registry-family-search"),
    path("keluarga/<int:family_id>/", views.FamilyDetailView.as_view(), name="registry-family"),
    path("statistik/", views.KelurahanStatsView.as_view(), name="registry-stats"),
]
