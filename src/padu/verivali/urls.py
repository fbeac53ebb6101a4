from django.urls import path

from padu.verivali import views

app_name = "verivali"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("baru/", views.batch_create, name="create"),
    path("usulan/", views.proposal_list, name="proposals"),
    path("<int:batch_id>/", views.batch_detail, name="detail"),
    path("<int:batch_id>/cari/", views.family_search, name="search"),
    path("<int:batch_id>/keputusan/", views.decision_add, name="decision_add"),
    path("<int:batch_id>/keputusan/<int:decision_id>/hapus/", views.decision_remove, name="decision_remove"),
    path("<int:batch_id>/usulan/", views.proposal_add, name="proposal_add"),
    path("<int:batch_id>/usulan/<int:proposal_id>/hapus/", views.proposal_remove, name="proposal_remove"),
    path("<int:batch_id>/berita-acara/", views.berita_acara_download, name="berita_acara"),
    path("<int:batch_id>/berita-acara/unggah/", views.berita_acara_upload, name="berita_acara_upload"),
    path("<int:batch_id>/tindakan/", views.transition, name="transition"),
]
