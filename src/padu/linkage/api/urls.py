from django.urls import path

from padu.linkage.api import views

urlpatterns = [
    path("", views.SummaryView.as_view(), name="linkage-summary"),
    path("tinjau/", views.ReviewQueueView.as_view(), name="linkage-review"),
    path("tinjau/<int:link_id>/", views.DecideView.as_view(), name="linkage-decide"),
    path("tinjau/<int:link_id>/batal/", views.UndoView.as_view(), name="linkage-undo"),
]
