"""Login, profile (with password change) and, for Bappeda administrators, user management."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from padu.accounts import selectors, services
from padu.accounts.forms import LoginForm, UserCreateForm, UserEditForm
from padu.accounts.models import Role, User
from padu.accounts.scope import scope_label
from padu.core.decorators import role_required


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method != "POST":
        return redirect(_safe_next(request))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.login_attempt(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except services.LoginRefused as refused:
            form.add_error(None, refused.message)
        else:
            return redirect(_safe_next(request))
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=200)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
def profile(request: HttpRequest) -> HttpResponse:
    """The user's role, OPD and region scope; and a password change form."""
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=user, user=user, password=form.cleaned_data["new_password1"], request=request
            )
        except ValidationError as exc:
            form.add_error(
                "new_password1",
                exc.error_dict.get("password", exc.messages) if hasattr(exc, "error_dict") else exc,
            )
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Kata sandi Anda sudah diganti."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "profile_user": user,
            "scope": scope_label(user),
            "region": _region(user.region_id),
        },
    )


def _region(code: str | None) -> Any:
    if not code:
        return None
    from padu.wilayah.models import Region

    return Region.objects.filter(code=code).first() or code


@role_required(Role.ADMIN)
def user_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.user_list(user=request.user, filters=request.GET)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "roles": Role.choices, "opds": selectors.opd_list(), "filters": request.GET},
    )


@sensitive_post_parameters("password1", "password2")
@role_required(Role.ADMIN)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                password=data["password1"],
                role=data["role"],
                full_name=data["full_name"],
                email=data["email"],
                opd=data["opd"] or None,
                region_code=data["region_code"] or None,
                request=request,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request, _("Pengguna %(username)s dibuat.") % {"username": user.username}
            )
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@role_required(Role.ADMIN)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.user_get(user=request.user, pk=pk, action="change")
    if target is None:
        raise Http404
    initial = {
        "full_name": target.get_full_name(),
        "email": target.email,
        "role": target.role,
        "opd": target.opd.code if target.opd else "",
        "region_code": target.region_id or "",
        "is_active": target.is_active,
    }
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                actor=request.user,
                user=target,
                request=request,
                full_name=data["full_name"],
                email=data["email"],
                role=data["role"],
                opd=data["opd"] or None,
                region_code=data["region_code"] or None,
                is_active=data["is_active"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Perubahan ini tidak diizinkan."))
        else:
            messages.success(
                request, _("Pengguna %(username)s diperbarui.") % {"username": target.username}
            )
            return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "creating": False, "target": target, "locked": target.is_locked()},
    )


@require_POST
@role_required(Role.ADMIN)
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.user_get(user=request.user, pk=pk, action="change")
    if target is None:
        raise Http404
    services.user_unlock(actor=request.user, user=target, request=request)
    messages.success(request, _("Kunci akun %(username)s dibuka.") % {"username": target.username})
    return redirect("accounts:user_edit", pk=pk)
