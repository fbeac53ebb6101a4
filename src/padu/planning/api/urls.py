from django.urls import path

from padu.planning.api import views

urlpatterns = [
    path("lokasi/", views.LokasiListView.as_view(), name="planning-lokasi"),
    path("usulan/", views.ProposalListView.as_view(), name="planning-proposals"),
    path("skenario/", views.ScenarioListView.as_view(), name="planning-scenarios"),
    path("skenario/<int:pk>/hasil/", views.ScenarioRunView.as_view(), name="planning-scenario-run"),
]
