"""Every page needs a login except the few listed here (login, language switch, health, static)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

OPEN_PREFIXES = ("/static/", "/i18n/", "/healthz", "/favicon.ico")


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if (
            request.user.is_authenticated
            or path.startswith(OPEN_PREFIXES)
            or path == reverse(settings.LOGIN_URL)
            or path.startswith("/api/")  # the API answers 403 itself, not a redirect
            or path.startswith("/admin/")  # the admin has its own login page
        ):
            return self.get_response(request)
        return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
