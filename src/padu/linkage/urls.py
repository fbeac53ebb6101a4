from django.urls import path

from padu.linkage import views

app_name = "linkage"
urlpatterns = [
    path("", views.summary, name="summary"),
    path("tinjau/", views.review, name="review"),
    path("tinjau/<int:link_id>/", views.decide, name="decide"),
    path("tinjau/<int:link_id>/batal/", views.undo, name="undo"),
    path("tidak-ditemukan/", views.unmatched, name="unmatched"),
    path("konflik-nik/", views.conflicts, name="conflicts"),
    path("jalankan/", views.start, name="start"),
    path("proses/<int:run_id>/", views.run_status, name="run"),
]
