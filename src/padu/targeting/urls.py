from django.urls import path

from padu.targeting import views

app_name = "targeting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("temuan/", views.findings, name="findings"),
    path("paket/", views.packages, name="packages"),
    path("riwayat/", views.history, name="history"),
    path("jalankan/", views.start, name="start"),
    path("koreksi/", views.corrections, name="corrections"),
    path("cek-lapangan/", views.field_checks, name="field_checks"),
    path("cek-lapangan/kirim/", views.send_field_checks, name="send_field_checks"),
]
