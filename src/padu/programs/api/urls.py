from django.urls import path

from padu.programs.api import views

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="programs-list"),
    path("<slug:code>/", views.ProgrammeDetailView.as_view(), name="programs-detail"),
    path("<slug:code>/daftar/", views.RollListView.as_view(), name="programs-rolls"),
    path("<slug:code>/daftar/<str:period>/", views.RollEntryListView.as_view(), name="programs-roll-entries"),
]
