from django.urls import path

from padu.planning import views, views_allocation, views_musrenbang, views_rat

app_name = "planning"
urlpatterns = [
    path("", views.priority, name="priority"),
    path("prioritas/", views.priority, name="priority_alias"),
    path("indikator/", views.indicators, name="indicators"),
    path("indikator/impor/<int:pk>/", views.indicator_batch, name="indicator_batch"),
    path(
        "indikator/impor/<int:pk>/laporan.xlsx", views.indicator_batch_report, name="indicator_batch_report"
    ),
    path("usulan/", views_musrenbang.proposal_list, name="proposals"),
    path("usulan/baru/", views_musrenbang.proposal_form, name="proposal_create"),
    path("usulan/impor/", views_musrenbang.proposal_import, name="proposal_import"),
    path("usulan/<int:pk>/", views_musrenbang.proposal_detail, name="proposal"),
    path("usulan/<int:pk>/ubah/", views_musrenbang.proposal_form, name="proposal_edit"),
    path("alokasi/", views_allocation.allocation, name="allocation"),
    path("alokasi/skenario/<int:pk>/", views_allocation.scenario, name="scenario"),
    path("rat/", views_rat.rat_list, name="rat"),
    path("rat/baru/", views_rat.rat_form, name="rat_create"),
    path("rat/<int:pk>/ubah/", views_rat.rat_form, name="rat_edit"),
    path("rat/unduh.<str:fmt>", views_rat.rat_download, name="rat_download"),
    path("rpkd/", views_rat.rpkd_page, name="rpkd"),
    path("rpkd/unduh.<str:fmt>", views_rat.rpkd_download, name="rpkd_download"),
]
