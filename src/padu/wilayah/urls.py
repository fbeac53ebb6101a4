from django.urls import path, re_path

from padu.wilayah import views

app_name = "wilayah"

# A Kemendagri code: 36 · 36.73 · 36.73.01 · 36.73.01.1001
CODE_RE = r"(?P<code>\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?)"

urlpatterns = [
    path("", views.index, name="index"),
    path("cari/", views.search, name="search"),
    re_path(rf"^{CODE_RE}/$", views.detail, name="detail"),
]
