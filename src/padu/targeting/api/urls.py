from django.urls import path

from padu.targeting.api import views

urlpatterns = [
    path("", views.RunListView.as_view(), name="targeting-runs"),
    path("<str:period>/", views.BreakdownView.as_view(), name="targeting-breakdown"),
    path("<str:period>/temuan/", views.FindingListView.as_view(), name="targeting-findings"),
]
