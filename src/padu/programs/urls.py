from django.urls import path

from padu.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("baru/", views.programme_create, name="create"),
    path("<slug:code>/", views.programme_detail, name="detail"),
    path("<slug:code>/ubah/", views.programme_edit, name="edit"),
    path("<slug:code>/unggah/", views.roll_upload, name="upload"),
    path("<slug:code>/daftar/<str:period>/", views.roll_detail, name="roll"),
    path("<slug:code>/daftar/<str:period>/ekspor.csv", views.roll_export, name="roll_export"),
]
