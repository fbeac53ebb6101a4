from django.urls import path

from padu.accounts.api import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="akun-me"),
    path("audit/", views.AuditLogListView.as_view(), name="akun-audit"),
]
