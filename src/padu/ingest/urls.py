from django.urls import path

from padu.ingest import views

app_name = "ingest"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("<int:batch_id>/", views.batch_detail, name="detail"),
    path("<int:batch_id>/pemetaan/", views.mapping, name="mapping"),
    path("<int:batch_id>/pratinjau/", views.preview, name="preview"),
    path("<int:batch_id>/validasi/", views.start, {"step": "validate"}, name="validate"),
    path("<int:batch_id>/simpan/", views.start, {"step": "commit"}, name="commit"),
    path("<int:batch_id>/proses/", views.progress, name="progress"),
    path("<int:batch_id>/laporan/", views.report, name="report"),
    path("<int:batch_id>/laporan.xlsx", views.report_xlsx, name="report_xlsx"),
    path("<int:batch_id>/ditolak/", views.rejected, name="rejected"),
    path("<int:batch_id>/ditolak/<int:row_id>/", views.correct_row, name="correct_row"),
    path("<int:batch_id>/ditolak/berkas/", views.correct_file, name="correct_file"),
    path("<int:batch_id>/batal/", views.cancel, name="cancel"),
]
