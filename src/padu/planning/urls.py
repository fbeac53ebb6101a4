from django.urls import path

from padu.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.priority, name="priority"),
    path("prioritas/", views.priority, name="priority_alias"),
    path("indikator/", views.indicators, name="indicators"),
]
