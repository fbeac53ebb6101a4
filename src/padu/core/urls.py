from django.urls import path

from padu.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_list, name="audit"),
    path("healthz", views.healthz, name="healthz"),
]
